"""Which papers the LLM sees: under 'auto' only those the rules could not settle."""

from __future__ import annotations

from ..flags import SENT_TO_LLM_PAPER, SENT_TO_LLM_ROW, Flag
from ..modes import LlmMode
from ..records import NormalizedPaper, PaperStatus


def unsettled_reasons(paper: NormalizedPaper) -> list[str]:
    """Why the rules did not settle a paper (empty: settled). Anonymized and unreadable papers
    are settled: there is nothing for a model to read."""
    if paper.status != PaperStatus.OK or Flag.ANONYMOUS_SUBMISSION in paper.flags:
        return []
    reasons = [flag for flag in paper.flags if flag in SENT_TO_LLM_PAPER]
    for row in paper.rows:
        reasons += [flag for flag in [*row.flags, *row.match.flags] if flag in SENT_TO_LLM_ROW]
    return sorted(set(reasons))


def wants_llm(policy: LlmMode, paper: NormalizedPaper) -> bool:
    if policy == LlmMode.ALL:
        return paper.status == PaperStatus.OK and Flag.ANONYMOUS_SUBMISSION not in paper.flags
    if policy == LlmMode.AUTO:
        return bool(unsettled_reasons(paper))
    return False
