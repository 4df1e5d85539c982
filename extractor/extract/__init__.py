"""Extract stage: a paper's first page -> title, authors, affiliations, e-mails."""

from __future__ import annotations

from pathlib import Path

from ..definitions import paper_id_of
from ..records import ExtractedAuthor, ExtractedPaper
from .evidence import affiliation_boxes, box_of
from .layout import analyze_page
from .lines import Line, page_lines
from .linking import link_authors
from .pdf import ExtractError, read_first_page

__all__ = ["ExtractError", "extract_paper", "paper_id_of"]


def block_text(lines: list[Line]) -> str:
    """The block as printed, one text row per output line, columns apart: 'Anna Keller    akeller@x'."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows and abs(rows[-1][0].y0 - line.y0) < 3:
            rows[-1].append(line)
        else:
            rows.append([line])
    return "\n".join("    ".join(ln.marked_text for ln in sorted(row, key=lambda ln: ln.x0)) for row in rows)


def extract_paper(path: Path, file: str, paper_id: str = "") -> ExtractedPaper:
    """Read the author block of one PDF; unusable files come back with an error status."""
    paper_id = paper_id or paper_id_of(path)
    try:
        page = read_first_page(path)
    except ExtractError as exc:
        return ExtractedPaper(file=file, paper_id=paper_id, status=exc.status, error=str(exc))
    lines = page_lines(page.text)
    layout = analyze_page(lines, page.height)
    block = link_authors(layout.block, layout.footnotes)
    authors = [
        ExtractedAuthor(
            name=a.name,
            markers=a.markers,
            emails=a.emails,
            affiliations=a.affiliations,
            time_of_work=a.time_of_work,
            moved_to=a.moved_to,
        )
        for a in block.authors
    ]
    evidence = layout.block + layout.footnotes
    for author in authors:  # where each affiliation was printed (evidence for authors.csv)
        author.affiliation_boxes = affiliation_boxes(author, evidence)
    return ExtractedPaper(
        file=file,
        paper_id=paper_id,
        title=" ".join(ln.text for ln in layout.title),
        authors=authors,
        affiliations=block.affiliations,
        emails=block.emails,
        linking=block.linking,
        flags=block.flags,
        block_text=block_text(layout.block + layout.footnotes),
        block_bbox=box_of(layout.block),
        block_lines=[(ln.text, box_of([ln])) for ln in evidence if ln.text],
    )
