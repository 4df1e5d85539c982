"""Fetch stage: list a venue's accepted papers and download their PDFs into OUT_DIR/pdfs/."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..lock import LockedError, OutDirLock
from ..messages import labelled, say
from ..modes import DownloadStatus
from ..retry import TransientError, http_retrying, raise_if_transient
from ..sources import PDF_DIR, SOURCES
from ..store import RunStore
from . import neurips, openreview, pmlr
from .download import USER_AGENT, Downloader, DownloadOptions, DownloadResult
from .errors import FetchError, ListingEntry
from .urls import entries_from_urls, read_urls

__all__ = ["PDF_DIR", "SOURCES", "FetchError", "FetchRequest", "FetchSummary", "fetch"]


@dataclass(slots=True)
class FetchRequest:
    source: str
    edition: str  # a year, a PMLR volume (v37), an OpenReview venue id, or the URL list ('-': stdin)
    out_dir: Path
    base_url: str | None = None
    limit: int | None = None
    sample: int | None = None
    seed: int = 0
    download: DownloadOptions = field(default_factory=DownloadOptions)

    @property
    def pdf_dir(self) -> Path:
        return self.out_dir / PDF_DIR


@dataclass(slots=True)
class FetchSummary:
    listed: int = 0
    selected: int = 0
    downloaded: int = 0
    skipped: int = 0
    failed: list[DownloadResult] = field(default_factory=list)
    bytes: int = 0


def fetch(request: FetchRequest, console: Console | None = None) -> FetchSummary:
    """List, select, download; every listing row and download outcome lands in the run store."""
    if request.source not in SOURCES:
        raise FetchError(f"unknown source {request.source!r}; choose one of {', '.join(SOURCES)}")
    try:
        with OutDirLock(request.out_dir):
            return asyncio.run(_fetch(request, console or Console(stderr=True)))
    except LockedError as exc:
        raise FetchError(str(exc)) from exc
    except httpx.HTTPError as exc:  # no network, DNS, refused, or an HTTP error a source did not word itself
        raise FetchError(f"{request.source} {request.edition}: {_network_problem(exc)}") from exc


def _network_problem(exc: httpx.HTTPError) -> str:
    """One line: what could not be reached and why."""
    try:
        url = f" {exc.request.url}"
    except RuntimeError:  # no request attached
        url = ""
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.TransportError):
        return f"cannot reach{url}: {reason} (no network? --base-url names a mirror)"
    return f"request to{url} failed: {reason}"


async def _fetch(request: FetchRequest, console: Console) -> FetchSummary:
    limits = httpx.Limits(max_connections=max(8, request.download.concurrency * 4))
    timeout = httpx.Timeout(request.download.timeout)
    headers = {"User-Agent": USER_AGENT}
    async with httpx.AsyncClient(headers=headers, timeout=timeout, limits=limits, follow_redirects=True,
                                 max_redirects=5) as client:  # fmt: skip
        entries = await list_entries(request, client)
        summary = FetchSummary(listed=len(entries))
        chosen = select(entries, request.limit, request.sample, request.seed)
        summary.selected = len(chosen)
        with RunStore.in_dir(request.out_dir) as store:
            store.save_listing(chosen)
            say(console, f"{request.source} {request.edition}: {len(entries)} papers listed, {len(chosen)} to fetch")
            await _download_all(client, request, chosen, store, summary, console)
    return summary


def select(entries: list[ListingEntry], limit: int | None, sample: int | None, seed: int) -> list[ListingEntry]:
    """--sample N draws N at random (seeded), --limit N keeps the first N."""
    chosen = list(entries)
    if sample is not None and sample < len(chosen):
        picked = set(random.Random(seed).sample(range(len(chosen)), sample))
        chosen = [e for i, e in enumerate(chosen) if i in picked]
    return chosen[:limit] if limit is not None else chosen


async def list_entries(request: FetchRequest, client: httpx.AsyncClient) -> list[ListingEntry]:
    source, edition, base = request.source, request.edition, request.base_url
    if source == "neurips":
        if not edition.isdigit():
            raise FetchError(f"neurips: the edition is a year like 2024, not {edition!r}")
        root = base or neurips.DEFAULT_BASE
        html = await get_text(client, neurips.index_url(root, int(edition)), f"neurips {edition}")
        return neurips.parse_index(html, root, int(edition))
    if source in ("icml", "aistats", "uai", "colt", "pmlr"):
        volume = pmlr.volume_of(source, edition)
        root = base or pmlr.DEFAULT_BASE
        html = await get_text(client, pmlr.volume_url(root, volume), f"pmlr v{volume}")
        venue = f"{source}{edition}" if source != "pmlr" else f"pmlr-v{volume}"
        return pmlr.parse_volume(html, root, volume, venue)
    if source in ("iclr", "openreview"):
        venue = openreview.venue_id(source, edition)
        return await openreview.list_venue(
            client, base or openreview.DEFAULT_API, base or openreview.DEFAULT_SITE, venue
        )
    return entries_from_urls(read_urls(edition))


async def get_text(client: httpx.AsyncClient, url: str, what: str, attempts: int = 4) -> str:
    """A listing page, retried like a PDF (429/5xx honouring Retry-After, dropped connections);
    clear errors otherwise."""
    try:
        async for attempt in http_retrying(attempts, initial=1.0, maximum=60.0):
            with attempt:
                response = await client.get(url)
                raise_if_transient(response)
    except httpx.TransportError as exc:
        raise FetchError(f"{what}: cannot read {url}: {exc}") from exc
    except TransientError as exc:
        raise FetchError(f"{what}: {url} kept failing ({exc})") from exc
    if response.status_code != 200:
        raise FetchError(f"{what}: {url} answered HTTP {response.status_code}")
    return response.text


async def _download_all(
    client: httpx.AsyncClient,
    request: FetchRequest,
    entries: list[ListingEntry],
    store: RunStore,
    summary: FetchSummary,
    console: Console,
) -> None:
    downloader = Downloader(client, request.pdf_dir, request.download)
    columns = (
        TextColumn("[bold]download"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        TextColumn("{task.fields[size]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("download", total=len(entries), counts="", size="")
        started = time.monotonic()

        async def one(entry: ListingEntry) -> None:
            result = await downloader.fetch(entry)
            if result.status == DownloadStatus.FAILED and entry.source == "neurips" and "HTTP 404" in result.error:
                result = await _via_abstract_page(client, downloader, entry, result)
            _count(summary, result)
            store.mark_download(entry.file, result.status, result.bytes, result.error)
            if result.status == DownloadStatus.FAILED:
                labelled(progress.console, "failed", f"{entry.file}: {result.error}", "yellow")
            rate = summary.bytes / 1e6 / max(time.monotonic() - started, 1e-3)
            counts = f"new {summary.downloaded} kept {summary.skipped} failed {len(summary.failed)}"
            progress.update(task, advance=1, counts=counts, size=f"{summary.bytes / 1e6:.1f} MB {rate:.1f} MB/s")

        await asyncio.gather(*(one(e) for e in entries))


async def _via_abstract_page(
    client: httpx.AsyncClient, downloader: Downloader, entry: ListingEntry, failed: DownloadResult
) -> DownloadResult:
    """The hash pattern missed: read the abstract page's citation_pdf_url and try that."""
    try:
        html = await get_text(client, entry.page_url, f"neurips {entry.key}")
    except (FetchError, TransientError):
        return failed
    url = neurips.citation_pdf_url(html)
    if not url or url == entry.pdf_url:
        return failed
    return await downloader.fetch(entry.model_copy(update={"pdf_url": url}))


def _count(summary: FetchSummary, result: DownloadResult) -> None:
    if result.status == DownloadStatus.DOWNLOADED:
        summary.downloaded += 1
        summary.bytes += result.bytes
    elif result.status == DownloadStatus.SKIPPED:
        summary.skipped += 1
    else:
        summary.failed.append(result)
