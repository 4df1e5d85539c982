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
    # CPU seconds of this process (the machine may be shared); wall seconds beside them.
    Registry.load()  # builds the on-disk cache if this is the first use ever
    wall, cpu = time.perf_counter(), time.process_time()
    registry = Registry.load()
    load = time.process_time() - cpu, time.perf_counter() - wall
    wall, cpu = time.perf_counter(), time.process_time()
    in_memory = Registry.load_in_memory()
    whole = time.process_time() - cpu, time.perf_counter() - wall
    del in_memory
    wall, cpu = time.perf_counter(), time.process_time()
    matcher = RuleMatcher(registry, load_aliases(registry))
    matcher.match("Univeristy of Oxfrod")
    warm = time.process_time() - cpu, time.perf_counter() - wall
    texts = strings()
    for rounds in ("first pass (cold lookups)", "second pass (lookups remembered)"):
        wall, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            matcher.match(text)
        elapsed = time.process_time() - cpu
        rate = len(texts) / elapsed
        print(
            f"{rounds}: {len(texts)} distinct strings in {elapsed:.2f} s CPU ({time.perf_counter() - wall:.2f} s wall):"
            f" {rate:.0f} strings/s (target >= 2000)"
        )
    print(f"registry: {len(registry)} organizations, open {load[0]:.3f} s CPU ({load[1]:.3f} s wall; target < 1 s)")
    print(f"the whole registry parsed into memory instead: {whole[0]:.2f} s CPU ({whole[1]:.2f} s wall)")
    print(f"matcher set-up + first fuzzy lookup: {warm[0]:.2f} s CPU ({warm[1]:.2f} s wall)")


if __name__ == "__main__":
    main()
