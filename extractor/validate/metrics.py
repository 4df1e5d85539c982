"""Counting agreement: precision/recall/F1 and bootstrap intervals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Confusion:
    """True positives, false positives and false negatives, micro-averaged."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Confusion) -> Confusion:
        return Confusion(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def set_counts(expected: Sequence, got: Sequence, same: Callable = lambda a, b: a == b) -> Confusion:
    """Confusion for one item: each expected element matched by at most one element of ``got``."""
    unused = list(got)
    tp = 0
    for item in expected:
        hit = next((i for i, other in enumerate(unused) if same(item, other)), None)
        if hit is not None:
            unused.pop(hit)
            tp += 1
    return Confusion(tp, len(unused), len(expected) - tp)


@dataclass(frozen=True, slots=True)
class Interval:
    estimate: float
    low: float
    high: float


def bootstrap_difference(got: Sequence[bool], expected: Sequence[bool], rounds: int = 2000, seed: int = 0) -> Interval:
    """95% percentile interval of mean(got) - mean(expected), resampling papers (paired)."""
    got_a, exp_a = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if not len(got_a):
        return Interval(0.0, 0.0, 0.0)
    diff = got_a - exp_a
    rng = np.random.default_rng(seed)
    samples = rng.integers(0, len(diff), size=(rounds, len(diff)))
    means = diff[samples].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Interval(float(diff.mean()), float(low), float(high))
