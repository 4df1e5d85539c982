"""Link authors to affiliations: by link markers, else by position on the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from ..flags import Flag
from ..registry.emails import find_emails, strip_emails
from ..registry.vocab import ANONYMOUS, SUBUNIT_START
from .classify import (
    is_address,
    is_email_line,
    is_noise,
    is_top_level,
    names_institution,
)
from .lines import Line, fix_accents, split_markers
from .names import NamedAuthor, is_name_line, parse_name_line

_AFFILIATION_PREFIX = re.compile(
    r"(?i)^(?:also (?:with|at)|(?:now|currently|presently) (?:with|at)|affiliated with)\s+"
)
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
    flags: list[Flag]


def classify(line: Line) -> str:
    text = line.text
    if is_email_line(line) and not names_institution(re.sub(r"\S+@\S+", "", text)):
        return "email"
    if is_noise(text):
        return "noise"
    if is_address(text) and not _surname_like_country(line):
        return "affil"
    if is_name_line(line):
        return "name"
    if names_institution(text) or line.leading_marker or text[:1].islower():
        return "affil"
    return "other"


# Countries that are also common surnames: "Michael I. Jordan" is a person, not an address.
_SURNAME_COUNTRIES = frozenset(["jordan", "chad", "israel", "france", "georgia", "england", "wales", "china"])


def _surname_like_country(line: Line) -> bool:
    text = line.text.rstrip(" ,")
    words = text.split()
    return len(words) >= 2 and "," not in text and words[-1].lower() in _SURNAME_COUNTRIES and is_name_line(line)


def split_inline_affiliation(line: Line) -> list[Line]:
    """'**Jeffrey Regier,** University of California, Berkeley' -> a name line and an affiliation
    line beside it, so the row reads like the usual name-then-affiliation layout."""
    head = 0
    while head < len(line.pieces) and (line.pieces[head].bold or line.pieces[head].is_marker):
        head += 1
    if head == 0 or head == len(line.pieces) or any(p.bold for p in line.pieces[head:] if p.text.strip()):
        return [line]
    name_pieces, rest_pieces = line.pieces[:head], line.pieces[head:]
    name = Line(line.x0, line.y0, name_pieces[-1].x1, line.y1, line.size, True, name_pieces)
    rest = Line(name_pieces[-1].x1 + 1, line.y0, line.x1, line.y1, line.size, False, rest_pieces)
    if not name.text.endswith(",") or not is_name_line(name) or not names_institution(rest.text):
        return [line]
    return [name, rest]


def link_authors(block: list[Line], footnotes: list[Line]) -> AuthorBlock:
    block = [part for line in block for part in split_inline_affiliation(line)]
    text = " ".join(ln.text for ln in block)
    emails = find_emails(" ".join(ln.full_text for ln in block + footnotes))
    if ANONYMOUS.search(text) and not any(names_institution(ln.text) for ln in block if not ANONYMOUS.search(ln.text)):
        return AuthorBlock([], [], emails, "anonymous", [Flag.ANONYMOUS_SUBMISSION])
    kinds = _consistent_names([(line, classify(line)) for line in block])
    name_lines = [ln for ln, kind in kinds if kind == "name"]
    affil_lines = [ln for ln, kind in kinds if kind == "affil"]
    if not name_lines:
        return AuthorBlock([], [], emails, "none", [Flag.NO_AUTHORS_FOUND])
    marker_map = _marker_affiliations(affil_lines + footnotes)
    authors = [(ln, a) for ln in name_lines for a in parse_name_line(ln)]
    marked = sum(bool(set(a.markers) & marker_map.keys()) for _ln, a in authors)
    # Unmarked affiliation lines under the names mean the layout links them; footnote markers
    # then only add extras ("†Also with ...").
    block_marked = not affil_lines or _marker_affiliations(affil_lines)
    if marker_map and block_marked and marked * 2 >= len(authors):
        linked = [_by_markers(a, marker_map) for _ln, a in authors]
        affiliations = list(dict.fromkeys(a for entry in marker_map.values() for a in entry))
        return AuthorBlock(linked, affiliations, emails, "markers", [])
    email_ids = {id(ln) for ln, kind in kinds if kind == "email"}
    owned = _owned_lines(name_lines, [ln for ln, kind in kinds if kind in ("affil", "email")], email_ids)
    linked = []
    for line in name_lines:
        affiliations = merge_affiliation_lines([ln for ln in owned[id(line)] if id(ln) not in email_ids])
        line_emails = find_emails(" ".join(ln.full_text for ln in owned[id(line)]))
        names = parse_name_line(line)
        for i, named in enumerate(names):
            mine = [line_emails[i]] if len(line_emails) == len(names) else ([] if len(names) > 1 else line_emails)
            linked.append(LinkedAuthor(named.name, named.markers, mine, list(affiliations)))
    flags = [] if any(a.affiliations for a in linked) else [Flag.NO_AFFILIATIONS_FOUND]
    _share_single_block(linked, flags)
    for linked_author in linked:  # footnotes such as "1Currently at Google" add to the printed block
        extra = [a for m in linked_author.markers for a in marker_map.get(m, []) if a not in linked_author.affiliations]
        linked_author.affiliations.extend(dict.fromkeys(extra))
    all_affiliations = list(dict.fromkeys(a for author in linked for a in author.affiliations))
    return AuthorBlock(linked, all_affiliations, emails, "layout", flags)


def _share_single_block(linked: list[LinkedAuthor], flags: list[Flag]) -> None:
    """One affiliation printed once under a grid of names belongs to every name."""
    distinct = {a for author in linked for a in author.affiliations}
    if len(distinct) == 1 and any(not author.affiliations for author in linked):
        for author in linked:
            author.affiliations = list(distinct)
        flags.append(Flag.SHARED_AFFILIATION_BLOCK)


def _consistent_names(kinds: list[tuple[Line, str]]) -> list[tuple[Line, str]]:
    """Author names share one typeface: a 'name' in another style is part of an affiliation."""
    names = [ln for ln, kind in kinds if kind == "name"]
    if not names:
        return kinds
    style = (names[0].bold, names[0].size)
    return [(ln, "affil" if kind == "name" and (ln.bold, ln.size) != style else kind) for ln, kind in kinds]


def _by_markers(author: NamedAuthor, marker_map: dict[str, list[str]]) -> LinkedAuthor:
    affiliations = [a for m in author.markers for a in marker_map.get(m, [])]
    return LinkedAuthor(author.name, author.markers, [], list(dict.fromkeys(affiliations)))


def _marker_affiliations(lines: list[Line]) -> dict[str, list[str]]:
    """marker -> affiliation texts, from lines like '1 Google Research 2 MIT'."""
    entries: list[list[str]] = []  # [marker, text]
    for line in lines:
        trailing = line.trailing_marker
        if trailing and sum(p.is_marker for p in line.pieces) == 1:  # "Microsoft Research ⇧"
            entries.append([trailing, line.text])
            continue
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
        text = re.split(r"(?i)\b(correspondence to|corresponding author|equal contribution|e-?mail)", text)[0]
        text = fix_accents(re.sub(r"\s+", " ", text).strip(" .,;"))
        text = _AFFILIATION_PREFIX.sub("", text)
        if text and names_institution(text) and not is_noise(text):
            result.setdefault(marker, []).append(text)
    return result


def _owned_lines(name_lines: list[Line], others: list[Line], email_ids: set[int]) -> dict[int, list[Line]]:
    """Assign each affiliation/e-mail line to the name line(s) it sits under or beside."""
    owned: dict[int, list[Line]] = {id(ln): [] for ln in name_lines}
    owners_of: dict[int, list[Line]] = {}
    for line in others:
        beside = _name_beside(name_lines, line)
        above = None if beside else _line_above(others, line)
        owners = [beside] if beside else owners_of[id(above)] if above is not None else _owners(name_lines, line)
        owners_of[id(line)] = owners
        for owner in owners:
            owned[id(owner)].append(line)
    # Names stacked over one shared block share that block (JMLR style: "name  e-mail" rows,
    # then the affiliation of the whole group); bottom-up so a longer stack inherits too.
    for upper, lower in reversed(list(pairwise(name_lines))):
        if not any(id(ln) not in email_ids for ln in owned[id(upper)]) and _stacked(upper, lower, others):
            owned[id(upper)] = owned[id(upper)] + [ln for ln in owned[id(lower)] if id(ln) not in email_ids]
    return owned


def _name_beside(name_lines: list[Line], line: Line) -> Line | None:
    """A name on the same row, left of the line: 'Chris Piech      PIECH@CS.STANFORD.EDU'."""
    row = [n for n in name_lines if abs(n.y0 - line.y0) < 3 and n.x1 <= line.x0 + 1]
    return max(row, key=lambda n: n.x1) if row else None


def _stacked(upper: Line, lower: Line, others: list[Line]) -> bool:
    """``lower`` is the next name right under ``upper`` with no affiliation line between them."""
    if not _overlap(upper, lower) or not -0.4 * upper.size <= lower.y0 - upper.y1 < 2 * upper.size:
        return False
    return not any(upper.y1 <= ln.y0 < lower.y0 - 1 and _overlap(ln, upper) for ln in others)


def _line_above(lines: list[Line], line: Line) -> Line | None:
    """The block line this one continues: right above it, overlapping, with no name between."""
    candidates = [
        other
        for other in lines
        if other is not line and 0 <= line.y0 - other.y1 < 0.8 * line.size and _overlap(other, line)
    ]
    return max(candidates, key=lambda other: other.y1) if candidates else None


def _owners(name_lines: list[Line], line: Line) -> list[Line]:
    """A line centred under several names of one row belongs to the whole row."""
    above = [n for n in name_lines if n.y0 <= line.y0 + 2]
    if not above:
        return []
    row_y = max(n.y0 for n in above)
    row = [n for n in above if row_y - n.y0 < 4]
    spanned = [n for n in row if _overlap(n, line, fraction=0.3)]
    if len(spanned) >= 2 and not (abs(line.y0 - row_y) < 3):
        return row
    owner = _owner(name_lines, line)
    return [owner] if owner is not None else []


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


def _overlap(a: Line, b: Line, fraction: float = 0.0) -> bool:
    """Horizontal overlap of more than 2 pt, and of ``fraction`` of the narrower line."""
    shared = min(a.x1, b.x1) - max(a.x0, b.x0)
    return shared > 2 and shared >= fraction * min(a.x1 - a.x0, b.x1 - b.x0)


def merge_affiliation_lines(lines: list[Line]) -> list[str]:
    """Join an author's affiliation lines into one string per institution."""
    groups: list[list[str]] = []
    for line in lines:
        text = strip_emails(line.text).strip(" ,;")
        if not text:
            continue
        if groups and text[0].islower():  # "Graz University" / "of Technology"
            groups[-1][-1] = f"{groups[-1][-1]} {text}"
            continue
        for part in _split_institutions(text):
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
