"""Decisions: applied over machine answers at every publish, and shared as overrides.csv."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
import pycountry

from ..flags import KEPT_AFTER_DECISION, Flag
from ..records import AffiliationMatch, Decision, NormalizedPaper, ReviewAction, Source
from ..registry.text import normalize_name
from ..validate.gold import ROR_ID

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


def _decided(row, decision: Decision):
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
    if ror_id and not ROR_ID.match(ror_id):
        raise OverrideError(f"{where}: malformed ROR id {ror_id!r}")
    if country and pycountry.countries.get(alpha_2=country) is None:
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
