"""`affil match`: one string, a file of strings, or a scored labeled set."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
from rich.console import Console

from .llm import add_endpoint_options, config_from_args


def match_parser(sub: argparse._SubParsersAction) -> None:
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
    match.add_argument(
        "--llm",
        action="store_true",
        help="ask a model about the strings the rules leave unmatched or ambiguous (choosing among registry "
        "candidates); answers are cached (see --llm-cache)",
    )
    match.add_argument(
        "--llm-cache",
        type=Path,
        metavar="PATH",
        help="SQLite cache of --llm answers (default ~/.cache/affil/llm_strings.sqlite)",
    )
    add_endpoint_options(match)


def cmd_match(args: argparse.Namespace, console: Console) -> int:
    from ..normalize import RuleMatcher

    if args.eval:
        return cmd_match_eval(args, console)
    if bool(args.affiliation) == bool(args.input):
        console.print("[red]error[/]: give one affiliation string, --input FILE or --eval FILE")
        return 2
    base = RuleMatcher()
    if args.affiliation:
        lines = [args.affiliation]
    elif str(args.input) == "-":
        lines = sys.stdin.read().splitlines()
    elif not args.input.is_file():
        console.print(f"[red]error[/]: {args.input} does not exist")
        return 2
    else:
        lines = args.input.read_text(encoding="utf-8").splitlines()
    matcher = _with_llm(args, base, lines, console) if args.llm else base
    if matcher is None:
        return 2
    for line in lines:
        match = matcher.match(line)
        record = {
            k: getattr(match, k) for k in ("affiliation", "institution", "ror_id", "country", "confidence", "flags")
        }
        print(json.dumps(record, ensure_ascii=False))
    return 0


def cmd_match_eval(args: argparse.Namespace, console: Console) -> int:
    from ..normalize import RuleMatcher
    from ..validate.strings import load_labeled_strings, score_strings

    items = load_labeled_strings(args.eval, args.split)
    matcher = RuleMatcher()
    if args.llm:
        settled = _with_llm(args, matcher, [item.affiliation for item in items], console)
        if settled is None:
            return 2
        matcher = settled
    scores = score_strings(items, matcher)
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


def _with_llm(args: argparse.Namespace, base, texts: list[str], console: Console):
    """A matcher answering from the rules plus the model's cached or fresh choices; None when the
    endpoint is unusable (the message is printed)."""
    from ..llm import LLMConfigError
    from ..llm.strings import SettledMatcher, StringCache, StringSettler, default_cache_path
    from .llm import run_check

    try:
        config = config_from_args(args)
    except LLMConfigError as exc:
        console.print(f"[red]error[/]: {exc}", highlight=False)
        return None
    check = run_check(config, console)
    if not check.usable:
        console.print(f"[red]error[/]: {check.problem()} (see `affil llm check`)", highlight=False)
        return None
    cache = StringCache(args.llm_cache or default_cache_path())
    try:
        settler = StringSettler(config, base, cache)
        settled = settler.settle(texts)
    finally:
        cache.close()
    u = settler.usage
    console.print(
        f"LLM: {u.papers} strings asked, {u.calls} calls, {u.cache_hits} from cache, {u.failed} without an answer; "
        f"tokens {u.prompt_tokens} in / {u.completion_tokens} out",
        highlight=False,
    )
    return SettledMatcher(base, settled)
