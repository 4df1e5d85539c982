"""Score the matcher on labeled affiliation strings, the way ROR and OpenAlex report it:
micro precision/recall/F1 over ROR ids, and accuracy where "no match" on a string without
a ROR id is correct."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..normalize.rules import RuleMatcher
from .gold import GoldFormatError
from .metrics import Confusion

_ROR_IN_TEXT = re.compile(r"(?:ror\.org/)?(0[0-9a-z]{6}[0-9]{2})\b")


@dataclass(frozen=True, slots=True)
class LabeledString:
    affiliation: str
    ror_ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class StringScores:
    strings: int
    counts: Confusion
    exact: int  # predicted set == labeled set (no match on an unlabeled string counts)
    misses: list[tuple[str, str, str]]  # affiliation, expected ids, predicted ids
    precision_at_1: float = 1.0  # strings whose first organization's id (or unit's) is labeled
    # The same among labeled strings only, as S2AFF reports its reranker's precision@1 (a string
    # its annotators found no ROR id for has no rank-1 answer to be right or wrong about).
    precision_at_1_labeled: float = 1.0

    @property
    def accuracy(self) -> float:
        return self.exact / self.strings if self.strings else 1.0


def ror_ids_in(value: object) -> frozenset[str]:
    """Bare ids from a URL, a list of URLs, or a Python-set string "{'https://ror.org/...'}"."""
    if isinstance(value, list | tuple | set | frozenset):
        value = " ".join(map(str, value))
    return frozenset(_ROR_IN_TEXT.findall(str(value or "")))


def load_labeled_strings(path: Path, split: str | None = None) -> list[LabeledString]:
    """S2AFF CSV (``original_affiliation``/``labels``/``split``), ROR JSON ``[{affiliation, ror_ids}]``
    or a CSV with ``affiliation`` and ``ror_id`` columns."""
    if not path.is_file():
        raise GoldFormatError(f"{path}: no such file")
    if path.suffix.lower() == ".json":
        items = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(items, list) or (items and not {"affiliation", "ror_ids"} <= set(items[0])):
            raise GoldFormatError(f"{path}: expected a JSON list of {{affiliation, ror_ids}} objects")
        return [LabeledString(item["affiliation"], ror_ids_in(item["ror_ids"])) for item in items]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if split is not None:
        if "split" not in frame.columns:
            raise GoldFormatError(f"{path}: --split given but the file has no 'split' column")
        frame = frame[frame["split"] == split]
    text_column = next((c for c in ("original_affiliation", "affiliation") if c in frame.columns), None)
    label_column = next((c for c in ("labels", "ror_id", "ror_ids") if c in frame.columns), None)
    if text_column is None or label_column is None:
        raise GoldFormatError(f"{path}: need an affiliation column and a labels/ror_id column")
    return [LabeledString(t, ror_ids_in(v)) for t, v in zip(frame[text_column], frame[label_column], strict=True)]


def score_strings(items: Iterable[LabeledString], matcher: RuleMatcher | None = None) -> StringScores:
    matcher = matcher or RuleMatcher()
    counts, exact, n, misses = Confusion(), 0, 0, []
    first_right = first_given = labeled_right = labeled_given = 0
    for item in items:
        n += 1
        match = matcher.match(item.affiliation)
        # One prediction per organization named: its top-level id, or its unit's when the label
        # is the unit ("MIT CSAIL"); a hit when the label is any id the string was given.
        predicted = set()
        for org in match.organizations:
            ids = {org.ror_id, org.unit_ror_id} - {""}
            if ids:
                predicted.add(
                    next(iter(sorted(ids & item.ror_ids))) if ids & item.ror_ids else org.ror_id or org.unit_ror_id
                )
        if match.organizations and match.organizations[0].ror_id:
            right = bool({match.organizations[0].ror_id, match.organizations[0].unit_ror_id} & item.ror_ids)
            first_given += 1
            first_right += right
            labeled_given += bool(item.ror_ids)
            labeled_right += right
        got = frozenset(predicted)
        counts += Confusion(len(got & item.ror_ids), len(got - item.ror_ids), len(item.ror_ids - got))
        exact += got == item.ror_ids
        if got != item.ror_ids:
            misses.append((item.affiliation, ";".join(sorted(item.ror_ids)), ";".join(sorted(got))))
    return StringScores(
        n,
        counts,
        exact,
        misses,
        first_right / first_given if first_given else 1.0,
        labeled_right / labeled_given if labeled_given else 1.0,
    )
