"""Check what the page gave against the proceedings listing's author names, and repair it."""

from __future__ import annotations

from ..flags import Flag
from ..records import ExtractedAuthor, ExtractedPaper, PaperStatus
from ..registry.text import NAME_CUTOFF, name_similarity


def check_against_listing(paper: ExtractedPaper, listing: list[str]) -> ExtractedPaper:
    """Listing spellings replace the page's (ligatures, TeX accents, line breaks); listed authors the
    page lost are added without affiliation (`authors_from_listing`); page names the listing lacks
    are kept and flagged (`authors_not_in_listing`). Anonymized and unreadable papers are left alone."""
    if not listing or paper.status != PaperStatus.OK or Flag.ANONYMOUS_SUBMISSION in paper.flags:
        return paper
    remaining = list(enumerate(paper.authors))
    authors: list[ExtractedAuthor] = []
    for name in listing:
        scored = [(name_similarity(name, a.name), i) for i, a in remaining]
        score, index = max(scored, default=(0.0, -1))
        if score >= NAME_CUTOFF:
            found = paper.authors[index]
            remaining = [(i, a) for i, a in remaining if i != index]
            authors.append(found.model_copy(update={"name": name}))
        else:
            authors.append(ExtractedAuthor(name=name))
    flags = list(paper.flags)
    if len(authors) - (len(paper.authors) - len(remaining)) > 0:
        flags.append(Flag.AUTHORS_FROM_LISTING)
    if remaining:
        flags.append(Flag.AUTHORS_NOT_IN_LISTING)
        authors += [a for _i, a in remaining]
    flags = [f for f in flags if f != Flag.NO_AUTHORS_FOUND]
    return paper.model_copy(update={"authors": authors, "flags": list(dict.fromkeys(flags))})
