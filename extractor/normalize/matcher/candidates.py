"""Every organization a string may name, segment by segment, in the order the evidence is tried."""

from __future__ import annotations

import re

from ...registry.text import normalize_name
from .fallbacks import FallbackRules
from .text import (
    _PAREN_SUFFIX,
    _Candidate,
    _is_place,
    is_generic,
)

_LEADING_THE = re.compile(r"\W*the\b", re.IGNORECASE)


class CandidateRules(FallbackRules):
    """Candidate generation over a string's segments."""

    def _candidates(self, segments: list[str], country: str, hints: frozenset[str]) -> list[_Candidate]:
        found: list[_Candidate] = []
        covered: set[int] = set()
        keys = [normalize_name(s) for s in segments]
        # A later segment's key equals its words inside a window's key unless it begins with "the"
        # (dropped only at the start of a key): then the window is normalized whole.
        joinable = [bool(k) and not _LEADING_THE.match(s) for k, s in zip(keys, segments, strict=True)]
        for start in range(len(segments)):
            if start in covered:
                continue
            alias = self._ml_candidate(keys[start], start, segments[start + 1 :]) or self._alias_candidate(
                segments[start], keys[start], start
            )
            if alias:
                found.append(alias)
            for size in (3, 2, 1):
                window = segments[start : start + size]
                if len(window) < size:
                    continue
                if size == 1 or (keys[start] and all(joinable[start + 1 : start + size])):
                    key = " ".join(keys[start : start + size])
                else:
                    key = normalize_name(", ".join(window))
                is_town = size == 1 and 0 < start < len(segments) - 1 and " " not in key and self.registry.is_city(key)
                if is_town and _is_place(segments[start + 1]):
                    break  # "Brown University, Providence, RI": the town, not Providence College
                orgs = self.registry.by_key(key)
                if not orgs and size == 2:  # "The University of Texas, Austin" is "... at Austin"
                    key = normalize_name(" at ".join(window))
                    orgs = self.registry.by_key(key)
                if not orgs and size > 1 and window[-1].endswith(")"):
                    # "University of Maryland, Baltimore County (UMBC)": the name without its acronym
                    key = normalize_name(", ".join([*window[:-1], _PAREN_SUFFIX.sub("", window[-1])]))
                    orgs = self.registry.by_key(key)
                if not orgs and size == 1 and not is_generic(key):
                    # "Università della Basilicata" is the record "University of Basilicata"
                    orgs = self.registry.by_skeleton(key)
                if orgs and size == 1:
                    orgs = self._campus(orgs, key, keys[start + 1 :]) or orgs
                orgs = self._plausible(orgs, key, ", ".join(window), size)
                if orgs and size == 1 and " " not in key and any(not c.generic for c in found):
                    # "Vigo", "Riga", "Sherbrooke" after the university: the town, not a company
                    # or council of that name.
                    orgs = [o for o in orgs if o.primary_type == "education"]
                if orgs:
                    exact = self._org_candidate(orgs, key, country, "exact", 0.95, start, start + size, hints)
                    found.append(exact)
                    if not exact.generic:
                        covered.update(range(start, start + size))
                    break
            if alias:
                covered.update(range(start, alias.end))
        if found and not country:  # "Université Paris-Sud, CNRS": the other names' country is a hint
            country = next((c.country for c in found if c.country and not c.generic), "")
        named_first = min((c.start for c in found if not c.generic), default=len(segments))
        for start, segment in enumerate(segments):
            if start in covered or (_is_place(segment) and start > 0):
                continue
            # After a name, a short word is an address part or a unit ("Zhejiang", "MI", "ETSI")
            # unless machine-learning papers name it often (CNRS) or the context does.
            after_org = start > named_first
            # A short name that is a town, followed by its region or country, is the address
            # ("..., Nagoya, Japan", "..., Cambridge, MA, USA"), not the town's university.
            address = (
                0 < start < len(segments) - 1 and _is_place(segments[start + 1]) and self.registry.is_city(keys[start])
            )
            cand: _Candidate | None = (
                None if after_org or address else self._prior_candidate(segment, keys[start], start)
            ) or self._acronym_candidate(segment, country, hints, start)
            if cand and after_org and self.prior.weight(cand.ror_id) < 2 and cand.ror_id not in hints:
                cand = None
            if cand is None and named_first == len(segments):
                cand = (
                    self._fuzzy_candidate(segment, keys[start], country, start, hints)
                    or self._prefix_candidate(keys[start], country, start, hints)
                    or self._lead_name_candidate(segment, start)
                    or self._famous_first_word(keys[start], start)
                )
            if cand:
                found.append(cand)
        if any(self.registry.is_city(k) for k in keys):  # "..., Kottayam, India": another town printed
            printed = " ".join(keys)
            found = [c for c in found if not self._named_for_another_town(c, printed)]
        # A town that shares its name with a university ("Stanford, CA", "Berkeley") is its
        # university only when nothing else in the string is an organization.
        if not any(not c.generic for c in found) and len(segments) > 1 and _is_place(segments[0]):
            town = self._prior_candidate(segments[0], keys[0], 0)
            if town:
                found.append(town)
        return found

    def _named_for_another_town(self, cand: _Candidate, printed: str) -> bool:
        """ "Indian Institute of Information Technology, Kottayam" is not the Vadodara institute,
        whose record carries that name as an alias: a record named for its own town, which the
        string never prints while it prints another, is another body of the same kind (unless
        ML papers name the record often: "Indian Institute of Science, Bengaluru")."""
        if cand.method.startswith("alias") or not cand.ror_id or self.prior.weight(cand.ror_id) >= 2:
            return False
        org = self.registry.by_id(cand.ror_id)
        if org is None or not org.city:
            return False
        city = f" {normalize_name(org.city)} "  # a town of several words counts too ("New Delhi")
        return city in f" {normalize_name(org.name)} " and city not in f" {printed} "
