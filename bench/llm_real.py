"""The LLM step against a real endpoint: rules alone vs `--llm auto` vs `--llm all`.

Usage:
  python bench/llm_real.py --base-url http://127.0.0.1:8089/v1 --model qwen2.5-coder-1.5b [--out /tmp/llm_real]

Sets (fixed, so runs compare):
  pmlr    a seed-16 sample of --pmlr-n (default 20) papers of the PMLR silver set
          (../shared/papers/labels/pmlr_silver_gold.csv)
  modern  the 54 hand-labeled modern pages (../shared/papers/modern/gold.csv, split dev), or a
          seed-16 sample of --modern-n of them
  s2aff   a seed-16 sample of --strings-n (default 150) strings of the S2AFF val split, scored by
          `affil match --eval` without and with `--llm`

For each set and mode it prints author recall, per-author country accuracy (authors with a
country label), institution F1 (bench/eval_silver.py's scorer, extractor.validate.score_run),
seconds per paper (whole `affil run` wall time / papers in the set), LLM calls, and prompt and
completion tokens per paper sent. It also prints the prompt size per paper of v1 (retype the
block) and v2 (choose among candidates) on the papers `auto` sends, counted by the server's
/tokenize (llama.cpp) or as characters / 4. Runs are cached in --out: rerunning reuses them.
Never run in CI: a small local model takes 3-30 s per request.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AFFIL_SHARED", ROOT.parent / "shared"))
if not SHARED.is_dir():  # a git worktree beside the main checkout
    SHARED = Path("/work/shared")
sys.path.insert(0, str(ROOT))

from extractor.validate import score_run  # noqa: E402

SEED = 16
MODES = ("off", "auto", "all")


def sample_sets(out: Path, pmlr_n: int, modern_n: int = 0) -> dict[str, tuple[Path, Path]]:
    """{name: (pdf folder of symlinks, gold csv)}: the same files every time."""
    papers = SHARED / "papers"
    sets = {
        "pmlr": (papers / "pdfs", papers / "labels" / "pmlr_silver_gold.csv", pmlr_n),
        "modern": (papers / "modern" / "pdfs", papers / "modern" / "gold.csv", modern_n),
    }
    found = {}
    for name, (root, gold, n) in sets.items():
        with gold.open(encoding="utf-8") as handle:
            files = sorted({row["file"] for row in csv.DictReader(handle)})
        if n:
            files = sorted(random.Random(SEED).sample(files, n))
            with gold.open(encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                kept = [row for row in reader if row["file"] in set(files)]
                fields = reader.fieldnames or []
            gold = out / name / "gold.csv"
            gold.parent.mkdir(parents=True, exist_ok=True)
            with gold.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=fields)
                writer.writeheader()
                writer.writerows(kept)
        folder = out / name / "pdfs"
        for file in files:
            link = folder / file
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(root / file)
        found[name] = (folder, gold)
    return found


def affil(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], env=env, capture_output=True, text=True)


def run_mode(name: str, folder: Path, gold: Path, mode: str, out: Path, endpoint: list[str]) -> dict:
    run_dir = out / name / mode
    timing = run_dir / "bench_seconds.txt"
    if not timing.is_file():
        started = time.perf_counter()
        extra = [] if mode == "off" else endpoint
        result = affil("run", str(folder), "--out", str(run_dir), "--llm", mode, "--jobs", "1", *extra)
        if result.returncode != 0:
            print(result.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"affil run {name} --llm {mode} failed ({result.returncode})")
        timing.write_text(f"{time.perf_counter() - started:.2f}\n")
    seconds = float(timing.read_text())
    report = score_run(run_dir / "authors.csv", gold)
    db = sqlite3.connect(run_dir / "affil.sqlite")
    calls, prompt, completion = db.execute(
        "SELECT coalesce(sum(llm_calls),0), coalesce(sum(prompt_tokens),0), coalesce(sum(completion_tokens),0) "
        "FROM runs"
    ).fetchone()
    db.close()
    n = len(list(folder.rglob("*.pdf")))
    return {
        "set": name,
        "mode": mode,
        "papers": n,
        "author_recall": report.author_recall,
        "country_acc": report.country_accuracy_labeled,
        "institution_f1": report.institution.f1,
        "s_per_paper": seconds / n,
        "calls": calls,
        "prompt_tok_per_call": prompt / calls if calls else 0.0,
        "completion_tok_per_call": completion / calls if calls else 0.0,
    }


def count_tokens(base_url: str, text: str) -> int:
    """Tokens by the server's /tokenize (llama.cpp), else characters / 4."""
    root = base_url.rstrip("/").removesuffix("/v1")
    try:
        body = json.dumps({"content": text}).encode()
        request = urllib.request.Request(f"{root}/tokenize", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return len(json.loads(response.read())["tokens"])
    except (OSError, ValueError, KeyError):
        return len(text) // 4


def prompt_sizes(run_dir: Path, base_url: str) -> dict[str, float]:
    """Mean prompt tokens per paper `auto` selects, v1 vs v2, and the fixed part of each."""
    from extractor.llm import unsettled_reasons
    from extractor.llm.choose import build_request
    from extractor.llm.prompt import PROMPT_NAME, PROMPT_V1, load_template
    from extractor.normalize import RuleMatcher
    from extractor.store import RunStore

    v1, v2, matcher = load_template(PROMPT_V1), load_template(PROMPT_NAME), RuleMatcher()
    sizes: dict[str, list[int]] = {"v1": [], "v2": []}
    with RunStore.existing(run_dir) as store:
        for paper in store.normalized():
            extracted = store.extracted(paper.file)
            if not unsettled_reasons(paper) or extracted is None:
                continue
            sizes["v1"].append(count_tokens(base_url, _text(v1.messages(extracted))))
            request = build_request(extracted, paper, matcher)
            if not request.empty:
                sizes["v2"].append(count_tokens(base_url, _text(v2.messages_for(request.fields()))))
    fixed_v1 = count_tokens(base_url, _text(v1.messages_for({k: "" for k in _fields(v1)})))
    fixed_v2 = count_tokens(base_url, _text(v2.messages_for({k: "" for k in _fields(v2)})))
    return {
        "v1_per_paper": sum(sizes["v1"]) / max(1, len(sizes["v1"])),
        "v2_per_paper": sum(sizes["v2"]) / max(1, len(sizes["v2"])),
        "v1_fixed": fixed_v1,
        "v2_fixed": fixed_v2,
        "v1_papers": len(sizes["v1"]),
        "v2_papers": len(sizes["v2"]),
    }


def _text(messages: list[dict[str, str]]) -> str:
    return "\n".join(m["content"] for m in messages)


def _fields(template) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template.paper) if name]


