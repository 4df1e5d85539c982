"""Normalize stage: raw affiliations -> institution, ROR id, ISO country, with flags."""

from __future__ import annotations

from collections.abc import Sequence

from ..flags import Flag
from ..records import AffiliationMatch, AuthorAffiliation, ExtractedPaper, NormalizedPaper, PaperStatus, Source
from ..registry.emails import email_domain
from .rules import RuleMatcher

__all__ = ["RuleMatcher", "affiliation_row", "normalize_paper", "with_country_flag"]

LOW_CONFIDENCE = 0.6


# Picks the string alone leaves open; the co-authors' institutions may settle them.
_OPEN = frozenset({Flag.AMBIGUOUS_ACRONYM, Flag.AMBIGUOUS_NAME})


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
    matches: list[list[AffiliationMatch]] = []
    for author in paper.authors:
        domains = [email_domain(e) for e in author.emails]
        matches.append([matcher.match(raw, domains) for raw in author.affiliations] or [matcher.match("", domains)])
    # Co-authors' institutions are context for a short name the string alone leaves open.
    context = sorted({i for group in matches for m in group if not set(m.flags) & _OPEN for i in m.ror_ids()})
    for author_index, (author, group) in enumerate(zip(paper.authors, matches, strict=True), start=1):
        domains = [email_domain(e) for e in author.emails]
        # "now at X" is no row of its own: every row of the author carries the flag, X in the note
        moved = [Flag.MOVED_TO] if author.moved_to else []
        note = "; ".join(f"moved to: {place}" for place in author.moved_to)
        if not author.affiliations:
            row = affiliation_row(author_index, author.name, 0, group[0], Source.RULES, moved)
            result.rows.append(row.model_copy(update={"note": note}))
            continue
        affiliation_index = 0
        for raw, match in zip(author.affiliations, group, strict=True):
            if context and set(match.flags) & _OPEN:
                match = matcher.match(raw, domains, context)
            flags = [*moved, *([Flag.TIME_OF_WORK] if raw in author.time_of_work else [])]
            # One row per organization the string names, with consecutive indices.
            for single in match.per_organization():
                affiliation_index += 1
                row = affiliation_row(author_index, author.name, affiliation_index, single, Source.RULES, flags)
                result.rows.append(row.model_copy(update={"note": note}))
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
