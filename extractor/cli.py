"""The `affil` command line: a thin layer over the pipeline stages."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
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
        default=None,
        help="which papers an LLM settles: off (rules only), auto (only papers the rules could not settle), "
        "all. Default: auto when an API key or base URL is configured, else off",
    )
    llm = run.add_argument_group(
        "LLM endpoint",
        "Any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp). The key comes from "
        "OPENAI_API_KEY or the [llm] table of the config file (~/.config/affil/config.toml or $AFFIL_CONFIG).",
    )
    llm.add_argument("--llm-base-url", metavar="URL", help="e.g. http://localhost:8080/v1 (default: OpenAI)")
    llm.add_argument("--llm-model", metavar="NAME", help="model name (default gpt-4o-mini)")
    llm.add_argument("--llm-config", type=Path, metavar="FILE", help="TOML file with an [llm] table")
    llm.add_argument("--llm-concurrency", type=int, metavar="N", help="requests in flight (default 4)")
    llm.add_argument("--llm-timeout", type=float, metavar="S", help="seconds per request (default 120)")
    llm.add_argument("--llm-batch", action="store_true", default=None, help="use the OpenAI Batch API (half price)")
    llm.add_argument("--llm-price-in", type=float, metavar="USD", help="price per million input tokens")
    llm.add_argument("--llm-price-out", type=float, metavar="USD", help="price per million output tokens")
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
    match.add_argument(
        "--eval",
        type=Path,
        metavar="FILE",
        help="score the matcher on labeled strings: S2AFF CSV (labels column of ROR URLs), ROR JSON "
        "[{affiliation, ror_ids}] or an affiliation,ror_id CSV; prints precision, recall, F1, accuracy",
    )
    match.add_argument("--split", help="with --eval on a CSV with a 'split' column: only this split (e.g. val)")
    match.add_argument("--misses", type=Path, metavar="CSV", help="with --eval: write the disagreements here")


def _validate_parser(sub: argparse._SubParsersAction) -> None:
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


def _gold_parser(sub: argparse._SubParsersAction) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="affil",
        description="Turn conference PDFs into affiliation data: authors, institutions (ROR ids) and countries.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _run_parser(sub)
    _match_parser(sub)
    _validate_parser(sub)
    _gold_parser(sub)
    return parser


def _cmd_run(args: argparse.Namespace, console: Console) -> int:
    from .llm import LLMConfigError, load_config

    try:
        config = load_config(
            args.llm_config,
            base_url=args.llm_base_url,
            model=args.llm_model,
            concurrency=args.llm_concurrency,
            timeout=args.llm_timeout,
            batch=args.llm_batch,
            price_in=args.llm_price_in,
            price_out=args.llm_price_out,
        )
    except LLMConfigError as exc:
        console.print(f"[red]error[/]: {exc}", highlight=False)
        return 2
    llm = args.llm or ("auto" if config.configured else "off")
    options = RunOptions(
        pdf_dir=args.pdf_dir, out_dir=args.out, llm=llm, force=args.force, timeout=args.timeout, llm_config=config
    )
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
    if summary.llm_usage is not None:
        _print_llm_usage(summary, console)
    console.print(f"wrote {papers_csv} and {authors_csv}")
    if summary.llm_error:
        console.print(f"[red]LLM stopped[/]: {summary.llm_error}; the rules' answers were published", highlight=False)
        return 2
    return 0 if summary.usable else 1


def _print_llm_usage(summary, console: Console) -> None:
    u = summary.llm_usage
    tokens_in = u.prompt_tokens + u.batch_prompt_tokens
    tokens_out = u.completion_tokens + u.batch_completion_tokens
    cost = (
        "unknown price (set --llm-price-in/--llm-price-out)" if summary.llm_cost is None else f"${summary.llm_cost:.4f}"
    )
    console.print(
        f"LLM: {u.papers} papers, {u.calls} calls, {u.cache_hits} answered from cache, {u.batched} via batch, "
        f"{u.failed} without a usable answer; tokens {tokens_in} in / {tokens_out} out; est. cost {cost}",
        highlight=False,
    )


def _cmd_match(args: argparse.Namespace, console: Console) -> int:
    from .normalize import RuleMatcher

    if args.eval:
        return _cmd_match_eval(args, console)
    if bool(args.affiliation) == bool(args.input):
        console.print("[red]error[/]: give one affiliation string, --input FILE or --eval FILE")
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


def _cmd_match_eval(args: argparse.Namespace, console: Console) -> int:
    from .validate.strings import load_labeled_strings, score_strings

    items = load_labeled_strings(args.eval, args.split)
    scores = score_strings(items)
    c = scores.counts
    print(
        json.dumps(
            {
                "file": str(args.eval),
                "strings": scores.strings,
                "precision": round(c.precision, 4),
                "recall": round(c.recall, 4),
                "f1": round(c.f1, 4),
                "accuracy": round(scores.accuracy, 4),
                "tp": c.tp,
                "fp": c.fp,
                "fn": c.fn,
            }
        )
    )
    if args.misses:
        pd.DataFrame(scores.misses, columns=["affiliation", "expected", "got"]).to_csv(args.misses, index=False)
        console.print(f"wrote {len(scores.misses)} disagreements to {args.misses}")
    return 0


def _cmd_validate(args: argparse.Namespace, console: Console) -> int:
    from .validate import validate_run
    from .validate.report import print_report

    report, written = validate_run(args.gold, args.out_dir)
    print_report(report, console)
    console.print(f"wrote {', '.join(p.name for p in written)} to {written[0].parent}")
    failed = []
    if args.min_country_acc is not None and report.country_accuracy < args.min_country_acc:
        failed.append(f"country accuracy {report.country_accuracy:.3f} < {args.min_country_acc}")
    if args.min_institution_f1 is not None and report.institution.f1 < args.min_institution_f1:
        failed.append(f"institution F1 {report.institution.f1:.3f} < {args.min_institution_f1}")
    for message in failed:
        console.print(f"[red]threshold failed[/]: {message}")
    return 1 if failed else 0


def _cmd_gold(args: argparse.Namespace, console: Console) -> int:
    from .validate import check_gold
    from .validate.sample import sample_gold

    if args.gold_command == "sample":
        frame = sample_gold(args.out_dir, args.n, args.seed)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.out, index=False)
        console.print(f"wrote {frame['file'].nunique()} papers ({len(frame)} rows) to {args.out}; correct them by hand")
        return 0
    problems = check_gold(args.gold)
    for problem in problems:
        console.print(f"{args.gold}: {problem}", highlight=False)
    console.print(f"{len(problems)} problem(s)" if problems else f"{args.gold}: ok")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    from .validate import GoldFormatError

    args = build_parser().parse_args(argv)
    console = Console(stderr=True)
    handlers = {"run": _cmd_run, "match": _cmd_match, "validate": _cmd_validate, "gold": _cmd_gold}
    try:
        return handlers[args.command](args, console)
    except GoldFormatError as exc:
        console.print(f"[red]error[/]: {exc}", highlight=False)
        return 2


if __name__ == "__main__":
    sys.exit(main())


def entry_point() -> None:
    """Console-script entry: exit with main's code."""
    sys.exit(main())
