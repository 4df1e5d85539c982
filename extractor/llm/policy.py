"""Which papers the LLM sees: under 'auto' only those the rules could not settle."""

from __future__ import annotations

from ..records import NormalizedPaper, PaperStatus

UNSETTLED_ROW_FLAGS = frozenset(
    ["no_registry_match", "low_confidence", "author_without_affiliation", "no_affiliation", "ambiguous_name"]
)
UNSETTLED_PAPER_FLAGS = frozenset(["no_authors_found", "no_affiliations_found", "no_country"])


def unsettled_reasons(paper: NormalizedPaper) -> list[str]:
    """Why the rules did not settle a paper (empty: settled). Anonymized and unreadable papers
    are settled: there is nothing for a model to read."""
    if paper.status != PaperStatus.OK or "anonymous_submission" in paper.flags:
        return []
    reasons = [flag for flag in paper.flags if flag in UNSETTLED_PAPER_FLAGS]
    for row in paper.rows:
        reasons += [flag for flag in [*row.flags, *row.match.flags] if flag in UNSETTLED_ROW_FLAGS]
    return sorted(set(reasons))


def wants_llm(policy: str, paper: NormalizedPaper) -> bool:
    if policy == "all":
        return paper.status == PaperStatus.OK and "anonymous_submission" not in paper.flags
    if policy == "auto":
        return bool(unsettled_reasons(paper))
    return False
