"""From candidates to the answer: one organization per name (units under their parent), each
with its country from its own address, the verifier's doubt, and strings that name nothing."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from ...flags import Flag
from ...records import AffiliationMatch, OrganizationMatch
from ...registry.countries import (
    ambiguous_city,
    country_from_address,
)
from ...registry.organizations import STOP_TOKENS, Organization
from ...registry.text import normalize_name
from ...registry.vocab import (
    INSTITUTION_WORDS,
    SUBUNIT_WORDS,
)
from .base import MatcherBase
from .text import (
    _DEPARTMENT_START,
    _HOSPITAL,
    _KNOWN_TYPES,
    _PAREN_SUFFIX,
    _UNIT_START,
    _UNIVERSITY,
    TRUSTED_PRIOR,
    _Candidate,
    _country_from_emails,
    _is_place,
    is_generic,
    names_own_record,
    own_key,
)

# "university of maryland", "university of texas", "university of illinois": a system's stem
_SYSTEM_STEM = re.compile(r"^university of [a-z]+(?: [a-z]+)?(?= school| college| health| medical|$)")


def _as_unit_of(cand: _Candidate, parent: Organization, country: str) -> _Candidate:
    """``parent`` as the organization found where ``cand`` was printed, with ``cand`` its unit."""
    climbed = _Candidate(
        parent.name,
        parent.ror_id,
        country,
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


class DecisionRules(MatcherBase):
    """From candidates to the answer."""

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
                if cand.method == "exact" and same.method in ("acronym", "fuzzy") and cand.ror_id == same.ror_id:
                    # "NTNU, Faculty of Medicine, Norwegian University of Science and Technology": the
                    # full name printed later is the evidence to weigh, in the acronym's place
                    cand.unit, cand.unit_ror_id = cand.unit or same.unit, cand.unit_ror_id or same.unit_ror_id
                    kept[kept.index(same)] = cand
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
        if parent is None:
            return cand
        if parent.primary_type == "company" and cand.org_type == "company":
            return self._climb_to_company(cand, parent)
        if parent.primary_type != "education":
            return cand
        first_word = cand.institution.split()[0] if cand.institution else ""
        named_after = any(o.ror_id == parent.ror_id for o in self.registry.by_acronym(first_word)) or normalize_name(
            cand.institution
        ).startswith(normalize_name(parent.name) + " ")
        if not SUBUNIT_WORDS.search(normalize_name(cand.institution)) and not named_after:
            return cand
        return _as_unit_of(cand, parent, parent.country)

    def _climb_to_company(self, cand: _Candidate, parent: Organization) -> _Candidate:
        """A company's lab or national arm named after it ("Microsoft Research Asia (China)",
        "IBM (Germany)") counts as the company, with itself as the unit, in its own country; a
        company the registry files under another ("Genentech" under Roche) stays itself."""
        stem = own_key(parent)
        if not stem or not normalize_name(cand.institution).startswith(stem + " "):
            return cand
        return _as_unit_of(cand, parent, cand.country)

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
            misplaced = self._campus_by_town(cand, span, segments[cand.end : stop])
            found = self._country(cand, own_address, address_country, segments[cand.end : stop], email_domains)
            # The verifier learned from biomedical and physics strings without e-mails or co-authors:
            # an organization from the curated ML layer, a short name or acronym ML papers use for
            # it (the NeurIPS prior), one the e-mail domain or a co-author's institution names, or a
            # string that is exactly one record's name, stays.
            trusted = (
                cand.method in ("alias", "alias-hq")
                or (
                    cand.method == "prior"
                    and self._after_units_only(cand, segments, span)
                    and (cand.start == 0 or self.prior.weight(found.ror_id) >= 1)
                    and Flag.COUNTRY_CONFLICT not in found.flags
                )
                # ML papers naming a university often is no evidence when a hospital is printed
                # ("Heidelberg University Hospital" is not Heidelberg University).
                or (
                    cand.method != "prior"
                    and self.prior.weight(found.ror_id) >= TRUSTED_PRIOR
                    and not (_HOSPITAL.search(normalize_name(span)) and cand.org_type != "healthcare")
                )
                or (  # the whole string is one record's own name ("National Institute of Informatics"),
                    # or the name of same-named records in several countries, picked and flagged
                    cand.method == "exact"
                    and (cand.start, cand.end) == (0, len(segments))
                    and (len(self.registry.by_key(normalize_name(span))) == 1 or Flag.AMBIGUOUS_NAME in cand.flags)
                )
                or cand.proper_name
                # the only organization printed, by its record's own name, with its country: "Korea
                # Institute of Industrial Technology, ..., Republic of Korea"
                or (
                    len(orgs) == 1
                    and cand.method == "exact"
                    and names_own_record(
                        self.registry, found.ror_id, normalize_name(span), own_address or address_country
                    )
                )
                or found.ror_id in hints
                or bool(set(cand.parents) & hints)
            )
            keep = not misplaced
            if keep and (not trusted or self.ranker.records):
                x = self._features(cand, found, position, orgs, segments, span, bool(own_address))
                keep = self.ranker.keep(x, trusted)[0] or trusted
            if not keep:  # the verifier doubts the record: the printed name stays, without an id
                # ... and a printed (or e-mail) country; the doubted record's own only when ML papers
                # name that record ("KIT" alone: Karlsruhe's DE), else it is no evidence ("CSL")
                printed = (
                    own_address
                    or address_country
                    or Flag.COUNTRY_FROM_EMAIL in found.flags
                    or self.prior.weight(cand.ror_id) > 0
                )
                found = OrganizationMatch(
                    institution=segments[cand.start] if cand.method != "alias" else found.institution,
                    country=found.country if printed or cand.method == "alias" else "",
                    confidence=0.3,
                    flags=[Flag.NO_REGISTRY_MATCH, *(f for f in found.flags if f == Flag.COUNTRY_FROM_EMAIL)],
                )
            matches.append(found)
        return AffiliationMatch.naming(raw, matches)

    @staticmethod
    def _after_units_only(cand: _Candidate, segments: list[str], span: str) -> bool:
        """A short name ML papers use, first in the string or after departments only
        ("Department of Orthopaedic Surgery, Harvard Medical School"), and no hospital's."""
        if cand.start == 0:
            return True
        before = [normalize_name(s) for s in segments[: cand.start]]
        return not _HOSPITAL.search(normalize_name(span)) and all(
            _DEPARTMENT_START.match(key) or is_generic(key) for key in before
        )

    def _campus_by_town(self, cand: _Candidate, span: str, trailing: list[str]) -> bool:
        """ "University of Maryland School of Medicine, Baltimore": a university system's name
        with a town printed after it that is not the picked record's town names the system's
        campus in that town, when exactly one record of that name stem sits there. Whether the
        pick is misplaced: only the system's name printed, which the registry lists as one
        campus's alias ("University of California" for Merced), with another town printed."""
        org = self.registry.by_id(cand.ror_id) if cand.ror_id and cand.org_type == "education" else None
        towns = {key for s in trailing[:3] if self.registry.is_city(key := normalize_name(s))}
        if org is None or not towns or normalize_name(org.city) in towns:
            return False
        printed = normalize_name(span)
        stem = _SYSTEM_STEM.match(printed)
        if stem is None:
            return False
        prefix = stem.group(0)
        own_name = own_key(org) == printed
        # only the system's name printed, and the registry gives it to one campus elsewhere
        misplaced = cand.method == "exact" and not own_name and prefix == printed
        rarest = min(prefix.split()[2:] or [""], key=self.registry.token_count)
        campuses = {
            o.ror_id: o
            for name in self.registry.names_with_word(rarest)
            if name.startswith(prefix)
            for o in self.registry.by_key(name)
            if o.primary_type == "education" and normalize_name(o.city) in towns and o.ror_id != cand.ror_id
        }
        named_after = [o for o in campuses.values() if normalize_name(o.name) in {f"{prefix} {t}" for t in towns}]
        if len(campuses) == 1 or len(named_after) == 1:  # "University of Maryland, Baltimore", not "... County"
            campus = named_after[0] if named_after else next(iter(campuses.values()))
            cand.institution, cand.ror_id, cand.country, cand.parents = (
                campus.name,
                campus.ror_id,
                campus.country,
                campus.parents,
            )
            return False
        return misplaced

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
