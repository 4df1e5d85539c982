"""Where each affiliation was printed: the boxes of the page lines an affiliation string came from.

This works on the linker's output (strings) and the page's lines, so it does not depend on how
the linker decided: every line whose text is part of the string (or holds the string, as a
footnote line "1 Google Research 2 MIT" holds "Google Research") is evidence for it. When the same
text is printed more than once, the copy nearest the author's name wins.
"""

from __future__ import annotations

import re

from ..records import ExtractedAuthor
from ..registry.emails import strip_emails
from .lines import Line

Box = list[float]
_NON_WORD = re.compile(r"[\W_]+")


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def box_of(lines: list[Line]) -> Box:
    """The union of the lines' boxes, rounded to 0.1 pt; [] for no line."""
    if not lines:
        return []
    return [
        round(min(ln.x0 for ln in lines), 1),
        round(min(ln.y0 for ln in lines), 1),
        round(max(ln.x1 for ln in lines), 1),
        round(max(ln.y1 for ln in lines), 1),
    ]


def _distance(a: Line, b: Line | None) -> float:
    if b is None:
        return a.y0
    return abs(a.y0 - b.y0) + abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) * 0.5


def affiliation_boxes(author: ExtractedAuthor, lines: list[Line]) -> list[Box]:
    """One box per affiliation of ``author`` (parallel to ``author.affiliations``)."""
    texts = [(line, _norm(strip_emails(line.text))) for line in lines]
    name = _norm(author.name)
    name_line = next((ln for ln, t in texts if name and name in t), None)
    boxes = []
    for affiliation in author.affiliations:
        wanted = _norm(affiliation)
        found: dict[str, Line] = {}  # one line per distinct text: the copy nearest the name
        for line, text in texts:
            if len(text) < 2 or not wanted:
                continue
            whole = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", wanted) or (len(wanted) >= 4 and wanted in text)
            # a word hyphenated at a line end ("Impe-" / "rial College London"): compare without spaces
            broken = len(squashed := text.replace(" ", "")) >= 8 and squashed in wanted.replace(" ", "")
            if whole or broken:
                best = found.get(text)
                if best is None or _distance(line, name_line) < _distance(best, name_line):
                    found[text] = line
        boxes.append(box_of(list(found.values())))
    return boxes
