"""The `affil` command line: a thin layer over the pipeline stages."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from .pipeline import RunError, RunOptions, run_pipeline

LLM_CHOICES = ("off", "auto", "all")


def _run_parser(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser(
        "run",
        help="extract, normalize and publish every PDF under a folder",
        description="Process every PDF under PDF_DIR (recursively) and write papers.csv and authors.csv "
        "into OUT_DIR. Finished papers are kept in OUT_DIR/affil.sqlite: running the same command again "
        "skips them and resumes after a crash or Ctrl-C.",
    )
    run.add_argument("pdf_dir", type=Path, metavar="PDF_DIR", help="folder of PDFs (searched recursively)")
    run.add_argument("--out", type=Path, required=True, metavar="OUT_DIR", help="output folder (created if missing)")
    run.add_argument(
        "--llm",
        choices=LLM_CHOICES,
        default="off",
        help="LLM policy; only 'off' (offline rule engine) is available in this version",
    )
    run.add_argument("--force", action="store_true", help="redo papers that are already done")
    run.add_argument("--jobs", type=int, default=None, help="worker processes for extraction (default: all cores)")
    run.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per PDF (default: 60)")


def _match_parser(sub: argparse._SubParsersAction) -> None:
    match = sub.add_parser(
        "match",
        help="normalize affiliation strings and print JSON",
        description="Print the normalization of one affiliation string as one JSON object with keys "
        "affiliation, institution, ror_id, country, confidence, flags; with --input, one JSON line per "
        "input line, in order.",
    )
    match.add_argument("affiliation", nargs="?", help="one raw affiliation string")
    match.add_argument("--input", type=Path, metavar="FILE", help="file with one affiliation per line ('-' for stdin)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="affil",
        description="Turn conference PDFs into affiliation data: authors, institutions (ROR ids) and countries.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _run_parser(sub)
    _match_parser(sub)
    return parser


def _cmd_run(args: argparse.Namespace, console: Console) -> int:
    options = RunOptions(pdf_dir=args.pdf_dir, out_dir=args.out, llm=args.llm, force=args.force, timeout=args.timeout)
    if args.jobs:
        options.jobs = args.jobs
    try:
        summary = run_pipeline(options, console)
    except RunError as exc:
        console.print(f"[red]error[/]: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    papers_csv, authors_csv = summary.outputs
    console.print(
        f"{summary.total} PDFs: {summary.processed} processed, {summary.skipped} already done, "
        f"{summary.failed} could not be read"
    )
    console.print(f"wrote {papers_csv} and {authors_csv}")
    return 0 if summary.usable else 1


def _cmd_match(args: argparse.Namespace, console: Console) -> int:
    from .normalize import RuleMatcher

    if bool(args.affiliation) == bool(args.input):
        console.print("[red]error[/]: give one affiliation string or --input FILE")
        return 2
    matcher = RuleMatcher()
    if args.affiliation:
        lines = [args.affiliation]
    elif str(args.input) == "-":
        lines = sys.stdin.read().splitlines()
    elif not args.input.is_file():
        console.print(f"[red]error[/]: {args.input} does not exist")
        return 2
    else:
        lines = args.input.read_text(encoding="utf-8").splitlines()
    for line in lines:
        match = matcher.match(line)
        record = {
            k: getattr(match, k) for k in ("affiliation", "institution", "ror_id", "country", "confidence", "flags")
        }
        print(json.dumps(record, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=True)
    handlers = {"run": _cmd_run, "match": _cmd_match}
    return handlers[args.command](args, console)


if __name__ == "__main__":
    sys.exit(main())


def entry_point() -> None:
    """Console-script entry: exit with main's code."""
    sys.exit(main())
