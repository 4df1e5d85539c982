"""Score a run against a gold/silver CSV (gold format) at author and paper level.

Usage: python bench/eval_silver.py OUT_DIR [GOLD_CSV] [--errors N]
Default gold: ../shared/papers/labels/pmlr_silver_gold.csv (429 real PMLR papers).
Prints author recall, per-author country accuracy, institution F1 and the paper-level
country-set exact match (`affil validate` prints and writes the full report).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from extractor.validate import score_run

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("gold", type=Path, nargs="?", default=ROOT.parent / "shared/papers/labels/pmlr_silver_gold.csv")
    parser.add_argument("--errors", type=int, default=0, help="print the first N country disagreements")
    parser.add_argument(
        "--without-flag",
        metavar="FLAG",
        help="leave out rows carrying FLAG, for gold sets with another convention (the PMLR silver labels "
        "leave out 'work done at' rows: --without-flag time_of_work)",
    )
    args = parser.parse_args()
    authors = args.out_dir / "authors.csv"
    if args.without_flag:
        frame = pd.read_csv(authors, keep_default_na=False, dtype=str)
        kept = frame[~frame["flags"].str.split(";").apply(lambda flags: args.without_flag in flags)]
        authors = Path(tempfile.mkdtemp()) / "authors.csv"
        kept.to_csv(authors, index=False)
    report = score_run(authors, args.gold)
    print(f"gold papers: {report.papers}, gold authors: {report.gold_authors}")
    print(f"author recall (name found):        {report.author_recall:.3f}")
    print(f"per-author country accuracy:       {report.country_accuracy_labeled:.3f}  (authors with a country label)")
    print(f"  over all gold authors:           {report.country_accuracy:.3f}")
    print(f"institution F1:                    {report.institution.f1:.3f}")
    print(f"paper country-set exact match:     {report.paper_country_set_match:.3f}")
    country = [d for d in report.disagreements if d.field in ("country", "author")]
    for d in country[: args.errors]:
        print("  ", d.file, d.author, d.field, repr(d.expected), "->", repr(d.got))


if __name__ == "__main__":
    main()
