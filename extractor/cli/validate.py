"""`affil validate` and `affil gold sample|check`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import labelled, say

if TYPE_CHECKING:
    from rich.console import Console


def validate_parser(sub: argparse._SubParsersAction) -> None:
    validate = sub.add_parser(
        "validate",
        help="compare a run with a hand-labeled gold CSV",
        description="Compare OUT_DIR/authors.csv with a gold CSV (columns file, author_index, author, "
        "affiliation_index, raw_affiliation, institution, ror_id, country). Prints author, institution, "
        "country and paper-level agreement and the headline shares with bootstrap intervals, and writes "
        "them with every disagreement to OUT_DIR/validation/. Exit 1 when a --min threshold fails.",
    )
    validate.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder of a finished `affil run`")
    validate.add_argument("--gold", type=Path, required=True, metavar="GOLD.csv", help="gold labels")
    validate.add_argument("--min-country-acc", type=float, metavar="X", help="fail when country accuracy < X")
    validate.add_argument("--min-institution-f1", type=float, metavar="X", help="fail when institution F1 < X")


def gold_parser(sub: argparse._SubParsersAction) -> None:
    gold = sub.add_parser("gold", help="make and check gold label files", description="Gold-set workflow.")
    gold_sub = gold.add_subparsers(dest="gold_command", required=True)
    sample = gold_sub.add_parser(
        "sample",
        help="draw papers from a run, pre-filled in the gold format",
        description="Draw a random sample of papers from a run, stratified by top folder (venue/year), and "
        "write their rows in the gold format pre-filled with the run's answers: flagged papers first.",
    )
    sample.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder of a finished `affil run`")
    sample.add_argument("--n", type=int, default=100, help="papers to draw (default 100)")
    sample.add_argument("--out", type=Path, required=True, metavar="GOLD.csv", help="file to write")
    sample.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed, same sample")
    check = gold_sub.add_parser(
        "check",
        help="report format errors in a gold file",
        description="Check a gold CSV: columns, whole-number indices, ISO country codes, ROR id syntax, "
        "duplicate rows. Exit 1 when there is any problem.",
    )
    check.add_argument("gold", type=Path, metavar="GOLD.csv")


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    from ..validate import validate_run
    from ..validate.output import print_report

    report, written = validate_run(args.gold, args.out_dir)
    print_report(report, console)
    say(console, f"wrote {', '.join(p.name for p in written)} to {written[0].parent}")
    failed = []
    if args.min_country_acc is not None and report.country_accuracy < args.min_country_acc:
        failed.append(f"country accuracy {report.country_accuracy:.3f} < {args.min_country_acc}")
    if args.min_institution_f1 is not None and report.institution.f1 < args.min_institution_f1:
        failed.append(f"institution F1 {report.institution.f1:.3f} < {args.min_institution_f1}")
    for message in failed:
        labelled(console, "threshold failed", message)
    return 1 if failed else 0


def cmd_gold(args: argparse.Namespace, console: Console) -> int:
    from ..validate import check_gold
    from ..validate.sample import sample_gold

    if args.gold_command == "sample":
        frame = sample_gold(args.out_dir, args.n, args.seed)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.out, index=False)
        say(console, f"wrote {frame['file'].nunique()} papers ({len(frame)} rows) to {args.out}; correct them by hand")
        return 0
    problems = check_gold(args.gold)
    for problem in problems:
        say(console, f"{args.gold}: {problem}")
    say(console, f"{len(problems)} problem(s)" if problems else f"{args.gold}: ok")
    return 1 if problems else 0
