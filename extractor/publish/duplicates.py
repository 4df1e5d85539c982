"""Papers printed twice: the same normalized title in several files is one paper in every count."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..flags import Flag
from ..records import NormalizedPaper, PaperStatus
from ..registry.text import normalize_name

MIN_TITLE_WORDS = 3  # "Introduction" or "Abstract" read as a title is no evidence of a duplicate


def title_key(title: str) -> str:
    key = normalize_name(title)
    return key if len(key.split()) >= MIN_TITLE_WORDS else ""


def mark_duplicate_titles(papers: Iterable[NormalizedPaper]) -> Iterator[NormalizedPaper]:
    """Every readable paper whose normalized title another file has too is flagged
    ``duplicate_title``; all but the first (in file order) point at it with ``duplicate_of``,
    so aggregates count the title once."""
    papers = list(papers)
    first: dict[str, str] = {}
    seen: dict[str, int] = {}
    for paper in papers:
        key = title_key(paper.title) if paper.status == PaperStatus.OK else ""
        if key:
            first.setdefault(key, paper.file)
            seen[key] = seen.get(key, 0) + 1
    for paper in papers:
        key = title_key(paper.title) if paper.status == PaperStatus.OK else ""
        if not key or seen[key] < 2:
            yield paper
            continue
        flags = list(dict.fromkeys([*paper.flags, Flag.DUPLICATE_TITLE]))
        original = "" if first[key] == paper.file else first[key]
        yield paper.model_copy(update={"flags": flags, "duplicate_of": paper.duplicate_of or original})
