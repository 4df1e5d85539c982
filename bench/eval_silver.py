"""Score a run against a gold/silver CSV (gold format) at author and paper level.

Usage: python bench/eval_silver.py OUT_DIR [GOLD_CSV] [--errors N]
Default gold: ../shared/papers/labels/pmlr_silver_gold.csv. Prints per-author country
accuracy, institution match rate and paper-level country-set exact match.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from extractor.normalize.text import normalize_name

ROOT = Path(__file__).resolve().parents[1]


def _authors(frame: pd.DataFrame) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for row in frame.itertuples():
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
        scored = [(name_similarity(g["name"], p["name"]), pi)
                  for pi, p in got.items() if pi not in used]
        best = max(scored, default=(0, None))
        pairs[gi] = best[1] if best[0] >= 75 else None
        if pairs[gi] is not None:
            used.add(best[1])
    return pairs


def _inst_hit(name: str, candidates: set[str]) -> bool:
    return any(fuzz.token_set_ratio(name, c) >= 90 for c in candidates)


def evaluate(out_dir: Path, gold_csv: Path, show_errors: int) -> None:
    gold = pd.read_csv(gold_csv, dtype=str, keep_default_na=False)
    got = pd.read_csv(out_dir / "authors.csv", dtype=str, keep_default_na=False)
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
    print(f"gold papers: {gold.file.nunique()}, gold authors: {n_gold_authors}")
    print(f"author recall (name found):        {found / n_gold_authors:.3f}")
    print(f"per-author country accuracy:       {country_ok / n_auth:.3f}  ({country_ok}/{n_auth})")
    print(f"institution match rate:            {inst_ok / inst_total:.3f}  ({inst_ok}/{inst_total})")
    print(f"paper country-set exact match:     {paper_ok / papers:.3f}  ({paper_ok}/{papers})")
    for err in errors[:show_errors]:
        print("  ", err)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("gold", type=Path, nargs="?", default=ROOT.parent / "shared/papers/labels/pmlr_silver_gold.csv")
    parser.add_argument("--errors", type=int, default=0, help="print the first N country disagreements")
    args = parser.parse_args()
    evaluate(args.out_dir, args.gold, args.errors)


if __name__ == "__main__":
    main()
