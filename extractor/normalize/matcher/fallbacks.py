"""When no name is printed exactly: typos (fuzzy), a famous first word, a known short name
before unit words, a name's leading words."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from ...flags import Flag
from ...registry.countries import country_of_segment
from ...registry.organizations import Organization
from ...registry.text import normalize_name
from ...registry.vocab import (
    COMMON_WORD_COMPANIES,
    COMPANY_SUFFIX,
    INSTITUTION_WORDS,
    TOP_LEVEL_WORDS,
)
from .records import RecordRules
from .text import (
    _ACRONYM_LEAD,
    _DEPARTMENT_START,
    _DOUBTFUL,
    _HOSPITAL,
    _UNIT_WORDS,
    FAMOUS_PRIOR,
    FUZZY_CUTOFF,
    TRUSTED_PRIOR,
    _Candidate,
    _is_place,
    _tokens_correspond,
    _with_place_suffix,
    is_generic,
)

# Words that, right after a university's name, make another body of it (a health system or
# health-sciences centre with its own record), not a unit.
_HEALTH_BODY = re.compile(r"^health\b(?! sciences? (?:faculty|school|college|department))")


def _named_for_unprinted_town(org: Organization, printed: str) -> bool:
    """The record's own name carries its one-word town, and the printed name does not. (A town of
    several words is left alone here: "Chinese University of HongKong" is the Hong Kong one.)"""
    city = normalize_name(org.city) if org.city else ""
    return bool(city) and city in normalize_name(org.name).split() and city not in printed.split()


class FallbackRules(RecordRules):
    """Rules tried when a segment names nothing exactly."""

    def _fuzzy_candidate(
        self, segment: str, key: str, country: str, start: int, hints: frozenset[str]
    ) -> _Candidate | None:
        # Typos hide keywords ("Univeristy"), so any multi-word non-address segment may try.
        if len(key) < 8 or len(key.split()) < 2 or country_of_segment(segment) or is_generic(key):
            return None
        # ratio >= 90 needs lengths within 0.818-1.222 of each other; a place suffix is longer.
        size = len(key)
        choices = self.registry.fuzzy_candidates(key, lengths=(int(size * 0.81), int(size * 1.23) + 1))
        hits = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
        hit = next(
            (
                h
                for h in hits
                if (_tokens_correspond(key, h[0]) or _tokens_correspond(key, self._without_parent_tag(h[0])))
                and self._same_towns(key, h[0])
            ),
            None,
        )
        if hit is None and TOP_LEVEL_WORDS.search(key):
            hit = _with_place_suffix(key, self.registry.fuzzy_candidates(key, lengths=(size + 3, 10_000)))
        if not hit:
            return None
        name, score, _ = hit
        if is_generic(name):
            return None
        orgs = self._plausible(self.registry.by_key(name), name, name, 2)
        if not orgs:
            return None
        cand = self._org_candidate(orgs, name, country, "fuzzy", 0.85 * score / 100, start, start + 1, hints)
        cand.flags.append(Flag.FUZZY_MATCH)
        return cand

    def _without_parent_tag(self, name: str) -> str:
        """ "universite paris dauphine psl" -> "universite paris dauphine": a record's name ending
        in its parent's acronym (members of PSL, of a university system) is printed without it."""
        head, _, tag = name.rpartition(" ")
        parents = {p for o in self.registry.by_key(name) for p in o.parents}
        if head and parents and any(o.ror_id in parents for o in self.registry.by_acronym(tag)):
            return head
        return name

    def _same_towns(self, key: str, name: str) -> bool:
        """A town in one name is in the other too: "Universitas Muhammadiyah Surakarta" is not
        the Jakarta one, however alike the words."""
        left, right = set(key.split()), set(name.split())

        def towns(words: set[str]) -> bool:
            return any(len(word) > 3 and self.registry.is_city(word) for word in words)

        return not (towns(left - right) and towns(right - left))  # a town may be extra, not replaced

    def _famous_first_word(self, key: str, start: int) -> _Candidate | None:
        """ "Purdue", "Standord": one word (a typo mended) that begins the name of exactly one
        organization ML papers name often, and is no town or country."""
        if " " in key or len(key) < 5 or _is_place(key) or self.registry.is_city(key):
            return None
        word = key if self.registry.token_count(key) else self.registry.closest_word(key)
        if not word or self.registry.is_city(word):
            return None
        famous = {
            org.ror_id: org
            for name in self.registry.names_with_word(word)
            if name.startswith(word + " ")
            for org in self.registry.by_key(name)
            if self.prior.weight(org.ror_id) >= FAMOUS_PRIOR
        }
        if len(famous) != 1:
            return None
        org = next(iter(famous.values()))
        cand = _Candidate(org.name, org.ror_id, org.country, org.primary_type, "prior", 0.7, 2.0, org.parents)
        cand.start, cand.end = start, start + 1
        if word != key:
            cand.flags.append(Flag.FUZZY_MATCH)
        return cand

    def _lead_name_candidate(self, segment: str, start: int) -> _Candidate | None:
        """ "Harvard Medical School", "DTU Compute", "RIKEN Brain Science Institute", "USC
        Information Sciences Inst": a known short name, curated name or printed acronym, then
        unit words. The organization is the short name's; the printed segment is its unit."""
        words = segment.split()
        for size in (2, 1):
            if len(words) <= size or not _UNIT_WORDS.search(" ".join(words[size:])):
                continue
            lead = " ".join(words[:size])
            key = normalize_name(lead)
            # Only names a reader of ML papers knows: a printed acronym, a name of two words or
            # more ("UC Davis"), or a short name of an organization ML papers name often ("Harvard";
            # "Shandong" or "Brain" before unit words is a place or a field, not an organization).
            named_lead = size > 1 and bool(self.registry.by_key(key) or self._curated_name(key))
            if not (named_lead or _ACRONYM_LEAD.match(lead) or self.prior.short_name(key)):
                continue
            named = self.match(lead)
            first = named.organizations[0] if named.organizations else None
            if first is None or not first.ror_id or set(first.flags) & _DOUBTFUL:
                continue
            weight = self.prior.weight(first.ror_id)
            department = _DEPARTMENT_START.match(normalize_name(" ".join(words[size:])))
            if size == 1 and department and weight < FAMOUS_PRIOR:
                continue  # "ECE Department", "CS Dept": the acronym is the department's ("UCLA" is UCLA)
            if size > 1 or weight >= FAMOUS_PRIOR or (_ACRONYM_LEAD.match(lead) and weight >= TRUSTED_PRIOR):
                cand = _Candidate(first.institution, first.ror_id, first.country, first.org_type, "prior", 0.8, 2.0)
                cand.start, cand.end = start, start + 1
                return cand
        return None

    def _prefix_candidate(self, key: str, country: str, start: int, hints: frozenset[str]) -> _Candidate | None:
        """'Ohio State University CSE Department' -> 'Ohio State University': the longest
        leading words that are a registry name with an institution word in it."""
        words = key.split()
        lead = re.match(r"^(.+?) (school|college|faculty|department|institute) of ", key)
        owner = key[lead.end() :] if lead else ""
        if owner and self.registry.by_key(owner) and not is_generic(owner):
            # "Zhejiang Institute of Tianjin University": the institute is Tianjin University's
            orgs = self._plausible(self.registry.by_key(owner), owner, owner, 2)
            if orgs:
                return self._org_candidate(orgs, owner, country, "exact", 0.85, start, start + 1, hints)
        if lead and not is_generic(lead.group(1)):  # "Yale School of Medicine" -> Yale, unit as printed
            ror_id = self.prior.short_name(lead.group(1))
            org = self.registry.by_id(ror_id) if ror_id else None
            if org is not None:
                cand = _Candidate(org.name, org.ror_id, org.country, org.primary_type, "prior", 0.8, 2.0, org.parents)
                cand.start, cand.end = start, start + 1
                return cand
        if len(words) > 1 and COMPANY_SUFFIX.match(words[-1]):  # "Marvell Semiconductor Inc" -> Marvell
            for size in range(len(words) - 1, 0, -1):
                orgs = [o for o in self.registry.by_key(" ".join(words[:size])) if o.primary_type == "company"]
                if orgs and not (size == 1 and words[0] in COMMON_WORD_COMPANIES):
                    cand = self._org_candidate(orgs, " ".join(words[:size]), country, "exact", 0.85, start, start + 1)
                    return cand
        for size in range(len(words) - 1, 1, -1):
            prefix = " ".join(words[:size])
            if not INSTITUTION_WORDS.search(prefix) or is_generic(prefix):
                continue
            orgs = self._plausible(self.registry.by_key(prefix), prefix, prefix, 2)
            rest = " ".join(words[size:])
            if not is_generic(words[size]):  # "... Technology Bhagalpur": not the record named for Vadodara
                orgs = [o for o in orgs if not _named_for_unprinted_town(o, prefix)]
            if _HOSPITAL.search(rest):  # "Heidelberg University | Hospital": a hospital
                orgs = [o for o in orgs if o.primary_type == "healthcare"]
            elif _HEALTH_BODY.match(rest):  # "Louisiana State University | Health New Orleans": its own body
                orgs = []
            if orgs:
                cand = self._org_candidate(orgs, prefix, country, "fuzzy", 0.75, start, start + 1, hints)
                cand.flags.append(Flag.PARTIAL_NAME_MATCH)
                return cand
        return None
