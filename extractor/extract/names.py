"""Split a line of author names into names with their link markers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .classify import looks_like_name
from .lines import Line, fix_accents, split_markers

_SEPARATORS = re.compile(r"\s*(?:,|;|\b(?:and|AND)\b|&|\s{3,})\s*")


# A space this wide (in ems) between names is a separator: templates set names a quad apart.
WIDE_SPACE = 0.45


@dataclass(slots=True)
class NamedAuthor:
    name: str
    markers: list[str] = field(default_factory=list)


def _named_parts(line: Line, markers_lead: bool = False) -> list[NamedAuthor]:
    """Split a line at separators and at markers ("Ahmed Touati1 Harsh Satija2" has no commas).
    A marker belongs to the name before it, or to the name after it when ``markers_lead``
    ("1,2∗Aref Jafari, 2Ahmad Rashid")."""
    authors: list[NamedAuthor] = []
    pending = ""
    leading: list[str] = []

    def flush() -> None:
        nonlocal pending, leading
        for part in _SEPARATORS.split(fix_accents(pending)):
            part = part.strip(" .,")
            if part:
                authors.append(NamedAuthor(part, leading))
                leading = []
        pending = ""

    previous_x1 = line.x0
    for piece in line.pieces:
        wide_gap = not piece.text.strip() and piece.x1 - previous_x1 >= WIDE_SPACE * line.size
        previous_x1 = piece.x1 or previous_x1
        if wide_gap:  # "Li Dong  Xingxing Zhang": names set apart by a quad, no comma, no marker
            flush()
            continue
        if piece.is_marker:
            flush()
            if markers_lead:
                leading = leading + split_markers(piece.text)
            elif authors:
                authors[-1].markers.extend(split_markers(piece.text))
        else:
            pending += piece.text
    flush()
    return authors


def markers_lead(lines: list[Line]) -> bool:
    """Markers printed before the names: the lines open with a marker and none ends with one."""

    def ends(line: Line, first: bool) -> bool:
        pieces = [p for p in line.pieces if p.text.strip(" ,")]
        return bool(pieces) and (pieces[0] if first else pieces[-1]).is_marker

    opening = [ln for ln in lines if ends(ln, True)]
    return bool(opening) and len(opening) * 2 > len(lines) and not any(ends(ln, False) for ln in lines)


def parse_name_line(line: Line, lead: bool = False) -> list[NamedAuthor]:
    """Names in reading order with their markers."""
    return [a for a in _named_parts(line, lead) if looks_like_name(a.name)]


def is_name_line(line: Line) -> bool:
    """Every separated part of the line reads as a personal name."""
    parts = _named_parts(line)
    if not parts or "@" in line.text:
        return False
    return all(looks_like_name(p.name) for p in parts)
