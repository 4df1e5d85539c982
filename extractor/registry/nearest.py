"""The registry's closest records to a free-text string: the candidates a reviewer or a model
chooses from (review groups, the LLM step's `llm/candidates.py`)."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from .organizations import Organization, Registry
from .text import normalize_name


def nearest_records(registry: Registry, text: str, limit: int = 5) -> list[Organization]:
    """The registry's closest records to a string (its best segment windows, fuzzy), distinct."""
    key = normalize_name(text)
    pool = registry.fuzzy_candidates(key)
    for segment in (s for s in text.split(",") if s.strip()):
        pool += registry.fuzzy_candidates(normalize_name(segment))
    hits = process.extract(key, list(dict.fromkeys(pool)), scorer=fuzz.token_set_ratio, limit=limit * 3)
    found: list[Organization] = []
    for name, _score, _ in hits:
        for org in registry.by_key(name):
            if all(o.ror_id != org.ror_id for o in found):
                found.append(org)
    return found[:limit]
