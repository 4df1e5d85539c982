"""What every part of the rule matcher shares: the registry and curated layers it reads."""

from __future__ import annotations

from collections.abc import Sequence

from ...records import AffiliationMatch
from ...registry.aliases import Alias
from ...registry.mlorgs import MLOrgs
from ...registry.organizations import Registry
from ...registry.prior import Prior
from ..ranker import KeepAll, Ranker


class MatcherBase:
    """The state the rules read; ``RuleMatcher`` fills it."""

    registry: Registry
    aliases: list[Alias]
    prior: Prior
    ml_orgs: MLOrgs
    ranker: Ranker | KeepAll
    _alias_by_word: dict[str, list[int]]
    _alias_always: list[int]

    def match(self, raw: str, email_domains: Sequence[str] = (), context: Sequence[str] = ()) -> AffiliationMatch:
        """A shorter text may be matched on its own first ("Harvard" of "Harvard Medical School")."""
        raise NotImplementedError
