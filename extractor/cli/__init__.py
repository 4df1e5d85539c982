"""The `affil` command line: a thin layer over the pipeline stages."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from . import fetch, llm, match, publish, review, run, validate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="affil",
        description="Turn conference PDFs into affiliation data: authors, institutions (ROR ids) and countries.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run.run_parser(sub)
    fetch.fetch_parser(sub)
    review.review_parser(sub)
    publish.publish_parser(sub)
    match.match_parser(sub)
    validate.validate_parser(sub)
    validate.gold_parser(sub)
    llm.llm_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..lock import LockedError
    from ..store import NoRunStoreError
    from ..validate import GoldFormatError

    args = build_parser().parse_args(argv)
    console = Console(stderr=True)
    handlers = {
        "run": run.cmd_run,
        "match": match.cmd_match,
        "validate": validate.cmd_validate,
        "gold": validate.cmd_gold,
        "fetch": fetch.cmd_fetch,
        "review": review.cmd_review,
        "publish": publish.cmd_publish,
        "compare": publish.cmd_compare,
        "llm": llm.cmd_llm,
    }
    try:
        return handlers[args.command](args, console)
    except (GoldFormatError, LockedError, NoRunStoreError) as exc:  # bad input or a busy folder: exit 2
        console.print(f"[red]error[/]: {exc}", highlight=False)
        return 2


def entry_point() -> None:
    """Console-script entry: exit with main's code."""
    try:
        sys.exit(main())
    except BrokenPipeError:  # `affil review --list --csv | head`: the reader left, nothing is wrong
        sys.stdout = None  # type: ignore[assignment]
        sys.exit(0)
