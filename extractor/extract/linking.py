"""Link authors to affiliations: by link markers, else by position on the page."""

from __future__ import annotations

import re
from collections.abc import Iterable
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
from .footnotes import Note, NoteKind, names_in, read_notes
from .junk import is_junk, is_placeholder
from .lines import Line, Piece, fix_accents, split_markers
from .names import NamedAuthor, is_name_line, markers_lead, parse_name_line

_AFFILIATION_PREFIX = re.compile(r"(?i)^(?:also (?:with|at)|affiliated with|and)\s+")
_AMPERSAND_SPLIT = re.compile(r"\s+&\s+|\s*;\s*")
_AND_SPLIT = re.compile(r"\s+(?:and|&)\s+|\s*;\s*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9\-]{2,9}$")
_PROPER = re.compile(r"^(?:[A-Z][\w.'’\-]*\s?){1,2}$")


@dataclass(slots=True)
class LinkedAuthor:
    name: str
    markers: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    time_of_work: list[str] = field(default_factory=list)  # affiliations read from "work done at X"
    moved_to: list[str] = field(default_factory=list)  # places of "now at X" (no affiliation)
    line_markers: list[str] = field(default_factory=list)  # markers printed on its own affiliation lines


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
    if is_noise(text) or is_junk(text):
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
    if _anonymous(block, text):
        return AuthorBlock([], [], emails, "anonymous", [Flag.ANONYMOUS_SUBMISSION])
    _BY_STYLE.clear()
    kinds = _consistent_names([(line, classify(line)) for line in block])
    name_lines = [ln for ln, kind in kinds if kind == "name"]
    affil_lines = [ln for ln, kind in kinds if kind == "affil"]
    if not name_lines:
        return AuthorBlock([], [], emails, "none", [Flag.NO_AUTHORS_FOUND])
    # Marker-led lines of the block that are no affiliation ("∗Work done at X", "†Now at Y")
    # are footnotes printed under the names.
    notes_lines = footnotes + [ln for ln, kind in kinds if kind == "noise" and ln.leading_marker]
    block_map, _ = _marker_entries(affil_lines, lenient=True)
    foot_map, notes = _marker_entries(notes_lines, lenient=False)
    marker_map = {m: list(dict.fromkeys(block_map.get(m, []) + foot_map.get(m, []))) for m in {**block_map, **foot_map}}
    lead = markers_lead(name_lines)
    authors = [(ln, a) for ln in name_lines for a in parse_name_line(ln, lead)]
    known = marker_map.keys() | notes.keys()
    for _ln, author in authors:
        author.markers = _expand_markers(author.markers, known)
    marked = sum(bool(set(a.markers) & marker_map.keys()) for _ln, a in authors)
    # Unmarked affiliation lines under the names mean the layout links them; footnote markers
    # then only add extras ("†Also with ...").
    block_marked = not affil_lines or _marker_affiliations(affil_lines)
    if marker_map and block_marked and marked * 2 >= len(authors):
        linked = [_by_markers(a, marker_map) for _ln, a in authors]
        _apply_notes(linked, notes)
        affiliations = list(dict.fromkeys(a for author in linked for a in author.affiliations))
        return AuthorBlock(linked, affiliations, emails, "markers", [])
    email_ids = {id(ln) for ln, kind in kinds if kind == "email"}
    others = _split_glued(name_lines, [ln for ln, kind in kinds if kind in ("affil", "email")])
    owned = _owned_lines(name_lines, others, email_ids)
    linked = []
    for line in name_lines:
        affiliations = merge_affiliation_lines([ln for ln in owned[id(line)] if id(ln) not in email_ids])
        line_emails = find_emails(" ".join(ln.full_text for ln in owned[id(line)]))
        line_markers = [m for ln in owned[id(line)] for m in ln.markers]
        names = parse_name_line(line, lead)
        for i, named in enumerate(names):
            mine = [line_emails[i]] if len(line_emails) == len(names) else ([] if len(names) > 1 else line_emails)
            markers = _expand_markers(named.markers, known)
            linked.append(LinkedAuthor(named.name, markers, mine, list(affiliations), line_markers=line_markers))
    flags = [] if any(a.affiliations for a in linked) else [Flag.NO_AFFILIATIONS_FOUND]
    _share_single_block(linked, flags)
    for linked_author in linked:  # footnotes such as "1Also with Mila" add to the printed block
        extra = [a for m in linked_author.markers for a in foot_map.get(m, []) if a not in linked_author.affiliations]
        linked_author.affiliations.extend(dict.fromkeys(extra))
    _apply_notes(linked, notes)
    all_affiliations = list(dict.fromkeys(a for author in linked for a in author.affiliations))
    return AuthorBlock(linked, all_affiliations, emails, "layout", flags)


