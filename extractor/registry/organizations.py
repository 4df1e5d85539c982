"""The institution registry: ROR organizations with name, acronym and domain indexes.

The data file is built by ``scripts/build_registry.py`` and shipped in the package,
so matching works offline on a fresh install.
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path

import orjson
from rapidfuzz import fuzz, process

from .emails import domain_and_parents
from .tables import Tables
from .text import name_skeleton, normalize_name
from .vocab import STOP_TOKENS

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
    """Lookups over the shipped ROR-derived data; all keys are normalized names.

    Built either from the whole payload in memory (``Registry(payload)``) or over the on-disk
    cache (``Registry.open``), which reads only the keys a lookup asks for: one string matched
    from a cold start touches a few dozen rows instead of parsing 30 MB of JSON.
    """

    def __init__(self, payload: dict | None = None, tables: Tables | None = None) -> None:
        if tables is None:
            assert payload is not None
            tables = Tables.from_payload(payload)
        self._t = tables
        self._rows = tables.orgs
        self._names = tables.names
        self._acronyms = tables.acronyms
        self._domains = tables.domains
        self._accented = tables.accented
        self._cities = tables.cities
        self._token_index = tables.tokens
        self._lengths: Sequence[int] | None = None
        self._orgs: dict[int, Organization] = {}  # records are immutable: each is built once
        self._closest: dict[str, str] = {}  # a fuzzy lookup asks again for a wider choice of lengths

    @property
    def country_variants(self) -> dict[str, str]:
        return self._t.countries()

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        """The shipped registry: over the on-disk cache (built on first use), else in memory."""
        from .cache import open_cached

        if path is None:
            with resources.as_file(resources.files("extractor.data").joinpath("registry.json.gz")) as data_path:
                tables = open_cached(data_path)
        else:
            tables = open_cached(path)
        return cls(tables=tables)

    @classmethod
    def load_in_memory(cls, path: Path | None = None) -> Registry:
        """The whole payload parsed into dictionaries (no cache)."""
        if path is None:
            data = resources.files("extractor.data").joinpath("registry.json.gz").read_bytes()
        else:
            data = path.read_bytes()
        return cls(orjson.loads(gzip.decompress(data)))

    def __len__(self) -> int:
        return len(self._rows)

    def org(self, index: int) -> Organization:
        found = self._orgs.get(index)
        if found is None:
            ror_id, name, country, city, types, parents = self._rows[index]
            kinds = tuple(TYPE_NAMES[t] for t in types)
            found = self._orgs[index] = Organization(ror_id, name, country, city, kinds, tuple(parents))
        return found

    def by_id(self, ror_id: str) -> Organization | None:
        index = self._t.by_id.get(ror_id)
        return None if index is None else self.org(index)

    def by_name(self, text: str) -> list[Organization]:
        """Exact lookup of a name, alias or label after normalization."""
        return [self.org(i) for i in self._names.get(normalize_name(text), ())]

    def by_key(self, key: str) -> list[Organization]:
        """Exact lookup of an already normalized key."""
        return [self.org(i) for i in self._names.get(key, ())]

    def by_skeleton(self, key: str) -> list[Organization]:
        """Records with a name that differs from the normalized ``key`` only in connective words
        ("university della basilicata" ~ "university of basilicata")."""
        skeleton = name_skeleton(key)
        return [self.org(i) for i in self._t.skeletons.get(skeleton, ())] if skeleton else []

    def is_city(self, key: str) -> bool:
        """Whether a normalized text is the city of some record ("vigo", "providence")."""
        return self._cities.get(key) is not None

    def accented_only(self, key: str) -> frozenset[str]:
        """Ids of the records that reach ``key`` only through an accented spelling."""
        return frozenset(self._rows[i][0] for i in self._accented.get(key, ()))

    def by_acronym(self, acronym: str) -> list[Organization]:
        return [self.org(i) for i in self._acronyms.get(acronym.upper(), ())]

    def by_domain(self, domain: str) -> tuple[Organization | None, str]:
        """Organization and country for a mail domain, trying parent domains too."""
        for candidate in domain_and_parents(domain):
            hit = self._domains.get(candidate)
            if hit:
                index, country = hit
                return (self.org(index) if index >= 0 else None), country
        return None, ""

    def fuzzy_candidates(self, key: str, limit: int = 5000, lengths: tuple[int, int] | None = None) -> list[str]:
        """Normalized names sharing one of the two rarest informative tokens with ``key``
        (two, so that a typo that happens to exist in the registry cannot hide the right name);
        ``lengths``: only names of that many characters (inclusive bounds)."""
        index = self._token_index
        informative = [t for t in key.split() if t not in STOP_TOKENS and len(t) > 2]
        found = [index.get(t) or index.get(self.closest_word(t)) for t in informative]
        postings = sorted((p for p in found if p), key=len)[:2]
        names = self._t.name_list()
        if lengths is not None:
            size = self._name_lengths().__getitem__
            low, high = lengths
            postings = [p[bisect_left(p, low, key=size) : bisect_right(p, high, key=size)] for p in postings]
        merged = list(islice(dict.fromkeys(chain.from_iterable(postings)), limit))  # each position once
        if len(merged) < 2:  # itemgetter of one position returns the name, not a tuple
            return [names[position] for position in merged]
        return list(itemgetter(*merged)(names))

    def names_with_word(self, word: str) -> list[str]:
        """The normalized names that contain the word ``word`` (none for a stop word)."""
        names = self._t.name_list()
        return [names[position] for position in self._token_index.get(word, ())]

    def closest_word(self, word: str) -> str:
        """The registry word a misspelt one most likely means ("rugters" -> "rutgers"): same
        first letter, length within one, at most about one edit in five letters; '' if none."""
        if len(word) < 5:
            return ""
        found = self._closest.get(word)
        if found is None:
            near = [w for size in (-1, 0, 1) for w in self._t.near.get(f"{word[0]}{len(word) + size}", ())]
            best = process.extractOne(word, near, scorer=fuzz.ratio, score_cutoff=80)
            found = self._closest[word] = best[0] if best else ""
        return found

    def _name_lengths(self) -> Sequence[int]:
        if self._lengths is None:
            self._lengths = self._t.name_lengths()
        return self._lengths

    def token_count(self, token: str) -> int:
        """How many registry names contain the normalized word ``token`` (its rarity)."""
        return len(self._token_index.get(token, ()))


@cache
def default_registry() -> Registry:
    """The shipped registry, loaded once per process."""
    return Registry.load()
