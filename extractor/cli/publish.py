"""`affil publish OUT_DIR` and `affil compare RUN_A RUN_B`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import error, say

if TYPE_CHECKING:
    from rich.console import Console


def publish_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "publish",
        help="write the tables, counts and report of a run again",
        description="Write papers.csv/authors.csv (+ .parquet), institutions.csv, countries.csv and report.html "
        "from OUT_DIR/affil.sqlite, with review decisions applied (this is also the last step of `affil run`).",
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    add_spreadsheet_option(parser)
    parser.add_argument(
        "--pair",
        default="US,CN",
        metavar="A,B",
        help="the two countries whose collaboration papers the report lists with their author blocks (default US,CN)",
    )
    compare = sub.add_parser(
        "compare",
        help="compare two or more runs (e.g. years): shares, ranks, and a trend chart",
        description="Compare the published tables of two or more runs: share and rank changes between the first "
        "and the last, and each headline share drawn over all of them (trend chart), written as CSV and "
        "compare.html (default into the last run's compare/ folder).",
    )
    compare.add_argument("runs", type=Path, nargs="+", metavar="RUN", help="run folders, in order (two or more)")
    compare.add_argument("--out", type=Path, metavar="DIR", help="where to write (default LAST_RUN/compare)")


def add_spreadsheet_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spreadsheet-safe",
        action="store_true",
        help="prefix CSV cells that begin with =, +, -, @, tab or CR (a formula when the file is opened in a "
        "spreadsheet) with an apostrophe; default: CSV cells as printed (the Parquet twins always are)",
    )


def cmd_publish(args: argparse.Namespace, console: Console) -> int:
    from ..lock import OutDirLock
    from ..publish import publish_run
    from ..publish.questions import parse_pair
    from ..store import RunStore

    try:
        pair = parse_pair(args.pair)
    except ValueError as exc:
        error(console, str(exc))
        return 2
    store = RunStore.existing(args.out_dir)
    with OutDirLock(args.out_dir), store:
        publish_run(store, args.out_dir, spreadsheet=args.spreadsheet_safe, pair=pair)
    say(console, f"wrote tables, countries.csv, institutions.csv and report.html to {args.out_dir}")
    return 0


def cmd_compare(args: argparse.Namespace, console: Console) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..publish.compare import CompareError, compare_countries, write_comparison

    if len(args.runs) < 2:
        error(console, "affil compare needs two or more run folders")
        return 2
    first, last = args.runs[0], args.runs[-1]
    try:
        written = write_comparison(first, last, args.out or last / "compare", args.runs)
        countries = compare_countries(first, last)
    except CompareError as exc:
        error(console, str(exc))
        return 2
    table = Table(title=Text(f"{first.name} -> {last.name}: share of papers by country"))
    for column in ("country", "share A", "share B", "change", "rank A", "rank B"):
        table.add_column(column, justify="left" if column == "country" else "right")
    for r in countries.head(15).itertuples():
        table.add_row(
            Text(str(r.country)),
            f"{r.share_a:.3f}",
            f"{r.share_b:.3f}",
            f"{r.share_change:+.3f}",
            _rank(r.rank_a),
            _rank(r.rank_b),
        )
    Console().print(table)
    say(console, f"wrote {', '.join(p.name for p in written)} to {written[0].parent}")
    return 0


def _rank(value: float) -> str:
    return "-" if value != value else str(int(value))  # NaN: not in that run
