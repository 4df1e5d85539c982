"""What the LLM step spent: calls, cache hits, tokens (direct and through the Batch API)."""

from __future__ import annotations

from dataclasses import dataclass

from .client import AnswerResult


@dataclass(slots=True)
class LLMUsage:
    papers: int = 0
    calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failed: int = 0
    unasked: int = 0  # papers with nothing the model could decide: no call
    batched: int = 0  # answers that came through the Batch API (half price)
    batch_prompt_tokens: int = 0
    batch_completion_tokens: int = 0

    def add(self, result: AnswerResult) -> None:
        self.calls += result.calls
        self.prompt_tokens += result.prompt_tokens
        self.completion_tokens += result.completion_tokens
