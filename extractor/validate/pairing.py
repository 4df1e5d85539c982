"""Pair the authors a run found with the gold authors of the same paper."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..normalize.text import normalize_name
from .gold import LabeledAuthor

NAME_CUTOFF = 75.0


def name_similarity(a: str, b: str) -> float:
    """Token-sort similarity, or 100 when family name and first initial agree ("Alex Smola" ~ "Alexander J. Smola")."""
    a_words, b_words = normalize_name(a).split(), normalize_name(b).split()
    if a_words and b_words and a_words[-1] == b_words[-1] and a_words[0][0] == b_words[0][0]:
        return 100.0
    return fuzz.token_sort_ratio(" ".join(a_words), " ".join(b_words))


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
