"""The matcher on NeurIPS 2013-2020 author-entered institution strings.

Usage: python bench/neurips_strings.py [--top 50] [--out CSV]
Reads ../shared/proceedings/neurips_1987_2021_metadata.tar.gz and reports the share of
author rows (with a non-empty institution string) that get no institution, and the most
frequent strings with the matcher's answer, to check by hand.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from pathlib import Path

from extractor.flags import Flag
from extractor.normalize.rules import RuleMatcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from neurips_metadata import author_rows

SHARED = Path(os.environ.get("AFFIL_SHARED", Path(__file__).resolve().parents[2] / "shared"))
ARCHIVE = SHARED / "proceedings" / "neurips_1987_2021_metadata.tar.gz"


def institution_strings(first: int = 2013, last: int = 2020) -> Counter[str]:
    """Author rows' institution strings, counted, for NeurIPS ``first``..``last``."""
    return Counter(text for _year, _author, text in author_rows(ARCHIVE, first, last))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--out", type=Path, help="write every distinct string with its answer here")
    args = parser.parse_args()
    counts = institution_strings()
    matcher = RuleMatcher()
    rows, missed = [], 0
    for text, n in counts.most_common():
        match = matcher.match(text)
        named = bool(match.institution) and Flag.NO_REGISTRY_MATCH not in match.flags
        no_inst = Flag.NO_INSTITUTION in match.flags  # "Independent researcher": answered, no institution
        if not named and not no_inst:
            missed += n
        answer = " + ".join(f"{o.institution} [{o.ror_id}] {o.country}" for o in match.organizations)
        rows.append((text, n, answer or match.institution, match.ror_id, match.country, ";".join(match.flags)))
    total = sum(counts.values())
    print(f"author rows with an institution string: {total}, distinct strings: {len(counts)}")
    print(f"rows with no match: {missed} ({missed / total:.2%})")
    for text, n, inst, ror, country, flags in rows[: args.top]:
        print(f"{n:5d}  {text!r:45} -> {inst} [{ror}] {country} {flags}")
    if args.out:
        with args.out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["affiliation", "rows", "institution", "ror_id", "country", "flags"])
            writer.writerows(rows)


if __name__ == "__main__":
    main()
