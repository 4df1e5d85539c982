"""Polite, resumable PDF downloads: bounded concurrency per host, retries that honour
Retry-After, `.part` files renamed only once verified as a PDF, optional first-pages trim."""

from __future__ import annotations

import asyncio
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pymupdf

from ..modes import DownloadStatus
from ..retry import TransientError, http_retrying, raise_if_transient
from .errors import ListingEntry

USER_AGENT = "affil/0.1 (+https://github.com/affil/affil; research affiliation statistics; polite bulk download)"


class DownloadError(Exception):
    """Not worth another try: 404, HTML instead of a PDF, a redirect loop, a broken PDF."""


@dataclass(slots=True)
class DownloadResult:
    entry: ListingEntry
    status: DownloadStatus
    bytes: int = 0
    error: str = ""


@dataclass(slots=True)
class DownloadOptions:
    concurrency: int = 4  # per host
    timeout: float = 60.0
    max_attempts: int = 6
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    first_pages: int = 0  # keep only the first N pages (0: whole PDF)


def target_path(out_dir: Path, file: str) -> Path:
    """Where a listing's file goes; never outside ``out_dir``."""
    path = (out_dir / file).resolve()
    if out_dir.resolve() not in path.parents:
        raise DownloadError(f"refusing to write outside {out_dir}: {file!r}")
    return path


def is_complete_pdf(path: Path) -> bool:
    """A finished download: starts like a PDF and opens with at least one page."""
    try:
        with path.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF"):
                return False
        with pymupdf.open(path) as doc:
            return doc.page_count > 0
    except Exception:  # pymupdf raises several kinds on broken files
        return False


class Downloader:
    def __init__(self, client: httpx.AsyncClient, out_dir: Path, options: DownloadOptions) -> None:
        self.client = client
        self.out_dir = out_dir
        self.options = options
        self._hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(options.concurrency))

    async def fetch(self, entry: ListingEntry) -> DownloadResult:
        try:
            path = target_path(self.out_dir, entry.file)
        except DownloadError as exc:
            return DownloadResult(entry, DownloadStatus.FAILED, error=str(exc))
        if path.is_file() and await asyncio.to_thread(is_complete_pdf, path):
            return DownloadResult(entry, DownloadStatus.SKIPPED, bytes=path.stat().st_size)
        try:
            size = await self._with_retries(entry.pdf_url, path)
        except (DownloadError, TransientError, httpx.HTTPError) as exc:
            return DownloadResult(entry, DownloadStatus.FAILED, error=f"{entry.pdf_url}: {exc}")
        return DownloadResult(entry, DownloadStatus.DOWNLOADED, bytes=size)

    async def _with_retries(self, url: str, path: Path) -> int:
        retrying = http_retrying(self.options.max_attempts, self.options.backoff_initial, self.options.backoff_max)
        async for attempt in retrying:
            with attempt:
                async with self._hosts[urlparse(url).netloc]:
                    return await self._download(url, path)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _download(self, url: str, path: Path) -> int:
        part = path.with_name(path.name + ".part")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            async with self.client.stream("GET", url) as response:
                _check_response(response)
                received = 0
                with part.open("wb") as handle:
                    async for chunk in response.aiter_bytes():
                        handle.write(chunk)
                        received += len(chunk)
                expected = response.headers.get("content-length")
                if expected and expected.isdigit() and received < int(expected):
                    raise TransientError(f"truncated body: {received} of {expected} bytes")
        except httpx.TooManyRedirects as exc:
            raise DownloadError(f"redirect loop ({exc})") from exc
        # MuPDF work runs in a thread so that the other downloads keep streaming meanwhile.
        return await asyncio.to_thread(_finish, part, path, self.options.first_pages)


def _finish(part: Path, path: Path, first_pages: int) -> int:
    """Verify, trim, and move the download under its final name (atomic: a file there is whole)."""
    if not is_complete_pdf(part):
        part.unlink(missing_ok=True)
        raise DownloadError("the body is not a readable PDF")
    if first_pages:
        _keep_first_pages(part, first_pages)
    os.replace(part, path)
    return path.stat().st_size


def _check_response(response: httpx.Response) -> None:
    raise_if_transient(response)
    if response.status_code >= 400:
        raise DownloadError(f"HTTP {response.status_code}")
    kind = response.headers.get("content-type", "").lower()
    if "html" in kind or "text/" in kind:
        raise DownloadError(f"the server answered {kind or 'text'}, not a PDF")


def _keep_first_pages(path: Path, pages: int) -> None:
    trimmed = path.with_name(path.name + ".trim")
    with pymupdf.open(path) as doc:
        if doc.page_count <= pages:
            return
        doc.select(list(range(pages)))
        doc.save(trimmed, garbage=3, deflate=True)
    os.replace(trimmed, path)
