"""Typed records that flow one way through the pipeline: extract -> normalize -> publish."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from .flags import Flag


class PaperStatus(StrEnum):
    """Outcome of processing one PDF; anything but ``ok`` is an error kind."""

    OK = "ok"
    NOT_PDF = "not_pdf"
    EMPTY = "empty"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    NO_TEXT = "no_text"
    TIMEOUT = "timeout"
    ERROR = "error"
    DUPLICATE = "duplicate"  # byte-identical to another file of the run (see duplicate_of)


class Source(StrEnum):
    """What decided an affiliation row."""

    RULES = "rules"
    LLM = "llm"
    REVIEW = "review"


class ExtractedAuthor(BaseModel):
    """One author as printed: name, link markers, e-mails and raw affiliation strings."""

    name: str
    markers: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    affiliations: list[str] = Field(default_factory=list)
    time_of_work: list[str] = Field(default_factory=list)  # those of ``affiliations`` read from "work done at X"
    moved_to: list[str] = Field(default_factory=list)  # "now at X" footnotes: X, which is no affiliation here
    # Parallel to ``affiliations``: where each was printed on page 1, the union of its lines
    # [x0, y0, x1, y1] in PDF points (PyMuPDF's page coordinates, origin top left); [] when unknown.
    affiliation_boxes: list[list[float]] = Field(default_factory=list)


class ExtractedPaper(BaseModel):
    """What the extract stage read from a paper's first page."""

    file: str
    paper_id: str
    status: PaperStatus = PaperStatus.OK
    error: str = ""
    title: str = ""
    authors: list[ExtractedAuthor] = Field(default_factory=list)
    affiliations: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    linking: str = ""
    flags: list[Flag] = Field(default_factory=list)
    block_text: str = ""  # the author block and affiliation footnotes as printed, markers kept (LLM input)
    duplicate_of: str = ""  # the file this one repeats (byte-identical)
    # Evidence: the author block's box on page 1 and each printed line of it with its box
    # ([x0, y0, x1, y1] in PDF points), for crops and the per-paper review.
    block_bbox: list[float] = Field(default_factory=list)
    block_lines: list[tuple[str, list[float]]] = Field(default_factory=list)


class OrganizationMatch(BaseModel):
    """One organization a raw affiliation string names (a string may name several)."""

    institution: str = ""
    ror_id: str = ""
    country: str = ""
    org_type: str = ""
    confidence: float = 0.0
    unit: str = ""  # the most specific record named, when it differs from the top level
    unit_ror_id: str = ""
    flags: list[Flag] = Field(default_factory=list)
    alternatives: list[str] = Field(default_factory=list)  # the candidates of an ambiguous pick


class AffiliationMatch(BaseModel):
    """The normalization of one raw affiliation string: the top-level fields describe the first
    organization it names; ``organizations`` lists every one in printed order."""

    affiliation: str
    institution: str = ""
    ror_id: str = ""
    country: str = ""
    org_type: str = ""
    confidence: float = 0.0
    flags: list[Flag] = Field(default_factory=list)
    unit: str = ""
    unit_ror_id: str = ""
    organizations: list[OrganizationMatch] = Field(default_factory=list)

    @classmethod
    def naming(cls, affiliation: str, organizations: list[OrganizationMatch]) -> AffiliationMatch:
        """The match of a string that names ``organizations`` (at least one): the top-level fields
        are the first one's."""
        return cls(affiliation=affiliation, **_top_level(organizations[0]), organizations=organizations)

    def per_organization(self) -> list[AffiliationMatch]:
        """One match per organization named (at least one), each with its own top-level fields:
        the rows of authors.csv."""
        if len(self.organizations) <= 1:
            return [self]
        return [self.model_copy(update={**_top_level(org), "organizations": [org]}) for org in self.organizations]

    def ror_ids(self) -> frozenset[str]:
        """Every id the string was given: each organization's and its unit's."""
        ids = {self.ror_id, self.unit_ror_id}
        for org in self.organizations:
            ids |= {org.ror_id, org.unit_ror_id}
        return frozenset(i for i in ids if i)


def _top_level(org: OrganizationMatch) -> dict[str, Any]:
    """The fields an AffiliationMatch repeats at its top level from one of its organizations."""
    return org.model_dump(exclude={"alternatives"})


class AuthorAffiliation(BaseModel):
    """One author-affiliation pair of a paper, ready to publish (one row of authors.csv)."""

    author_index: int
    author: str
    affiliation_index: int
    match: AffiliationMatch
    source: Source = Source.RULES
    flags: list[Flag] = Field(default_factory=list)
    note: str = ""  # the detail of a flag that has one: "moved to: X"

    @property
    def all_flags(self) -> list[Flag]:
        """Every flag of the published row, the matcher's first, without repeats."""
        return list(dict.fromkeys([*self.match.flags, *self.flags]))


class NormalizedPaper(BaseModel):
    """A paper after normalization: the input of publish."""

    file: str
    paper_id: str
    title: str = ""
    status: PaperStatus = PaperStatus.OK
    error: str = ""
    n_authors: int = 0
    rows: list[AuthorAffiliation] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    duplicate_of: str = ""  # the file this one repeats: byte-identical, or the same normalized title


class ListingEntry(BaseModel):
    """One paper of a venue listing: where its PDF is and what the listing says about it."""

    source: str
    venue: str
    key: str  # the source's id: NeurIPS hash, PMLR key, OpenReview id
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    pdf_url: str
    page_url: str = ""
    track: str = ""
    file: str = ""  # path of the PDF under the output folder, set by the source

    def with_file(self, *parts: str) -> ListingEntry:
        """The same entry saved under OUT_DIR/pdfs/<parts joined>, each part made safe."""
        return self.model_copy(update={"file": "/".join(safe_name(p) for p in parts)})


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(part: str) -> str:
    """One path component that cannot climb out of the output folder or confuse a shell."""
    cleaned = _UNSAFE.sub("_", part).strip("._") or "paper"
    return cleaned[:150]


class ReviewAction(StrEnum):
    ACCEPT = "accept"  # the current answer is right
    PICK = "pick"  # a registry record chosen by the reviewer
    MANUAL = "manual"  # institution/country typed by the reviewer
    NOT_INSTITUTION = "not_institution"  # the string is no affiliation at all


class Decision(BaseModel):
    """A person's answer for one raw affiliation string; it settles every row that prints it."""

    key: str  # normalized raw affiliation
    raw_affiliation: str
    action: ReviewAction
    institution: str = ""
    ror_id: str = ""
    country: str = ""
    reviewer: str = ""
    decided_at: str = ""


class AuthorDecision(BaseModel):
    """A person's answer for one author of one paper, where no raw string could carry it (the author
    was read with no affiliation, or no author was read): the affiliation given, as a printed line of
    the author block or typed, with its normalization. ``author`` names an author the page lost
    (a paper with no authors found)."""

    file: str
    author_index: int  # from 1; beyond the paper's authors: an author added by the reviewer
    author: str = ""
    match: AffiliationMatch
    from_line: bool = False  # the affiliation is a printed line of the block (else typed)
    reviewer: str = ""
    decided_at: str = ""
