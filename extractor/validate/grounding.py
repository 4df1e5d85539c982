"""Gold names without ROR ids, read as registry ids.

Silver and hand-made labels often give only a canonical name ("Indian Institute of Science",
"EPFL", "eBay Inc."), which is no registry name as spelled, so a run's right id could never
meet it. Such a name is read once by the rule matcher, as a clean one-organization string: the
ids of its first organization (and that organization's unit) are what the label names. Run rows
are never grounded this way: a name the run kept without id stays a miss.
"""

from __future__ import annotations

from functools import cache

from ..normalize import RuleMatcher
from ..registry.organizations import Registry
from .gold import NameGrounder


def name_grounder(registry: Registry) -> NameGrounder:
    matcher = RuleMatcher(registry=registry)

    @cache
    def ground(name: str) -> frozenset[str]:
        organizations = matcher.match(name).organizations
        if not organizations:
            return frozenset()
        first = organizations[0]
        return frozenset(i for i in (first.ror_id, first.unit_ror_id) if i)

    return ground
