"""What an author footnote means: an affiliation, the place a work was done, the author's next
employer, or nothing that is an affiliation (equal contribution, corresponding author, an
honorary title, a project page).

LABELING.md 6-7: "Work done at / during an internship at / while at X" is an extra affiliation
of that author, kept apart (`time_of_work`); "now at X" / "currently at X" is not the author's
affiliation on this paper (`moved_to`, X kept as detail); the rest is never an affiliation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class NoteKind(StrEnum):
    AFFILIATION = "affiliation"
    TIME_OF_WORK = "time_of_work"
    MOVED_TO = "moved_to"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Note:
    """One sentence of a footnote and what it says."""

    kind: NoteKind
    text: str  # the sentence as printed
    place: str = ""  # the institution it names (time_of_work / moved_to)


_TIME_OF_WORK = re.compile(
    r"(?i)\b(?:(?:this\s+)?(?:work|research|project)\s+(?:was\s+|is\s+|has\s+been\s+)?(?:\w+ly\s+)?"
    r"(?:done|performed|conducted|carried\s+out|completed|started)|"
    r"(?:done|performed|conducted)\s+(?:while|during|when|as)|"
    r"internships?\s+at|(?:while|when)\s+(?:\w+\s+){0,3}(?:was|were)\s+(?:an?\s+)?(?:intern|visiting|student|at|in))\b"
)
# "Work during Google internship", "done during a Microsoft Research internship": the place is the
# capitalized words before "internship" (no "at" to find it by).
_INTERNSHIP_OF = re.compile(
    r"\b(?:[Dd]uring|[Ii]n)\s+(?:an?\s+|the\s+|my\s+|his\s+|her\s+|their\s+)?"
    r"(?P<place>(?:[A-Z][\w&.\-]*\s+){1,4})(?:[Rr]esearch\s+)?internships?\b"
)
_MOVED_TO = re.compile(
    r"(?i)\b(?:(?:now|currently|presently)\s+(?:at|with|affiliated\s+with|employed\s+(?:at|by))|"
    r"(?:has|have)\s+(?:since\s+)?moved\s+to|now\s+(?:works?|working)\s+(?:at|for))\b"
)
_NOT_AFFILIATION = re.compile(
    r"(?i)\b(?:equal(?:ly)?\s+contribut\w*|contributed\s+equally|corresponding\s+authors?|correspondence|"
    r"project\s+(?:page|lead|website)|e-?mail|cifar\s+(?:ai\s+)?chair|canada\s+cifar|\w*\s*chair\b|fellow\b|"
    r"senior\s+author|joint\s+(?:first|last)|first\s+authors?|co-?first|advis(?:ing|ed)|code\s+(?:is\s+)?available|"
    r"https?:|www\.|github|©|copyright)"
)
# The place a "work done ..." sentence names: after "at", "in", "with" or "for".
_PLACE = re.compile(r"(?i)\b(?:at|in|with|for|by)\s+(?:the\s+)?(?=[A-Z0-9\"“])(.+)$")
_PLACE_END = re.compile(
    r"\s+(?:and|while|when|where|under|as|during|to)\s+(?=[a-z])|\s*[;(]|,\s+(?=[a-z])|(?<=[a-z]{3})\.\s|\s+\S+/\S+"
)
_SENTENCE_END = re.compile(r"(\w+)\.\s+(?=[^\sa-z])|;\s+")
_ABBREVIATIONS = frozenset(
    [
        "dept",
        "univ",
        "inst",
        "inc",
        "ltd",
        "co",
        "corp",
        "st",
        "mt",
        "dr",
        "prof",
        "no",
        "ave",
        "rd",
        "lab",
        "labs",
        "sci",
        "tech",
        "natl",
        "intl",
    ]
)


def sentences(text: str) -> list[str]:
    """'Equal contribution. Work done at X.' -> two sentences; 'Univ. of X', 'Eric P. Xing' stay whole."""
    parts: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        word = end.group(1) or ""
        if end.group().startswith(".") or (word and (len(word) < 2 or word.lower() in _ABBREVIATIONS)):
            continue
        parts.append(text[start : end.start() + len(word)])
        start = end.end()
    parts.append(text[start:])
    return [s.strip(" .;") for s in parts if s.strip(" .;")]


def _place(sentence: str, trigger: re.Match[str]) -> str:
    after = sentence[trigger.end() :] if trigger.group().lower().rstrip().endswith((" at", " with", " to")) else ""
    if not after.strip():
        found = _PLACE.search(sentence, trigger.start())
        after = found.group(1) if found else ""
    after = re.sub(r"^\s*(?:the\s+)?", "", after)
    return _PLACE_END.split(after, maxsplit=1)[0].strip(" .,:")


def read_note(sentence: str) -> Note:
    """What one footnote sentence says."""
    moved = _MOVED_TO.search(sentence)
    if moved:
        return Note(NoteKind.MOVED_TO, sentence, _place(sentence, moved))
    internship = _INTERNSHIP_OF.search(sentence)
    if internship:
        return Note(NoteKind.TIME_OF_WORK, sentence, internship.group("place").strip())
    worked = _TIME_OF_WORK.search(sentence)
    if worked:
        place = _place(sentence, worked)
        return Note(NoteKind.TIME_OF_WORK, sentence, place) if place else Note(NoteKind.IGNORE, sentence)
    if _NOT_AFFILIATION.search(sentence):
        return Note(NoteKind.IGNORE, sentence)
    return Note(NoteKind.AFFILIATION, sentence)


def read_notes(text: str) -> list[Note]:
    return [read_note(s) for s in sentences(text)]


def is_semantic_note(text: str) -> bool:
    """A footnote that says where someone worked or moved (worth reading although it names no
    institution word: "This work is done when Jaehyung Kim was in KAIST")."""
    return bool(_MOVED_TO.search(text) or _TIME_OF_WORK.search(text) or _INTERNSHIP_OF.search(text))


def names_in(sentence: str, names: list[str]) -> list[int]:
    """Indices of the authors a sentence names: full name, first or last name (also possessive:
    "Dawei's internship"), or initials ("when AC was at")."""
    found: list[int] = []
    words = set(re.findall(r"[^\W\d_][\w\-]*", sentence))
    for index, name in enumerate(names):
        parts = [p for p in re.split(r"[\s.]+", name) if p]
        if not parts:
            continue
        initials = "".join(p[0] for p in parts if p[0].isupper())
        family = parts[-1] if len(parts) > 1 and len(parts[-1]) > 2 else ""
        by_name = name in sentence or parts[0] in words or family in words
        if by_name or (len(initials) >= 2 and initials in words):
            found.append(index)
    return found
