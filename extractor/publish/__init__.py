"""Publish stage: per-paper and per-author tables (CSV + Parquet), institution and country counts,
and a self-contained report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..decisions import apply_author_decisions, apply_decisions
from ..flags import COUNTED_AS_FLAGGED
from ..records import NormalizedPaper
from ..registry.organizations import Registry, default_registry
from ..store import RunStore
from .counting import count, countries_table, institutions_table
from .duplicates import mark_duplicate_titles
from .evidence import PaperEvidence, cached_crop, data_uri, evidence_of, locate_pdf
from .questions import (
    bootstrap_shares,
    by_group,
    carry_validation,
    coverage,
    flagged_groups,
    pair_papers,
    paper_facts,
)
from .report import ReportData, write_headline, write_report
from .tables import AUTHORS_COLUMNS, PAPERS_COLUMNS, author_rows, paper_row, write_atomically, write_tables

__all__ = ["AUTHORS_COLUMNS", "PAPERS_COLUMNS", "RunContext", "author_rows", "paper_row", "publish", "publish_run"]

DEFAULT_PAIR = ("US", "CN")


@dataclass(slots=True)
class RunContext:
    """What the run store knows beside the papers: where each affiliation was printed, where the
    PDFs are, the listing's venues and download statuses."""

    evidence: dict[str, PaperEvidence] = field(default_factory=dict)
    pdfs: dict[str, Path] = field(default_factory=dict)
    venues: dict[str, str] = field(default_factory=dict)
    download_statuses: dict[str, str] = field(default_factory=dict)


def run_context(store: RunStore, out_dir: Path) -> RunContext:
    dirs = store.pdf_dirs()
    context = RunContext(download_statuses=store.download_statuses())
    for extracted in store.extractions():
        context.evidence[extracted.file] = evidence_of(extracted)
    context.venues = {file: entry.venue for file, entry in store.listing().items() if entry.venue}
    context.pdfs = {f: p for f in context.evidence if (p := locate_pdf(f, dirs, out_dir)) is not None}
    return context


def publish_run(
    store: RunStore, out_dir: Path, spreadsheet: bool = False, pair: tuple[str, str] = DEFAULT_PAIR
) -> tuple[Path, Path]:
    """The one publish path (`affil run`, `affil publish`, and review after its decisions): every
    paper in the run store, with the review decisions applied over the machine's answers (per-paper
    decisions first, then the string decisions). ``spreadsheet``: formula-like CSV cells start with
    ``'`` (``--spreadsheet-safe``); ``pair``: the countries whose collaboration papers the report lists."""
    papers = apply_author_decisions(store.normalized(), store.author_decisions())
    papers = mark_duplicate_titles(apply_decisions(papers, store.decisions()))
    return publish(papers, out_dir, spreadsheet=spreadsheet, context=run_context(store, out_dir), pair=pair)


def publish(
    papers: Iterable[NormalizedPaper],
    out_dir: Path,
    registry: Registry | None = None,
    spreadsheet: bool = False,
    context: RunContext | None = None,
    pair: tuple[str, str] = DEFAULT_PAIR,
) -> tuple[Path, Path]:
    """Write every output into ``out_dir``; returns (papers.csv, authors.csv). ``spreadsheet``: CSV cells
    that a spreadsheet would run as formulas start with ``'`` (``--spreadsheet-safe``)."""
    papers = list(papers)
    context = context or RunContext()
    summary, authors = write_tables(papers, out_dir, spreadsheet, context.evidence)
    # A paper printed twice (same bytes or same title) counts once: its repeats are left out.
    repeats = set(summary.loc[summary["duplicate_of"] != "", "file"])
    counted = authors[~authors["file"].isin(repeats)]
    counts = count(counted, registry or default_registry())
    countries, institutions = countries_table(counts), institutions_table(counts)
    write_atomically(countries, out_dir / "countries.csv", spreadsheet)
    write_atomically(institutions, out_dir / "institutions.csv", spreadsheet)
    flagged = authors["flags"].str.split(";").apply(lambda flags: bool(COUNTED_AS_FLAGGED & set(flags)))
    validation = out_dir / "validation" / "shares.csv"
    facts = paper_facts(counted, counts)
    intervals = bootstrap_shares(facts, pair)
    shares = pd.read_csv(validation) if validation.is_file() else None
    carry_validation(intervals, shares)
    listed = pair_papers(papers, pair, context.venues)
    for paper in listed:  # the author block of every listed paper, inline
        evidence = context.evidence.get(paper.file)
        crop = cached_crop(context.pdfs.get(paper.file), paper.paper_id, evidence, out_dir) if evidence else None
        if crop is not None:
            paper.crop = data_uri(crop)
            paper.size = _png_size(crop)
    data = ReportData(
        counts=counts,
        countries=countries,
        institutions=institutions,
        flagged_rows=int((flagged & (authors["source"] != "review")).sum()),
        reviewed_rows=int((authors["source"] == "review").sum()),
        validation=shares,
        intervals=intervals,
        coverage=coverage(papers, summary, facts, context.download_statuses),
        pair=pair,
        pair_papers=listed,
        flagged_groups=flagged_groups(papers),
        groups=by_group(facts, summary, context.venues),
    )
    write_report(data, out_dir / "report.html", f"affil report: {out_dir.resolve().name}")
    write_headline(data, out_dir / "headline.csv")
    return out_dir / "papers.csv", out_dir / "authors.csv"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
