"""The offline rule engine: raw affiliation string -> every organization it names, each with
its ROR id, country and the most specific unit named.

Per comma/semicolon/slash-separated segment, the evidence is tried in order: curated labs
and companies (``ml_orgs.csv``, ``aliases.csv``), exact registry names over windows of 1-3
segments, short names learned from NeurIPS author strings (the prior), acronyms, fuzzy names,
then leading words. Generic names ("Department of Physics", "University Hospital") never stand
alone; a record whose parent is also named is that parent's unit. The printed address decides
each organization's country when it agrees with a record of that name, else the matched
record, else the e-mail domain.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..flags import Flag
from ..records import AffiliationMatch, OrganizationMatch
from ..registry.aliases import Alias, load_aliases
from ..registry.countries import (
    ambiguous_city,
    country_from_address,
    country_from_tld,
    country_of_segment,
    is_country_code,
    is_us_state_code,
)
from ..registry.emails import email_domain, find_emails, strip_emails
from ..registry.mlorgs import MLOrg, MLOrgs, default_ml_orgs
from ..registry.organizations import STOP_TOKENS, Organization, Registry, default_registry
from ..registry.prior import Prior, default_prior
from ..registry.text import clean_spaces, fold_typography, has_accents, normalize_name
from ..registry.vocab import (
    BROAD_NAME_WORDS,
    COMMON_WORD_COMPANIES,
    COMPANY_EVIDENCE,
    COMPANY_SUFFIX,
    GENERIC_NAME_WORDS,
    INSTITUTION_WORDS,
    NO_INSTITUTION,
    PLACES_WITH_INSTITUTION_WORDS,
    SUBUNIT_WORDS,
    TOP_LEVEL_WORDS,
    TRAILING_CORRESPONDENCE,
)
from .ranker import KeepAll, Ranker, default_ranker

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|io|ai)\b")
_LEADING_MARKER = re.compile(r"^[\s\d*†‡§¶‖#♯♭♮\u2020\u2021,.:]+(?=\D)")
_PAREN_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&\-]{1,7}$")
_SEPARATORS = re.compile(r"[,;|]|\s[-–—]\s")
# "NUS & Sea AI Lab", "Petuum Inc. / CMU": short names joined; "Department of Finance &
# Marketing" or "Hematology/Oncology" inside a longer name stay whole (parts are too long or generic).
_JOINERS = re.compile(r"\s*/\s*|\s+&\s+|\s+\+\s+")
_SHORT_PART = 5
_UNIT_WORDS = re.compile(
    r"\b(school|institute|inst|department|dept|division|faculty|center|centre|labs?|laboratory|research|"
    r"compute|program|college|hospital|clinic)\b",
    re.I,
)
_ACRONYM_LEAD = re.compile(r"^[A-Z]{3,6}$")  # "DTU", "RIKEN", "USC" ("UC" is too many things)
_DOUBTFUL = frozenset(
    {Flag.NO_REGISTRY_MATCH, Flag.AMBIGUOUS_NAME, Flag.AMBIGUOUS_ACRONYM, Flag.AMBIGUOUS_PLACE, Flag.FUZZY_MATCH}
)
_JOINING_WORDS = frozenset({"of", "at", "in", "the", "and", "de", "du", "des", "di", "da", "for", "y"})
_TRAILING_IN = re.compile(r"\s+(in|at)$", re.I)  # "CTU in Prague" (head before the town)
_U_LEAD = re.compile(r"^U\.?\s+(?:of\s+)?(?=[A-Z])")  # "U of Toronto", "U. Michigan"
_U_TRAIL = re.compile(r"(?<=[a-z])\s+U\.?$")  # "Duke U", "New York U"
_MPI = re.compile(r"^MPI\b[\s-]*")  # "MPI for Biological Cybernetics", "MPI-SWS"
_SPELLED_OUT = ((_U_LEAD, "University of "), (_U_TRAIL, " University"), (_MPI, "Max Planck Institute "))
_BRACKETED = re.compile(r"^(.*?\w)\s*\(([^()]+)\)?$")  # "Name (ACRONYM)", its ")" maybe stripped
_NAME_JOINER = re.compile(r"\s+and\s+|(?<=\w)-(?=\w)")
_DATE = re.compile(r"^(\d{1,4}[-/.]){1,2}\d{1,4}$|^(19|20)\d\d$")
_LEADING_AND = re.compile(r"^(and|also|now at|now with|currently at|work done at|work done while at)\s+", re.I)

_DEPARTMENT_START = re.compile(r"^(department|dept|division|school|faculty|section|unit|group|program)\b")
_UNIT_START = re.compile(
    r"^(the )?(\w+ )?(department|dept|division|institute|institut|instituto|istituto|laboratory|laboratoire|"
    r"laboratorio|lab|center|centre|centro|clinic|klinik|school|faculty|program|unit|section|group|"
    r"research center|research centre|research institute|key laboratory|state key laboratory)\b"
)

_KNOWN_TYPES = frozenset(["education", "company", "facility", "government", "healthcare", "nonprofit"])
_HOSPITAL = re.compile(
    r"\b(hospital|hospitals|clinic|clinics|klinik|klinikum|hopital|ospedale|hospitalier|chu|medical center)\b"
)
_UNIVERSITY = re.compile(r"\b(university|universit\w*|universidad\w*|universidade)\b")

TYPE_WEIGHT = {"education": 0.5, "facility": 0.35, "company": 0.3, "government": 0.2, "healthcare": 0.1}
# Order-aware: a typo keeps word order; "Information Sciences Institute" is not
# "Institute of Information Science" (a different record in another country).
FUZZY_CUTOFF = 90.0
TOKEN_CUTOFF = 75.0
# A prior-ranked guess among same-named records needs this much more weight than the next one.
PRIOR_DOMINANCE = 3.0
# Author rows in NeurIPS 2013-2020 that make an acronym's organization exempt from the verifier's doubt.
TRUSTED_PRIOR = 5.0
FAMOUS_PRIOR = 30.0  # author rows: a short name before unit words must be this well known


@dataclass(slots=True)
class _Candidate:
    institution: str
    ror_id: str
    country: str
    org_type: str
    method: str
    confidence: float
    score: float
    parents: tuple[str, ...] = ()
    flags: list[Flag] = field(default_factory=list)
    start: int = 0  # segment span [start, end)
    end: int = 1
    generic: bool = False
    unit: str = ""
    unit_ror_id: str = ""
    alternatives: list[str] = field(default_factory=list)  # "Name (ID, CC)" of an ambiguous pick


def clean_affiliation(raw: str) -> str:
    """Strip link markers, e-mails, URLs and trailing correspondence notes."""
    text = strip_emails(fold_typography(raw))
    text = _URL.sub(" ", text)
    text = TRAILING_CORRESPONDENCE.sub("", text)
    text = _LEADING_MARKER.sub("", clean_spaces(text))
    return clean_spaces(text).strip(" ,;.")


def split_segments(text: str) -> list[str]:
    """Comma, semicolon, slash, '&' and ' - ' separated parts; 'Inc.' and friends stay with the
    name before them, a leading 'and' is dropped."""
    segments: list[str] = []
    parts: list[str] = []
    for part in _SEPARATORS.split(text):
        pieces = _JOINERS.split(part)
        short = len(pieces) > 1 and all(0 < len(p.split()) <= _SHORT_PART for p in pieces)
        if short and not all(is_generic(normalize_name(p)) or (len(p.split()) == 1 and p.islower()) for p in pieces):
            parts += pieces
        else:
            parts.append(part)
    for part in parts:
        part = _LEADING_AND.sub("", part.strip()).strip(" .()&/+")
        if not part:
            continue
        if segments and COMPANY_SUFFIX.match(normalize_name(part)):
            segments[-1] = f"{segments[-1]} {part}"
            continue
        segments.append(part)
    return segments


def is_generic(key: str) -> bool:
    """A name made only of kind-and-field words ("department of public health")."""
    words = key.split()
    return bool(words) and all(w in GENERIC_NAME_WORDS or len(w) == 1 for w in words)


@lru_cache(maxsize=1 << 16)
def _is_place(segment: str) -> bool:
    key = normalize_name(segment)
    return (
        bool(country_of_segment(segment))
        or is_us_state_code(segment.strip())
        or key in PLACES_WITH_INSTITUTION_WORDS
        or bool(_DATE.match(segment))
    )


class RuleMatcher:
    """Deterministic matcher over the shipped registry, the curated layer and the prior."""

    def __init__(
        self,
        registry: Registry | None = None,
        aliases: list[Alias] | None = None,
        prior: Prior | None = None,
        ml_orgs: MLOrgs | None = None,
        ranker: Ranker | KeepAll | None = None,
    ) -> None:
        self.registry = registry or default_registry()
        self.aliases = aliases if aliases is not None else load_aliases(self.registry)
        self.prior = prior if prior is not None else default_prior()
        self.ml_orgs = ml_orgs if ml_orgs is not None else default_ml_orgs()
        self.ranker = ranker if ranker is not None else default_ranker()
        # Most segments name no alias: a pattern is tried only when its first word is among the
        # segment's words; patterns whose first word cannot be read are always tried.
        self._alias_by_word, self._alias_always = _alias_first_words(self.aliases)

    def match(self, raw: str, email_domains: Sequence[str] = (), context: Sequence[str] = ()) -> AffiliationMatch:
        """``context``: ROR ids of the co-authors' institutions on the same paper."""
        text = clean_affiliation(raw)
        if not text:  # only e-mails or web addresses were printed ("stanford.edu", "Valeo.ai")
            return self._from_email_only(raw, [*email_domains, *_printed_domains(raw)])
        segments = split_segments(text)
        address_country = country_from_address(text)
        if not segments:
            return self._from_email_only(raw, email_domains)
        if NO_INSTITUTION.match(normalize_name(segments[0])):
            return self._no_institution(raw, address_country)
        hints = self._hints(email_domains, context)
        segments = [part for s in self._split_joined(segments) for part in self._town_apart(self._spelled_out(s))]
        candidates = self._candidates(segments, address_country, hints)
        _proper_names_alone(candidates, segments, self.registry)
        orgs = self._organizations(candidates)
        if not orgs:
            return self._unmatched(raw, segments, address_country, email_domains)
        return self._finish(raw, orgs, segments, address_country, email_domains, hints)

    # -- candidate generation -------------------------------------------------

    def _hints(self, email_domains: Sequence[str], context: Sequence[str]) -> frozenset[str]:
        ids = set(context)
        for domain in email_domains:
            org, _country = self.registry.by_domain(domain)
            if org:
                ids.add(org.ror_id)
                ids.update(org.parents)
        return frozenset(ids)

    def _candidates(self, segments: list[str], country: str, hints: frozenset[str]) -> list[_Candidate]:
        found: list[_Candidate] = []
        covered: set[int] = set()
        keys = [normalize_name(s) for s in segments]
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
                key = normalize_name(", ".join(window))
                is_town = size == 1 and 0 < start < len(segments) - 1 and " " not in key and self.registry.is_city(key)
                if is_town and _is_place(segments[start + 1]):
                    break  # "Brown University, Providence, RI": the town, not Providence College
                orgs = self.registry.by_key(key)
                if not orgs and size == 2:  # "The University of Texas, Austin" is "... at Austin"
                    key = normalize_name(" at ".join(window))
                    orgs = self.registry.by_key(key)
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
        # A town that shares its name with a university ("Stanford, CA", "Berkeley") is its
        # university only when nothing else in the string is an organization.
        if not any(not c.generic for c in found) and len(segments) > 1 and _is_place(segments[0]):
            town = self._prior_candidate(segments[0], keys[0], 0)
            if town:
                found.append(town)
        return found

    def _split_joined(self, segments: list[str]) -> list[str]:
        """ "Uber and University of Cambridge", "CNRS and ENS", "LAAS-CNRS": names joined by 'and'
        or a hyphen are read apart when the whole is no name and every part is one on its own
        ("Washington and Lee University", "Paris-Saclay" stay whole)."""
        split: list[str] = []
        for segment in segments:
            parts = [p.strip(" .") for p in _NAME_JOINER.split(segment)]
            # "Rutgers University. and Department of Mathematics": a unit of the next name may
            # stand beside a name, as long as one part is a name.
            named = [self._names_one(p) for p in parts]
            units = [bool(SUBUNIT_WORDS.match(p)) for p in parts]
            readable = all(n or u for n, u in zip(named, units, strict=True)) and any(named)
            if len(parts) > 1 and readable and not self._names_one(segment):
                split += parts
            else:
                split.append(segment)
        return split

    def _spelled_out(self, segment: str) -> str:
        """ "U of Toronto", "U. Michigan", "Duke U": the abbreviated university spelled out, and
        "Swiss Federal Institute of Technology Zurich (ETHZ": the name or its bracketed acronym,
        whichever is a name; only when the result names an organization."""
        for pattern, spelled in _SPELLED_OUT:
            if pattern.search(segment):
                expanded = pattern.sub(spelled, segment, count=1)
                if self._names_one(expanded):
                    return expanded
        bracketed = _BRACKETED.match(segment)
        if bracketed and not self._names_one(segment):
            for part in bracketed.groups():
                if self._names_one(part):
                    return part
        return segment

    def _town_apart(self, segment: str) -> list[str]:
        """ "Hebrew University Jerusalem Israel", "Computer Vision Center Barcelona", "CTU in
        Prague": a name with its town (and country) printed without a comma is read as the name
        and the address, when the name alone is one and the rest is a place."""
        words = segment.split()
        if len(words) < 2 or self._names_one(segment):
            return [segment]
        for size in range(1, min(3, len(words) - 1) + 1):
            head, tail = " ".join(words[:-size]), " ".join(words[-size:])
            head = _TRAILING_IN.sub("", head)
            place = _is_place(tail) or self.registry.is_city(normalize_name(tail))
            key = normalize_name(head)
            if not key or BROAD_NAME_WORDS.issuperset(key.split()) or key.split()[-1] in _JOINING_WORDS:
                continue  # "University of | Texas", "National University | Singapore"
            records = self.registry.by_key(key)
            if (
                records
                and all(o.city for o in records)
                and normalize_name(tail).split()[0] not in {w for o in records for w in normalize_name(o.city).split()}
            ):
                continue  # "Universitas Muhammadiyah | Surakarta": another town's record, so the town is in the name
            if place and (records or self._curated_name(key) or _ACRONYM_LEAD.match(head)):
                return [head, *self._town_apart(tail)] if size > 1 and not _is_place(tail) else [head, tail]
        return [segment]

    def _names_one(self, text: str) -> bool:
        """Whether ``text`` alone is an organization's name, alias, curated name or a short name
        ML papers use (a bare registry acronym is not enough: "INESC-ID" is one name)."""
        key = normalize_name(text)
        if not key or is_generic(key):
            return False
        return bool(self.registry.by_key(key) or self._curated_name(key))

    def _curated_name(self, key: str) -> bool:
        """A curated organization's name or alias, or a short name ML papers use."""
        return bool(
            self.ml_orgs.by_key(key)
            or self.prior.short_name(key)
            or any(alias.pattern.fullmatch(key) for alias in self._aliases_for(key))
        )

    def _aliases_for(self, key: str) -> list[Alias]:
        """The aliases a normalized key may name, in file order (the first listed wins)."""
        by_word = self._alias_by_word
        tried = sorted({*self._alias_always, *(i for w in key.split() for i in by_word.get(w, ()))})
        return [self.aliases[i] for i in tried]

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
        if org.kind != "site" and org.ror_id:  # a lab or company with its own record stays itself
            cand = _Candidate(org.name, org.ror_id, org.country, org.org_type, "alias", 0.95, 4.5 + len(key) / 100)
        else:  # a lab without a record, or a city site: the company, with the row as its unit
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

    def _site(self, org: MLOrg, place: list[str]) -> tuple[MLOrg | None, list[str]]:
        """The site of ``org``'s company in the printed city (or country)."""
        cities = {normalize_name(p) for p in place}
        countries = {c for p in place if (c := country_of_segment(p))}
        family = self.ml_orgs.sites(org.root)
        by_city = [o for o in family if normalize_name(o.city) in cities]
        lineage = [o for o in by_city if o.name == org.name or org.name in (o.root, org.name) or o.kind == "site"]
        pool = lineage or by_city
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
        hit = next((h for h in hits if _tokens_correspond(key, h[0])), None)
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
            if size == 1 and _DEPARTMENT_START.match(normalize_name(" ".join(words[size:]))):
                continue  # "ECE Department", "CS Dept": the acronym is the department's
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
            if orgs:
                cand = self._org_candidate(orgs, prefix, country, "fuzzy", 0.75, start, start + 1, hints)
                cand.flags.append(Flag.PARTIAL_NAME_MATCH)
                return cand
        return None

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
        own_name = [o for o in orgs if normalize_name(_PAREN_SUFFIX.sub("", o.name)) == key]
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

    def _organizations(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """Distinct top-level organizations in printed order, each with the most specific unit
        named: a record whose parent is also named, or a generic one ("Institute of Automation")
        beside its parent, is that parent's unit; a generic one alone is dropped."""
        if not candidates:
            return []
        by_id = {c.ror_id: c for c in candidates if c.ror_id}
        universities = [c for c in candidates if c.org_type == "education" and not c.generic and c.method != "acronym"]
        for cand in candidates:  # "Institute of Zoology, Jagiellonian University": a unit of the university
            later = next((u for u in universities if u.start > cand.start and u is not cand), None)
            if later is None or cand.org_type == "company" or cand.method == "alias" or cand.generic:
                continue
            if _UNIT_START.match(normalize_name(cand.institution)) or _UNIT_START.match(cand.institution.lower()):
                cand.generic = True
                cand.parents = (*cand.parents, later.ror_id)
        kept: list[_Candidate] = []
        for cand in sorted(candidates, key=lambda c: (c.start, -c.score)):
            parent = next((by_id[p] for p in cand.parents if p in by_id and p != cand.ror_id), None)
            if parent is None and cand.generic:
                parent = self._generic_parent(cand, candidates)
                if parent is None:
                    continue
            if parent is not None and cand.org_type not in ("company",):
                if not parent.unit:
                    parent.unit, parent.unit_ror_id = cand.unit or cand.institution, cand.unit_ror_id or cand.ror_id
                continue
            cand = self._climb_subunit(cand)
            same = next(
                (k for k in kept if (k.ror_id and k.ror_id == cand.ror_id) or k.institution == cand.institution), None
            )
            if same is not None:
                if not same.unit and cand.unit:
                    same.unit, same.unit_ror_id = cand.unit, cand.unit_ror_id
                continue
            # One organization per segment: a weaker reading of a segment already read is dropped.
            overlap = next((k for k in kept if k.start < cand.end and cand.start < k.end), None)
            if overlap is not None:
                if cand.score > overlap.score and cand.method in ("alias", "exact") and overlap.method != "alias":
                    kept[kept.index(overlap)] = cand
                continue
            kept.append(cand)
        return kept

    def _generic_parent(self, cand: _Candidate, candidates: list[_Candidate]) -> _Candidate | None:
        """The named organization a generic record belongs to: its registry parent, or any
        same-named record whose parent is named ("Institute of Automation" + CAS)."""
        named = {c.ror_id: c for c in candidates if c.ror_id and not c.generic}
        for org in self.registry.by_key(normalize_name(cand.institution)):
            for parent_id in org.parents:
                if parent_id in named:
                    cand.institution, cand.ror_id = org.name, org.ror_id
                    return named[parent_id]
        return None

    def _climb_subunit(self, cand: _Candidate) -> _Candidate:
        """A department or school ("Indiana University School of Medicine") or a lab named after
        its university ("MIT CSAIL") counts as the university, with itself as the unit."""
        if not cand.parents or cand.unit:
            return cand
        parent = self.registry.by_id(cand.parents[0])
        if parent is None or parent.primary_type != "education":
            return cand
        first_word = cand.institution.split()[0] if cand.institution else ""
        named_after = any(o.ror_id == parent.ror_id for o in self.registry.by_acronym(first_word)) or normalize_name(
            cand.institution
        ).startswith(normalize_name(parent.name) + " ")
        if not SUBUNIT_WORDS.search(normalize_name(cand.institution)) and not named_after:
            return cand
        climbed = _Candidate(
            parent.name,
            parent.ror_id,
            parent.country,
            parent.primary_type,
            cand.method,
            cand.confidence,
            cand.score,
            parent.parents,
            cand.flags,
            cand.start,
            cand.end,
        )
        climbed.unit, climbed.unit_ror_id = cand.institution, cand.ror_id
        return climbed

    def _finish(
        self,
        raw: str,
        orgs: list[_Candidate],
        segments: list[str],
        address_country: str,
        email_domains: Sequence[str],
        hints: frozenset[str] = frozenset(),
    ) -> AffiliationMatch:
        matches = []
        for position, cand in enumerate(orgs):
            # The address printed after this organization and before the next one is its own.
            stop = orgs[position + 1].start if position + 1 < len(orgs) else len(segments)
            own_address = country_from_address(", ".join(["x", *segments[cand.end : stop]]))
            span = ", ".join(segments[cand.start : cand.end])
            found = self._country(cand, own_address, address_country, segments[cand.end : stop], email_domains)
            # The verifier learned from biomedical and physics strings without e-mails or co-authors:
            # an organization from the curated ML layer, a short name or acronym ML papers use for
            # it (the NeurIPS prior), one the e-mail domain or a co-author's institution names, or a
            # string that is exactly one record's name, stays.
            trusted = (
                cand.method in ("alias", "alias-hq")
                or (cand.method == "prior" and cand.start == 0)
                or (cand.method != "prior" and self.prior.weight(found.ror_id) >= TRUSTED_PRIOR)
                or (  # the whole string is one record's own name ("National Institute of Informatics"),
                    # or the name of same-named records in several countries, picked and flagged
                    cand.method == "exact"
                    and (cand.start, cand.end) == (0, len(segments))
                    and (len(self.registry.by_key(normalize_name(span))) == 1 or Flag.AMBIGUOUS_NAME in cand.flags)
                )
                or found.ror_id in hints
                or bool(set(cand.parents) & hints)
            )
            keep = True
            if not trusted or self.ranker.records:
                x = self._features(cand, found, position, orgs, segments, span, bool(own_address))
                keep = self.ranker.keep(x, trusted)[0] or trusted
            if not keep:  # the verifier doubts the record: the printed name stays, without an id
                found = OrganizationMatch(
                    institution=segments[cand.start] if cand.method != "alias" else found.institution,
                    country=found.country,
                    confidence=0.3,
                    flags=[Flag.NO_REGISTRY_MATCH, *(f for f in found.flags if f == Flag.COUNTRY_FROM_EMAIL)],
                )
            matches.append(found)
        first = matches[0]
        return AffiliationMatch(
            affiliation=raw,
            institution=first.institution,
            ror_id=first.ror_id,
            country=first.country,
            org_type=first.org_type,
            confidence=first.confidence,
            flags=list(first.flags),
            unit=first.unit,
            unit_ror_id=first.unit_ror_id,
            organizations=matches,
        )

    def _country(
        self,
        cand: _Candidate,
        own_address: str,
        string_address: str,
        trailing: list[str],
        email_domains: Sequence[str],
    ) -> OrganizationMatch:
        flags = list(cand.flags)
        confidence = cand.confidence
        printed = own_address or string_address
        country = printed or cand.country
        if printed and cand.country and printed != cand.country and cand.org_type != "company":
            same_named = [o for o in self.registry.by_name(cand.institution) if o.country == printed]
            if same_named:
                org = same_named[0]
                cand.institution, cand.ror_id, cand.country = org.name, org.ror_id, org.country
            elif own_address:
                flags.append(Flag.COUNTRY_CONFLICT)
                confidence = min(confidence, 0.55)
            else:  # the string's country belongs to another organization printed after this one
                country = cand.country
        if cand.method == "alias" and not own_address:
            country = cand.country  # a curated lab or site: its own country, not the HQ's
            if not printed and cand.org_type == "company" and Flag.AMBIGUOUS_PLACE not in flags:
                flags.append(Flag.COUNTRY_FROM_HQ)
        elif not printed and cand.org_type == "company":
            place = next((c for s in trailing if (c := ambiguous_city(s))), ())
            if place and not cand.alternatives:
                flags.append(Flag.AMBIGUOUS_PLACE)
                cand.alternatives = [f"{cand.institution} ({code})" for code in place]
            if Flag.AMBIGUOUS_PLACE in flags:
                confidence = min(confidence, 0.55)
            flags.append(Flag.COUNTRY_FROM_HQ)
        if not country:
            country = _country_from_emails(self.registry, email_domains)
            if country:
                flags.append(Flag.COUNTRY_FROM_EMAIL)
        return OrganizationMatch(
            institution=cand.institution,
            ror_id=cand.ror_id,
            country=country,
            org_type=cand.org_type,
            confidence=round(confidence, 3),
            unit=cand.unit if cand.unit_ror_id != cand.ror_id or cand.unit != cand.institution else "",
            unit_ror_id=cand.unit_ror_id if cand.unit_ror_id != cand.ror_id else "",
            flags=list(dict.fromkeys(flags)),
            alternatives=list(cand.alternatives),
        )

    def _features(
        self,
        cand: _Candidate,
        found: OrganizationMatch,
        position: int,
        orgs: list[_Candidate],
        segments: list[str],
        span: str,
        own_address: bool,
    ) -> list[float]:
        """The verifier's view of one organization (``ranker.FEATURES``, in that order)."""
        flags = found.flags
        org = self.registry.by_id(found.ror_id) if found.ror_id else None
        record_name = normalize_name(_PAREN_SUFFIX.sub("", found.institution))
        span_key = normalize_name(span)
        span_words = set(span_key.split())
        name_words = set(record_name.split())
        informative = [w for w in name_words if w not in STOP_TOKENS and len(w) > 2]
        rarity = min((self.registry.token_count(w) for w in informative), default=0)
        org_type = found.org_type
        printed = country_from_address(", ".join(["x", *segments[cand.end :]]))
        others = [o for o in orgs if o is not cand]
        seg_keys = {normalize_name(s) for s in segments}
        method = cand.method
        x = [
            method == "alias",
            method == "alias-hq",
            method == "exact",
            method == "prior",
            method == "acronym",
            method == "fuzzy",
            Flag.PARTIAL_NAME_MATCH in flags,
            found.confidence,
            org_type == "education",
            org_type == "company",
            org_type == "facility",
            org_type == "government",
            org_type == "healthcare",
            org_type == "nonprofit",
            org_type not in _KNOWN_TYPES,
            len(orgs),
            position,
            bool(found.unit_ror_id),
            own_address,
            bool(printed) and printed == (org.country if org else found.country),
            bool(printed) and printed != (org.country if org else found.country),
            Flag.COUNTRY_CONFLICT in flags,
            bool(found.alternatives) or Flag.AMBIGUOUS_NAME in flags,
            Flag.COUNTRY_FROM_HQ in flags,
            len(self.registry.by_key(record_name)),
            math.log1p(self.prior.weight(found.ror_id)),
            len(span_key.split()),
            fuzz.ratio(span_key, record_name) / 100,
            len(name_words - span_words) / max(len(name_words), 1),
            len(span_words - name_words) / max(len(span_words), 1),
            math.log1p(rarity),
            len(segments),
            len(segments) - cand.end,
            any(o.org_type == "healthcare" for o in others),
            any(o.org_type == "education" for o in others),
            bool(org and org.city and normalize_name(org.city) in seg_keys),
            bool(org and org.city),
            bool(SUBUNIT_WORDS.search(span_key)),
            bool(_HOSPITAL.search(span_key)) and org_type != "healthcare",
            bool(_UNIVERSITY.search(span_key)) and org_type != "education",
            bool(org and org.parents),
        ]
        return [float(v) for v in x]

    def _no_institution(self, raw: str, address_country: str) -> AffiliationMatch:
        return AffiliationMatch(affiliation=raw, country=address_country, confidence=0.9, flags=[Flag.NO_INSTITUTION])

    def _unmatched(
        self, raw: str, segments: list[str], address_country: str, email_domains: Sequence[str]
    ) -> AffiliationMatch:
        flags = [Flag.NO_REGISTRY_MATCH]
        country = address_country
        if not country:
            country = _country_from_emails(self.registry, email_domains)
            if country:
                flags.append(Flag.COUNTRY_FROM_EMAIL)
        # What is kept as printed must read as an organization: not a town, a date or a street.
        names = [
            s for s in segments if not _is_place(s) and not re.search(r"\d", s) and not is_generic(normalize_name(s))
        ]
        named = [s for s in names if INSTITUTION_WORDS.search(s) and not is_generic(normalize_name(s))]
        institution = named[-1] if named else (names[0] if names else "")
        return AffiliationMatch(affiliation=raw, institution=institution, country=country, confidence=0.3, flags=flags)

    def _from_email_only(self, raw: str, email_domains: Sequence[str]) -> AffiliationMatch:
        """No name printed, only e-mail or web addresses: the registry's or the curated list's
        owner of a domain, else the domain's own name ("valeo.ai")."""
        for domain in email_domains:
            org, country = self.registry.by_domain(domain)
            if org:
                found = OrganizationMatch(
                    institution=org.name, ror_id=org.ror_id, country=country or org.country, org_type=org.primary_type
                )
                return _from_domain(raw, found)
        for domain in email_domains:
            curated = self.ml_orgs.by_domain(domain)
            if curated is not None:
                unit = curated.name if curated.is_unit else ""
                found = OrganizationMatch(
                    institution=curated.root,
                    ror_id=curated.root_ror_id,
                    country=curated.country,
                    org_type=curated.org_type,
                    unit=unit,
                    unit_ror_id=curated.ror_id if unit else "",
                )
                return _from_domain(raw, found)
            # The domain's own name only when ML papers or the curated list know it ("valeo"):
            # a bare registry name would let helm.ai be a German company called Helm.
            label = _domain_label(domain)
            if label and clean_affiliation(label) and self._curated_name(label):
                named = self.match(label)
                if named.organizations and Flag.NO_REGISTRY_MATCH not in named.flags:
                    return _from_domain(raw, named.organizations[0])
        country = _country_from_emails(self.registry, email_domains)
        flags = [Flag.NO_AFFILIATION] + ([Flag.COUNTRY_FROM_EMAIL] if country else [])
        return AffiliationMatch(affiliation=raw, country=country, confidence=0.0, flags=flags)


def _from_domain(raw: str, found: OrganizationMatch) -> AffiliationMatch:
    """An answer read off a domain: half confidence, flagged for review."""
    flags = [*(f for f in found.flags if f != Flag.INSTITUTION_FROM_EMAIL), Flag.INSTITUTION_FROM_EMAIL]
    found = found.model_copy(update={"confidence": 0.5, "flags": flags})
    return AffiliationMatch(affiliation=raw, **found.model_dump(exclude={"alternatives"}), organizations=[found])


_WEB_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?((?:[\w-]+\.)+[a-z]{2,})\b", re.I)
_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "org", "net"})