def _anonymous(block: list[Line], text: str) -> bool:
    """'Anonymous Author(s)', or the style file's placeholders ('First Author', 'Affiliation')."""
    if ANONYMOUS.search(text) and not any(names_institution(ln.text) for ln in block if not ANONYMOUS.search(ln.text)):
        return True
    placeholders = [ln for ln in block if is_placeholder(ln.text) or is_placeholder(ln.text.split("  ")[0])]
    return len(placeholders) >= 2 and any(re.search(r"(?i)author", ln.text) for ln in placeholders)


def _expand_markers(markers: list[str], known: Iterable[str]) -> list[str]:
    """'12' printed as one raised number means markers 1 and 2 when only single digits are listed."""
    keys = set(known)
    out: list[str] = []
    for marker in markers:
        if len(marker) > 1 and marker.isdigit() and marker not in keys and all(d in keys for d in marker):
            out.extend(marker)
        else:
            out.append(marker)
    return out


def _apply_notes(linked: list[LinkedAuthor], notes: dict[str, list[Note]]) -> None:
    """'Work done at X' adds X to the authors the footnote's marker points at (or that it names),
    kept apart in ``time_of_work``; 'now at X' flags them ``moved_to`` and is no affiliation."""
    names = [a.name for a in linked]
    for marker, marker_notes in notes.items():
        owners = [i for i, a in enumerate(linked) if marker in a.markers]
        owners = owners or [i for i, a in enumerate(linked) if marker in a.line_markers]
        for note in marker_notes:
            named = names_in(note.text, names)
            targets = [i for i in owners if i in named] or (owners if owners else named)
            for i in targets:
                author = linked[i]
                place = note.place
                if note.kind is NoteKind.TIME_OF_WORK and place not in author.affiliations:
                    author.affiliations.append(place)
                    author.time_of_work.append(place)
                elif note.kind is NoteKind.MOVED_TO:
                    author.affiliations = [a for a in author.affiliations if a != place]
                    author.moved_to.append(re.sub(r"\s+", " ", place).strip())


def _share_single_block(linked: list[LinkedAuthor], flags: list[Flag]) -> None:
    """One affiliation printed once under a grid of names belongs to every name."""
    distinct = {a for author in linked for a in author.affiliations}
    if len(distinct) == 1 and any(not author.affiliations for author in linked):
        for author in linked:
            author.affiliations = list(distinct)
        flags.append(Flag.SHARED_AFFILIATION_BLOCK)


def _consistent_names(kinds: list[tuple[Line, str]]) -> list[tuple[Line, str]]:
    """Author names share one typeface: a 'name' in another style is part of an affiliation, and
    so is an unclassified line in another style right under a name ('JD Digits', 'CITI, Télécom
    SudParis' in per-author columns). Such lines are kept although they name no organization."""
    names = [ln for ln, kind in kinds if kind == "name"]
    if not names:
        return kinds
    style = (names[0].bold, names[0].size)
    out: list[tuple[Line, str]] = []
    for ln, kind in kinds:
        if kind in ("name", "other") and (ln.bold, ln.size) != style:
            under = any(0 < ln.y0 - n.y0 < 4 * n.size and _overlap(n, ln) for n in names)
            if kind == "name" or (under and not is_junk(ln.text) and not _looks_like_sentence(ln.text)):
                _BY_STYLE.add(id(ln))
                kind = "affil"
        out.append((ln, kind))
    return out


# ids of lines read as affiliations by their style and place alone (valid during one link_authors call)
_BY_STYLE: set[int] = set()


def _looks_like_sentence(text: str) -> bool:
    words = text.split()
    return len(words) > 8 or (text.rstrip().endswith((".", ":")) and len(words) > 4)


