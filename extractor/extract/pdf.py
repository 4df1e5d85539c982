"""Open a PDF safely and read its first page as PyMuPDF's text dictionary.

Every way a file can be unusable becomes an ``ExtractError`` carrying a
``PaperStatus`` so the run can record it and move on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

from ..records import PaperStatus

pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's own stderr chatter would drown the progress bar


class ExtractError(Exception):
    """A file that cannot be read; ``status`` says why."""

    def __init__(self, status: PaperStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class FirstPage:
    width: float
    height: float
    text: dict


def read_first_page(path: Path) -> FirstPage:
    """The first page's text dictionary, or an ``ExtractError``."""
    data = path.read_bytes()
    if not data.strip():
        raise ExtractError(PaperStatus.EMPTY, "file is empty")
    if b"%PDF" not in data[:1024]:
        raise ExtractError(PaperStatus.NOT_PDF, "no %PDF header: not a PDF file")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for damaged files
        raise ExtractError(PaperStatus.CORRUPT, f"cannot open PDF: {exc}") from exc
    with doc:
        if doc.needs_pass:
            raise ExtractError(PaperStatus.ENCRYPTED, "PDF is password-protected")
        if doc.page_count == 0:
            raise ExtractError(PaperStatus.EMPTY, "PDF has no pages")
        try:
            page = doc[0]
            text = page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)
        except Exception as exc:
            raise ExtractError(PaperStatus.CORRUPT, f"cannot read page 1: {exc}") from exc
        rect = page.rect
    if not any(
        span["text"].strip() for block in text["blocks"] for line in block.get("lines", []) for span in line["spans"]
    ):
        raise ExtractError(PaperStatus.NO_TEXT, "page 1 has no text layer (scanned image?)")
    return FirstPage(rect.width, rect.height, text)
