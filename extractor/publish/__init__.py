"""Publish stage: per-paper and per-author tables (CSV + Parquet), institution and country counts,
and a self-contained report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..decisions import apply_decisions
from ..flags import COUNTED_AS_FLAGGED
from ..records import NormalizedPaper
from ..registry.organizations import Registry, default_registry
from ..store import RunStore
from .counting import count, countries_table, institutions_table
from .duplicates import mark_duplicate_titles
from .report import ReportData, write_report
from .tables import AUTHORS_COLUMNS, PAPERS_COLUMNS, author_rows, paper_row, write_atomically, write_tables

__all__ = ["AUTHORS_COLUMNS", "PAPERS_COLUMNS", "author_rows", "paper_row", "publish", "publish_run"]


def publish_run(store: RunStore, out_dir: Path, spreadsheet: bool = False) -> tuple[Path, Path]:
    """The one publish path (`affil run`, `affil publish`, and review after its decisions): every
    paper in the run store, with the review decisions applied over the machine's answers.
    ``spreadsheet``: formula-like CSV cells start with ``'`` (``--spreadsheet-safe``)."""
    papers = mark_duplicate_titles(apply_decisions(store.normalized(), store.decisions()))
    return publish(papers, out_dir, spreadsheet=spreadsheet)


def publish(
    papers: Iterable[NormalizedPaper], out_dir: Path, registry: Registry | None = None, spreadsheet: bool = False
) -> tuple[Path, Path]:
    """Write every output into ``out_dir``; returns (papers.csv, authors.csv). ``spreadsheet``: CSV cells
    that a spreadsheet would run as formulas start with ``'`` (``--spreadsheet-safe``)."""
    summary, authors = write_tables(papers, out_dir, spreadsheet)
    # A paper printed twice (same bytes or same title) counts once: its repeats are left out.
    repeats = set(summary.loc[summary["duplicate_of"] != "", "file"])
    counts = count(authors[~authors["file"].isin(repeats)], registry or default_registry())
    countries, institutions = countries_table(counts), institutions_table(counts)
    write_atomically(countries, out_dir / "countries.csv", spreadsheet)
    write_atomically(institutions, out_dir / "institutions.csv", spreadsheet)
    flagged = authors["flags"].str.split(";").apply(lambda flags: bool(COUNTED_AS_FLAGGED & set(flags)))
    validation = out_dir / "validation" / "shares.csv"
    data = ReportData(
        counts=counts,
        countries=countries,
        institutions=institutions,
        flagged_rows=int((flagged & (authors["source"] != "review")).sum()),
        reviewed_rows=int((authors["source"] == "review").sum()),
        validation=pd.read_csv(validation) if validation.is_file() else None,
    )
    write_report(data, out_dir / "report.html", f"affil report: {out_dir.resolve().name}")
    return out_dir / "papers.csv", out_dir / "authors.csv"
