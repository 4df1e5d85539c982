"""The definitions behind every published number, written once: what a paper id is, what counts
as a US-China collaboration, which sector an organization is in, and how two sets overlap.

Publish, validate and review all read them from here, so a table and its validation can
never disagree about what a word means.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

US_CN = frozenset({"US", "CN"})
# The ROR types that make an organization academic or industrial.
ACADEMIA_TYPE = "education"
INDUSTRY_TYPE = "company"


def paper_id_from_sha1(sha1: str) -> str:
    """A paper's id: the first 12 hex digits of its file's SHA-1 (same file, same id)."""
    return sha1[:12]


def paper_id_of(path: Path) -> str:
    return paper_id_from_sha1(hashlib.sha1(path.read_bytes()).hexdigest())


def is_us_cn_collab(countries: Iterable[str]) -> bool:
    """A paper with at least one US and one mainland-China (CN) row; HK, MO and TW are apart."""
    return set(countries) >= US_CN


class Sector(StrEnum):
    ACADEMIA = "academia"  # ROR type education
    INDUSTRY = "industry"  # ROR type company
    OTHER = "other"  # any other ROR type (facility, government, nonprofit, ...)
    UNKNOWN = "unknown"  # no registry record


def sector_of_types(types: Iterable[str] | None) -> Sector:
    """The sector of an organization from its ROR types (None: no registry record)."""
    if types is None:
        return Sector.UNKNOWN
    kinds = set(types)
    if ACADEMIA_TYPE in kinds:
        return Sector.ACADEMIA
    if INDUSTRY_TYPE in kinds:
        return Sector.INDUSTRY
    return Sector.OTHER


def jaccard_from_counts(shared: int, only_a: int, only_b: int) -> float:
    """|a & b| / |a | b| from the sizes of the parts (pairs found by fuzzy matching count as shared),
    and 1 for two empty sets (both say 'nothing')."""
    union = shared + only_a + only_b
    return shared / union if union else 1.0
