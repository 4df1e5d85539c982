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

from collections.abc import Sequence

from ..records import AffiliationMatch
from ..registry.aliases import Alias, load_aliases
from ..registry.countries import country_from_address
from ..registry.mlorgs import MLOrgs, default_ml_orgs
from ..registry.organizations import Registry, default_registry
from ..registry.prior import Prior, default_prior
from ..registry.text import normalize_name
from ..registry.vocab import NO_INSTITUTION
from .matcher.candidates import CandidateRules
from .matcher.decision import DecisionRules
from .matcher.domains import DomainRules
from .matcher.text import (
    _alias_first_words,
    _printed_domains,
    _proper_names_alone,
    clean_affiliation,
    is_generic,
    split_segments,
)
from .ranker import KeepAll, Ranker, default_ranker

__all__ = ["RuleMatcher", "clean_affiliation", "is_generic", "split_segments"]


class RuleMatcher(CandidateRules, DecisionRules, DomainRules):
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
