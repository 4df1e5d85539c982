"""Review stage: flagged rows grouped by raw string, decided once, applied on every publish.

Decisions are recorded in the run store; ``extractor.decisions`` applies them and
``extractor.publish.publish_run`` writes the tables. Review never imports publish.
"""

from __future__ import annotations

from .groups import ReviewGroup, candidates, clearing_curve, flagged_groups
from .overrides import OverrideError, export_overrides, read_overrides

__all__ = [
    "OverrideError",
    "ReviewGroup",
    "candidates",
    "clearing_curve",
    "export_overrides",
    "flagged_groups",
    "read_overrides",
]
