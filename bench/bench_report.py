"""The report of a full synthetic conference year: its size on disk and how long headless Chromium
takes to render it. Targets (issue 17): under 15 MB, under 5 s.

Generates the synthetic year of bench/synthetic.py (the same papers bench/full_year.py fetches) as
PDFs, runs `affil run` on them (skipped when OUT already holds a run of them), then loads
report.html in headless Chromium five times and prints the size, the number of inline author-block
crops, and the render time (navigation start to the load event, every image decoded) of each load.

Usage: python bench/bench_report.py [--papers 5290] [--jobs 2] [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import first_page, make_year  # noqa: E402
from extractor.cli import main as affil  # noqa: E402

RENDERS = 5


def make_pdfs(n: int, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    papers = make_year(n)
    for i, paper in enumerate(papers):
        path = folder / f"paper{i:05d}.pdf"
        if not path.is_file():
            path.write_bytes(first_page(paper))
    return len(papers)


def browser():
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=1400,1000"):  # fmt: skip
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def render_times(report: Path) -> list[tuple[float, float]]:
    """Per load: (seconds to the load event, seconds until every inline crop is decoded too). The
    crops are lazy images: the first number is the page as a reader first sees it; for the second
    every image is switched to eager loading after the load event and awaited."""
    chrome = browser()
    chrome.set_script_timeout(120)
    times = []
    try:
        for _ in range(RENDERS):
            chrome.get("about:blank")
            start = time.perf_counter()
            chrome.get(report.resolve().as_uri())  # returns after the load event
            loaded = time.perf_counter() - start
            chrome.execute_script(
                "const imgs = Array.from(document.images); imgs.forEach(i => { i.loading = 'eager'; });"
                "return Promise.all(imgs.map(i => i.decode().catch(() => null)))"
            )
            times.append((loaded, time.perf_counter() - start))
    finally:
        chrome.quit()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=5290)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="run folder (default a temporary one); reused when it holds a run")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="affil-report-bench-"))
    pdfs = out.parent / f"{out.name}-pdfs"
    n = make_pdfs(args.papers, pdfs)
    if not (out / "papers.csv").is_file():
        start = time.perf_counter()
        affil(["run", str(pdfs), "--out", str(out), "--jobs", str(args.jobs)])
        print(f"affil run on {n} papers: {time.perf_counter() - start:.1f} s")
    else:
        start = time.perf_counter()
        affil(["publish", str(out)])
        print(f"affil publish on {n} papers: {time.perf_counter() - start:.1f} s")
    report = out / "report.html"
    html = report.read_text(encoding="utf-8")
    size = report.stat().st_size
    times = render_times(report)
    crops = html.count('<img class="crop"')
    print(f"report.html: {size / 1e6:.2f} MB ({size} bytes), {crops} inline crops")
    print("render in headless Chromium, load event / every crop decoded: "
          + ", ".join(f"{a:.2f}/{b:.2f} s" for a, b in times))  # fmt: skip
    worst = max(b for _a, b in times)
    print(f"targets: size < 15 MB {'ok' if size < 15e6 else 'MISSED'}; "
          f"render < 5 s {'ok' if worst < 5 else 'MISSED'} (worst, every crop decoded: {worst:.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
