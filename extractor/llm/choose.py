"""Choose, do not write: what the model is asked about one paper and how its answer is checked.

The model sees the authors as the extractor found them and numbered affiliation lines, each
unsettled line with its registry candidates. It answers with labels and candidate ids only:
which lines belong to the authors the layout reader could not link (``A2: ["L1", "L3"]``), and
per unsettled line the chosen candidate id or ``none`` plus a short institution name and a
country (the free-text fallback). The JSON Schema of each request enumerates the allowed labels
and ids, so a constrained server cannot name anything else; an answer from an unconstrained
server that does is rejected (and asked again once) like any schema violation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..normalize.rules import RuleMatcher, clean_affiliation
from ..records import AffiliationMatch, ExtractedPaper, NormalizedPaper
from ..registry.emails import strip_emails
from ..registry.text import NAME_CUTOFF, name_similarity, normalize_name
from ..registry.vocab import INSTITUTION_WORDS
from .answer import InvalidAnswer, json_content
from .candidates import Candidate, is_confident, line_candidates

NONE = "none"
MAX_EXTRA_LINES = 6  # block lines the layout reader did not take as affiliations, offered for linking
_COLUMN_GAP = re.compile(r"\s{3,}")
_MARKER = re.compile(r"\^\S+\s*")


@dataclass(slots=True)
class Line:
    label: str  # "L1"
    text: str  # as printed (what the rules matched)
    matches: list[AffiliationMatch]  # the rules' answer: one match per organization the text names
    candidates: list[Candidate]
    asked: bool = False

    @property
    def rules(self) -> AffiliationMatch:
        return self.matches[0]

    @property
    def settled(self) -> bool:
        """Every organization the rules read in it is confident. A line naming several is not asked
        about either way (one pick cannot stand for several organizations)."""
        return all(is_confident(m) for m in self.matches) or len(self.matches) > 1

    @property
    def ids(self) -> list[str]:
        return [c.ror_id for c in self.candidates]


@dataclass(slots=True)
class Author:
    label: str  # "A1"
    index: int  # author_index of the rules' rows
    name: str
    markers: list[str]
    lines: list[str]  # labels the rules linked
    asked: bool = False


@dataclass(slots=True)
class LineChoice:
    id: str  # a candidate's ROR id or "none"
    institution: str = ""
    country: str = ""


@dataclass(slots=True)
class Choices:
    authors: dict[str, list[str]] = field(default_factory=dict)  # author label -> line labels
    lines: dict[str, LineChoice] = field(default_factory=dict)


@dataclass(slots=True)
class ChoiceRequest:
    """One paper as the model sees it, and what it is asked."""

    paper: ExtractedPaper
    authors: list[Author]
    lines: list[Line]

    @property
    def asked_authors(self) -> list[Author]:
        return [a for a in self.authors if a.asked]

    @property
    def asked_lines(self) -> list[Line]:
        return [line for line in self.lines if line.asked]

    @property
    def empty(self) -> bool:
        """Nothing to decide: no call is made."""
        return not self.asked_authors and not self.asked_lines

    def line(self, label: str) -> Line:
        return next(line for line in self.lines if line.label == label)

    def label_of(self, text: str) -> str | None:
        return next((line.label for line in self.lines if line.text == text), None)

    # -- what the model sees ---------------------------------------------------

    def fields(self) -> dict[str, str]:
        """The values prompts/affiliations/v2/paper.md is filled with."""
        authors = []
        for a in self.authors:
            markers = f" ^{','.join(a.markers)}" if a.markers else ""
            linked = ", ".join(a.lines) if a.lines else "?"
            authors.append(f"{a.label} {a.name}{markers} -> {linked}")
        lines = []
        for line in self.lines:
            if line.asked:
                lines.append(f"{line.label} {line.text}")
                lines += [f"  - {c.describe()}" for c in line.candidates] or ["  - (no candidates)"]
            else:
                found = "; ".join(c.describe() for c in line.candidates) if line.candidates else "-"
                lines.append(f"{line.label} {line.text} = {found}")
        return {
            "title": self.paper.title or "(not found)",
            "block": self.paper.block_text or "(empty)",
            "authors": "\n".join(authors),
            "lines": "\n".join(lines) or "(none)",
            "emails": ", ".join(self.paper.emails) or "(none)",
            "ask": json.dumps(self.skeleton(), ensure_ascii=False),
        }

    def skeleton(self) -> dict:
        """The shape of the answer, shown in the prompt (for servers that ignore the schema)."""
        return {
            "authors": {a.label: ["L?"] for a in self.asked_authors},
            "lines": {line.label: {"id": "...", "institution": "...", "country": "..."} for line in self.asked_lines},
        }

    def schema(self) -> dict:
        """This request's JSON Schema: only the asked labels, only their candidates' ids."""
        labels = [line.label for line in self.lines]
        author_props = {
            a.label: {"type": "array", "items": {"type": "string", "enum": labels}} for a in self.asked_authors
        }
        line_props = {
            line.label: {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "institution", "country"],
                "properties": {
                    "id": {"type": "string", "enum": [*line.ids, NONE]},
                    "institution": {"type": "string"},
                    "country": {"type": "string"},
                },
            }
            for line in self.asked_lines
        }
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["authors", "lines"],
            "properties": {
                "authors": _object(author_props),
                "lines": _object(line_props),
            },
        }

    # -- what the model may answer ---------------------------------------------

    def parse(self, content: str | None) -> Choices:
        """The answer, checked against this request: an unknown label or an id that is not one
        of the line's candidates raises InvalidAnswer (the message is shown on the retry).
        Asked items the answer leaves out are simply not decided."""
        data = _json_object(content)
        if "authors" not in data or "lines" not in data:
            raise InvalidAnswer('the answer does not match the schema: it needs the keys "authors" and "lines"')
        authors, lines = data.get("authors") or {}, data.get("lines") or {}
        if not isinstance(authors, dict) or not isinstance(lines, dict):
            raise InvalidAnswer('the answer does not match the schema: "authors" and "lines" must be objects')
        labels = {line.label for line in self.lines}
        choices = Choices()
        for author in self.asked_authors:
            linked = authors.get(author.label)
            if linked is None:
                continue
            if not isinstance(linked, list) or any(label not in labels for label in linked):
                raise InvalidAnswer(
                    f"the answer does not match the schema: authors.{author.label} must be a list of "
                    f"line labels among {sorted(labels)}, got {linked!r}"
                )
            choices.authors[author.label] = list(dict.fromkeys(linked))
        for line in self.asked_lines:
            item = lines.get(line.label)
            if item is None:
                continue
            if not isinstance(item, dict):
                raise InvalidAnswer(f"the answer does not match the schema: lines.{line.label} must be an object")
            chosen = str(item.get("id") or NONE).strip()
            if chosen != NONE and chosen not in line.ids:
                raise InvalidAnswer(
                    f"the answer does not match the schema: lines.{line.label}.id {chosen!r} is not one of "
                    f"the candidates {[*line.ids, NONE]}"
                )
            choices.lines[line.label] = LineChoice(
                chosen, str(item.get("institution") or "")[:120], str(item.get("country") or "")[:40]
            )
        return choices


def _object(properties: dict) -> dict:
    return {"type": "object", "additionalProperties": False, "required": list(properties), "properties": properties}


def _json_object(content: str | None) -> dict:
    data = json_content(content)
    if not isinstance(data, dict):
        raise InvalidAnswer("the answer does not match the schema: it must be one JSON object")
    return data


def build_request(
    extracted: ExtractedPaper, rules: NormalizedPaper, matcher: RuleMatcher, ask_all: bool = False
) -> ChoiceRequest:
    """The lines and authors of one paper and what to ask about them: authors the rules could not
    link and lines the rules could not settle (``ask_all``: every author and every line)."""
    lines: dict[str, Line] = {}

    def add(text: str, matches: list[AffiliationMatch] | None) -> None:
        if text and text not in lines:
            lines[text] = Line(f"L{len(lines) + 1}", text, matches or matcher.match(text).per_organization(), [])

    by_text: dict[tuple[int, str], list[AffiliationMatch]] = {}  # (author, text) -> its rows' matches
    for row in rules.rows:
        if row.affiliation_index > 0:
            by_text.setdefault((row.author_index, row.match.affiliation), []).append(row.match)
    for (_, text), matches in by_text.items():
        add(text, matches)
    for text in extracted.affiliations:
        add(text, None)
    authors: list[Author] = []
    by_index: dict[int, Author] = {}
    for row in rules.rows:
        author = by_index.get(row.author_index)
        if author is None:
            printed = extracted.authors[row.author_index - 1] if row.author_index <= len(extracted.authors) else None
            markers = [m for m in (printed.markers if printed else []) if m not in ("*", "∗", "†", "‡", "⋆", "§", "¶")]
            author = Author(f"A{row.author_index}", row.author_index, row.author, markers, [])
            by_index[row.author_index] = author
            authors.append(author)
        if row.affiliation_index > 0 and (label := lines[row.match.affiliation].label) not in author.lines:
            author.lines.append(label)
    unlinked = [a for a in authors if not a.lines]
    if unlinked:
        for text in _extra_lines(extracted, lines, authors, matcher):
            add(text, None)
    for a in authors:
        a.asked = ask_all or not a.lines
    if not lines:  # nothing to link to
        for a in authors:
            a.asked = False
    linked = {label for a in authors for label in a.lines}
    for line in lines.values():
        relevant = line.label in linked or bool(unlinked)
        line.asked = relevant and len(line.matches) == 1 and (ask_all or not line.settled)
        if line.asked:
            line.candidates = line_candidates(matcher, line.text, line.rules)
        elif line.settled:
            records = (matcher.registry.by_id(m.ror_id) for m in line.matches if m.ror_id)
            line.candidates = [Candidate.of(org) for org in records if org is not None]
    return ChoiceRequest(extracted, authors, list(lines.values()))


def _extra_lines(
    extracted: ExtractedPaper, known: dict[str, Line], authors: list[Author], matcher: RuleMatcher
) -> list[str]:
    """Segments of the printed block the layout reader did not take as an affiliation and that may
    be one: no e-mail, no author name, and (when other lines were found) an institution word or a
    registry record."""
    found: list[str] = []
    for printed in extracted.block_text.splitlines():
        for segment in _COLUMN_GAP.split(printed):
            text = _MARKER.sub("", strip_emails(segment)).strip(" ,;{}")
            if len(text) < 3 or "@" in segment or text in known or text in found:
                continue
            if any(name_similarity(text, a.name) >= NAME_CUTOFF or a.name in text for a in authors):
                continue
            cleaned = clean_affiliation(text)
            if not cleaned:
                continue
            # with no affiliation line found at all, every other printed segment may be one
            looks_like = INSTITUTION_WORDS.search(normalize_name(cleaned)) or matcher.match(cleaned).ror_id
            if known and not looks_like:
                continue
            found.append(text)
            if len(found) >= MAX_EXTRA_LINES:
                return found
    return found