def _printed_domains(raw: str) -> list[str]:
    """The domains of the e-mail and web addresses printed in ``raw``, in order."""
    found = [email_domain(address) for address in find_emails(raw)]
    found += [m.group(1).lower() for m in _WEB_DOMAIN.finditer(strip_emails(raw))]
    return list(dict.fromkeys(found))


def _domain_label(domain: str) -> str:
    """The name part of a domain: "valeo" of valeo.ai, "ox" of cs.ox.ac.uk."""
    labels = domain.lower().split(".")
    while len(labels) > 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else ""


def _proper_names_alone(candidates: list[_Candidate], segments: list[str], registry: Registry) -> None:
    """A generic name printed alone (only its address after it) that is exactly one record's
    name and has a field word is that record ("National Institute of Informatics, Tokyo",
    "Computer Vision Center"); with a parent printed it stays a unit, and names made of kind
    words only ("National Research Institute") or shared by several records stay dropped."""
    for cand in candidates:
        key = normalize_name(cand.institution)
        if (
            cand.generic
            and cand.method == "exact"
            and cand.start == 0
            and len(registry.by_key(key)) == 1
            and all(_is_place(s) for s in segments[cand.end :])
            and not _DEPARTMENT_START.match(key)
            and not BROAD_NAME_WORDS.issuperset(key.split())
            and len(candidates) == 1
        ):
            cand.generic = False


