"""Split a line of author names into names with their link markers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .classify import looks_like_name
from .lines import Line, fix_accents, split_markers

_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|&|\s{3,})\s*")


@dataclass(slots=True)
class NamedAuthor:
    name: str
    markers: list[str] = field(default_factory=list)


def _named_parts(line: Line) -> list[NamedAuthor]:
    """Split a line at separators and at markers ("Ahmed Touati1 Harsh Satija2" has no commas)."""
    authors: list[NamedAuthor] = []
    pending = ""

    def flush() -> None:
        nonlocal pending
        for part in _SEPARATORS.split(fix_accents(pending)):
            part = part.strip(" .,")
            if part:
                authors.append(NamedAuthor(part))
        pending = ""

    for piece in line.pieces:
        if piece.is_marker:
            flush()
            if authors:
                authors[-1].markers.extend(split_markers(piece.text))
        else:
            pending += piece.text
    flush()
    return authors


def parse_name_line(line: Line) -> list[NamedAuthor]:
    """Names in reading order; a marker belongs to the name before it."""
    return [a for a in _named_parts(line) if looks_like_name(a.name)]


def is_name_line(line: Line) -> bool:
    """Every separated part of the line reads as a personal name."""
    parts = _named_parts(line)
    if not parts or "@" in line.text:
        return False
    return all(looks_like_name(p.name) for p in parts)
