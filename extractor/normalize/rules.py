"""The offline rule engine: raw affiliation string -> institution, ROR id, country.

Order of evidence: curated aliases, exact registry names over windows of the
comma-separated segments, unambiguous acronyms, then fuzzy names. The printed
address decides the country when present, else the matched record, else the
e-mail domain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..flags import Flag
from ..records import AffiliationMatch
from ..registry.aliases import Alias, find_alias, load_aliases
from ..registry.countries import country_from_address, country_from_tld, country_of_segment, is_country_code
from ..registry.emails import strip_emails
from ..registry.organizations import STOP_TOKENS, Organization, Registry, default_registry
from ..registry.text import clean_spaces, normalize_name
from ..registry.vocab import INSTITUTION_WORDS, SUBUNIT_WORDS, TOP_LEVEL_WORDS, TRAILING_CORRESPONDENCE

_URL = re.compile(r"(?:https?://|www\.)\S+")
_LEADING_MARKER = re.compile(r"^[\s\d*†‡§¶‖#♯♭♮\u2020\u2021,.:]+(?=\D)")
_PAREN_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_ACRONYM = re.compile(r"^[A-Z][A-Z&\-]{1,7}$")

TYPE_WEIGHT = {"education": 0.5, "facility": 0.35, "company": 0.3, "government": 0.2, "healthcare": 0.1}
# Order-aware: a typo keeps word order; "Information Sciences Institute" is not
# "Institute of Information Science" (a different record in another country).
FUZZY_CUTOFF = 90.0
TOKEN_CUTOFF = 75.0


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


def clean_affiliation(raw: str) -> str:
    """Strip link markers, e-mails, URLs and trailing correspondence notes."""
    text = strip_emails(raw)
    text = _URL.sub(" ", text)
    text = TRAILING_CORRESPONDENCE.sub("", text)
    text = _LEADING_MARKER.sub("", clean_spaces(text))
    return clean_spaces(text).strip(" ,;.")


def split_segments(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[,;]|\s[-–—]\s", text) if s.strip()]


class RuleMatcher:
    """Deterministic matcher over the shipped registry plus the alias layer."""

    def __init__(self, registry: Registry | None = None, aliases: list[Alias] | None = None) -> None:
        self.registry = registry or default_registry()
        self.aliases = aliases if aliases is not None else load_aliases(self.registry)

    def match(self, raw: str, email_domains: Sequence[str] = ()) -> AffiliationMatch:
        text = clean_affiliation(raw)
        if not text:
            return self._from_email_only(raw, email_domains)
        address_country = country_from_address(text)
        segments = split_segments(text)
        candidates = self._exact_candidates(segments, address_country)
        if not candidates:
            candidates = self._acronym_candidates(segments, address_country, email_domains)
        if not candidates:
            candidates = self._fuzzy_candidates(segments, address_country)
        if not candidates:
            candidates = self._prefix_candidates(segments, address_country)
        if not candidates:
            return self._unmatched(raw, segments, address_country, email_domains)
        best = self._choose(candidates)
        return self._finish(raw, best, address_country, email_domains)

    # -- candidate generation -------------------------------------------------

    def _exact_candidates(self, segments: list[str], country: str) -> list[_Candidate]:
        found: list[_Candidate] = []
        for start in range(len(segments)):
            key_one = normalize_name(segments[start])
            alias = find_alias(self.aliases, key_one)
            if alias:
                found.append(self._alias_candidate(alias, key_one))
            for size in (3, 2, 1):
                window = segments[start : start + size]
                if len(window) < size:
                    continue
                key = normalize_name(", ".join(window))
                orgs = self.registry.by_key(key)
                if not orgs and size == 2:  # "The University of Texas, Austin" is "... at Austin"
                    key = normalize_name(" at ".join(window))
                    orgs = self.registry.by_key(key)
                if orgs:
                    found.append(self._org_candidate(orgs, key, country, "exact", 0.95))
                    break
        return found

    def _acronym_candidates(self, segments: list[str], country: str, email_domains: Sequence[str]) -> list[_Candidate]:
        found = []
        hint = country or next((country_from_tld(d) for d in email_domains if country_from_tld(d)), "")
        for segment in segments:
            # Only a whole segment ("CMU") or a parenthesized one ("(KIT)") reads as an acronym.
            words = [segment.strip(), *re.findall(r"\(([^()]+)\)", segment)]
            for word in words:
                word = word.strip("(). ")
                # "Lisbon, PT": a two-letter ISO code closing an address is a country, not an acronym.
                if not _ACRONYM.match(word) or country_of_segment(word) or is_country_code(word):
                    continue
                orgs = self.registry.by_acronym(word)
                if len(orgs) > 1 and hint:
                    orgs = [o for o in orgs if o.country == hint]
                # An acronym that still names several organizations is not guessed.
                if len(orgs) == 1:
                    found.append(self._org_candidate(orgs, word.lower(), country, "acronym", 0.7))
        return found

    def _fuzzy_candidates(self, segments: list[str], country: str) -> list[_Candidate]:
        found = []
        for segment in segments:
            key = normalize_name(segment)
            # Typos hide keywords ("Univeristy"), so any multi-word non-address segment may try.
            if len(key) < 8 or len(key.split()) < 2 or country_of_segment(segment):
                continue
            choices = self.registry.fuzzy_candidates(key)
            hits = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
            hit = next((h for h in hits if _tokens_correspond(key, h[0])), None) or _with_place_suffix(key, choices)
            if hit:
                name, score, _ = hit
                cand = self._org_candidate(self.registry.by_key(name), name, country, "fuzzy", 0.85 * score / 100)
                cand.flags.append(Flag.FUZZY_MATCH)
                found.append(cand)
        return found

    def _prefix_candidates(self, segments: list[str], country: str) -> list[_Candidate]:
        """'Ohio State University CSE Department' -> 'Ohio State University': the longest
        leading words that are a registry name with an institution word in it."""
        found = []
        for segment in segments:
            words = normalize_name(segment).split()
            for size in range(len(words) - 1, 1, -1):
                key = " ".join(words[:size])
                orgs = self.registry.by_key(key) if INSTITUTION_WORDS.search(key) else []
                if orgs:
                    cand = self._org_candidate(orgs, key, country, "fuzzy", 0.75)
                    cand.flags.append(Flag.PARTIAL_NAME_MATCH)
                    found.append(cand)
                    break
        return found

    def _alias_candidate(self, alias: Alias, key: str) -> _Candidate:
        org = self.registry.by_id(alias.ror_id) if alias.ror_id else None
        parents = org.parents if org else ()
        score = 4.0 + TYPE_WEIGHT.get(alias.org_type, 0) + len(key) / 100
        return _Candidate(alias.institution, alias.ror_id, alias.country, alias.org_type, "alias", 0.95, score, parents)

    def _org_candidate(
        self, orgs: list[Organization], key: str, country: str, method: str, confidence: float
    ) -> _Candidate:
        org, ambiguous = _pick_org(orgs, country, key)
        score = {"exact": 3.0, "acronym": 1.5, "fuzzy": 1.0}[method]
        score += TYPE_WEIGHT.get(org.primary_type, 0) + len(key) / 100
        if country and org.country == country:
            score += 0.5
        elif country and org.country and org.country != country:
            score -= 0.5
        if SUBUNIT_WORDS.search(normalize_name(org.name)):
            score -= 1.0
        cand = _Candidate(org.name, org.ror_id, org.country, org.primary_type, method, confidence, score, org.parents)
        if ambiguous:
            cand.flags.append(Flag.AMBIGUOUS_NAME)
            cand.confidence -= 0.15
        return cand

    # -- decision --------------------------------------------------------------

    def _choose(self, candidates: list[_Candidate]) -> _Candidate:
        # A record whose parent was also named is a sub-unit: keep the top level.
        ids = {c.ror_id for c in candidates if c.ror_id}
        top = [c for c in candidates if not (set(c.parents) & ids) or c.org_type in ("facility", "company")]
        best = max(top or candidates, key=lambda c: c.score)
        return self._climb_subunit(best)

    def _climb_subunit(self, cand: _Candidate) -> _Candidate:
        if not cand.parents or not SUBUNIT_WORDS.search(normalize_name(cand.institution)):
            return cand
        parent = self.registry.by_id(cand.parents[0])
        if parent is None or parent.primary_type != "education":
            return cand
        return _Candidate(
            parent.name,
            parent.ror_id,
            parent.country,
            parent.primary_type,
            cand.method,
            cand.confidence,
            cand.score,
            parent.parents,
            cand.flags,
        )

    def _finish(
        self, raw: str, best: _Candidate, address_country: str, email_domains: Sequence[str]
    ) -> AffiliationMatch:
        flags = list(best.flags)
        country = address_country or best.country
        if not address_country and best.org_type == "company":
            flags.append(Flag.COUNTRY_FROM_HQ)
        if not country:
            country = _country_from_emails(self.registry, email_domains)
            if country:
                flags.append(Flag.COUNTRY_FROM_EMAIL)
        return AffiliationMatch(
            affiliation=raw,
            institution=best.institution,
            ror_id=best.ror_id,
            country=country,
            org_type=best.org_type,
            confidence=round(best.confidence, 3),
            flags=flags,
        )

    def _unmatched(
        self, raw: str, segments: list[str], address_country: str, email_domains: Sequence[str]
    ) -> AffiliationMatch:
        flags = [Flag.NO_REGISTRY_MATCH]
        country = address_country
        if not country:
            country = _country_from_emails(self.registry, email_domains)
            if country:
                flags.append(Flag.COUNTRY_FROM_EMAIL)
        named = [s for s in segments if INSTITUTION_WORDS.search(normalize_name(s))]
        institution = (named or segments)[-1] if named else segments[0]
        return AffiliationMatch(affiliation=raw, institution=institution, country=country, confidence=0.3, flags=flags)

    def _from_email_only(self, raw: str, email_domains: Sequence[str]) -> AffiliationMatch:
        for domain in email_domains:
            org, country = self.registry.by_domain(domain)
            if org:
                return AffiliationMatch(
                    affiliation=raw,
                    institution=org.name,
                    ror_id=org.ror_id,
                    country=country or org.country,
                    org_type=org.primary_type,
                    confidence=0.5,
                    flags=[Flag.INSTITUTION_FROM_EMAIL],
                )
        country = _country_from_emails(self.registry, email_domains)
        flags = [Flag.NO_AFFILIATION] + ([Flag.COUNTRY_FROM_EMAIL] if country else [])
        return AffiliationMatch(affiliation=raw, country=country, confidence=0.0, flags=flags)


def _pick_org(orgs: list[Organization], country: str, key: str) -> tuple[Organization, bool]:
    """One record among same-named ones: the printed country, the record whose own name
    it is (not an alias), else the parent of the others."""
    if len(orgs) == 1:
        return orgs[0], False
    if country:
        same = [o for o in orgs if o.country == country]
        if same:
            return same[0], False
    own_name = [o for o in orgs if normalize_name(_PAREN_SUFFIX.sub("", o.name)) == key]
    if len(own_name) == 1:
        return own_name[0], False
    referenced = {p for o in orgs for p in o.parents}
    heads = [o for o in orgs if o.ror_id in referenced]
    if heads:
        return heads[0], False
    return orgs[0], len({o.country for o in orgs}) > 1


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
