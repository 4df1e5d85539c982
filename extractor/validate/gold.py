"""The gold format: reading labeled rows, checking them, and turning them into per-author labels.

One row per author-affiliation pair, the answer columns of authors.csv:
``file, author_index, author, affiliation_index, raw_affiliation, institution, ror_id, country``.
Empty institution/country means none is printed; a paper with no authors has one row with
author_index 0. A run's authors.csv is read the same way (extra columns are ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..registry.countries import is_country_code
from ..registry.mlorgs import default_ml_orgs
from ..registry.organizations import Registry, is_ror_id
from ..registry.text import normalize_name

GOLD_COLUMNS = [
    "file",
    "author_index",
    "author",
    "affiliation_index",
    "raw_affiliation",
    "institution",
    "ror_id",
    "country",
]
# ROR ids: '0', six characters of Crockford base32 (no i, l, o, u), two check digits.


class GoldFormatError(ValueError):
    """A labels file that cannot be read as the gold format."""


def read_labels(path: Path) -> pd.DataFrame:
    """Rows of a gold CSV or a run's authors.csv, as strings, with the gold columns checked."""
    if not path.is_file():
        raise GoldFormatError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise GoldFormatError(f"{path}: not a readable CSV ({exc})") from exc
    missing = [c for c in GOLD_COLUMNS if c not in frame.columns]
    if missing:
        raise GoldFormatError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(GOLD_COLUMNS)}")
    return frame


def check_gold(path: Path) -> list[str]:
    """Every format problem of a gold file, one message per problem with its CSV line number."""
    try:
        frame = read_labels(path)
    except GoldFormatError as exc:
        return [str(exc)]
    problems = []
    for position, row in enumerate(frame.itertuples(index=False)):
        problems += [f"line {position + 2}: {message}" for message in _row_problems(row)]
    keys = frame[["file", "author_index", "affiliation_index"]].astype(str).agg("|".join, axis=1)
    for position in frame.index[keys.duplicated(keep="first")]:
        problems.append(f"line {position + 2}: duplicate row for {keys[position].replace('|', ', ')}")
    return problems


def _row_problems(row) -> list[str]:
    problems = []
    if not row.file:
        problems.append("empty file")
    for column in ("author_index", "affiliation_index"):
        value = getattr(row, column)
        if not value.isdigit():
            problems.append(f"{column} {value!r} is not a whole number >= 0")
    if row.author_index == "0" and row.author:
        problems.append("author_index 0 (paper without authors) but an author name is given")
    if row.author_index not in ("", "0") and row.author_index.isdigit() and not row.author.strip():
        problems.append(f"author {row.author_index} has no name")
    if row.ror_id and not is_ror_id(row.ror_id):
        problems.append(f"malformed ROR id {row.ror_id!r} (want the bare 9-character id, e.g. 00f54p054)")
    if row.country and not is_country_code(row.country):
        problems.append(f"unknown country code {row.country!r} (want ISO 3166-1 alpha-2, e.g. US)")
    return problems


@dataclass(frozen=True, slots=True)
class Institution:
    """One labeled institution: its ROR id when given, its normalized name, and the registry ids
    that name resolves to (so a gold name without id can still meet a predicted id)."""

    ror_id: str
    key: str
    resolved: frozenset[str] = frozenset()

    def same_as(self, other: Institution) -> bool:
        if self.ror_id and other.ror_id:
            return self.ror_id == other.ror_id
        if self.key and self.key == other.key:
            return True
        return bool(({self.ror_id} | self.resolved) & ({other.ror_id} | other.resolved) - {""})


@dataclass(slots=True)
class LabeledAuthor:
    index: int
    name: str
    institutions: list[Institution] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)  # registry types of the institutions (education, company, ...)


# A gold name without an id -> the registry ids it names ("Indian Institute of Science", "EPFL")
NameGrounder = Callable[[str], frozenset[str]]


def paper_authors(frame: pd.DataFrame, registry: Registry, ground: NameGrounder | None = None) -> list[LabeledAuthor]:
    """The authors of one paper's rows, in author order, with their institution and country sets.
    ``ground`` resolves a labeled name without id that is no registry name as printed."""
    authors: dict[int, LabeledAuthor] = {}
    for row in frame.itertuples(index=False):
        index = int(row.author_index) if str(row.author_index).isdigit() else 0
        if index == 0:
            continue
        author = authors.setdefault(index, LabeledAuthor(index, str(row.author)))
        if row.country:
            author.countries.add(row.country)
        if row.institution or row.ror_id:
            institution = _institution(row.institution, row.ror_id, registry, ground)
            if not any(institution.same_as(known) for known in author.institutions):
                author.institutions.append(institution)
            author.types |= _types(institution, registry)
    return [authors[i] for i in sorted(authors)]


def _institution(name: str, ror_id: str, registry: Registry, ground: NameGrounder | None = None) -> Institution:
    key = normalize_name(name)
    resolved = frozenset(org.ror_id for org in registry.by_key(key)) if key else frozenset()
    if key and not ror_id and not resolved and ground is not None:
        resolved = ground(name)
    return Institution(ror_id, key, resolved)


def _types(institution: Institution, registry: Registry) -> set[str]:
    """Registry types of a labeled institution; a label with no ROR id that names a curated company or
    lab ("Microsoft", "Adobe Research") is a company, so sector shares compare like with like."""
    ids = [institution.ror_id] if institution.ror_id else sorted(institution.resolved)[:1]
    types = {t for i in ids if (org := registry.by_id(i)) for t in org.types}
    if not types and not institution.ror_id and (curated := default_ml_orgs().by_key(institution.key)):
        types.add(curated.org_type)
    return types
