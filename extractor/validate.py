"""Validate stage (first part): agreement of a run with gold labels in the gold format.

The gold format has the columns of authors.csv that carry answers:
``file, author_index, author, affiliation_index, raw_affiliation, institution, ror_id, country``.
Authors are paired by name (family name + first initial, else fuzzy), so the scores do not
depend on the order in which the extractor found them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from .normalize.text import normalize_name


def _authors(frame: pd.DataFrame) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for row in frame.itertuples():
        if str(row.author_index) == "0":
            continue
        entry = out.setdefault(int(row.author_index), {"name": str(row.author), "countries": set(), "insts": set()})
        if isinstance(row.country, str) and row.country:
            entry["countries"].add(row.country)
        if isinstance(row.institution, str) and row.institution:
            entry["insts"].add(normalize_name(row.institution))
    return out


def name_similarity(a: str, b: str) -> float:
    """Token-sort similarity, or 100 when family name and first initial agree ("Alex Smola" ~ "Alexander J. Smola")."""
    a_words, b_words = normalize_name(a).split(), normalize_name(b).split()
    if a_words and b_words and a_words[-1] == b_words[-1] and a_words[0][0] == b_words[0][0]:
        return 100.0
    return fuzz.token_sort_ratio(" ".join(a_words), " ".join(b_words))


def _pair(gold: dict[int, dict], got: dict[int, dict]) -> dict[int, int | None]:
    pairs: dict[int, int | None] = {}
    used: set[int] = set()
    for gi, g in gold.items():
        scored = [(name_similarity(g["name"], p["name"]), pi) for pi, p in got.items() if pi not in used]
        score, index = max(scored, default=(0.0, None))
        pairs[gi] = index if score >= 75 else None
        if index is not None and score >= 75:
            used.add(index)
    return pairs


def _inst_hit(name: str, candidates: set[str]) -> bool:
    return any(fuzz.token_set_ratio(name, c) >= 90 for c in candidates)


@dataclass(frozen=True)
class GoldScores:
    """Headline agreement of a run with a gold CSV (see README: Measuring accuracy)."""

    gold_papers: int
    gold_authors: int
    author_recall: float
    country_accuracy: float
    institution_match_rate: float
    paper_country_set_match: float
    country_errors: list[tuple]


def score_run(authors_csv: Path, gold_csv: Path) -> GoldScores:
    """Compare a run's authors.csv with gold rows (gold format) paper by paper."""
    gold = pd.read_csv(gold_csv, dtype=str, keep_default_na=False)
    got = pd.read_csv(authors_csv, dtype=str, keep_default_na=False)
    got_by_file = dict(tuple(got.groupby("file")))
    n_auth = country_ok = inst_total = inst_ok = found = 0
    papers = paper_ok = 0
    errors = []
    for file, gframe in gold.groupby("file"):
        g_authors = _authors(gframe)
        p_authors = _authors(got_by_file[file]) if file in got_by_file else {}
        pairs = _pair(g_authors, p_authors)
        for gi, g in g_authors.items():
            pi = pairs[gi]
            p = p_authors.get(pi) if pi is not None else None
            found += p is not None
            if g["countries"]:
                n_auth += 1
                ok = p is not None and p["countries"] == g["countries"]
                country_ok += ok
                if not ok:
                    errors.append((file, g["name"], sorted(g["countries"]), sorted(p["countries"]) if p else None))
            for inst in g["insts"]:
                inst_total += 1
                inst_ok += p is not None and _inst_hit(inst, p["insts"])
        g_set = set().union(*(a["countries"] for a in g_authors.values()))
        if g_set:
            papers += 1
            p_set = set().union(*(a["countries"] for a in p_authors.values())) if p_authors else set()
            paper_ok += p_set == g_set
    n_gold_authors = sum(len(_authors(f)) for _, f in gold.groupby("file"))
    return GoldScores(
        gold_papers=gold.file.nunique(),
        gold_authors=n_gold_authors,
        author_recall=found / max(n_gold_authors, 1),
        country_accuracy=country_ok / max(n_auth, 1),
        institution_match_rate=inst_ok / max(inst_total, 1),
        paper_country_set_match=paper_ok / max(papers, 1),
        country_errors=errors,
    )
