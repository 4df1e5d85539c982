"""Where things are on a first page: the title, the author block, the footnotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .classify import is_noise, names_institution
from .footnotes import is_semantic_note
from .lines import Line

_HEADER = re.compile(
    r"^(arxiv:|proceedings|published as|under review|journal of|jmlr|preprint|accepted|appearing in|"
    r"workshop|copyright|vol\.|volume|\d+(st|nd|rd|th) conference|in proceedings|to appear)",
    re.I,
)
_ABSTRACT = re.compile(r"^\s*(a\s?bstract|summary)\b", re.I)
_NUMBERED_HEADING = re.compile(r"^\s*(\d|I|II)\.?\s+[A-Z][a-z]+(\s+[A-Za-z]+){0,3}\s*$")
_SECTION = re.compile(r"^\s*(1\.?\s+)?(introduction|overview|background|motivation|keywords|index terms)\b", re.I)


@dataclass(slots=True)
class PageLayout:
    title: list[Line]
    block: list[Line]
    footnotes: list[Line]


def find_title(lines: list[Line], height: float) -> list[Line]:
    """The largest-type lines near the top, contiguous."""
    top = [ln for ln in lines if ln.y0 < 0.5 * height and not _HEADER.match(ln.text) and len(ln.text) > 3]
    if not top:
        return []
    biggest = max(ln.size for ln in top)
    title: list[Line] = []
    small_sizes: set[float] = set()
    for line in top:
        # Small capitals print a title's lower-case letters smaller ("MENTION MEMORY: ... EN-" beside
        # "KNOWLEDGE", then "TITY MENTION ATTENTION"): an upper-case line on a title row, or in the
        # small-capital size already seen on one; an all-caps author line below is no title.
        small_caps = bool(title) and line.text.isupper() and line.size >= 0.7 * biggest
        if small_caps and line.size < biggest - 0.6:
            on_row = any(abs(line.y0 - t.y0) < 0.5 * biggest for t in title if t.size >= biggest - 0.6)
            small_caps = on_row or line.size in small_sizes
            if on_row:
                small_sizes.add(line.size)
        if line.size >= biggest - 0.6 or small_caps:
            if title and line.y0 - title[-1].y1 > 2.5 * biggest:
                break
            title.append(line)
        elif title:
            break
    return title


def find_block(lines: list[Line], title: list[Line], height: float) -> list[Line]:
    """Lines between the title and the abstract (or the first section)."""
    start = max((ln.y1 for ln in title), default=0.0)
    after = [ln for ln in lines if ln.y0 >= start - 1 and ln not in title]
    # The heading's row ends the block even where the other column's first line sorts before it.
    end = min((ln.y0 for ln in after if _is_heading(ln)), default=height)
    block: list[Line] = []
    for line in after:
        if _is_heading(line) or line.y0 >= end - 2:
            break
        if line.y0 > start + 0.4 * height:
            break
        if _looks_like_body(line):
            break
        block.append(line)
    return block


def _is_heading(line: Line) -> bool:
    text = line.text
    return bool(_ABSTRACT.match(text) or _SECTION.match(text) or _NUMBERED_HEADING.match(text))


def _looks_like_body(line: Line) -> bool:
    """A long line of running text. A long author list is long too ("Shunyu Yao1, Jeffrey Zhao2, ...,
    Yuan Cao2" has 14 words), but its words are capitalized names, where prose is mostly lower case."""
    words = line.text.split()
    if len(words) < 14 or names_institution(line.text) or "@" in line.text:
        return False
    alphabetic = [w for w in words if w[:1].isalpha()]
    lower = sum(w[:1].islower() for w in alphabetic)
    return lower >= 0.3 * max(len(alphabetic), 1)


def find_footnotes(lines: list[Line], height: float, block: list[Line]) -> list[Line]:
    """Author footnotes at the page bottom: affiliations ("1Google Research, ... 2MIT") and notes
    on where a work was done or where an author moved ("∗Work done while at X", "†Now at Y")."""
    bottom = [ln for ln in lines if ln.y0 > 0.62 * height and ln not in block]
    notes: list[Line] = []
    active = False
    column_x = 0.0
    for line in bottom:
        opens = _opens_note(line)
        if opens:
            same_row = active and bool(notes) and abs(notes[-1].y0 - line.y0) < 3
            column_x = min(column_x, line.x0) if same_row else line.x0  # "1 Lab" "2 University" on one row
            active = True
        elif active and not column_x - 100 <= line.x0 <= column_x + 12:
            continue  # body text of the other column (continuations may start left of an indent)
        elif active and (line.leading_marker or _HEADER.match(line.text) or is_noise(line.text[:15])):
            active = _opens_note(line)
        if active:
            notes.append(line)
    return notes


def _opens_note(line: Line) -> bool:
    return bool(line.leading_marker) and (names_institution(line.text) or is_semantic_note(line.text))


def analyze_page(lines: list[Line], height: float) -> PageLayout:
    title = find_title(lines, height)
    block = find_block(lines, title, height)
    return PageLayout(title, block, find_footnotes(lines, height, block))
