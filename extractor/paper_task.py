"""The per-paper work that runs in worker processes (local pool or a cluster engine): extract the
first page, check it against the listing, normalize with the rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .extract import extract_paper
from .extract.listed_authors import check_against_listing
from .normalize import RuleMatcher, normalize_paper
from .records import ExtractedPaper, NormalizedPaper, PaperStatus


@cache
def worker_matcher() -> RuleMatcher:
    """One matcher per worker process, built on its first paper (registry load ~0.7 s)."""
    return RuleMatcher()


def process_paper(
    path: str, file: str, paper_id: str, listed_authors: list[str] | None
) -> tuple[ExtractedPaper, NormalizedPaper]:
    try:
        extracted = extract_paper(Path(path), file, paper_id)
    except Exception as exc:  # one broken file must not end the run
        extracted = ExtractedPaper(
            file=file, paper_id=paper_id, status=PaperStatus.ERROR, error=f"{type(exc).__name__}: {exc}"
        )
    if listed_authors:
        extracted = check_against_listing(extracted, listed_authors)
    return extracted, normalize_paper(extracted, worker_matcher())


def process_papers(batch: list[tuple]) -> list[object]:
    """Several papers in one cluster task: a paper takes a few milliseconds, less than a task's
    scheduling cost. Each paper's outcome is its result or the exception that stopped it."""
    outcomes: list[object] = []
    for args in batch:
        try:
            outcomes.append(process_paper(*args))
        except Exception as exc:
            outcomes.append(exc)
    return outcomes