def strings_eval(out: Path, n: int, endpoint: list[str]) -> list[dict]:
    labeled = SHARED / "gold" / "affiliation-strings" / "s2aff" / "gold_affiliation_annotations.csv"
    with labeled.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("split") == "val"]
    sample = random.Random(SEED).sample(rows, min(n, len(rows)))
    path = out / "s2aff_val_sample.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(sample[0]))
        writer.writeheader()
        writer.writerows(sample)
    results = []
    for mode, extra in (("off", []), ("llm", ["--llm", "--llm-cache", str(out / "llm_strings.sqlite"), *endpoint])):
        started = time.perf_counter()
        result = affil("match", "--eval", str(path), *extra)
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
            continue
        scores = json.loads(result.stdout.strip().splitlines()[-1])
        scores.update(mode=mode, seconds=time.perf_counter() - started, log=result.stderr.strip().splitlines()[-1:])
        results.append(scores)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", type=Path, default=Path("/tmp/llm_real"))
    parser.add_argument("--pmlr-n", type=int, default=20)
    parser.add_argument("--modern-n", type=int, default=0, help="a sample of the modern pages (0: all 54)")
    parser.add_argument("--strings-n", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--sets", default="pmlr,modern,s2aff")
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    endpoint = ["--llm-base-url", args.base_url, "--llm-model", args.model, "--llm-concurrency",
                str(args.concurrency), "--llm-timeout", str(args.timeout),
                "--llm-price-in", "0", "--llm-price-out", "0"]  # fmt: skip
    wanted = args.sets.split(",")
    rows = []
    for name, (folder, gold) in sample_sets(args.out, args.pmlr_n, args.modern_n).items():
        if name not in wanted:
            continue
        for mode in args.modes.split(","):
            row = run_mode(name, folder, gold, mode, args.out, endpoint)
            rows.append(row)
            print(json.dumps(row), flush=True)
        if "off" in args.modes:
            sizes = prompt_sizes(args.out / name / "off", args.base_url)
            print(json.dumps({"set": name, "prompt_tokens": sizes}), flush=True)
    header = "| set | mode | papers | author recall | country acc. | institution F1 | s/paper | calls | tokens in/out per call |"  # noqa: E501
    print("\n" + header + "\n|" + "---|" * 9)
    for r in rows:
        print(
            f"| {r['set']} | {r['mode']} | {r['papers']} | {r['author_recall']:.3f} | {r['country_acc']:.3f} | "
            f"{r['institution_f1']:.3f} | {r['s_per_paper']:.2f} | {r['calls']} | "
            f"{r['prompt_tok_per_call']:.0f} / {r['completion_tok_per_call']:.0f} |"
        )
    if "s2aff" in wanted:
        for scores in strings_eval(args.out, args.strings_n, endpoint):
            print(json.dumps(scores), flush=True)


if __name__ == "__main__":
    main()
