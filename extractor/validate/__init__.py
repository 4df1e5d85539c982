"""Validate stage: how far a run is from hand-labeled gold data, and the gold-set workflow."""

from __future__ import annotations

from pathlib import Path

from ..registry.organizations import Registry, default_registry
from .gold import GOLD_COLUMNS, GoldFormatError, check_gold, read_labels
from .grounding import name_grounder
from .output import write_report
from .scoring import ValidationScores, score_frames

__all__ = [
    "GOLD_COLUMNS",
    "GoldFormatError",
    "ValidationScores",
    "check_gold",
    "read_labels",
    "score_run",
    "validate_run",
]


def score_run(authors_csv: Path, gold_csv: Path, registry: Registry | None = None) -> ValidationScores:
    """Score a run's authors.csv against a gold CSV; gold names without id are grounded on the
    registry through the rule matcher."""
    registry = registry or default_registry()
    return score_frames(read_labels(gold_csv), read_labels(authors_csv), registry, name_grounder(registry))


def validate_run(
    gold_csv: Path, out_dir: Path, registry: Registry | None = None
) -> tuple[ValidationScores, list[Path]]:
    """Score OUT_DIR/authors.csv against the gold file and write OUT_DIR/validation/."""
    authors_csv = out_dir / "authors.csv"
    if not authors_csv.is_file():
        raise GoldFormatError(f"{authors_csv}: no such file; run `affil run ... --out {out_dir}` first")
    report = score_run(authors_csv, gold_csv, registry)
    return report, write_report(report, out_dir / "validation")
