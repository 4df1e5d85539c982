"""Review decisions shared as overrides.csv: export, and import with a line-numbered error for a bad row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..decisions import decision_key
from ..records import Decision, ReviewAction
from ..registry.countries import is_country_code
from ..registry.organizations import is_ror_id

OVERRIDE_COLUMNS = [
    "raw_affiliation",
    "action",
    "institution",
    "ror_id",
    "country",
    "reviewer",
    "decided_at",
]


class OverrideError(ValueError):
    """An overrides file that cannot be imported; the message names the line."""


def export_overrides(decisions: dict[str, Decision], path: Path) -> int:
    rows = [d.model_dump(mode="json") for d in sorted(decisions.values(), key=lambda d: d.key)]
    pd.DataFrame(rows, columns=["key", *OVERRIDE_COLUMNS]).drop(columns="key").to_csv(path, index=False)
    return len(rows)


def read_overrides(path: Path, reviewer: str = "") -> list[Decision]:
    """Decisions from an overrides.csv (or an edited `--list --csv`: rows without an action are
    skipped). Bad rows stop the import with their line number; nothing is half-imported."""
    if not path.is_file():
        raise OverrideError(f"{path}: no such file")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"raw_affiliation", "action"} - set(frame.columns)
    if missing:
        raise OverrideError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    decisions = []
    for position, row in enumerate(frame.to_dict("records")):
        if not row.get("action", "").strip():
            continue
        decisions.append(_decision_of(row, position + 2, path, reviewer))
    return decisions


def _decision_of(row: dict, line: int, path: Path, reviewer: str) -> Decision:
    where = f"{path}: line {line}"
    try:
        action = ReviewAction(row["action"].strip())
    except ValueError as exc:
        choices = ", ".join(a.value for a in ReviewAction)
        raise OverrideError(f"{where}: action {row['action']!r} is not one of {choices}") from exc
    ror_id, country = row.get("ror_id", "").strip(), row.get("country", "").strip().upper()
    if ror_id and not is_ror_id(ror_id):
        raise OverrideError(f"{where}: malformed ROR id {ror_id!r}")
    if country and not is_country_code(country):
        raise OverrideError(f"{where}: unknown country code {country!r}")
    if action in (ReviewAction.PICK, ReviewAction.MANUAL) and not (row.get("institution", "").strip() or country):
        raise OverrideError(f"{where}: {action.value} needs an institution or a country")
    return Decision(
        key=decision_key(row["raw_affiliation"]),
        raw_affiliation=row["raw_affiliation"],
        action=action,
        institution=row.get("institution", "").strip(),
        ror_id=ror_id,
        country=country,
        reviewer=row.get("reviewer", "").strip() or reviewer,
        decided_at=row.get("decided_at", "").strip(),
    )
