"""Normalize stage: raw affiliations -> institution, ROR id, ISO country, with flags."""

from __future__ import annotations

from collections.abc import Sequence

from ..flags import Flag
from ..records import AffiliationMatch, AuthorAffiliation, ExtractedPaper, NormalizedPaper, PaperStatus, Source
from ..registry.emails import email_domain
from .rules import RuleMatcher

__all__ = ["RuleMatcher", "affiliation_row", "normalize_paper", "with_country_flag"]

LOW_CONFIDENCE = 0.6


def normalize_paper(paper: ExtractedPaper, matcher: RuleMatcher) -> NormalizedPaper:
    """One row per author-affiliation pair; authors without affiliation keep one empty row."""
    result = NormalizedPaper(
        file=paper.file,
        paper_id=paper.paper_id,
        title=paper.title,
        status=paper.status,
        error=paper.error,
        n_authors=len(paper.authors),
        flags=list(paper.flags),
    )
    if paper.status != PaperStatus.OK:
        return result
    for author_index, author in enumerate(paper.authors, start=1):
        domains = [email_domain(e) for e in author.emails]
        if not author.affiliations:
            match = matcher.match("", domains)
            result.rows.append(affiliation_row(author_index, author.name, 0, match, Source.RULES))
            continue
        for affiliation_index, raw in enumerate(author.affiliations, start=1):
            match = matcher.match(raw, domains)
            result.rows.append(affiliation_row(author_index, author.name, affiliation_index, match, Source.RULES))
    result.flags = with_country_flag(result.flags, result.rows)
    return result


def affiliation_row(
    author_index: int,
    author: str,
    affiliation_index: int,
    match: AffiliationMatch,
    source: Source,
    flags: Sequence[Flag] = (),
) -> AuthorAffiliation:
    """One row of authors.csv, the same for rules and LLM answers: an author without affiliation
    (index 0) and a low-confidence match are flagged here and nowhere else."""
    row_flags = list(flags)
    if affiliation_index == 0:
        row_flags.insert(0, Flag.AUTHOR_WITHOUT_AFFILIATION)
    elif match.confidence < LOW_CONFIDENCE:
        row_flags.append(Flag.LOW_CONFIDENCE)
    return AuthorAffiliation(
        author_index=author_index,
        author=author,
        affiliation_index=affiliation_index,
        match=match,
        source=source,
        flags=list(dict.fromkeys(row_flags)),
    )


def with_country_flag(paper_flags: list[Flag], rows: list[AuthorAffiliation]) -> list[Flag]:
    """The paper's flags with ``no_country`` set exactly when it has rows and none has a country."""
    kept: list[Flag] = [flag for flag in paper_flags if flag != Flag.NO_COUNTRY]
    if rows and all(not row.match.country for row in rows):
        kept.append(Flag.NO_COUNTRY)
    return kept
