"""Candidates from the registry and the curated layers: exact names, campuses, aliases, curated
labs and sites, the prior's short names, acronyms; and the pick among same-named records."""

from __future__ import annotations

import re
from collections import Counter

from ...flags import Flag
from ...registry.countries import (
    ambiguous_city,
    country_of_segment,
    is_country_code,
)
from ...registry.mlorgs import MLOrg
from ...registry.organizations import Organization
from ...registry.text import has_accents, normalize_name
from ...registry.vocab import (
    COMMON_WORD_COMPANIES,
    COMPANY_EVIDENCE,
    PLACES_WITH_INSTITUTION_WORDS,
    SUBUNIT_WORDS,
)
from .spelling import SpellingRules
from .text import (
    _ACRONYM,
    _HOSPITAL,
    PRIOR_DOMINANCE,
    TYPE_WEIGHT,
    _Candidate,
    _is_place,
    is_generic,
    own_key,
)

# Words after a company's name that make it another body's name.
_OTHER_BODY = frozenset({"foundation", "hospital", "hospitals", "museum"})


class RecordRules(SpellingRules):
    """Rules that read a segment as a registry record or a curated name."""

    def _campus(self, orgs: list[Organization], key: str, later: list[str]) -> list[Organization]:
        """ "University of California, <street>, Berkeley, CA": a name whose records' cities are not
        printed, plus a town printed later, that together make a registry name."""
        if not later or any(o.city and normalize_name(o.city) in later for o in orgs):
            return []
        for town in later[:4]:
            if town and self.registry.is_city(town):
                for joined in (f"{key} {town}", f"{key} at {town}"):
                    found = self.registry.by_key(joined)
                    if found:
                        return found
        return []

    def _plausible(self, orgs: list[Organization], key: str, printed: str, size: int) -> list[Organization]:
        """Drop records a reader would not accept for this printed name: a place, a one-word company
        named like a city or an everyday word, an accented spelling when an unaccented one exists."""
        if not orgs:
            return orgs
        if size == 1 and _is_place(printed) and len(key.split()) <= 2:
            return []
        first = normalize_name(printed.split(",")[0])
        if self.registry.is_city(first) and (size > 1 or " " not in key):
            # "Vigo", "Ube, Japan", "Providence": a town (and its country), whatever record shares
            # the name, unless a university is named after it alone ("Cambridge" is handled by
            # the prior, never here).
            orgs = [o for o in orgs if o.primary_type == "education" and normalize_name(o.name) != first]
            if size > 1 or not orgs:
                return []
        if key in PLACES_WITH_INSTITUTION_WORDS:
            return []
        if " " not in key:
            if key in COMMON_WORD_COMPANIES:
                return []
            orgs = [o for o in orgs if o.primary_type != "company" or not _is_place(key)]
        accented = self.registry.accented_only(key)
        if accented and len(orgs) > 1:
            printed_accents = has_accents(printed)
            agreeing = [o for o in orgs if (o.ror_id in accented) == printed_accents]
            orgs = agreeing or orgs
        elif accented and not has_accents(printed) and len(key) <= 12 and orgs[0].ror_id in accented:
            return []  # "Rutgers" is not "Rütgers" when nothing else spells it that way
        return orgs

    def _alias_candidate(self, segment: str, key: str, start: int) -> _Candidate | None:
        for alias in self._aliases_for(key):
            hit = alias.pattern.search(key)
            if not hit:
                continue
            matched = hit.group(0).strip()
            after = key[hit.end() :].split()
            if alias.org_type == "company" and (_HOSPITAL.search(key) or (after and after[0] in _OTHER_BODY)):
                continue  # "Kangbuk Samsung Hospital": a body named after the company
            if matched in COMMON_WORD_COMPANIES and matched != key:
                after = key[hit.end() :].split()
                if not after or after[0] not in COMPANY_EVIDENCE:
                    continue
            org = self.registry.by_id(alias.ror_id) if alias.ror_id else None
            parents = org.parents if org else ()
            score = 4.0 + TYPE_WEIGHT.get(alias.org_type, 0) + len(matched) / 100
            cand = _Candidate(
                alias.institution, alias.ror_id, alias.country, alias.org_type, "alias", 0.95, score, parents
            )
            cand.start, cand.end = start, start + 1
            if alias.parent_ror_id:  # a lab or site: the unit; the company is the top level
                parent = self.registry.by_id(alias.parent_ror_id)
                cand.unit, cand.unit_ror_id = alias.institution, alias.ror_id
                cand.institution = alias.parent or (parent.name if parent else alias.institution)
                cand.ror_id = alias.parent_ror_id
                cand.parents = ()
            return cand
        return None

    def _ml_candidate(self, key: str, start: int, following: list[str]) -> _Candidate | None:
        """A curated lab, company or site; a city or country printed after it picks the site
        ("Samsung AI Center, Moscow"), or two sites in two countries are both reported."""
        hit = self.ml_orgs.find(key)
        if hit is None:
            return None
        org, first, end = hit
        words = key.split()
        if org.org_type == "company" and (_HOSPITAL.search(key) or (end < len(words) and words[end] in _OTHER_BODY)):
            # "Kangbuk Samsung Hospital", "NTT Medical Center", "Novo Nordisk Foundation": a body
            # named after the company, not the company
            return None
        if end - first < len(words) and self.registry.by_key(key):
            # "Toyota Technological Institute at Chicago": a whole registry name beats a curated
            # company named by some of its words.
            return None
        if end - first == 1 and len(words) > 1:
            evidence = end < len(words) and words[end] in COMPANY_EVIDENCE
            if words[first] in COMMON_WORD_COMPANIES or (first > 0 and not evidence):
                return None
        elif end - first == 1 and words[first] in COMMON_WORD_COMPANIES and self.registry.by_key(key):
            return None
        family_cities = {normalize_name(o.city) for o in self.ml_orgs.sites(org.root) if o.city}
        place = []
        for segment in following:
            if not _is_place(segment) and not ambiguous_city(segment) and normalize_name(segment) not in family_cities:
                break
            place.append(segment)
        alternatives: list[str] = []
        if place:
            site, alternatives = self._site(org, place)
            org = site or org
        if org.ror_id and not self._filed_under_company(org):
            # a company or lab with its own record stays itself (Verily, Google DeepMind)
            cand = _Candidate(org.name, org.ror_id, org.country, org.org_type, "alias", 0.95, 4.5 + len(key) / 100)
        else:  # a lab or a city site: the company, with the row as its unit
            root_ror = org.root_ror_id
            cand = _Candidate(org.root, root_ror, org.country, org.org_type, "alias", 0.95, 4.5 + len(key) / 100)
            if org.is_unit:
                cand.unit, cand.unit_ror_id = org.name, org.ror_id
        cand.start, cand.end = start, start + 1 + len(place)
        if org.kind == "company" and not org.is_unit:
            cand.method = "alias-hq"
        if alternatives:
            cand.alternatives = alternatives
            cand.flags.append(Flag.AMBIGUOUS_PLACE)
            cand.confidence = 0.55
        return cand

    def _filed_under_company(self, org: MLOrg) -> bool:
        """A lab whose own registry record ROR files under its company is the company's unit
        (Microsoft Research Asia under Microsoft); Google DeepMind, filed under Alphabet, is not."""
        if org.kind == "site":
            return True
        record = self.registry.by_id(org.ror_id) if org.kind == "lab" and org.is_unit else None
        return record is not None and org.root_ror_id in record.parents

    def _site(self, org: MLOrg, place: list[str]) -> tuple[MLOrg | None, list[str]]:
        """The site of ``org``'s company in the printed city (or country)."""
        cities = {normalize_name(p) for p in place}
        countries = {c for p in place if (c := country_of_segment(p))}
        family = self.ml_orgs.sites(org.root)
        # only a site is picked by its city: a subsidiary or lab there is another body ("Samsung
        # Electro-Mechanics, Suwon" is neither Samsung Electronics nor SAIT)
        pool = [o for o in family if normalize_name(o.city) in cities and (o.kind == "site" or o.name == org.name)]
        if not pool and org.country in countries:  # "Samsung, Suwon, Korea": the company itself
            return None, []
        if countries:
            pool = [o for o in pool if o.country in countries] or [
                o for o in family if o.country in countries and o.kind in ("site", "lab")
            ]
        if not pool:
            return None, []
        if len({o.country for o in pool}) > 1:
            pool = [o for o in pool if o.kind == "site"] or pool
            return None, [f"{o.name} ({o.ror_id or o.root_ror_id}, {o.country})" for o in pool]
        best = next((o for o in pool if o.name.startswith(org.name)), pool[0])
        return best, []

    def _prior_candidate(self, segment: str, key: str, start: int) -> _Candidate | None:
        """A short name that NeurIPS authors use for one organization ("Stanford", "Tsinghua")."""
        ror_id = self.prior.short_name(key)
        org = self.registry.by_id(ror_id) if ror_id else None
        if org is None:
            return None
        cand = _Candidate(org.name, org.ror_id, org.country, org.primary_type, "prior", 0.85, 2.0, org.parents)
        cand.start, cand.end = start, start + 1
        return cand

    def _acronym_candidate(self, segment: str, country: str, hints: frozenset[str], start: int) -> _Candidate | None:
        # Only a whole segment ("CMU") or a parenthesized one ("(KIT)") reads as an acronym.
        words = [segment.strip(), *re.findall(r"\(([^()]+)\)", segment)]
        for word in words:
            word = word.strip("(). ")
            # "Lisbon, PT": a two-letter ISO code closing an address is a country, not an acronym.
            if not _ACRONYM.match(word) or country_of_segment(word) or is_country_code(word):
                continue
            if not word.isupper() and not (sum(c.isupper() for c in word) >= 2):
                continue
            orgs = self.registry.by_acronym(word)
            if not orgs:
                continue
            chosen, others = self._rank_acronym(orgs, country, hints)
            if chosen is None:
                continue
            cand = self._org_candidate([chosen], word.lower(), country, "acronym", 0.7, start, start + 1, hints)
            if others:
                cand.flags.append(Flag.AMBIGUOUS_ACRONYM)
                cand.confidence = 0.5
                cand.alternatives = [f"{o.name} ({o.ror_id}, {o.country})" for o in [chosen, *others]]
            return cand
        return None

    def _rank_acronym(
        self, orgs: list[Organization], country: str, hints: frozenset[str]
    ) -> tuple[Organization | None, list[Organization]]:
        """One organization for an acronym: the one the context names (e-mail, co-authors), the
        printed country's, or the one ML papers name far more often; two close ones come back
        together; none when nothing tells the many apart."""
        if len(orgs) == 1:
            return orgs[0], []
        hinted = [o for o in orgs if o.ror_id in hints or set(o.parents) & hints]
        if len(hinted) == 1:
            return hinted[0], []
        if country:
            same = [o for o in orgs if o.country == country]
            if len(same) == 1:
                return same[0], []
            orgs = same or orgs
        ranked = sorted(orgs, key=lambda o: -self.prior.weight(o.ror_id))
        first, second = (self.prior.weight(o.ror_id) for o in ranked[:2])
        if first >= 2 and first >= PRIOR_DOMINANCE * max(second, 0.5):
            return ranked[0], []
        if first >= 2 and second >= 2:
            return ranked[0], [ranked[1]]
        return None, []

    def _org_candidate(
        self,
        orgs: list[Organization],
        key: str,
        country: str,
        method: str,
        confidence: float,
        start: int,
        end: int,
        hints: frozenset[str] = frozenset(),
    ) -> _Candidate:
        org, ambiguous = self._pick_org(orgs, country, key, hints)
        score = {"exact": 3.0, "acronym": 1.5, "fuzzy": 1.0}[method]
        score += TYPE_WEIGHT.get(org.primary_type, 0) + len(key) / 100
        if country and org.country == country:
            score += 0.5
        elif country and org.country and org.country != country:
            score -= 0.5
        if SUBUNIT_WORDS.search(normalize_name(org.name)):
            score -= 1.0
        cand = _Candidate(org.name, org.ror_id, org.country, org.primary_type, method, confidence, score, org.parents)
        cand.start, cand.end = start, end
        cand.generic = is_generic(key)
        if ambiguous:
            cand.flags.append(Flag.AMBIGUOUS_NAME)
            cand.confidence -= 0.15
            cand.alternatives = [f"{o.name} ({o.ror_id}, {o.country})" for o in orgs[:4]]
        return cand

    def _pick_org(
        self, orgs: list[Organization], country: str, key: str, hints: frozenset[str]
    ) -> tuple[Organization, bool]:
        """One record among same-named ones: the printed country's, the one the context names,
        the record whose own name it is (not an alias), the one ML papers name far more often,
        else the parent of the others."""
        if len(orgs) == 1:
            return orgs[0], False
        if country:
            same = [o for o in orgs if o.country == country]
            if same:
                orgs = same
                if len(same) == 1:
                    return same[0], False
        hinted = [o for o in orgs if o.ror_id in hints or set(o.parents) & hints]
        if len(hinted) == 1:
            return hinted[0], False
        own_name = [o for o in orgs if own_key(o) == key]
        if len(own_name) == 1:
            return own_name[0], False
        pool = own_name or orgs
        ranked = sorted(pool, key=lambda o: -self.prior.weight(o.ror_id))
        first, second = (self.prior.weight(o.ror_id) for o in ranked[:2])
        if first >= 1 and first >= PRIOR_DOMINANCE * max(second, 0.34):
            return ranked[0], False
        full = [o for o in pool if o.city]  # a full ROR record, not a bare name from an old dump
        if len(full) == 1:
            return full[0], False
        pool = full or pool
        funders = [o for o in pool if "funder" in o.types]  # the research-active one / the head office
        if len(funders) == 1:
            return funders[0], False
        referenced = {p for o in orgs for p in o.parents}
        heads = [o for o in pool if o.ror_id in referenced]
        if heads:
            return heads[0], False
        # Still several countries: the co-authors' country ("Northeastern University" beside
        # Tsinghua is the one in Shenyang), else the one ML papers come from most often (US before
        # CN), flagged with the others listed for a reader to settle when no co-author told.
        beside = Counter(o.country for o in map(self.registry.by_id, hints) if o is not None and o.country)
        pick = max(pool, key=lambda o: (beside[o.country], self.prior.country_weight(o.country)))
        return pick, len({o.country for o in pool}) > 1 and not beside[pick.country]

    # -- decision --------------------------------------------------------------
