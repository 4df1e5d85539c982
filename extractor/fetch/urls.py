"""A plain list of PDF URLs (a file, or '-' for stdin), for anything without a listing source."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import FetchError, ListingEntry


def read_urls(path: str) -> list[str]:
    text = sys.stdin.read() if path == "-" else _read(Path(path))
    urls = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    bad = [u for u in urls if urlparse(u).scheme not in ("http", "https")]
    if bad:
        raise FetchError(f"urls: not an http(s) URL: {bad[0]!r}")
    return urls


def _read(path: Path) -> str:
    if not path.is_file():
        raise FetchError(f"urls: {path} does not exist")
    return path.read_text(encoding="utf-8")


def entries_from_urls(urls: list[str]) -> list[ListingEntry]:
    """File names from the URL's last path segment (made safe), with a short hash when two collide."""
    entries, seen = [], set()
    for url in urls:
        stem = unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]).removesuffix(".pdf") or "paper"
        key = hashlib.sha1(url.encode()).hexdigest()[:8]
        name = stem if stem not in seen else f"{stem}-{key}"
        seen.add(name)
        entries.append(ListingEntry(source="urls", venue="urls", key=key, pdf_url=url).with_file("urls", f"{name}.pdf"))
    return entries
