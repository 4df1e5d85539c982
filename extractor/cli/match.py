"""`affil match`: one string, a file of strings, or a scored labeled set."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import error, say
from .llm import add_endpoint_options, config_from_args

if TYPE_CHECKING:
    from rich.console import Console

    from ..records import AffiliationMatch


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
        "[{affiliation, ror_ids}] or an affiliation,ror_id CSV; prints precision, recall, F1, accuracy and "
        "precision@1 (also among labeled strings only, as S2AFF reports it)",
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
        error(console, "give one affiliation string, --input FILE or --eval FILE")
        return 2
    if args.affiliation:
        lines = [args.affiliation]
    elif str(args.input) == "-":
        stdin = getattr(sys.stdin, "buffer", None)  # a replaced sys.stdin may be text only
        lines = read_lines(stdin.read() if stdin else sys.stdin.read().encode(), "stdin", console)
    elif not args.input.is_file():
        error(console, f"{args.input} does not exist")
        return 2
    else:
        lines = read_lines(args.input.read_bytes(), str(args.input), console)
    matcher = RuleMatcher()
    if args.llm:
        settled = _with_llm(args, matcher, lines, console)
        if settled is None:
            return 2
        matcher = settled
    for line in lines:
        print(json.dumps(match_record(matcher.match(line)), ensure_ascii=False))
    return 0


def read_lines(data: bytes, name: str, console: Console) -> list[str]:
    """The lines of UTF-8 input. Bytes that are not UTF-8 are replaced with U+FFFD and a warning names
    the lines (counted from 1) that had them, so every input line still gets its output line."""
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        pass
    bad = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
    shown = ", ".join(map(str, bad[:10])) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
    console.print(
        f"[yellow]warning[/]: {name}: "
        + (f"lines {shown} are" if len(bad) > 1 else f"line {shown} is")
        + " not UTF-8; the undecodable bytes were replaced with U+FFFD",
        highlight=False,
    )
    return data.decode("utf-8", errors="replace").splitlines()


def match_record(match: AffiliationMatch) -> dict:
    """The JSON object `affil match` prints: the first organization's fields at the top level,
    every organization in ``organizations``."""
    keys = ("affiliation", "institution", "ror_id", "country", "confidence", "flags", "unit", "unit_ror_id")
    record = {k: getattr(match, k) for k in keys}
    record["organizations"] = [
        {
            "institution": org.institution,
            "ror_id": org.ror_id,
            "country": org.country,
            "confidence": org.confidence,
            "unit": org.unit,
            "unit_ror_id": org.unit_ror_id,
            "flags": org.flags,
            **({"candidates": org.alternatives} if org.alternatives else {}),
        }
        for org in match.organizations
    ]
    return record


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
                "precision_at_1": round(scores.precision_at_1, 4),
                "precision_at_1_labeled": round(scores.precision_at_1_labeled, 4),
                "tp": c.tp,
                "fp": c.fp,
                "fn": c.fn,
            }
        )
    )
    if args.misses:
        import pandas as pd

        pd.DataFrame(scores.misses, columns=["affiliation", "expected", "got"]).to_csv(args.misses, index=False)
        say(console, f"wrote {len(scores.misses)} disagreements to {args.misses}")
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
        error(console, str(exc))
        return None
    check = run_check(config, console)
    if not check.usable:
        error(console, f"{check.problem()} (see `affil llm check`)")
        return None
    cache = StringCache(args.llm_cache or default_cache_path())
    try:
        settler = StringSettler(config, base, cache)
        settled = settler.settle(texts)
    finally:
        cache.close()
    u = settler.usage
    say(
        console,
        f"LLM: {u.papers} strings asked, {u.calls} calls, {u.cache_hits} from cache, {u.failed} without an answer; "
        f"tokens {u.prompt_tokens} in / {u.completion_tokens} out",
    )
    return SettledMatcher(base, settled)
