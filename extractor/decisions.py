"""Review decisions applied over the machine's answers: the one place that says how a person's
answer for a raw string replaces what the rules or the LLM said. Publish applies them on every
run; review records them. Both stand on this module, neither on the other."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .flags import KEPT_AFTER_DECISION, Flag
from .records import AffiliationMatch, AuthorAffiliation, Decision, NormalizedPaper, ReviewAction, Source
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
