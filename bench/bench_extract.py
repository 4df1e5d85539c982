"""Extraction speed against a bare PyMuPDF pass over the same pages, in one run.

Usage: python bench/bench_extract.py [PDF_DIR] [--repeat N]
Prints papers per second for both and the ratio (target: <= 1.5x). Single process.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pymupdf

from extractor.extract import extract_paper
from extractor.registry.organizations import default_registry

ROOT = Path(__file__).resolve().parents[1]


def bare_pass(paths: list[Path]) -> None:
    for path in paths:
        with pymupdf.open(path) as doc:
            doc[0].get_text("dict")


def bare_same_flags_pass(paths: list[Path]) -> None:
    """The same call with the flags affil uses (no image extraction), the stricter baseline."""
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    for path in paths:
        with pymupdf.open(path) as doc:
            doc[0].get_text("dict", flags=flags)


def affil_pass(paths: list[Path]) -> None:
    for path in paths:
        extract_paper(path, path.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdf_dir", type=Path, nargs="?", default=ROOT.parent / "shared/papers/pdfs")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    paths = sorted(args.pdf_dir.rglob("*.pdf"))
    default_registry()  # loaded once per process in real runs too; not part of per-paper cost
    affil_pass(paths[:20])  # warm caches
    timings: dict[str, list[float]] = {"bare": [], "same": [], "affil": []}
    for _ in range(args.repeat):  # interleaved so all see the same machine state
        for name, fn in (("bare", bare_pass), ("same", bare_same_flags_pass), ("affil", affil_pass)):
            start = time.perf_counter()
            fn(paths)
            timings[name].append(time.perf_counter() - start)
    bare, same, affil = min(timings["bare"]), min(timings["same"]), min(timings["affil"])
    print(f"papers: {len(paths)}")
    print(f"bare get_text('dict'): {bare:.2f} s  ({len(paths) / bare:.0f} papers/s)")
    print(f"affil extract:         {affil:.2f} s  ({len(paths) / affil:.0f} papers/s)")
    print(f"bare, affil's flags:   {same:.2f} s  ({len(paths) / same:.0f} papers/s)")
    print(f"ratio affil / bare:    {affil / bare:.2f}x  (target <= 1.5x)")
    print(f"ratio affil / bare with the same flags: {affil / same:.2f}x")


if __name__ == "__main__":
    main()