def _by_markers(author: NamedAuthor, marker_map: dict[str, list[str]]) -> LinkedAuthor:
    affiliations = [a for m in author.markers for a in marker_map.get(m, [])]
    return LinkedAuthor(author.name, author.markers, [], list(dict.fromkeys(affiliations)))


def _marker_affiliations(lines: list[Line]) -> dict[str, list[str]]:
    """marker -> affiliation texts, from lines like '1 Google Research 2 MIT'."""
    return _marker_entries(lines, lenient=False)[0]


def _marker_entries(lines: list[Line], lenient: bool) -> tuple[dict[str, list[str]], dict[str, list[Note]]]:
    """marker -> affiliation texts, and marker -> footnote notes (work done at, now at).

    ``lenient`` (marked lines of the author block, under the names): any entry that is not junk
    is an affiliation ("5 MBZUAI", "2 AIRI, Moscow, Russia"); in footnotes an entry must name an
    organization."""
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
                if lenient:
                    entries.append([markers[0], ""])
                elif entries and not entries[-1][1].strip():
                    entries[-1][0] += "," + ",".join(markers)  # "∗ †Work done at X"
                else:
                    entries.append([",".join(markers), ""])
                continue
            text = piece.text
            if position == 0 and leading and not piece.is_marker and text.lstrip().startswith(leading):
                entries.append([leading, ""])
                text = text.lstrip()[len(leading) :]
            if entries:
                entries[-1][1] += text
        if entries:
            entries[-1][1] += _LINE_BREAK  # a wrapped entry continues on the next line
    result: dict[str, list[str]] = {}
    notes: dict[str, list[Note]] = {}
    for marker_text, text in entries:
        text = fix_accents(re.sub(r"\s+", " ", join_broken_words(text)).strip(" .,;"))
        if not text:
            continue
        for note in _joined_affiliations(read_notes(text)):
            for marker in marker_text.split(","):
                if note.kind in (NoteKind.TIME_OF_WORK, NoteKind.MOVED_TO):
                    notes.setdefault(marker, []).append(note)
                elif note.kind is NoteKind.AFFILIATION:
                    affiliation = _AFFILIATION_PREFIX.sub("", note.text).strip(" .,;")
                    if not affiliation or is_noise(affiliation) or is_junk(affiliation):
                        continue
                    plausible = len(affiliation) > 1 and affiliation[0].isupper()  # not "x", "s ∈ RD and f"
                    if (lenient and plausible) or names_institution(affiliation) or _ACRONYM.match(affiliation):
                        result.setdefault(marker, []).extend(_split_joined(affiliation))
    return {m: list(dict.fromkeys(v)) for m, v in result.items()}, notes


def _joined_affiliations(notes: list[Note]) -> list[Note]:
    """Affiliation sentences that follow each other are one affiliation again: an address such
    as 'Tisza Lajos krt. 103., H-6720 Szeged, Hungary' is no two sentences."""
    out: list[Note] = []
    for note in notes:
        if note.kind is NoteKind.AFFILIATION and out and out[-1].kind is NoteKind.AFFILIATION:
            out[-1] = Note(NoteKind.AFFILIATION, f"{out[-1].text}. {note.text}")
        else:
            out.append(note)
    return out


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


def _split_glued(name_lines: list[Line], lines: list[Line]) -> list[Line]:
    """Two column entries PyMuPDF read as one line ('Google Research & University of Alberta
    Google Research & Georgia Tech' under two names): cut where each half sits under its own name."""
    out: list[Line] = []
    for line in lines:
        out.extend(_split_under_names(name_lines, line) or [line])
    return out


