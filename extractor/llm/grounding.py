"""Ground the LLM's answer on the registry: every institution it names goes through the rule
engine; ids and countries come from the registry, never from the model's memory alone."""

from __future__ import annotations

from ..flags import CLEARED_BY_LLM, Flag
from ..normalize import affiliation_row, with_country_flag
from ..normalize.rules import RuleMatcher
from ..records import AffiliationMatch, AuthorAffiliation, ExtractedPaper, NormalizedPaper, Source
from ..registry.countries import country_of_segment, is_country_code
from ..registry.emails import email_domain
from ..registry.text import NAME_CUTOFF, name_similarity
from .answer import LLMAffiliation, LLMAnswer

UNGROUNDED_CONFIDENCE = 0.5


def ground_answer(
    answer: LLMAnswer, extracted: ExtractedPaper, rules: NormalizedPaper, matcher: RuleMatcher
) -> NormalizedPaper:
    """The paper's rows as the LLM read them, grounded; rows the rules settled differently are
    flagged ``rules_llm_disagree``."""
    if not answer.authors and rules.rows:
        # The model saw no authors where the layout reader found some: keep the rules, say so.
        return rules.model_copy(update={"flags": [*rules.flags, Flag.LLM_NO_AUTHORS]})
    rows: list[AuthorAffiliation] = []
    for author_index, author in enumerate(answer.authors, start=1):
        domains = _email_domains(author.name, extracted)
        rule_rows = _rule_rows(author.name, rules)
        if not author.affiliations:
            match = matcher.match("", domains)
            rows.append(affiliation_row(author_index, author.name, 0, match, Source.LLM))
            continue
        for affiliation_index, affiliation in enumerate(author.affiliations, start=1):
            match = ground_affiliation(affiliation, matcher, domains)
            flags = [Flag.RULES_LLM_DISAGREE] if _disagrees(match, rule_rows) else []
            rows.append(affiliation_row(author_index, author.name, affiliation_index, match, Source.LLM, flags))
    return rules.model_copy(update={"rows": rows, "n_authors": len(answer.authors), "flags": _paper_flags(rules, rows)})


def ground_affiliation(affiliation: LLMAffiliation, matcher: RuleMatcher, domains: list[str]) -> AffiliationMatch:
    """Registry match of the printed text, else of the model's institution name; else ungrounded,
    keeping the model's name and its country code."""
    printed = matcher.match(affiliation.raw, domains) if affiliation.raw else None
    if printed is not None and printed.ror_id:
        return printed.model_copy(update={"confidence": min(printed.confidence, 0.9)})
    place = ", ".join(p for p in (affiliation.institution, affiliation.city or "") if p)
    named = matcher.match(place, domains)
    if named.ror_id:
        return named.model_copy(update={"affiliation": affiliation.raw or affiliation.institution})
    country = llm_country(affiliation.country) or named.country
    return AffiliationMatch(
        affiliation=affiliation.raw or affiliation.institution,
        institution=affiliation.institution or named.institution,
        country=country,
        confidence=UNGROUNDED_CONFIDENCE,
        flags=[Flag.LLM_UNGROUNDED],
    )


def llm_country(value: str) -> str:
    """The model's country as ISO alpha-2: codes pass ("PT"), names and "UK" are mapped."""
    code = value.strip().upper()
    if code == "UK":
        return "GB"
    return code if is_country_code(code) else country_of_segment(value)


def _email_domains(name: str, extracted: ExtractedPaper) -> list[str]:
    for author in extracted.authors:
        if name_similarity(name, author.name) >= NAME_CUTOFF:
            return [email_domain(e) for e in author.emails]
    return []


def _rule_rows(name: str, rules: NormalizedPaper) -> list[AuthorAffiliation]:
    return [row for row in rules.rows if name_similarity(name, row.author) >= NAME_CUTOFF]


def _disagrees(match: AffiliationMatch, rule_rows: list[AuthorAffiliation]) -> bool:
    """The rules settled this author to other institutions (ids) or other countries."""
    rule_ids = {r.match.ror_id for r in rule_rows if r.match.ror_id}
    rule_countries = {r.match.country for r in rule_rows if r.match.country}
    if match.ror_id and rule_ids and match.ror_id not in rule_ids:
        return True
    return bool(match.country and rule_countries and match.country not in rule_countries)


def _paper_flags(rules: NormalizedPaper, rows: list[AuthorAffiliation]) -> list[Flag]:
    return with_country_flag([flag for flag in rules.flags if flag not in CLEARED_BY_LLM], rows)
