"""The curated alias layer: ML labs and acronyms the registry lacks or splits.

Rows live in ``extractor/data/aliases.csv``; a row without a ROR id is resolved
against the registry by its institution name (and country) when loaded.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources

from .organizations import Registry


@dataclass(frozen=True, slots=True)
class Alias:
    pattern: re.Pattern[str]
    institution: str
    ror_id: str
    country: str
    org_type: str
    parent: str = ""  # a lab or site of a company: the company, its top level
    parent_ror_id: str = ""


def _resolve_ror_id(registry: Registry, institution: str, country: str) -> str:
    candidates = registry.by_name(institution)
    same_country = [org for org in candidates if org.country == country]
    chosen = same_country or candidates
    return chosen[0].ror_id if chosen else ""


def load_aliases(registry: Registry, text: str | None = None) -> list[Alias]:
    """Parse the alias table; comment rows start with '#'."""
    if text is None:
        text = resources.files("extractor.data").joinpath("aliases.csv").read_text(encoding="utf-8")
    aliases = []
    for row in csv.DictReader(io.StringIO(text)):
        if not row["pattern"] or row["pattern"].startswith("#"):
            continue
        ror_id = row["ror_id"] or _resolve_ror_id(registry, row["institution"], row["country"])
        aliases.append(Alias(re.compile(row["pattern"]), row["institution"], ror_id, row["country"], row["type"]))
    return aliases


def find_alias(aliases: list[Alias], normalized_segment: str) -> Alias | None:
    """First alias whose pattern occurs in the normalized segment."""
    for alias in aliases:
        if alias.pattern.search(normalized_segment):
            return alias
    return None
