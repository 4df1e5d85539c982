"""Draw a stratified random sample of a run's papers, pre-filled in the gold format for a
person to correct (cheaper than labeling from scratch)."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from .gold import GOLD_COLUMNS, GoldFormatError, read_labels


def stratum_of(file: str) -> str:
    """Papers are stratified by their top folder (venue/year in a conference layout)."""
    return file.split("/", 1)[0] if "/" in file else "."


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation by largest remainder; every stratum gets at least one paper
    when n allows, and never more papers than it has."""
    total = sum(sizes.values())
    n = min(n, total)
    if n <= 0:
        return dict.fromkeys(sizes, 0)
    quotas = {s: n * size / total for s, size in sizes.items()}
    taken = {s: min(size, max(int(quotas[s]), 1 if n >= len(sizes) else 0)) for s, size in sizes.items()}
    by_remainder = sorted(sizes, key=lambda s: (quotas[s] - int(quotas[s]), sizes[s]), reverse=True)
    while sum(taken.values()) < n:
        for stratum in by_remainder:
            if sum(taken.values()) < n and taken[stratum] < sizes[stratum]:
                taken[stratum] += 1
    while sum(taken.values()) > n:  # minimum-one rule overshot: trim the largest strata
        largest = max(taken, key=lambda s: taken[s])
        taken[largest] -= 1
    return taken


def sample_gold(out_dir: Path, n: int, seed: int = 0) -> pd.DataFrame:
    """Rows of ``n`` sampled papers from OUT_DIR/authors.csv in the gold format, flagged papers
    first (they most likely need a fix), then by file and author order."""
    authors_csv = out_dir / "authors.csv"
    if not authors_csv.is_file():
        raise GoldFormatError(f"{authors_csv}: no such file; run `affil run ... --out {out_dir}` first")
    if n < 1:
        raise GoldFormatError("--n must be at least 1")
    rows = read_labels(authors_csv)
    files = sorted(rows["file"].unique())
    strata: dict[str, list[str]] = {}
    for file in files:
        strata.setdefault(stratum_of(file), []).append(file)
    rng = random.Random(seed)
    chosen = [
        file
        for stratum, count in allocate({s: len(f) for s, f in strata.items()}, n).items()
        for file in rng.sample(strata[stratum], count)
    ]
    picked = rows[rows["file"].isin(chosen)].copy()
    flagged = picked.groupby("file")["flags"].transform(lambda f: (f != "").any()) if "flags" in picked else False
    picked["_flagged"] = flagged
    picked["_author"] = picked["author_index"].astype(int)
    picked["_affiliation"] = picked["affiliation_index"].astype(int)
    picked = picked.sort_values(["_flagged", "file", "_author", "_affiliation"], ascending=[False, True, True, True])
    return picked[GOLD_COLUMNS].reset_index(drop=True)
