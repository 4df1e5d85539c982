"""Download throughput against the local proceedings site with added latency, as a fraction of the
concurrency bound (concurrency / latency per request). Target: >= 0.8.

Usage: python bench/bench_fetch.py [--papers 500] [--latency 0.05] [--concurrency 8]
The site runs in its own process (as a real server would); PDFs are generated before timing.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.fetch import FetchRequest, fetch  # noqa: E402
from extractor.fetch.download import DownloadOptions  # noqa: E402
from tests.fake_proceedings import FakeProceedings, Site, neurips_papers, neurips_pdf_path  # noqa: E402


def serve(papers: int, latency: float, ready: mp.Queue, stop: mp.Event) -> None:
    site = Site(neurips={2019: neurips_papers(2019, papers)})
    with FakeProceedings(site) as server:
        for paper in site.neurips[2019]:  # generate every PDF before the clock starts
            server.route(neurips_pdf_path(2019, paper), {})
        server.latency = latency
        ready.put(server.base_url)
        stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every request")
    parser.add_argument("--concurrency", type=int, default=8, help="downloads in flight per host")
    args = parser.parse_args()
    ready: mp.Queue = mp.Queue()
    stop = mp.Event()
    process = mp.Process(target=serve, args=(args.papers, args.latency, ready, stop), daemon=True)
    process.start()
    base_url = ready.get(timeout=120)
    try:
        with tempfile.TemporaryDirectory() as out:
            options = DownloadOptions(concurrency=args.concurrency, timeout=30)
            request = FetchRequest("neurips", "2019", Path(out), base_url=base_url, download=options)
            started = time.perf_counter()
            summary = fetch(request)
            elapsed = time.perf_counter() - started
    finally:
        stop.set()
        process.join(5)
    requests = summary.downloaded + 1  # the PDFs and the year index
    bound = args.concurrency / args.latency
    throughput = requests / elapsed
    print(f"{summary.downloaded} PDFs downloaded ({summary.bytes / 1e6:.1f} MB), {len(summary.failed)} failed")
    print(f"elapsed {elapsed:.2f} s: {throughput:.1f} requests/s; bound {bound:.0f} requests/s "
          f"({args.concurrency} in flight, {args.latency * 1000:.0f} ms each)")  # fmt: skip
    print(f"throughput / bound = {throughput / bound:.2f}  (target >= 0.8)")


if __name__ == "__main__":
    main()
