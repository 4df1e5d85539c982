"""Normalize stage: raw affiliations -> institution, ROR id, ISO country, with flags."""

from __future__ import annotations

from ..extract.emails import email_domain
from ..records import AffiliationMatch, AuthorAffiliation, ExtractedPaper, NormalizedPaper, PaperStatus
from .rules import RuleMatcher

__all__ = ["RuleMatcher", "normalize_paper"]

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
            flags = ["author_without_affiliation", *author.flags]
            result.rows.append(
                AuthorAffiliation(
                    author_index=author_index, author=author.name, affiliation_index=0, match=match, flags=flags
                )
            )
            continue
        for affiliation_index, raw in enumerate(author.affiliations, start=1):
            match = matcher.match(raw, domains)
            flags = ["low_confidence"] if match.confidence < LOW_CONFIDENCE else []
            flags += ["time_of_work"] if raw in author.time_of_work else []
            flags += author.flags
            result.rows.append(
                AuthorAffiliation(
                    author_index=author_index,
                    author=author.name,
                    affiliation_index=affiliation_index,
                    match=match,
                    flags=flags,
                )
            )
    if result.rows and all(not row.match.country for row in result.rows):
        result.flags.append("no_country")
    return result


def match_flags(match: AffiliationMatch, row_flags: list[str]) -> list[str]:
    """All flags of one published row, matcher's first, without repeats."""
    return list(dict.fromkeys([*match.flags, *row_flags]))