def _split_under_names(name_lines: list[Line], line: Line) -> list[Line] | None:
    above = [n for n in name_lines if n.y0 < line.y0 - 2]
    if not above or len(line.pieces) < 2:
        return None
    row_y = max(n.y0 for n in above)
    row = sorted((n for n in above if row_y - n.y0 < 4), key=lambda n: n.x0)
    if sum(_overlap(n, line) for n in row) < 2:
        return None
    starts = [line.x0] + [p.x1 for p in line.pieces[:-1]]
    for cut in range(1, len(line.pieces)):
        left_pieces, right_pieces = line.pieces[:cut], line.pieces[cut:]
        left = Line(line.x0, line.y0, starts[cut], line.y1, line.size, line.bold, list(left_pieces))
        right_x0 = starts[cut] if right_pieces[0].text.strip() else right_pieces[0].x1
        right_pieces = right_pieces if right_pieces[0].text.strip() else right_pieces[1:]
        if not right_pieces:
            continue
        right = Line(
            right_x0,
            line.y0,
            line.x1,
            line.y1,
            line.size,
            line.bold,
            [Piece(p.text, p.is_marker, p.bold, p.x1) for p in right_pieces],
        )
        if not (is_top_level(left.text) and is_top_level(right.text)) or not right.text[:1].isupper():
            continue
        owner_left = min(row, key=lambda n: abs(n.center - left.center))
        owner_right = min(row, key=lambda n: abs(n.center - right.center))
        # each half centred under its own name (a shared line is centred under the whole row)
        centred = all(
            abs(owner.center - part.center) < max(15.0, 0.2 * (part.x1 - part.x0))
            for owner, part in ((owner_left, left), (owner_right, right))
        )
        if owner_left is not owner_right and centred:
            return [left, right]
    return None


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
        if other is not line
        and -0.3 * line.size <= line.y0 - other.y1 < 0.8 * line.size
        and other.y0 < line.y0 - 2
        and _overlap(other, line)
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


_LINE_BREAK = "\n"
_BROKEN_WORD = re.compile(r"(?<=[a-z])-\n(?=[a-z])")


def join_broken_words(text: str) -> str:
    """Lines joined into one text: a word hyphenated at a line end is whole again ("Impe-" /
    "rial College" -> "Imperial College"); other line breaks become spaces."""
    return _BROKEN_WORD.sub("", text).replace(_LINE_BREAK, " ")


def merge_affiliation_lines(lines: list[Line]) -> list[str]:
    """Join an author's affiliation lines into one string per institution."""
    groups: list[list[str]] = []
    trusted: set[int] = set()  # groups holding a line that is an affiliation by style and place
    for line in lines:
        text = strip_emails(line.text).strip(" ,;")
        if not text:
            continue
        if groups and text[0].islower():  # "Graz University" / "of Technology"
            groups[-1][-1] = join_broken_words(f"{groups[-1][-1]}{_LINE_BREAK}{text}")
            continue
        parts = _split_institutions(text)
        for part in parts:
            starts_new = groups and (
                (len(parts) > 1 and len(_split_joined(text)) > 1)  # "Google Research & Harvard"
                or (is_top_level(part) and any(is_top_level(p) for p in groups[-1]))
                or (SUBUNIT_START.match(part) and any(is_top_level(p) for p in groups[-1]))
                # "Peking University" / "BAAI": an acronym on its own line after a whole institution
                or (_ACRONYM.match(part) and not is_address(part) and any(is_top_level(p) for p in groups[-1]))
            )
            if not groups or starts_new:
                groups.append([part])
            else:
                groups[-1].append(part)
            if id(line) in _BY_STYLE or (len(parts) > 1 and len(_split_joined(text)) > 1):
                trusted.add(len(groups) - 1)
    return [
        ", ".join(g)
        for i, g in enumerate(groups)
        if i in trusted or any(names_institution(p) or is_address(p) for p in g)
    ]


def _split_institutions(text: str) -> list[str]:
    """'Univ. A and B University', 'Google Research & Harvard', 'Meta AI & Inria' -> one part per
    institution, when every half names one (a bare proper name next to an institution counts)."""
    joined = _split_joined(text)
    if len(joined) > 1:
        return joined
    parts = [p.strip(" ,") for p in _AND_SPLIT.split(text) if p.strip(" ,")]
    if len(parts) > 1 and all(is_top_level(p) for p in parts):
        return parts
    return [text.strip(" ,")]


def _split_joined(text: str) -> list[str]:
    """'Google Research & Harvard', 'Meta AI & Inria': a short entry of bare institution names
    joined by '&' (no comma: 'Computer Science & Engineering, Univ. X' is one institution)."""
    if "," in text or not _AMPERSAND_SPLIT.search(text):
        return [text]
    parts = [p.strip() for p in _AMPERSAND_SPLIT.split(text) if p.strip()]
    top = [is_top_level(p) for p in parts]
    proper = all(t or _PROPER.match(p) for p, t in zip(parts, top, strict=True))
    if len(parts) > 1 and any(top) and proper and not any(SUBUNIT_START.match(p) for p in parts):
        return parts
    return [text]
