"""Start-up time of the `affil` command: how long until help (or an answer) is printed.

Usage: python bench/bench_startup.py [--runs N] [--importtime]

Each command runs N times (default 9) as a fresh subprocess of this interpreter
(`python -m extractor.cli ...`, the same code the `affil` console script runs), with the
repository root first on PYTHONPATH; the median, min and max wall times are printed.
Target: `affil --help` and `affil <cmd> --help` under 0.3 s. With --importtime, also
prints the ten slowest imports (cumulative) of `import extractor.cli` from `python -X importtime`.
Timings on a shared machine are noisy: compare medians taken on the same machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (
    ["--help"],
    ["run", "--help"],
    ["match", "--help"],
    ["publish", "--help"],
    ["review", "--help"],
    ["fetch", "--help"],
)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def time_command(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "extractor.cli", *args],
            cwd=ROOT,
            env=environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        times.append(time.perf_counter() - start)
    return times


def import_summary(top: int = 10) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import extractor.cli"],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        rows.append((int(cumulative), name[1:]))  # one space after the bar; more indent = nested import
    total = sum(c for c, name in rows if not name.startswith(" "))
    print(f"\nimport extractor.cli: {len(rows)} modules, top-level imports {total / 1e6:.3f} s")
    for cumulative, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cumulative / 1e6:7.3f} s  {name.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh processes per command (default 9)")
    parser.add_argument("--importtime", action="store_true", help="also summarize python -X importtime")
    args = parser.parse_args()
    time_command(["--help"], 1)  # warm the file system cache and the .pyc files once
    print(f"{'command':<24} {'median':>8} {'min':>8} {'max':>8}  ({args.runs} cold runs each)")
    for command in COMMANDS:
        times = time_command(command, args.runs)
        label = "affil " + " ".join(command)
        print(f"{label:<24} {statistics.median(times):7.3f}s {min(times):7.3f}s {max(times):7.3f}s")
    if args.importtime:
        import_summary()


if __name__ == "__main__":
    main()
