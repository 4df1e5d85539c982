"""A full conference year on this machine: fetch from the local proceedings server, extract,
normalize, publish; then the LLM step against a local server that answers in 1 s.

Prints wall time per stage, papers per second, peak memory (this process and its workers), the
ratio of extraction to a bare PyMuPDF pass over the same files, and the LLM wall time against
(calls / concurrency) x 1 s. Targets: whole year < 5 min on 2 cores without the LLM, peak < 1 GB,
LLM within 1.25x of its bound.

Usage: python bench/full_year.py [--papers 5290] [--jobs 2] [--llm-papers 200] [--llm-concurrency 16]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil
import pymupdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import first_page, make_year  # noqa: E402
from extractor.fetch import FetchRequest, fetch  # noqa: E402
from extractor.fetch.download import DownloadOptions  # noqa: E402
from extractor.llm import LLMConfig  # noqa: E402
from extractor.pipeline import RunOptions, run_pipeline  # noqa: E402
from tests.fake_openai import FakeOpenAI  # noqa: E402
from tests.fake_proceedings import FakeProceedings, Site, neurips_pdf_path  # noqa: E402

YEAR = 2025


def serve(papers: int, ready: mp.Queue, stop: mp.Event) -> None:
    site = Site(neurips={YEAR: make_year(papers)}, pdf_factory=first_page)
    with FakeProceedings(site) as server:
        for paper in site.neurips[YEAR]:  # every PDF made before the clock starts
            server.route(neurips_pdf_path(YEAR, paper), {})
        ready.put(server.base_url)
        stop.wait()


class PeakMemory:
    """Largest summed PSS (proportional set size) of this process and its workers, the site server left
    out: the registry pages workers share with the parent after fork count once, as in the machine's RAM."""

    def __init__(self, exclude: set[int]) -> None:
        self.exclude, self.peak, self._stop = exclude, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                if proc.pid not in self.exclude:
                    with contextlib.suppress(psutil.Error):  # PSS: pages shared after fork count once
                        total += proc.memory_full_info().pss
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def bare_pass(path: str) -> int:
    with pymupdf.open(path) as doc:
        return len(doc[0].get_text("dict")["blocks"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=5290)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--llm-papers", type=int, default=200)
    parser.add_argument("--llm-concurrency", type=int, default=16)
    args = parser.parse_args()
    ready: mp.Queue = mp.Queue()
    stop = mp.Event()
    server = mp.Process(target=serve, args=(args.papers, ready, stop), daemon=True)
    server.start()
    base_url = ready.get(timeout=1800)
    work = Path(tempfile.mkdtemp(prefix="affil-year-"))
    times: dict[str, float] = {}
    try:
        with PeakMemory({server.pid or -1}) as memory:
            started = time.perf_counter()
            summary = fetch(FetchRequest("neurips", str(YEAR), work, base_url=base_url,
                                         download=DownloadOptions(concurrency=8, timeout=60)))  # fmt: skip
            times["fetch"] = time.perf_counter() - started
            run = run_pipeline(RunOptions(pdf_dir=work / "pdfs", out_dir=work, jobs=args.jobs))
            times.update(run.timings)
        files = sorted(str(p) for p in (work / "pdfs").rglob("*.pdf"))
        started = time.perf_counter()
        with ProcessPoolExecutor(args.jobs) as pool:
            list(pool.map(bare_pass, files, chunksize=32))
        times["bare_pymupdf"] = time.perf_counter() - started
        llm_time, calls = llm_step(files[: args.llm_papers], work / "llm", args.llm_concurrency, args.jobs)
    finally:
        stop.set()
        server.join(5)
        shutil.rmtree(work, ignore_errors=True)
    whole = times["fetch"] + times["extract_normalize"] + times["publish"]
    print(f"papers: {summary.downloaded} fetched ({summary.bytes / 1e6:.0f} MB), {run.processed} processed, "
          f"{len(summary.failed)} failed to fetch")  # fmt: skip
    for stage in ("fetch", "extract_normalize", "publish"):
        print(f"  {stage:18s} {times[stage]:7.1f} s  {run.processed / times[stage]:7.1f} papers/s")
    print(f"whole year without LLM: {whole:.1f} s ({whole / 60:.2f} min; target < 5 min) on {args.jobs} workers")
    print(f"peak memory (PSS of main + workers): {memory.peak / 2**20:.0f} MiB (target < 1024)")
    ratio = times["extract_normalize"] / times["bare_pymupdf"]
    print(f"extract+normalize / bare PyMuPDF get_text('dict') pass, same files, same workers: {ratio:.2f}x "
          f"({times['bare_pymupdf']:.1f} s bare)")  # fmt: skip
    bound = calls / args.llm_concurrency * 1.0
    print(f"LLM: {calls} calls at concurrency {args.llm_concurrency}, 1 s each: {llm_time:.1f} s vs bound "
          f"{bound:.1f} s = {llm_time / bound:.2f}x (target <= 1.25x)")  # fmt: skip


def llm_step(files: list[str], out: Path, concurrency: int, jobs: int) -> tuple[float, int]:
    """The LLM stage alone on a subset, every paper sent (--llm all), answers after 1 s each."""
    subset = out / "pdfs"
    subset.mkdir(parents=True)
    for file in files:
        os.symlink(file, subset / Path(file).name)
    with FakeOpenAI(lambda body: {"authors": {}, "lines": {}}) as llm:
        llm.latency = 1.0
        config = LLMConfig(model="bench", base_url=llm.base_url, concurrency=concurrency, timeout=30)
        run = run_pipeline(RunOptions(pdf_dir=subset, out_dir=out, jobs=jobs, llm="all", llm_config=config))
        return run.timings["llm"], llm.chat_calls


if __name__ == "__main__":
    main()
