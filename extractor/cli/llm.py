"""`affil llm check`: is this endpoint usable, and what would `--llm auto` cost on a run folder."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import error

if TYPE_CHECKING:
    from rich.console import Console

    from ..llm import LLMConfig
    from ..llm.check import EndpointCheck

# Rough answer size of the v2 prompt: tokens per asked line, per asked author, and the JSON frame.
TOKENS_PER_LINE, TOKENS_PER_AUTHOR, TOKENS_FRAME = 25, 8, 10
CHARS_PER_TOKEN = 4.0


def add_endpoint_options(parser: argparse.ArgumentParser, batch: bool = False) -> None:
    """The endpoint options of every command that calls a model (`run`, `match --llm`, `llm check`);
    ``batch``: also `--llm-batch` (the OpenAI Batch API, for runs)."""
    group = parser.add_argument_group(
        "LLM endpoint",
        "Any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp); key from OPENAI_API_KEY or the "
        "[llm] table of the config file (~/.config/affil/config.toml or $AFFIL_CONFIG).",
    )
    group.add_argument("--llm-base-url", metavar="URL", help="e.g. http://localhost:8080/v1 (default: OpenAI)")
    group.add_argument("--llm-model", metavar="NAME", help="model name (default gpt-4o-mini)")
    group.add_argument("--llm-config", type=Path, metavar="FILE", help="TOML file with an [llm] table")
    group.add_argument("--llm-concurrency", type=int, metavar="N", help="requests in flight (default 4)")
    group.add_argument("--llm-timeout", type=float, metavar="S", help="seconds per request (default 120)")
    if batch:
        group.add_argument(
            "--llm-batch", action="store_true", default=None, help="use the OpenAI Batch API (half price)"
        )
    group.add_argument("--llm-price-in", type=float, metavar="USD", help="price per million input tokens")
    group.add_argument("--llm-price-out", type=float, metavar="USD", help="price per million output tokens")


def config_from_args(args: argparse.Namespace) -> LLMConfig:
    """Raises LLMConfigError on an unusable setting."""
    from ..llm import load_config

    return load_config(
        args.llm_config,
        base_url=args.llm_base_url,
        model=args.llm_model,
        concurrency=args.llm_concurrency,
        timeout=args.llm_timeout,
        batch=getattr(args, "llm_batch", None),  # only `affil run` has --llm-batch
        price_in=args.llm_price_in,
        price_out=args.llm_price_out,
    )


def llm_parser(sub: argparse._SubParsersAction) -> None:
    llm = sub.add_parser("llm", help="check an LLM endpoint before a run", description=__doc__)
    actions = llm.add_subparsers(dest="llm_command", required=True)
    check = actions.add_parser(
        "check",
        help="one small request: reachable, model, structured output, latency; estimate for a run folder",
        description="Send one small request and report: reachable, the model the server names, structured "
        "output support (json_schema, JSON mode or none) and latency. With --folder OUT_DIR (a folder "
        "`affil run` wrote), also the papers `--llm auto` would send there and a rough time and cost. "
        "Exit 0 when the endpoint is usable, 2 when not.",
    )
    add_endpoint_options(check)
    check.add_argument("--folder", type=Path, metavar="OUT_DIR", help="a run folder to estimate `--llm auto` for")


@dataclass(slots=True)
class Estimate:
    papers: int = 0  # papers `auto` selects
    asked: int = 0  # of those, papers with something to ask (the others cost no call)
    prompt_tokens: float = 0.0
    completion_tokens: float = 0.0
    seconds: float = 0.0


def estimate_auto(folder: Path, check: EndpointCheck, concurrency: int) -> Estimate:
    """What `--llm auto` would send from a run folder: papers, tokens (characters / 4), time."""
    from ..llm import unsettled_reasons
    from ..llm.choose import build_request
    from ..llm.prompt import load_template
    from ..normalize import RuleMatcher
    from ..store import RunStore

    template, matcher, estimate = load_template(), RuleMatcher(), Estimate()
    with RunStore.existing(folder) as store:
        for paper in store.normalized():
            if not unsettled_reasons(paper):
                continue
            estimate.papers += 1
            extracted = store.extracted(paper.file)
            if extracted is None:
                continue
            request = build_request(extracted, paper, matcher)
            if request.empty:
                continue
            estimate.asked += 1
            text = "".join(m["content"] for m in template.messages_for(request.fields()))
            prompt = len(text) / CHARS_PER_TOKEN
            answer = TOKENS_FRAME + TOKENS_PER_LINE * len(request.asked_lines)
            answer += TOKENS_PER_AUTHOR * len(request.asked_authors)
            estimate.prompt_tokens += prompt
            estimate.completion_tokens += answer
            estimate.seconds += check.seconds_for(prompt, answer)
    estimate.seconds /= max(1, concurrency)
    return estimate


def run_check(config: LLMConfig, console: Console) -> EndpointCheck:
    from ..llm.check import check_endpoint

    with console.status(f"checking {config.endpoint} ..."):
        return check_endpoint(config)


def cmd_llm(args: argparse.Namespace, console: Console) -> int:
    from ..llm import LLMConfigError
    from ..store import NoRunStoreError

    try:
        config = config_from_args(args)
    except LLMConfigError as exc:
        error(console, str(exc))
        return 2
    check = run_check(config, console)
    print(f"endpoint:          {check.endpoint}")
    print(f"reachable:         {'yes' if check.reachable else 'no'}")
    print(f"model:             {config.model}" + (f" (server says {check.served_model})" if check.served_model else ""))
    print(f"structured output: {check.structured}")
    print(f"latency:           {check.latency:.2f} s ({check.prompt_tokens} + {check.completion_tokens} tokens)")
    if not check.usable:
        error(console, f"unusable: {check.problem()}")
        return 2
    if args.folder:
        try:
            estimate = estimate_auto(args.folder, check, config.concurrency)
        except NoRunStoreError as exc:
            error(console, str(exc))
            return 2
        cost = config.cost(int(estimate.prompt_tokens), int(estimate.completion_tokens))
        print(
            f"--llm auto on {args.folder}: {estimate.papers} papers unsettled, {estimate.asked} with something to "
            f"ask; about {estimate.prompt_tokens:,.0f} tokens in / {estimate.completion_tokens:,.0f} out, "
            f"about {estimate.seconds / 60:.1f} min at concurrency {config.concurrency}, "
            + ("unknown price" if cost is None else f"about ${cost:.4f}")
        )
    return 0
