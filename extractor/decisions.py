"""Review decisions applied over the machine's answers: the one place that says how a person's
answer for a raw string replaces what the rules or the LLM said. Publish applies them on every
run; review records them. Both stand on this module, neither on the other."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .flags import KEPT_AFTER_DECISION, REVIEW_PAPER, REVIEW_ROW, Flag
from .records import (
    AffiliationMatch,
    AuthorAffiliation,
    AuthorDecision,
    Decision,
    NormalizedPaper,
    ReviewAction,
    Source,
)
from .registry.text import normalize_name


def decision_key(raw: str) -> str:
    """Strings that differ only in case, accents or punctuation share one decision."""
    return normalize_name(raw)


def apply_decisions(papers: Iterable[NormalizedPaper], decisions: dict[str, Decision]) -> Iterator[NormalizedPaper]:
    """Every row whose raw affiliation has a decision takes it (source=review), whatever the rules
    or the LLM said this time."""
    for paper in papers:
        if not decisions or not paper.rows:
            yield paper
            continue
        rows = []
        for row in paper.rows:
            decision = decisions.get(decision_key(row.match.affiliation)) if row.match.affiliation else None
            rows.append(row if decision is None else _decided(row, decision))
        yield paper.model_copy(update={"rows": rows})


def _decided(row: AuthorAffiliation, decision: Decision) -> AuthorAffiliation:
    if decision.action == ReviewAction.ACCEPT:
        match = row.match.model_copy(update={"flags": [], "confidence": 1.0})
    elif decision.action == ReviewAction.NOT_INSTITUTION:
        match = AffiliationMatch(affiliation=row.match.affiliation, confidence=1.0, flags=[Flag.NOT_AN_INSTITUTION])
    else:
        match = AffiliationMatch(
            affiliation=row.match.affiliation,
            institution=decision.institution,
            ror_id=decision.ror_id,
            country=decision.country,
            confidence=1.0,
        )
    kept = [f for f in row.flags if f in KEPT_AFTER_DECISION]
    return row.model_copy(update={"match": match, "source": Source.REVIEW, "flags": kept})


def review_flags(row: AuthorAffiliation, paper_flags: Iterable[str] = ()) -> list[str]:
    """The row's own review flags, plus the paper's (e.g. ``no_country``), which queue every row
    of the paper that prints an affiliation. Review queues by these; the report lists by them."""
    row_flags = [f for f in dict.fromkeys([*row.match.flags, *row.flags]) if f in REVIEW_ROW]
    return row_flags + [f for f in paper_flags if f in REVIEW_PAPER]


# Paper flags an author decision answers: once a reviewer gave an author an affiliation, the page's
# failure to link one no longer describes the published rows.
_ANSWERED = frozenset({Flag.NO_AFFILIATIONS_FOUND, Flag.NO_AUTHORS_FOUND})


def apply_author_decisions(
    papers: Iterable[NormalizedPaper], decisions: dict[tuple[str, int], AuthorDecision]
) -> Iterator[NormalizedPaper]:
    """Per-paper decisions: the author's empty row (or, for an author the page lost, a new row)
    becomes the reviewer's affiliation (source=review). Applied before the string decisions, so a
    string decision for the line given still settles it."""
    by_file: dict[str, list[AuthorDecision]] = {}
    for decision in decisions.values():
        by_file.setdefault(decision.file, []).append(decision)
    for paper in papers:
        mine = by_file.get(paper.file)
        if not mine:
            yield paper
            continue
        rows = list(paper.rows)
        for decision in sorted(mine, key=lambda d: d.author_index):
            new = AuthorAffiliation(
                author_index=decision.author_index,
                author=decision.author,
                affiliation_index=1,
                match=decision.match,
                source=Source.REVIEW,
            )
            old = [r for r in rows if r.author_index == decision.author_index]
            if old:
                if any(r.affiliation_index > 0 for r in old):
                    continue  # the author has printed affiliations now (a later extraction linked them)
                new = new.model_copy(update={"author": old[0].author})
                rows = [r for r in rows if r.author_index != decision.author_index]
            elif not decision.author:
                continue
            rows.append(new)
        rows.sort(key=lambda r: (r.author_index, r.affiliation_index))
        flags: list[Flag] = [f for f in paper.flags if f not in _ANSWERED and f != Flag.NO_COUNTRY]
        if rows and all(not r.match.country for r in rows):
            flags.append(Flag.NO_COUNTRY)
        authors = len({r.author_index for r in rows if r.author})
        yield paper.model_copy(update={"rows": rows, "flags": flags, "n_authors": max(paper.n_authors, authors)})