def _alias_first_words(aliases: Sequence[Alias]) -> tuple[dict[str, list[int]], list[int]]:
    """Which aliases (positions) each word may start, read off the ``\\b(a|b c)\\b`` / ``^(a|b)$``
    patterns, and the positions of the patterns not of that form (always tried)."""
    by_word: dict[str, list[int]] = {}
    always: list[int] = []
    for position, alias in enumerate(aliases):
        pattern = alias.pattern.pattern
        body = re.fullmatch(r"(?:\\b|\^)(.*?)(?:\\b|\$)", pattern)
        found: list[str] = []
        if body:
            inner = body.group(1)
            if inner.startswith("(") and inner.endswith(")") and _balanced(inner[1:-1]):
                inner = inner[1:-1]
            for alternative in _top_level_split(inner):
                first = re.match(r"[a-z0-9]+(?=[ \\]|$)", alternative)
                if first is None:
                    found = []
                    break
                found.append(first.group(0))
        if not found:
            always.append(position)
        for word in dict.fromkeys(found):
            by_word.setdefault(word, []).append(position)
    return by_word, always


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _top_level_split(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _with_place_suffix(key: str, choices: list[str]) -> tuple[str, float, int] | None:
    """'indian institute of science' -> 'indian institute of science bangalore': the registry
    name is the printed one plus a city or country."""
    if not TOP_LEVEL_WORDS.search(key):  # "department of statistics" + "malaysia" is a government agency
        return None
    for position, name in enumerate(choices):
        if name.startswith(key + " ") and country_of_segment(name[len(key) + 1 :]):
            return name, FUZZY_CUTOFF, position
    return None


def _tokens_correspond(key: str, name: str) -> bool:
    """Every informative word on either side has a near twin on the other (a place name may be
    extra): a typo passes ("univeristy"), a different name does not ("bosch center for ai" is
    not "finnish center for ai", "institute of science" is not "institute of soil science")."""

    def covered(words: list[str], others: list[str]) -> bool:
        return all(
            any(fuzz.ratio(word, other) >= TOKEN_CUTOFF for other in others)
            for word in words
            if word not in STOP_TOKENS and not country_of_segment(word)
        )

    left, right = key.split(), name.split()
    return covered(left, right) and covered(right, left)


def _country_from_emails(registry: Registry, email_domains: Sequence[str]) -> str:
    for domain in email_domains:
        _org, country = registry.by_domain(domain)
        country = country or country_from_tld(domain)
        if country:
            return country
    return ""
