"""Every flag affil writes, its level, what it means, and the sets that decide behaviour.

A flag is a reason to look at a paper or a row. Each one is declared once here with
its level (``paper``: papers.csv only; ``row``: a row of authors.csv, and by union its
paper), and every behaviour that depends on flags reads one of the sets at the bottom,
so a flag cannot be queued for review under one name and written under another.
The README's flag table is checked against this module by a test.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    PAPER = "paper"
    ROW = "row"


class Flag(StrEnum):
    """A reason to look; the value is what papers.csv/authors.csv carry."""

    level: Level
    meaning: str

    def __new__(cls, value: str, level: Level, meaning: str) -> Flag:
        member = str.__new__(cls, value)
        member._value_ = value
        member.level = level
        member.meaning = meaning
        return member

    # -- extraction (paper) --
    ANONYMOUS_SUBMISSION = "anonymous_submission", Level.PAPER, "an anonymized submission: no authors on purpose"
    NO_AUTHORS_FOUND = "no_authors_found", Level.PAPER, "no author names could be read from the first page"
    NO_AFFILIATIONS_FOUND = "no_affiliations_found", Level.PAPER, "authors were read but no affiliation line"
    SHARED_AFFILIATION_BLOCK = (
        "shared_affiliation_block",
        Level.PAPER,
        "one affiliation block printed for all authors, given to each",
    )
    AUTHORS_FROM_LISTING = "authors_from_listing", Level.PAPER, "authors the page lost were added from the listing"
    AUTHORS_NOT_IN_LISTING = "authors_not_in_listing", Level.PAPER, "names on the page that the listing lacks"
    DUPLICATE_TITLE = (
        "duplicate_title",
        Level.PAPER,
        "another file has the same normalized title; counted once in every aggregate",
    )
    NO_COUNTRY = "no_country", Level.PAPER, "no row of the paper has a country"
    # -- extraction and matching (row) --
    AUTHOR_WITHOUT_AFFILIATION = (
        "author_without_affiliation",
        Level.ROW,
        "the author was read but no affiliation could be linked",
    )
    NO_AFFILIATION = "no_affiliation", Level.ROW, "no affiliation text and no usable e-mail domain"
    NO_REGISTRY_MATCH = "no_registry_match", Level.ROW, "the string names no registry record: kept as printed"
    FUZZY_MATCH = "fuzzy_match", Level.ROW, "matched a registry name with a typo-level difference"
    PARTIAL_NAME_MATCH = "partial_name_match", Level.ROW, "the leading words of the string are a registry name"
    AMBIGUOUS_NAME = "ambiguous_name", Level.ROW, "the name belongs to records in several countries"
    COUNTRY_FROM_HQ = (
        "country_from_hq",
        Level.ROW,
        "a company matched with no printed address: the country is its headquarters'",
    )
    COUNTRY_CONFLICT = (
        "country_conflict",
        Level.ROW,
        "the printed country disagrees with the matched record's and no same-named record agrees",
    )
    AMBIGUOUS_ACRONYM = (
        "ambiguous_acronym",
        Level.ROW,
        "a short name or acronym that context leaves between two organizations (both listed)",
    )
    AMBIGUOUS_PLACE = (
        "ambiguous_place",
        Level.ROW,
        "the printed city names sites of the organization in two countries (Cambridge UK or MA)",
    )
    NO_INSTITUTION = (
        "no_institution",
        Level.ROW,
        "the author says no institution (independent researcher, unaffiliated, a placeholder)",
    )
    COUNTRY_FROM_EMAIL = "country_from_email", Level.ROW, "the country comes from the e-mail domain"
    INSTITUTION_FROM_EMAIL = "institution_from_email", Level.ROW, "the institution comes from an e-mail or web domain"
    LOW_CONFIDENCE = "low_confidence", Level.ROW, "confidence below 0.6"
    TIME_OF_WORK = (
        "time_of_work",
        Level.ROW,
        "an extra row from a 'work done at / during an internship at X' footnote: keep or drop it",
    )
    MOVED_TO = (
        "moved_to",
        Level.ROW,
        "a 'now at / currently at X' footnote: X is no affiliation of this paper; X is in the note column",
    )
    # -- review (row) --
    NOT_AN_INSTITUTION = "not_an_institution", Level.ROW, "a reviewer said the string is no affiliation"
    # -- LLM step --
    LLM_UNGROUNDED = (
        "llm_ungrounded",
        Level.ROW,
        "the model named an institution the registry lacks: kept with the model's country",
    )
    RULES_LLM_DISAGREE = (
        "rules_llm_disagree",
        Level.ROW,
        "the rules had settled this author to another institution or country",
    )
    LLM_INVALID_ANSWER = "llm_invalid_answer", Level.PAPER, "two answers broke the schema: the rules' rows stay"
    LLM_FAILED = "llm_failed", Level.PAPER, "no answer after every retry: retried on the next run"
    LLM_NO_AUTHORS = "llm_no_authors", Level.PAPER, "the model found no authors: the rules' rows stay"


def flag_set(*flags: Flag) -> frozenset[Flag]:
    return frozenset(flags)


# Rows the rules could not settle: `--llm auto` sends their papers to the model.
SENT_TO_LLM_ROW = flag_set(
    Flag.NO_REGISTRY_MATCH, Flag.LOW_CONFIDENCE, Flag.AUTHOR_WITHOUT_AFFILIATION, Flag.NO_AFFILIATION,
    Flag.AMBIGUOUS_NAME, Flag.AMBIGUOUS_ACRONYM, Flag.AMBIGUOUS_PLACE, Flag.COUNTRY_CONFLICT,
)  # fmt: skip
SENT_TO_LLM_PAPER = flag_set(Flag.NO_AUTHORS_FOUND, Flag.NO_AFFILIATIONS_FOUND, Flag.NO_COUNTRY)
# Paper flags an LLM answer settles (the answer is grounded again, so they are re-derived).
CLEARED_BY_LLM = flag_set(Flag.NO_AUTHORS_FOUND, Flag.NO_AFFILIATIONS_FOUND, Flag.NO_COUNTRY)
# Row flags that queue the row's raw string for review; a paper flag in REVIEW_PAPER
# queues every row of that paper that prints an affiliation.
REVIEW_ROW = flag_set(
    Flag.NO_REGISTRY_MATCH, Flag.LOW_CONFIDENCE, Flag.FUZZY_MATCH, Flag.PARTIAL_NAME_MATCH, Flag.AMBIGUOUS_NAME,
    Flag.AMBIGUOUS_ACRONYM, Flag.AMBIGUOUS_PLACE, Flag.COUNTRY_CONFLICT, Flag.COUNTRY_FROM_EMAIL,
    Flag.INSTITUTION_FROM_EMAIL, Flag.LLM_UNGROUNDED, Flag.RULES_LLM_DISAGREE,
)  # fmt: skip
REVIEW_PAPER = flag_set(Flag.NO_COUNTRY)
# A row counts as flagged in the report when it would be queued for review.
COUNTED_AS_FLAGGED = REVIEW_ROW
# Row flags about the author, not the string: a review decision on the string keeps them.
KEPT_AFTER_DECISION = flag_set(Flag.AUTHOR_WITHOUT_AFFILIATION)


def paper_flags() -> list[Flag]:
    return [flag for flag in Flag if flag.level is Level.PAPER]


def row_flags() -> list[Flag]:
    return [flag for flag in Flag if flag.level is Level.ROW]
