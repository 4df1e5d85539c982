"""OpenReview venues (ICLR; NeurIPS and ICML in recent years) through its API v2, with optional
login from OPENREVIEW_USERNAME / OPENREVIEW_PASSWORD (anonymous queries may be refused)."""

from __future__ import annotations

import os

import httpx

from .errors import FetchError, ListingEntry

DEFAULT_API = "https://api2.openreview.net"
DEFAULT_SITE = "https://openreview.net"
PAGE = 1000
VENUES = {
    "iclr": "ICLR.cc/{year}/Conference",
    "neurips-or": "NeurIPS.cc/{year}/Conference",
    "icml-or": "ICML.cc/{year}/Conference",
}


def venue_id(venue: str, edition: str) -> str:
    """'iclr' + '2024' -> 'ICLR.cc/2024/Conference'; 'openreview' + a full venue id passes through."""
    if venue == "openreview":
        return edition
    if not edition.isdigit():
        raise FetchError(f"{venue}: the edition is a year like 2024, not {edition!r}")
    return VENUES[venue].format(year=edition)


async def login(client: httpx.AsyncClient, api: str) -> dict[str, str]:
    """Bearer header from the environment's credentials, or {} to try anonymously."""
    user, password = os.environ.get("OPENREVIEW_USERNAME"), os.environ.get("OPENREVIEW_PASSWORD")
    if not user or not password:
        return {}
    response = await client.post(f"{api}/login", json={"id": user, "password": password})
    if response.status_code != 200:
        raise FetchError(f"openreview: login as {user} failed ({response.status_code}): {response.text[:200]}")
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def list_venue(client: httpx.AsyncClient, api: str, site: str, venue: str) -> list[ListingEntry]:
    headers = await login(client, api)
    entries: list[ListingEntry] = []
    offset = 0
    while True:
        params: dict[str, str | int] = {"content.venueid": venue, "limit": PAGE, "offset": offset}
        response = await client.get(f"{api}/notes", params=params, headers=headers)
        if response.status_code == 403:
            raise FetchError(
                f"openreview {venue}: access refused (403: {response.text[:120]}); set OPENREVIEW_USERNAME and "
                "OPENREVIEW_PASSWORD to log in"
            )
        response.raise_for_status()
        notes = response.json().get("notes")
        if notes is None:
            raise FetchError(f"openreview {venue}: the answer of {api}/notes has no 'notes' list")
        entries += [_entry(note, site, venue) for note in notes]
        if len(notes) < PAGE:
            break
        offset += PAGE
    if not entries:
        raise FetchError(f"openreview {venue}: no accepted papers listed (is the venue id right?)")
    return entries


def _value(content: dict, field: str, default: object) -> object:
    item = content.get(field, default)
    return item.get("value", default) if isinstance(item, dict) else item  # API v2 wraps values


def _entry(note: dict, site: str, venue: str) -> ListingEntry:
    content = note.get("content", {})
    authors = _value(content, "authors", [])
    return ListingEntry(
        source="openreview",
        venue=venue,
        key=note["id"],
        title=str(_value(content, "title", "")),
        authors=list(authors) if isinstance(authors, list) else [],
        pdf_url=f"{site.rstrip('/')}/pdf?id={note['id']}",
        page_url=f"{site.rstrip('/')}/forum?id={note['id']}",
        track=str(_value(content, "venue", "")),
    ).with_file(venue.replace("/", "_"), f"{note['id']}.pdf")
