"""Flagged rows grouped by their raw affiliation string, biggest first, with registry candidates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..decisions import decision_key, review_flags

__all__ = ["ReviewGroup", "candidates", "clearing_curve", "flagged_groups", "review_flags"]
from ..records import Decision, NormalizedPaper
from ..registry.nearest import nearest_records
from ..registry.organizations import Organization, Registry


@dataclass(slots=True)
class ReviewGroup:
    key: str
    raw: str  # the most common spelling
    files: list[str] = field(default_factory=list)
    rows: int = 0
    institution: str = ""
    ror_id: str = ""
    country: str = ""
    flags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    @property
    def papers(self) -> int:
        return len(self.files)


def flagged_groups(
    papers: Iterable[NormalizedPaper], decisions: dict[str, Decision] | None = None
) -> list[ReviewGroup]:
    """Groups of flagged rows not decided yet, by papers touched (then rows), largest first."""
    decided = decisions or {}
    groups: dict[str, ReviewGroup] = {}
    spellings: dict[str, Counter] = {}
    for paper in papers:
        for row in paper.rows:
            flags = review_flags(row, paper.flags)
            raw = row.match.affiliation
            if not flags or not raw or decision_key(raw) in decided:
                continue
            key = decision_key(raw)
            group = groups.setdefault(key, ReviewGroup(key, raw))
            spellings.setdefault(key, Counter())[raw] += 1
            group.rows += 1
            if paper.file not in group.files:
                group.files.append(paper.file)
            if len(group.authors) < 3:
                group.authors.append(row.author)
            group.institution, group.ror_id, group.country = row.match.institution, row.match.ror_id, row.match.country
            group.flags = list(dict.fromkeys([*group.flags, *flags]))
    for key, group in groups.items():
        group.raw = spellings[key].most_common(1)[0][0]
    return sorted(groups.values(), key=lambda g: (-g.papers, -g.rows, g.key))


def candidates(registry: Registry, text: str, limit: int = 5) -> list[Organization]:
    """The registry's closest records to a string (its best segment windows, fuzzy), distinct."""
    return nearest_records(registry, text, limit)


def clearing_curve(groups: list[ReviewGroup]) -> tuple[int, int, int | None]:
    """(flagged papers, groups, decisions needed to clear 80% of flagged papers in group order):
    a paper is clear when every group it appears in is decided."""
    papers: dict[str, set[str]] = {}
    for group in groups:
        for file in group.files:
            papers.setdefault(file, set()).add(group.key)
    target = 0.8 * len(papers)
    decided: set[str] = set()
    for count, group in enumerate(groups, start=1):
        decided.add(group.key)
        if sum(keys <= decided for keys in papers.values()) >= target:
            return len(papers), len(groups), count
    return len(papers), len(groups), None
