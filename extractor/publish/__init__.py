"""Publish stage: per-paper and per-author tables (CSV + Parquet), institution and country counts,
and a self-contained report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..normalize.registry import Registry, default_registry
from ..records import NormalizedPaper
from .counting import count, countries_table, institutions_table
from .report import ReportData, write_report
from .tables import AUTHORS_COLUMNS, PAPERS_COLUMNS, author_rows, paper_row, write_atomically, write_tables

__all__ = ["AUTHORS_COLUMNS", "PAPERS_COLUMNS", "author_rows", "paper_row", "publish"]


def publish(
    papers: Iterable[NormalizedPaper], out_dir: Path, registry: Registry | None = None, spreadsheet: bool = False
) -> tuple[Path, Path]:
    """Write every output into ``out_dir``; returns (papers.csv, authors.csv). ``spreadsheet``: CSV cells
    that a spreadsheet would run as formulas start with ``'`` (``--spreadsheet-safe``)."""
    _summary, authors = write_tables(papers, out_dir, spreadsheet)
    counts = count(authors, registry or default_registry())
    countries, institutions = countries_table(counts), institutions_table(counts)
    write_atomically(countries, out_dir / "countries.csv", spreadsheet)
    write_atomically(institutions, out_dir / "institutions.csv", spreadsheet)
    from ..review.groups import REVIEW_FLAGS  # review imports publish: import here, not at the top

    flagged = authors["flags"].str.split(";").apply(lambda flags: bool(REVIEW_FLAGS & set(flags)))
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
