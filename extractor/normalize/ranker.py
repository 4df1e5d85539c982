"""The learned verifier: how likely each organization the rules found is the one the string names.

Gradient-boosted trees over per-organization features (how it was found, how well the printed
words match the record's name, how rare those words are, country and city agreement, type, the
NeurIPS prior, the other organizations printed beside it). Trained by ``scripts/train_ranker.py``
on the tunable labeled sets and shipped as ``extractor/data/ranker.json`` (plain numbers; scored
here in pure Python, no learning library at run time). An organization scoring below the model's
threshold keeps its printed name and country but no registry id (``no_registry_match``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

FEATURES = (
    "method_alias",
    "method_alias_hq",
    "method_exact",
    "method_prior",
    "method_acronym",
    "method_fuzzy",
    "partial_name",
    "rule_confidence",
    "type_education",
    "type_company",
    "type_facility",
    "type_government",
    "type_healthcare",
    "type_nonprofit",
    "type_other",
    "n_organizations",
    "position",
    "has_unit",
    "own_address",
    "printed_agrees",
    "printed_disagrees",
    "country_conflict",
    "ambiguous",
    "country_from_hq",
    "same_named_records",
    "prior_log",
    "span_words",
    "name_ratio",
    "name_words_missing",
    "span_words_extra",
    "rarity_log",
    "n_segments",
    "segments_after",
    "other_healthcare",
    "other_education",
    "city_agrees",
    "full_record",
    "span_subunit",
    "span_hospital_not_healthcare",
    "span_university_not_education",
    "has_parent",
)


@dataclass(frozen=True, slots=True)
class Ranker:
    """Boosted regression trees on the log-odds scale; each tree is four parallel lists
    (feature, threshold, left, right) plus leaf values, -1 marking a leaf."""

    trees: tuple[tuple[list[int], list[float], list[int], list[int], list[float]], ...]
    base: float
    threshold: float
    features: tuple[str, ...] = FEATURES
    # the trees as one compiled function, built on the first call (``_compile``)
    _compiled: Callable[[Sequence[float]], float] | None = field(default=None, init=False, repr=False, compare=False)

    def probability(self, x: Sequence[float]) -> float:
        return 1.0 / (1.0 + math.exp(-(self._compiled or self._compile())(x)))

    def _compile(self) -> Callable[[Sequence[float]], float]:
        """The ensemble as one Python expression, ``base + tree_1 + tree_2 + ...`` with each tree
        a nested conditional: the same comparisons and the same additions in the same order as
        ``log_odds``, about twice as fast as walking the node lists."""

        def node(tree: tuple, at: int) -> str:
            feature, cut, left, right, value = tree
            if left[at] == -1:
                return repr(float(value[at]))
            return f"({node(tree, left[at])} if x[{feature[at]}] <= {float(cut[at])!r} else {node(tree, right[at])})"

        source = " + ".join([repr(float(self.base)), *(node(tree, 0) for tree in self.trees)])
        namespace: dict[str, Callable[[Sequence[float]], float]] = {}
        exec(compile(f"def log_odds(x):\n    return {source}\n", "<ranker.json>", "exec"), namespace)  # our numbers
        object.__setattr__(self, "_compiled", namespace["log_odds"])  # frozen: set once, like a cache
        return namespace["log_odds"]

    def log_odds(self, x: Sequence[float]) -> float:
        """The trees walked one by one (what ``_compile`` turns into one expression)."""
        total = self.base
        for feature, cut, left, right, value in self.trees:
            node = 0
            while left[node] != -1:
                node = left[node] if x[feature[node]] <= cut[node] else right[node]
            total += value[node]
        return total

    records = False  # a recorder (training) wants the features of trusted organizations too

    def keep(self, x: Sequence[float], trusted: bool = False) -> tuple[bool, float]:
        """Whether to keep the record, and its probability; a trusted one is kept unscored."""
        if trusted:
            return True, 1.0
        p = self.probability(x)
        return p >= self.threshold, p

    @classmethod
    def from_json(cls, text: str) -> Ranker:
        data = json.loads(text)
        if tuple(data["features"]) != FEATURES:
            raise ValueError("ranker.json was trained on other features: run scripts/train_ranker.py")
        trees = tuple((t["feature"], t["threshold"], t["left"], t["right"], t["value"]) for t in data["trees"])
        return cls(trees, float(data["base"]), float(data["threshold"]))


class KeepAll:
    """No model (or while training one): every organization the rules found is kept."""

    threshold = 0.0
    records = False

    def keep(self, x: Sequence[float], trusted: bool = False) -> tuple[bool, float]:
        return True, 1.0


@cache
def default_ranker() -> Ranker | KeepAll:
    path = resources.files("extractor.data").joinpath("ranker.json")
    if not path.is_file():
        return KeepAll()
    return Ranker.from_json(path.read_text(encoding="utf-8"))
