"""The `affil` command line: a thin layer over the pipeline stages.

Start-up is kept short: building the parser imports only argparse and the light modules the help text
needs (``extractor.sources``); each command imports its machinery (pandas, pymupdf, openai, ...) in the
function that runs it, so ``affil --help`` answers at once (see bench/bench_startup.py).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..version import package_version
from . import fetch, llm, match, publish, review, run, show, validate

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="affil",
        description="Turn conference PDFs into affiliation data: authors, institutions (ROR ids) and countries.",
    )
    parser.add_argument("--version", action="version", version=f"affil {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    run.run_parser(sub)
    fetch.fetch_parser(sub)
    review.review_parser(sub)
    publish.publish_parser(sub)
    show.show_parser(sub)
    match.match_parser(sub)
    validate.validate_parser(sub)
    validate.gold_parser(sub)
    llm.llm_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    from rich.console import Console

    console = Console(stderr=True, soft_wrap=True)  # an error message stays one line, however long
    handlers: dict[str, Callable[[argparse.Namespace, Console], int]] = {
        "run": run.cmd_run,
        "match": match.cmd_match,
        "validate": validate.cmd_validate,
        "gold": validate.cmd_gold,
        "fetch": fetch.cmd_fetch,
        "review": review.cmd_review,
        "publish": publish.cmd_publish,
        "compare": publish.cmd_compare,
        "llm": llm.cmd_llm,
        "show": show.cmd_show,
    }
    try:
        return handlers[args.command](args, console)
    except Exception as exc:
        if not _bad_input(exc):
            raise
        from ..messages import error

        error(console, str(exc))
        return 2


def _bad_input(exc: Exception) -> bool:
    """Bad input or a busy folder (exit 2). Imported only when something was raised: the classes'
    modules (pandas for the gold format) are not loaded by every command."""
    from ..lock import OutDirError
    from ..store import NoRunStoreError
    from ..validate.gold import GoldFormatError

    return isinstance(exc, GoldFormatError | OutDirError | NoRunStoreError)


def entry_point() -> None:
    """Console-script entry: exit with main's code."""
    try:
        sys.exit(main())
    except BrokenPipeError:  # `affil review --list --csv | head`: the reader left, nothing is wrong
        sys.stdout = None  # type: ignore[assignment]
        sys.exit(0)
