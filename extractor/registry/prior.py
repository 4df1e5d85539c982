"""How often machine-learning papers name each organization, and the short names their
authors use for one organization ("Stanford", "Tsinghua", "Berkeley").

Learned by ``scripts/build_prior.py`` from the ~25,000 author-entered institution strings of
NeurIPS 2013-2020 and shipped as ``extractor/data/prior.json``; the matcher reads it to rank
same-named records and acronyms and to resolve short names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Prior:
    counts: dict[str, int] = field(default_factory=dict)  # ROR id -> author rows naming it
    short: dict[str, str] = field(default_factory=dict)  # normalized short name -> ROR id
    countries: dict[str, int] = field(default_factory=dict)  # ISO2 -> author rows naming it

    def country_weight(self, country: str) -> int:
        return self.countries.get(country, 0)

    def weight(self, ror_id: str) -> float:
        return float(self.counts.get(ror_id, 0))

    def short_name(self, key: str) -> str:
        return self.short.get(key, "")

    @classmethod
    def load(cls, text: str | None = None) -> Prior:
        if text is None:
            path = resources.files("extractor.data").joinpath("prior.json")
            if not path.is_file():
                return cls()
            text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        return cls(dict(data.get("counts", {})), dict(data.get("short", {})), dict(data.get("countries", {})))


@cache
def default_prior() -> Prior:
    return Prior.load()
