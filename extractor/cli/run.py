"""`affil run`: fetch (optionally), extract, normalize, publish."""

from __future__ import annotations

import argparse
import errno
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import error, labelled, say
from ..modes import ExecutorKind, LlmMode
from ..sources import PDF_DIR, SOURCES
from .fetch import EDITION_HELP, add_fetch_options, request_from, run_fetch
from .llm import add_endpoint_options, config_from_args
from .publish import add_spreadsheet_option

if TYPE_CHECKING:
    from rich.console import Console

    from ..llm import LLMConfig


def run_parser(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser(
        "run",
        help="extract, normalize and publish a folder of PDFs, or fetch a conference year first",
        description="Process every PDF under PDF_DIR (recursively), or fetch a venue first (`affil run neurips "
        "2024 --out DIR` downloads into DIR/pdfs), and write papers.csv and authors.csv into OUT_DIR. Finished "
        "papers are kept in OUT_DIR/affil.sqlite: running the same command again skips them and resumes "
        "after a crash or Ctrl-C.",
    )
    run.add_argument(
        "target", nargs="+", metavar="PDF_DIR | SOURCE EDITION", help=f"a folder of PDFs, or {EDITION_HELP}"
    )
    run.add_argument("--out", type=Path, required=True, metavar="OUT_DIR", help="output folder (created if missing)")
    run.add_argument(
        "--llm",
        type=LlmMode,
        choices=list(LlmMode),
        default=None,
        help="which papers an LLM settles: off (rules only), auto (only papers the rules could not settle), "
        "all. Default: auto when an API key or base URL is configured, else off",
    )
    add_endpoint_options(run, batch=True)
    run.add_argument("--force", action="store_true", help="redo papers that are already done")
    run.add_argument("--jobs", type=int, default=None, help="worker processes for extraction (default: all cores)")
    run.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per PDF (default: 60)")
    run.add_argument(
        "--executor",
        type=ExecutorKind,
        choices=list(ExecutorKind),
        default=ExecutorKind.LOCAL,
        help="where per-paper work runs: local processes (default) or a Dask cluster",
    )
    run.add_argument("--dask-address", metavar="ADDR", help="a running Dask scheduler (default: a local cluster)")
    add_spreadsheet_option(run)
    add_fetch_options(run)


def is_disk_full(exc: BaseException) -> bool:
    """ENOSPC from a write, or SQLite's 'database or disk is full'."""
    return getattr(exc, "errno", None) == errno.ENOSPC or "disk is full" in str(exc).lower()


def _pdf_dir(args: argparse.Namespace, console: Console) -> Path | None:
    """PDF_DIR as given, or OUT_DIR/pdfs after fetching SOURCE EDITION."""
    if len(args.target) == 1:
        return Path(args.target[0])
    from ..fetch import FetchError

    source, edition, *rest = args.target
    if rest or source not in SOURCES:
        error(console, f"give PDF_DIR, or SOURCE EDITION with SOURCE one of {', '.join(SOURCES)}")
        return None
    try:
        summary = run_fetch(request_from(args, source, edition), console)
    except FetchError as exc:
        error(console, str(exc))
        return None
    return args.out / PDF_DIR if summary.downloaded + summary.skipped else None


def cmd_run(args: argparse.Namespace, console: Console) -> int:
    from ..llm import LLMConfigError
    from ..lock import OutDirLock

    try:
        config = config_from_args(args)
    except LLMConfigError as exc:
        error(console, str(exc))
        return 2
    with OutDirLock(args.out):  # held from the fetch through the publish of `affil run SOURCE EDITION`
        return _fetch_and_run(args, config, console)


def _fetch_and_run(args: argparse.Namespace, config: LLMConfig, console: Console) -> int:
    from ..pipeline import RunError, RunOptions, run_pipeline

    llm = args.llm or (LlmMode.AUTO if config.configured else LlmMode.OFF)
    if llm != LlmMode.OFF and config.configured:  # know the endpoint before the run (`affil llm check`)
        from .llm import run_check

        check = run_check(config, console)
        if not check.usable:
            error(
                console,
                f"--llm {llm}: {check.problem()}. Fix the endpoint (`affil llm check` shows what it answers) "
                "or run with --llm off.",
            )
            return 2
    pdf_dir = _pdf_dir(args, console)
    if pdf_dir is None:
        return 2
    options = RunOptions(
        pdf_dir=pdf_dir, out_dir=args.out, llm=llm, force=args.force, timeout=args.timeout, llm_config=config
    )
    if args.jobs:
        options.jobs = args.jobs
    options.executor, options.executor_address = args.executor, args.dask_address
    options.spreadsheet_safe = args.spreadsheet_safe
    try:
        summary = run_pipeline(options, console)
    except RunError as exc:
        error(console, str(exc))
        return 2
    except KeyboardInterrupt:
        return 130
    except (OSError, sqlite3.OperationalError) as exc:
        if not is_disk_full(exc):
            raise
        error(
            console,
            f"the disk is full while writing {args.out} ({exc}). Free some space and run the same "
            "command again: finished papers are kept in the run store.",
        )
        return 2
    papers_csv, authors_csv = summary.outputs
    say(
        console,
        f"{summary.total} PDFs: {summary.processed} processed, {summary.skipped} already done, "
        f"{summary.failed} could not be read"
        + (f", {duplicates} byte-identical duplicates" if (duplicates := summary.statuses["duplicate"]) else ""),
    )
    if summary.llm_usage is not None:
        print_llm_usage(summary, console)
    say(console, f"wrote {papers_csv} and {authors_csv}")
    timings = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in summary.timings.items())
    say(console, f"time: {timings}", "dim")
    if summary.llm_error:
        labelled(console, "LLM stopped", f"{summary.llm_error}; the rules' answers were published")
        return 2
    return 0 if summary.usable else 1


def print_llm_usage(summary, console: Console) -> None:
    u = summary.llm_usage
    tokens_in = u.prompt_tokens + u.batch_prompt_tokens
    tokens_out = u.completion_tokens + u.batch_completion_tokens
    cost = (
        "unknown price (set --llm-price-in/--llm-price-out)" if summary.llm_cost is None else f"${summary.llm_cost:.4f}"
    )
    say(
        console,
        f"LLM: {u.papers} papers, {u.calls} calls, {u.cache_hits} answered from cache, {u.batched} via batch, "
        f"{u.failed} without a usable answer; tokens {tokens_in} in / {tokens_out} out; est. cost {cost}",
    )
