"""Matcher throughput and registry load time.

Usage: python bench/bench_match.py
Strings: the distinct raw affiliations of ../shared/papers/labels/pmlr_silver_gold.csv
and the S2AFF train split (no evaluation-only sets). Targets: >= 2,000 strings/s on one
core, registry load < 1 s.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

from extractor.normalize.rules import RuleMatcher
from extractor.registry.aliases import load_aliases
from extractor.registry.organizations import Registry

SHARED = Path(os.environ.get("AFFIL_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def strings() -> list[str]:
    found: list[str] = []
    with (SHARED / "papers/labels/pmlr_silver_gold.csv").open(encoding="utf-8") as handle:
        found += [row["raw_affiliation"] for row in csv.DictReader(handle)]
    with (SHARED / "gold/affiliation-strings/s2aff/gold_affiliation_annotations.csv").open(encoding="utf-8") as handle:
        found += [row["original_affiliation"] for row in csv.DictReader(handle) if row.get("split") == "train"]
    return list(dict.fromkeys(s for s in found if s))


def main() -> None:
    start = time.perf_counter()
    registry = Registry.load()
    load = time.perf_counter() - start
    start = time.perf_counter()
    matcher = RuleMatcher(registry, load_aliases(registry))
    matcher.match("Univeristy of Oxfrod")  # builds the fuzzy token index once
    warm = time.perf_counter() - start
    texts = strings()
    start = time.perf_counter()
    for text in texts:
        matcher.match(text)
    elapsed = time.perf_counter() - start
    print(f"registry: {len(registry)} organizations, load {load:.2f} s (target < 1 s)")
    print(f"aliases + fuzzy index build (first fuzzy lookup): {warm:.2f} s")
    rate = len(texts) / elapsed
    print(f"matched {len(texts)} distinct strings in {elapsed:.2f} s: {rate:.0f} strings/s (target >= 2000)")


if __name__ == "__main__":
    main()
