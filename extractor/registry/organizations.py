"""The institution registry: ROR organizations with name, acronym and domain indexes.

The data file is built by ``scripts/build_registry.py`` and shipped in the package,
so matching works offline on a fresh install.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import orjson

from .text import normalize_name

# A bare ROR id: '0', six base-32 characters (Crockford, no i l o u), a two-digit checksum.
ROR_ID = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$")


def is_ror_id(text: str) -> bool:
    return bool(ROR_ID.match(text))


TYPE_NAMES = {
    "E": "education",
    "C": "company",
    "F": "facility",
    "G": "government",
    "N": "nonprofit",
    "H": "healthcare",
    "U": "funder",
    "A": "archive",
    "O": "other",
}

# Words too common to retrieve fuzzy candidates by.
STOP_TOKENS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "in",
        "de",
        "la",
        "at",
        "university",
        "institute",
        "department",
        "school",
        "college",
        "science",
        "sciences",
        "technology",
        "research",
        "national",
        "center",
        "laboratory",
        "state",
    ]
)


@dataclass(frozen=True, slots=True)
class Organization:
    """One registry record."""

    ror_id: str
    name: str
    country: str
    city: str
    types: tuple[str, ...]
    parents: tuple[str, ...]

    @property
    def primary_type(self) -> str:
        return self.types[0] if self.types else "other"


class Registry:
    """Lookups over the shipped ROR-derived data; all keys are normalized names."""

    def __init__(self, payload: dict) -> None:
        self._rows: list[list] = payload["orgs"]
        self._names: dict[str, list[int]] = payload["names"]
        self._acronyms: dict[str, list[int]] = payload["acronyms"]
        self._domains: dict[str, list] = payload["domains"]
        self._accented: dict[str, list[int]] = payload.get("accented", {})
        self.country_variants: dict[str, str] = payload.get("countries", {})
        self._by_id = {row[0]: i for i, row in enumerate(self._rows)}
        self._name_list = list(self._names)
        self._cities: frozenset[str] | None = None
        self._token_index: dict[str, list[int]] | None = payload.get("tokens")

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        if path is None:
            data = resources.files("extractor.data").joinpath("registry.json.gz").read_bytes()
        else:
            data = path.read_bytes()
        return cls(orjson.loads(gzip.decompress(data)))

    def __len__(self) -> int:
        return len(self._rows)

    def org(self, index: int) -> Organization:
        ror_id, name, country, city, types, parents = self._rows[index]
        return Organization(ror_id, name, country, city, tuple(TYPE_NAMES[t] for t in types), tuple(parents))

    def by_id(self, ror_id: str) -> Organization | None:
        index = self._by_id.get(ror_id)
        return None if index is None else self.org(index)

    def by_name(self, text: str) -> list[Organization]:
        """Exact lookup of a name, alias or label after normalization."""
        return [self.org(i) for i in self._names.get(normalize_name(text), [])]

    def by_key(self, key: str) -> list[Organization]:
        """Exact lookup of an already normalized key."""
        return [self.org(i) for i in self._names.get(key, [])]

    def is_city(self, key: str) -> bool:
        """Whether a normalized text is the city of some record ("vigo", "providence")."""
        if self._cities is None:
            self._cities = frozenset(normalize_name(city) for city in {row[3] for row in self._rows} if city)
        return key in self._cities

    def accented_only(self, key: str) -> frozenset[str]:
        """Ids of the records that reach ``key`` only through an accented spelling."""
        return frozenset(self._rows[i][0] for i in self._accented.get(key, []))

    def by_acronym(self, acronym: str) -> list[Organization]:
        return [self.org(i) for i in self._acronyms.get(acronym.upper(), [])]

    def by_domain(self, domain: str) -> tuple[Organization | None, str]:
        """Organization and country for a mail domain, trying parent domains too."""
        parts = domain.lower().strip(".").split(".")
        for start in range(len(parts) - 1):
            hit = self._domains.get(".".join(parts[start:]))
            if hit:
                index, country = hit
                return (self.org(index) if index >= 0 else None), country
        return None, ""

    def fuzzy_candidates(self, key: str, limit: int = 5000) -> list[str]:
        """Normalized names sharing one of the two rarest informative tokens with ``key``
        (two, so that a typo that happens to exist in the registry cannot hide the right name)."""
        index = self._tokens()
        informative = [t for t in key.split() if t not in STOP_TOKENS and len(t) > 2]
        postings = sorted((p for t in informative if (p := index.get(t))), key=len)[:2]
        merged = dict.fromkeys(position for posting in postings for position in posting)
        names = self._name_list
        return [names[position] for position in list(merged)[:limit]]

    def _tokens(self) -> dict[str, list[int]]:
        # Shipped in the data file; built here only for a payload made without it (tests).
        if self._token_index is None:
            index: dict[str, list[int]] = defaultdict(list)
            for position, name in enumerate(self._name_list):
                for token in set(name.split()):
                    if token not in STOP_TOKENS:
                        index[token].append(position)
            self._token_index = dict(index)
        return self._token_index


@cache
def default_registry() -> Registry:
    """The shipped registry, loaded once per process."""
    return Registry.load()
