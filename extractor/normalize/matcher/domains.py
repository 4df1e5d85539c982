"""Strings that print only e-mail or web addresses: the domain's owner."""

from __future__ import annotations

from collections.abc import Sequence

from ...flags import Flag
from ...records import AffiliationMatch, OrganizationMatch
from .spelling import SpellingRules
from .text import (
    _country_from_emails,
    _domain_label,
    _from_domain,
    clean_affiliation,
)


class DomainRules(SpellingRules):
    """Answers read off a printed domain."""

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
