"""PMLR volumes (proceedings.mlr.press): ICML, AISTATS, UAI, COLT and the rest."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from .errors import FetchError, ListingEntry

DEFAULT_BASE = "https://proceedings.mlr.press"
# Main-conference volumes by venue and year (extend freely; `affil fetch pmlr v123` takes any volume).
VOLUMES = {
    "icml": {2013: 28, 2014: 32, 2015: 37, 2016: 48, 2017: 70, 2018: 80, 2019: 97, 2020: 119, 2021: 139,
             2022: 162, 2023: 202, 2024: 235, 2025: 267},
    "aistats": {2015: 38, 2016: 51, 2017: 54, 2018: 84, 2019: 89, 2020: 108, 2021: 130, 2022: 151, 2023: 206,
                2024: 238, 2025: 258},
    "uai": {2019: 115, 2020: 124, 2021: 161, 2022: 180, 2023: 216, 2024: 244},
    "colt": {2015: 40, 2016: 49, 2017: 65, 2018: 75, 2019: 99, 2020: 125, 2021: 134, 2022: 178, 2023: 195,
             2024: 247},
}  # fmt: skip


def volume_of(venue: str, edition: str) -> int:
    """'icml' + '2015' -> 37; 'pmlr' + 'v37' or '37' -> 37."""
    text = edition.lower().removeprefix("v")
    if venue == "pmlr":
        if not text.isdigit():
            raise FetchError(f"pmlr: the edition is a volume number like v37, not {edition!r}")
        return int(text)
    years = VOLUMES.get(venue, {})
    if not text.isdigit() or int(text) not in years:
        known = ", ".join(str(y) for y in sorted(years))
        raise FetchError(f"{venue} {edition}: no PMLR volume known (years: {known}); use `affil fetch pmlr vNN`")
    return years[int(text)]


def volume_url(base: str, volume: int) -> str:
    return f"{base.rstrip('/')}/v{volume}/"


def parse_volume(html: str, base: str, volume: int, venue: str) -> list[ListingEntry]:
    """One `div.paper` per paper: `p.title`, `span.authors`, and the "Download PDF" link (any era:
    /vNN/key.pdf, /vNN/key/key.pdf, or GitHub assets)."""
    soup = BeautifulSoup(html, "html.parser")
    entries = []
    for paper in soup.select("div.paper"):
        title = paper.select_one("p.title")
        pdf = next((a for a in paper.select("p.links a") if _is_paper_pdf(a.get_text(), str(a.get("href", "")))), None)
        if title is None or pdf is None:
            continue
        pdf_url = urljoin(volume_url(base, volume), str(pdf["href"]))
        key = re.sub(r"\.pdf$", "", pdf_url.rstrip("/").rsplit("/", 1)[-1])
        abstract = next((a for a in paper.select("p.links a") if a.get_text(strip=True) == "abs"), None)
        authors = paper.select_one("span.authors")
        entries.append(
            ListingEntry(
                source="pmlr",
                venue=venue,
                key=key,
                title=title.get_text(" ", strip=True),
                authors=[a.strip() for a in authors.get_text(" ", strip=True).split(",")] if authors else [],
                pdf_url=pdf_url,
                page_url=urljoin(volume_url(base, volume), str(abstract["href"])) if abstract else "",
            ).with_file(f"v{volume}", f"{key}.pdf")
        )
    if not entries:
        raise FetchError(
            f"pmlr v{volume}: no papers (div.paper with p.title and a 'Download PDF' link) on "
            f"{volume_url(base, volume)}; the page structure may have changed"
        )
    return entries


def _is_paper_pdf(text: str, href: str) -> bool:
    return href.lower().endswith(".pdf") and "supp" not in href.lower() and "supp" not in text.lower()
