"""LLM step: versioned prompts, structured answers, retries, a response cache in the run store,
and grounding of every answer on the registry."""

from __future__ import annotations

from .config import LLMConfig, LLMConfigError, load_config
from .policy import unsettled_reasons, wants_llm
from .settle import LLMStage, LLMStageError, PendingPaper, run_stage
from .usage import LLMUsage

__all__ = [
    "LLMConfig",
    "LLMConfigError",
    "LLMStage",
    "LLMStageError",
    "LLMUsage",
    "PendingPaper",
    "load_config",
    "run_stage",
    "unsettled_reasons",
    "wants_llm",
]
