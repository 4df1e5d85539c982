"""`affil fetch SOURCE EDITION --out DIR`: list a venue and download its PDFs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..sources import SOURCES

if TYPE_CHECKING:
    from rich.console import Console

    from ..fetch import FetchRequest, FetchSummary

EDITION_HELP = (
    "neurips YEAR | icml/aistats/uai/colt YEAR | pmlr vNN | iclr YEAR | openreview VENUE_ID | urls FILE ('-': stdin)"
)


def add_fetch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fetching")
    group.add_argument("--base-url", metavar="URL", help="the source's site root, for mirrors and tests")
    group.add_argument("--limit", type=int, metavar="N", help="only the first N listed papers")
    group.add_argument("--sample", type=int, metavar="N", help="N papers drawn at random (see --seed)")
    group.add_argument("--seed", type=int, default=0, help="random seed for --sample (default 0)")
    group.add_argument(
        "--first-pages", type=int, default=0, metavar="N", help="keep only the first N pages of each PDF"
    )
    group.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="downloads in flight per host (default 4)"
    )
    group.add_argument(
        "--fetch-timeout", type=float, default=60.0, metavar="S", help="seconds per request (default 60)"
    )


def fetch_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "fetch",
        help="list a venue's papers and download the PDFs",
        description="List a venue's accepted papers and download their PDFs into OUT_DIR/pdfs/, with the "
        "listing (titles, authors, URLs, track) in OUT_DIR/affil.sqlite. Resumable: finished PDFs are "
        f"verified and kept, half-written ones are redone. Sources: {EDITION_HELP}.",
    )
    parser.add_argument("source", choices=SOURCES, help="where the listing comes from")
    parser.add_argument("edition", metavar="EDITION", help="year, volume, venue id or URL file")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR", help="output folder (created if missing)")
    add_fetch_options(parser)


def request_from(args: argparse.Namespace, source: str, edition: str) -> FetchRequest:
    from ..fetch import FetchError, FetchRequest
    from ..fetch.download import DownloadOptions

    for flag in ("limit", "sample", "concurrency", "first_pages"):
        value = getattr(args, flag)
        if value is not None and value < (0 if flag == "first_pages" else 1):
            raise FetchError(f"--{flag.replace('_', '-')} must be at least {0 if flag == 'first_pages' else 1}")
    return FetchRequest(
        source=source,
        edition=edition,
        out_dir=args.out,
        base_url=args.base_url,
        limit=args.limit,
        sample=args.sample,
        seed=args.seed,
        download=DownloadOptions(
            concurrency=args.concurrency, timeout=args.fetch_timeout, first_pages=args.first_pages
        ),
    )


def run_fetch(request: FetchRequest, console: Console) -> FetchSummary:
    from ..fetch import fetch
    from ..messages import say

    summary = fetch(request, console)
    say(
        console,
        f"{summary.listed} listed, {summary.selected} selected: {summary.downloaded} downloaded "
        f"({summary.bytes / 1e6:.1f} MB), {summary.skipped} already there, {len(summary.failed)} failed; "
        f"PDFs in {request.pdf_dir}",
    )
    return summary


def cmd_fetch(args: argparse.Namespace, console: Console) -> int:
    from ..fetch import FetchError
    from ..messages import error

    try:
        summary = run_fetch(request_from(args, args.source, args.edition), console)
    except FetchError as exc:
        error(console, str(exc))
        return 2
    except KeyboardInterrupt:
        console.print("[red]interrupted[/]: finished PDFs are kept; run the same command again to resume")
        return 130
    return 0 if summary.downloaded + summary.skipped else 1
