"""What a source lists about one paper, before anything is downloaded."""

from __future__ import annotations

from ..records import ListingEntry, safe_name

__all__ = ["FetchError", "ListingEntry", "safe_name"]


class FetchError(RuntimeError):
    """A listing that cannot be read: the message names the source and what was missing."""
