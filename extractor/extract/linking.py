"""Link authors to affiliations: by link markers, else by position on the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .classify import (
    ANONYMOUS,
    SUBUNIT_START,
    is_address,
    is_email_line,
    is_noise,
    is_top_level,
    names_institution,
)
from .emails import find_emails
from .lines import Line, split_markers
from .names import NamedAuthor, is_name_line, parse_name_line

_AND_SPLIT = re.compile(r"\s+(?:and|&)\s+|\s*;\s*")


@dataclass(slots=True)
class LinkedAuthor:
    name: str
    markers: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AuthorBlock:
    authors: list[LinkedAuthor]
    affiliations: list[str]
    emails: list[str]
    linking: str
    flags: list[str]


def classify(line: Line) -> str:
    text = line.text
    if is_email_line(line) and not names_institution(re.sub(r"\S+@\S+", "", text)):
        return "email"
    if is_noise(text):
        return "noise"
    if is_address(text):
        return "affil"
    if is_name_line(line):
        return "name"
    if names_institution(text) or line.leading_marker:
        return "affil"
    return "other"


def link_authors(block: list[Line], footnotes: list[Line]) -> AuthorBlock:
    text = " ".join(ln.text for ln in block)
    emails = find_emails(" ".join(ln.full_text for ln in block + footnotes))
    if ANONYMOUS.search(text) and not any(names_institution(ln.text) for ln in block if not ANONYMOUS.search(ln.text)):
        return AuthorBlock([], [], emails, "anonymous", ["anonymous_submission"])
    kinds = [(line, classify(line)) for line in block]
    name_lines = [ln for ln, kind in kinds if kind == "name"]
    affil_lines = [ln for ln, kind in kinds if kind == "affil"]
    if not name_lines:
        return AuthorBlock([], [], emails, "none", ["no_authors_found"])
    marker_map = _marker_affiliations(affil_lines + footnotes)
    authors = [(ln, a) for ln in name_lines for a in parse_name_line(ln)]
    if marker_map and any(set(a.markers) & marker_map.keys() for _ln, a in authors):
        linked = [_by_markers(a, marker_map) for _ln, a in authors]
        affiliations = list(dict.fromkeys(a for entry in marker_map.values() for a in entry))
        return AuthorBlock(linked, affiliations, emails, "markers", [])
    owned = _owned_lines(name_lines, [ln for ln, kind in kinds if kind in ("affil", "email")])
    linked = []
    for line in name_lines:
        affiliations = merge_affiliation_lines([ln for ln in owned[id(line)] if not is_email_line(ln)])
        line_emails = find_emails(" ".join(ln.full_text for ln in owned[id(line)]))
        names = parse_name_line(line)
        for i, author in enumerate(names):
            mine = [line_emails[i]] if len(line_emails) == len(names) else ([] if len(names) > 1 else line_emails)
            linked.append(LinkedAuthor(author.name, author.markers, mine, list(affiliations)))
    flags = [] if any(a.affiliations for a in linked) else ["no_affiliations_found"]
    all_affiliations = list(dict.fromkeys(a for author in linked for a in author.affiliations))
    return AuthorBlock(linked, all_affiliations, emails, "layout", flags)


def _by_markers(author: NamedAuthor, marker_map: dict[str, list[str]]) -> LinkedAuthor:
    affiliations = [a for m in author.markers for a in marker_map.get(m, [])]
    return LinkedAuthor(author.name, author.markers, [], list(dict.fromkeys(affiliations)))


def _marker_affiliations(lines: list[Line]) -> dict[str, list[str]]:
    """marker -> affiliation texts, from lines like '1 Google Research 2 MIT'."""
    entries: list[list[str]] = []  # [marker, text]
    for line in lines:
        leading = line.leading_marker
        for position, piece in enumerate(line.pieces):
            markers = split_markers(piece.text) if piece.is_marker else []
            if markers:
                entries.append([markers[0], ""])
                continue
            text = piece.text
            if position == 0 and leading and not piece.is_marker and text.lstrip().startswith(leading):
                entries.append([leading, ""])
                text = text.lstrip()[len(leading) :]
            if entries:
                entries[-1][1] += text
        if entries:
            entries[-1][1] += " "  # a wrapped entry continues on the next line
    result: dict[str, list[str]] = {}
    for marker, text in entries:
        text = re.split(r"(?i)\b(correspondence to|corresponding author|equal contribution)", text)[0]
        text = re.sub(r"\s+", " ", text).strip(" .,;")
        if text and names_institution(text) and not is_noise(text):
            result.setdefault(marker, []).append(text)
    return result


def _owned_lines(name_lines: list[Line], others: list[Line]) -> dict[int, list[Line]]:
    """Assign each affiliation/e-mail line to the name line it sits under."""
    owned: dict[int, list[Line]] = {id(ln): [] for ln in name_lines}
    for line in others:
        owner = _owner(name_lines, line)
        if owner is not None:
            owned[id(owner)].append(line)
    # Names wrapping over several lines above one shared block share that block.
    for upper, lower in zip(name_lines, name_lines[1:]):
        if not owned[id(upper)] and _overlap(upper, lower) and 0 <= lower.y0 - upper.y1 < 2 * upper.size:
            owned[id(upper)] = owned[id(lower)]
    return owned


def _owner(name_lines: list[Line], line: Line) -> Line | None:
    above = [n for n in name_lines if n.y0 <= line.y0 + 2]
    if not above:
        return None
    overlapping = [n for n in above if _overlap(n, line)]
    if overlapping:
        return max(overlapping, key=lambda n: (n.y0, -abs(n.center - line.center)))
    same_row = [n for n in above if abs(n.y0 - line.y0) < 3 and n.x1 <= line.x0]
    if same_row:
        return max(same_row, key=lambda n: n.x1)
    return min(above, key=lambda n: (line.y0 - n.y0) + abs(n.center - line.center))


def _overlap(a: Line, b: Line) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 2


def merge_affiliation_lines(lines: list[Line]) -> list[str]:
    """Join an author's affiliation lines into one string per institution."""
    groups: list[list[str]] = []
    for line in lines:
        for part in _split_institutions(line.text):
            starts_new = groups and (
                (is_top_level(part) and any(is_top_level(p) for p in groups[-1]))
                or (SUBUNIT_START.match(part) and any(is_top_level(p) for p in groups[-1]))
            )
            if not groups or starts_new:
                groups.append([part])
            else:
                groups[-1].append(part)
    return [", ".join(g) for g in groups if any(names_institution(p) or is_address(p) for p in g)]


def _split_institutions(text: str) -> list[str]:
    """'Univ. A and B University' -> two parts, when both halves name an institution."""
    parts = [p.strip(" ,") for p in _AND_SPLIT.split(text) if p.strip(" ,")]
    if len(parts) > 1 and all(is_top_level(p) for p in parts):
        return parts
    return [text.strip(" ,")]
