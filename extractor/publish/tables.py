"""papers.csv (one row per paper) and authors.csv (one row per author-affiliation pair), also as
Parquet. Column names are a contract: extend, never rename."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..definitions import is_us_cn_collab
from ..records import NormalizedPaper
from .evidence import PAGE, PaperEvidence, format_box

AUTHORS_COLUMNS = [
    "file",
    "paper_id",
    "title",
    "author_index",
    "author",
    "affiliation_index",
    "raw_affiliation",
    "institution",
    "ror_id",
    "country",
    "source",
    "confidence",
    "flags",
    "unit",
    "unit_ror_id",
    "note",
    "page",  # evidence: the page the affiliation was printed on ('' for rows from e-mail or the listing)
    "bbox",  # and its printed line(s): 'x0,y0,x1,y1' in PDF points
]
PAPERS_COLUMNS = [
    "file",
    "paper_id",
    "title",
    "n_authors",
    "institutions",
    "countries",
    "us_cn_collab",
    "status",
    "flags",
    "duplicate_of",
]

# A CSV cell starting with one of these is a formula when the file is opened in a spreadsheet
# (=HYPERLINK(...), +1+2, -2+3, @SUM(...); tab and carriage return per OWASP's CSV-injection advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that a spreadsheet would read as a formula starts with ``'``
    (``=HYPERLINK("x")`` -> ``'=HYPERLINK("x")``); numbers and other cells are unchanged."""
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
            )
    return safe


def author_rows(paper: NormalizedPaper, evidence: PaperEvidence | None = None) -> list[dict]:
    """One row per author-affiliation pair; a paper without any gets one row with author_index 0.
    ``evidence``: where the paper's affiliations were printed (page and bbox columns)."""
    if not paper.rows:
        flags = sorted(set(paper.flags) | ({paper.status.value} if paper.status.value != "ok" else set()))
        return [
            {
                "file": paper.file,
                "paper_id": paper.paper_id,
                "title": paper.title,
                "author_index": 0,
                "author": "",
                "affiliation_index": 0,
                "raw_affiliation": "",
                "institution": "",
                "ror_id": "",
                "country": "",
                "source": "rules",
                "confidence": 0.0,
                "flags": ";".join(flags),
                "unit": "",
                "unit_ror_id": "",
                "note": "",
                "page": "",
                "bbox": "",
            }
        ]
    found = evidence or PaperEvidence()
    boxes = [found.box(row.author_index, row.match.affiliation) for row in paper.rows]
    return [
        {
            "file": paper.file,
            "paper_id": paper.paper_id,
            "title": paper.title,
            "author_index": row.author_index,
            "author": row.author,
            "affiliation_index": row.affiliation_index,
            "raw_affiliation": row.match.affiliation,
            "institution": row.match.institution,
            "ror_id": row.match.ror_id,
            "country": row.match.country,
            "source": row.source.value,
            "confidence": row.match.confidence,
            "flags": ";".join(row.all_flags),
            "unit": row.match.unit,
            "unit_ror_id": row.match.unit_ror_id,
            "note": row.note,
            "page": str(PAGE) if box else "",
            "bbox": format_box(box),
        }
        for row, box in zip(paper.rows, boxes, strict=True)
    ]


def paper_row(paper: NormalizedPaper) -> dict:
    countries = sorted({row.match.country for row in paper.rows if row.match.country})
    institutions = sorted({row.match.institution for row in paper.rows if row.match.institution})
    row_flags = {flag for row in paper.rows for flag in row.all_flags}
    return {
        "file": paper.file,
        "paper_id": paper.paper_id,
        "title": paper.title,
        "n_authors": paper.n_authors,
        "institutions": ";".join(institutions),
        "countries": ";".join(countries),
        "us_cn_collab": is_us_cn_collab(countries),
        "status": paper.status.value,
        "flags": ";".join(sorted(set(paper.flags) | row_flags)),
        "duplicate_of": paper.duplicate_of,
    }


def write_atomically(frame: pd.DataFrame, path: Path, spreadsheet: bool = False) -> None:
    """CSV or Parquet by suffix; a crash mid-write never leaves a half file where a whole one was.
    ``spreadsheet``: formula-like CSV cells get a leading ``'`` (Parquet is always written as printed)."""
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix == ".parquet":
        frame.to_parquet(tmp, index=False)
    else:
        (spreadsheet_safe(frame) if spreadsheet else frame).to_csv(tmp, index=False)
    os.replace(tmp, path)


def write_tables(
    papers: Iterable[NormalizedPaper],
    out_dir: Path,
    spreadsheet: bool = False,
    evidence: dict[str, PaperEvidence] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """papers.csv/.parquet and authors.csv/.parquet; returns the two frames (as printed).
    ``evidence``: by file, where each paper's affiliations were printed."""
    papers = list(papers)
    found = evidence or {}
    authors = pd.DataFrame([r for p in papers for r in author_rows(p, found.get(p.file))], columns=AUTHORS_COLUMNS)
    summary = pd.DataFrame([paper_row(p) for p in papers], columns=PAPERS_COLUMNS)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in (("papers", summary), ("authors", authors)):
        write_atomically(frame, out_dir / f"{name}.csv", spreadsheet)
        write_atomically(frame, out_dir / f"{name}.parquet")
    return summary, authors
