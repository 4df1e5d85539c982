"""Review stage: flagged rows grouped by raw string, decided once, applied on every publish."""

from __future__ import annotations

from pathlib import Path

from ..publish import publish
from ..store import RunStore
from .decisions import OverrideError, apply_decisions, decision_key, export_overrides, read_overrides
from .groups import REVIEW_FLAGS, ReviewGroup, candidates, clearing_curve, flagged_groups

__all__ = [
    "REVIEW_FLAGS",
    "OverrideError",
    "ReviewGroup",
    "apply_decisions",
    "candidates",
    "clearing_curve",
    "decision_key",
    "export_overrides",
    "flagged_groups",
    "read_overrides",
    "republish",
]


def republish(store: RunStore, out_dir: Path, spreadsheet: bool = False) -> tuple[Path, ...]:
    """papers.csv and authors.csv again, every paper of the store with the decisions applied."""
    return publish(apply_decisions(store.normalized(), store.decisions()), out_dir, spreadsheet=spreadsheet)
