"""The registry candidates a model chooses from: one small adapter over the matcher's public API
(`RuleMatcher.match`, `clean_affiliation`) and the registry's (`by_id`, `by_name`, `by_acronym`,
`nearest_records`), so a rewrite of the matcher's internals does not reach the LLM step."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..flags import SENT_TO_LLM_ROW
from ..normalize import LOW_CONFIDENCE
from ..normalize.rules import RuleMatcher, clean_affiliation, split_segments
from ..records import AffiliationMatch
from ..registry.nearest import nearest_records
from ..registry.organizations import Organization

_ALTERNATIVE_ID = re.compile(r"\(([0-9a-z]{9}),")  # the matcher's "Name (ID, CC)" alternatives
_GREEK_MARKER = re.compile(r"^[\u0370-\u03ff\u1f00-\u1fff]+(?=[A-Z])")
MAX_CANDIDATES = 4  # per unsettled line; more costs tokens and confuses a small model


@dataclass(frozen=True, slots=True)
class Candidate:
    ror_id: str
    name: str
    city: str
    country: str
    org_type: str

    @classmethod
    def of(cls, org: Organization) -> Candidate:
        return cls(org.ror_id, org.name, org.city, org.country, org.primary_type)

    def describe(self) -> str:
        place = ", ".join(p for p in (self.city, self.country) if p)
        return f"{self.ror_id} {self.name} ({place}; {self.org_type})"


def is_confident(match: AffiliationMatch) -> bool:
    """A rules answer the model may not replace: an institution (a registry record, or a curated
    organization the registry lacks) with confidence at least LOW_CONFIDENCE (0.6) and none of the
    flags that send a row to the model."""
    named = bool(match.ror_id or match.institution)
    return named and match.confidence >= LOW_CONFIDENCE and not set(match.flags) & SENT_TO_LLM_ROW


def clean_line(text: str) -> str:
    """The matcher's cleaning, and a leading Greek-letter marker dropped ("χXiamen University")."""
    return _GREEK_MARKER.sub("", clean_affiliation(text))


def acronyms(text: str) -> list[str]:
    """Words of the string that read as acronyms ("KAIST" in "KAIST Vision")."""
    return list(dict.fromkeys(w for w in re.findall(r"[A-Za-z&-]+", text) if w.isupper() and 3 <= len(w) <= 8))


def line_candidates(
    matcher: RuleMatcher, text: str, rules: AffiliationMatch, limit: int = MAX_CANDIDATES
) -> list[Candidate]:
    """The rules' own record and the alternatives it weighed first, then records sharing an exact
    name or acronym with a segment, then the registry's nearest names; distinct, at most ``limit``."""
    registry = matcher.registry
    found: list[Organization] = []
    if rules.ror_id and (org := registry.by_id(rules.ror_id)):
        found.append(org)
    for alternative in (a for org_match in rules.organizations for a in org_match.alternatives):
        found += [o for ror_id in _ALTERNATIVE_ID.findall(alternative) if (o := registry.by_id(ror_id))]
    cleaned = clean_line(text)
    for segment in split_segments(cleaned):
        found += registry.by_name(segment)
    for word in acronyms(cleaned):
        found += registry.by_acronym(word)
    found += nearest_records(registry, cleaned, limit) if cleaned else []
    distinct: dict[str, Candidate] = {}
    for org in found:
        distinct.setdefault(org.ror_id, Candidate.of(org))
    return list(distinct.values())[:limit]
