"""Evidence behind every row: where its affiliation was printed (page, box) and a crop of the
author block with each affiliation line boxed and labeled (PyMuPDF renders it)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..records import ExtractedPaper

PAGE = 1  # affil reads the first page only
CROP_DIR = "crops"
_COLOURS = ((0.85, 0.1, 0.1), (0.1, 0.35, 0.85), (0.1, 0.6, 0.2), (0.75, 0.4, 0.0), (0.55, 0.1, 0.65))


@dataclass(slots=True)
class PaperEvidence:
    """One paper's printed evidence, from its stored extraction."""

    by_author: dict[tuple[int, str], list[float]] = field(default_factory=dict)  # (author index, raw) -> box
    by_text: dict[str, list[float]] = field(default_factory=dict)  # raw -> box (any author)
    block_bbox: list[float] = field(default_factory=list)
    block_text: str = ""
    lines: list[tuple[str, list[float]]] = field(default_factory=list)

    def box(self, author_index: int, raw: str) -> list[float]:
        """The box of the printed line(s) a row came from; [] for rows from e-mail or the listing."""
        if not raw:
            return []
        return self.by_author.get((author_index, raw)) or self.by_text.get(raw) or []

    def labeled_boxes(self) -> list[tuple[str, list[float]]]:
        """(label, box) of each distinct affiliation box, labeled by the authors it belongs to
        ("1,3: Tsinghua University")."""
        owners: dict[tuple[float, ...], list[int]] = {}
        for (author_index, _raw), box in self.by_author.items():
            if box:
                owners.setdefault(tuple(box), [])
                if author_index not in owners[tuple(box)]:
                    owners[tuple(box)].append(author_index)
        return [(",".join(map(str, sorted(who))), list(box)) for box, who in owners.items()]


def evidence_of(paper: ExtractedPaper) -> PaperEvidence:
    evidence = PaperEvidence(block_bbox=list(paper.block_bbox), block_text=paper.block_text, lines=paper.block_lines)
    for author_index, author in enumerate(paper.authors, start=1):
        for raw, box in zip(author.affiliations, author.affiliation_boxes, strict=False):
            if box:
                evidence.by_author[(author_index, raw)] = box
                evidence.by_text.setdefault(raw, box)
    return evidence


def format_box(box: list[float]) -> str:
    """'x0,y0,x1,y1' in PDF points, '' when unknown."""
    return ",".join(f"{v:g}" for v in box) if box else ""


def locate_pdf(file: str, pdf_dirs: Iterable[str], out_dir: Path | None = None) -> Path | None:
    """Where a paper's PDF is now: under a PDF folder of the run (newest first), else OUT_DIR/pdfs."""
    folders = [Path(d) for d in pdf_dirs] + ([out_dir / "pdfs"] if out_dir else [])
    return next(((f / file) for f in folders if (f / file).is_file()), None)


def render_crop(pdf: Path, evidence: PaperEvidence, out: Path, zoom: float = 1.0, gray: bool = False) -> Path | None:
    """A PNG of the author block with each affiliation line boxed and labeled with the authors it
    belongs to; affiliation footnotes far from the block come as a second strip under it. None when
    the PDF cannot be read or nothing was located."""
    import pymupdf

    boxes = evidence.labeled_boxes()
    regions = _regions(evidence.block_bbox, [b for _l, b in boxes])
    if not regions:
        return None
    try:
        src = pymupdf.open(pdf)
    except Exception:
        return None
    with src:
        if src.page_count == 0:
            return None
        page = src[0]
        for n, (label, box) in enumerate(boxes):
            colour = _COLOURS[n % len(_COLOURS)]
            rect = pymupdf.Rect(box[0] - 1.5, box[1] - 1.5, box[2] + 1.5, box[3] + 1.5)
            page.draw_rect(rect, color=colour, width=0.9)
            page.insert_text((rect.x1 + 2, rect.y0 + 6), label, fontsize=6.5, color=colour)
        drawn = pymupdf.open("pdf", src.tobytes())
    with drawn:
        width = max(r.width for r in regions)
        height = sum(r.height for r in regions) + 4 * (len(regions) - 1)
        sheet = pymupdf.open()
        target = sheet.new_page(width=width, height=height)
        y = 0.0
        for region in regions:
            target.show_pdf_page(pymupdf.Rect(0, y, region.width, y + region.height), drawn, 0, clip=region)
            y += region.height + 4
            if y < height:
                target.draw_line((0, y - 2), (width, y - 2), color=(0.6, 0.6, 0.6), width=0.5, dashes="[2] 0")
        space = pymupdf.csGRAY if gray else pymupdf.csRGB
        pix = target.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=space)
        sheet.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    pix.save(str(tmp), output="png")
    tmp.replace(out)
    return out


def _regions(block: list[float], boxes: list[list[float]]) -> list:
    """The block (grown to the boxes near it) and one strip for the boxes far from it (footnotes)."""
    import pymupdf

    margin = 6.0
    near: list[list[float]] = [block] if block else []
    far: list[list[float]] = []
    for box in boxes:
        (near if not block or box[1] < block[3] + 60 else far).append(box)
    regions = []
    if block and block[3] - block[1] > 260 and boxes:  # a block read too far down: keep its top to the boxes
        bottom = max([b[3] for b in near[1:]], default=block[1] + 260)
        near[0] = [block[0], block[1], block[2], min(block[3], max(bottom, block[1] + 40))]
    for group in (near, far):
        if group:
            x0, y0 = min(b[0] for b in group) - margin, min(b[1] for b in group) - margin
            x1, y1 = max(b[2] for b in group) + margin + 30, max(b[3] for b in group) + margin
            regions.append(pymupdf.Rect(x0, y0, x1, y1))
    return regions


def cached_crop(pdf: Path | None, paper_id: str, evidence: PaperEvidence, out_dir: Path) -> Path | None:
    """OUT_DIR/crops/<paper_id>.png, rendered once (a paper id is its file's hash)."""
    path = out_dir / CROP_DIR / f"{paper_id}.png"
    if path.is_file():
        return path
    if pdf is None:
        return None
    return render_crop(pdf, evidence, path, zoom=0.9, gray=True)


def data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")
