"""Machine-learning companies, labs and city sites that ROR lacks or splits
(``extractor/data/ml_orgs.csv``: name, aliases, kind, parent, parent_ror_id, ror_id, country,
city, domains, source; every row cites its source).

A lab or site rolls up to the company at the root of its ``parent`` chain (the top level used
for counting); the row itself is the unit. A site carries its own country and city, so
"Samsung AI Center, Moscow" is RU while "Samsung" alone is KR.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .emails import domain_and_parents
from .text import normalize_name

_KIND_TYPE = {"company": "company", "lab": "company", "site": "company", "startup": "company"}
MAX_WORDS = 8


@dataclass(frozen=True, slots=True)
class MLOrg:
    name: str
    kind: str
    ror_id: str
    country: str
    city: str
    root: str  # the company at the top of the parent chain (itself for a company)
    root_ror_id: str
    domains: tuple[str, ...]

    @property
    def org_type(self) -> str:
        return _KIND_TYPE.get(self.kind, self.kind or "company")

    @property
    def is_unit(self) -> bool:
        return self.root != self.name


class MLOrgs:
    """Lookup of the curated rows by normalized name or alias, longest words first."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        by_name = {row["name"]: row for row in rows}
        self.orgs: list[MLOrg] = []
        self._keys: dict[str, MLOrg] = {}
        self._domains: dict[str, MLOrg] = {}  # the first row listing a domain (the company before its labs)
        for row in rows:
            root, seen = row, {row["name"]}
            while root.get("parent") and root["parent"] in by_name and root["parent"] not in seen:
                seen.add(root["parent"])
                root = by_name[root["parent"]]
            root_ror = root["ror_id"] or root.get("parent_ror_id", "") or row.get("parent_ror_id", "")
            org = MLOrg(
                row["name"],
                row["kind"],
                row["ror_id"],
                row["country"],
                row["city"],
                root["name"],
                root_ror,
                tuple(d for d in row.get("domains", "").split("|") if d),
            )
            self.orgs.append(org)
            for domain in org.domains:
                self._domains.setdefault(domain.lower(), org)
            for variant in [row["name"], *row.get("aliases", "").split("|")]:
                key = normalize_name(variant)
                if key and key not in self._keys:
                    self._keys[key] = org
        # A window of words can be a key only when it starts with a key's first word.
        self._first_words = frozenset(key.split(" ", 1)[0] for key in self._keys)

    @classmethod
    def load(cls, text: str | None = None) -> MLOrgs:
        if text is None:
            path = resources.files("extractor.data").joinpath("ml_orgs.csv")
            text = path.read_text(encoding="utf-8") if path.is_file() else "name,aliases,kind\n"
        return cls([row for row in csv.DictReader(io.StringIO(text)) if row.get("name")])

    def by_key(self, key: str) -> MLOrg | None:
        """The row whose name or alias is exactly this normalized key."""
        return self._keys.get(key)

    def find(self, key: str) -> tuple[MLOrg, int, int] | None:
        """The longest name or alias among the words of a normalized segment: (org, first word,
        end word)."""
        words = key.split()
        starts = [start for start, word in enumerate(words) if word in self._first_words]
        for size in range(min(MAX_WORDS, len(words)), 0, -1):
            for start in starts:
                if start + size > len(words):
                    break
                org = self._keys.get(" ".join(words[start : start + size]))
                if org is not None:
                    return org, start, start + size
        return None

    def by_domain(self, domain: str) -> MLOrg | None:
        """The row whose web or mail domain this is (parent domains tried too: research.jd.com)."""
        return next((org for d in domain_and_parents(domain) if (org := self._domains.get(d)) is not None), None)

    def sites(self, root: str) -> list[MLOrg]:
        """Every row under the same company."""
        return [org for org in self.orgs if org.root == root]


@cache
def default_ml_orgs() -> MLOrgs:
    return MLOrgs.load()
