"""NeurIPS proceedings (proceedings.neurips.cc): the year index, every era of its markup."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from .errors import FetchError, ListingEntry

DEFAULT_BASE = "https://proceedings.neurips.cc"
_SUFFIX = re.compile(r"-Abstract(-[A-Za-z_]+)?\.html$")


def index_url(base: str, year: int) -> str:
    return f"{base.rstrip('/')}/paper_files/paper/{year}"


def parse_index(html: str, base: str, year: int) -> list[ListingEntry]:
    """Every paper link (`a[href*="/hash/"]`) with the authors printed after it: `span.paper-authors`
    (2025), or `<i>` (up to 2024)."""
    soup = BeautifulSoup(html, "html.parser")
    entries = []
    for link in soup.select('a[href*="/hash/"]'):
        href = str(link.get("href", ""))
        found = re.search(r"/hash/([0-9a-f]{32})(-Abstract[^/]*\.html)$", href)
        if not found:
            continue
        key, suffix = found.groups()
        page_url = href if href.startswith("http") else f"{base.rstrip('/')}{href}"
        entries.append(
            ListingEntry(
                source="neurips",
                venue=f"neurips{year}",
                key=key,
                title=str(link.get("title") or link.get_text(" ", strip=True)),
                authors=_authors_after(link),
                pdf_url=pdf_url_of(page_url),
                page_url=page_url,
                track=_track(suffix),
            ).with_file(f"neurips{year}", f"{key}.pdf")
        )
    if not entries:
        raise FetchError(
            f"neurips {year}: no paper links (a[href*='/hash/']) on {index_url(base, year)}; "
            "the page structure may have changed"
        )
    return entries


def pdf_url_of(page_url: str) -> str:
    """The hash pattern: /hash/H-Abstract-Conference.html -> /file/H-Paper-Conference.pdf."""
    return _SUFFIX.sub(lambda m: f"-Paper{m.group(1) or ''}.pdf", page_url.replace("/hash/", "/file/"))


def citation_pdf_url(html: str) -> str:
    """The abstract page's `<meta name="citation_pdf_url">`, when the hash pattern misses."""
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"name": "citation_pdf_url"})
    return str(meta.get("content", "")) if isinstance(meta, Tag) else ""


def _authors_after(link: Tag) -> list[str]:
    holder = link.find_next(
        lambda t: isinstance(t, Tag) and (t.name == "i" or "paper-authors" in (t.get("class") or []))
    )
    parent = link.find_parent("li")
    if holder is None or (parent is not None and parent not in holder.parents):
        return []
    return [name.strip() for name in holder.get_text(" ", strip=True).split(",") if name.strip()]


def _track(suffix: str) -> str:
    if "Datasets_and_Benchmarks" in suffix:
        return "datasets_and_benchmarks"
    return "main"
