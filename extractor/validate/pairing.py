"""Pair the authors a run found with the gold authors of the same paper."""

from __future__ import annotations

from ..registry.text import NAME_CUTOFF, name_similarity
from .gold import LabeledAuthor

__all__ = ["NAME_CUTOFF", "name_similarity", "pair_authors"]


def pair_authors(gold: list[LabeledAuthor], got: list[LabeledAuthor]) -> list[tuple[LabeledAuthor, LabeledAuthor]]:
    """One-to-one pairs by name similarity; ties go to the pair closest in author order
    (two "Wei Zhang"s on one paper pair first with first)."""
    scored = [
        (name_similarity(g.name, p.name), -abs(gi - pi), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(got)
    ]
    pairs, used_gold, used_got = [], set(), set()
    for score, _closeness, gi, pi in sorted(scored, reverse=True):
        if score < NAME_CUTOFF:
            break
        if gi in used_gold or pi in used_got:
            continue
        used_gold.add(gi)
        used_got.add(pi)
        pairs.append((gold[gi], got[pi]))
    return sorted(pairs, key=lambda pair: pair[0].index)
