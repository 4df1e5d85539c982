"""The word lists that say what a piece of an author block is, one copy each.

Every pattern is case-insensitive and accepts both the printed text ("Dept. of CS,
Univ. of X") and its normalized form ("department of cs university of x"), so the
extractor (printed lines) and the matcher (normalized keys) read the same words.
"""

from __future__ import annotations

import re


def _words(*alternatives: str) -> str:
    return "|".join(alternatives)


# Words that make a text name an organization (or a part of one).
_ORGANIZATION = _words(
    r"univ\w*", r"institut\w*", "inst", "college", "colleges", "school", "department", "dept", "faculty",
    r"laborator\w*", "labs?", "research", "centre", "center", "centro", "academy", "academia", "hospital",
    "clinic", "foundation", "corporation", "corp", "company", "inc", "ltd", "llc", "gmbh", "ag", "polytechnic",
    "polytechnique", "politecnico", "ecole", "école", "escuela", "technion", "group", "division", "program",
    "programme", "ministry", "agency", "council", "observatory", "museum", "unit", "team", "project", "cnrs",
    "inria", "csiro", "nasa", "google", "microsoft", "facebook", "amazon", "ibm", "deepmind", "openai", "nvidia",
    "intel", "baidu", "tencent", "alibaba", "huawei", "yahoo", "adobe", "apple", "samsung", "graduate",
    "sciences", "studies", "engineering", "informatics", "computing", "statistics", "mathematics",
)  # fmt: skip
INSTITUTION_WORDS = re.compile(rf"\b({_ORGANIZATION})\b", re.I)

# Short tokens that are organization words only in capitals ("Ai" is also a surname).
UPPER_INSTITUTION_WORDS = re.compile(r"\b(AI|AG|SA|S\.A\.|NV|BV|SRL|KK)\b")

# Words of an organization that stands on its own (not a department of something else).
_TOP_LEVEL = _words(
    r"univ\w*", r"institut\w*", "college", "academy", "hospital", "corporation", "corp", "inc", "ltd", "llc",
    "gmbh", "polytechnic", "polytechnique", "politecnico", "ecole", "école", "technion", "research", "labs",
    "laboratories", "foundation",
)  # fmt: skip
TOP_LEVEL_WORDS = re.compile(rf"\b({_TOP_LEVEL})\b", re.I)

# How a sub-unit's name starts: it belongs to the organization printed beside it.
_SUBUNIT = _words(
    "department", "dept", "school of", "faculty", "college of", "division", "graduate school", "program",
    "centre for", "center for", "laboratory for",
)  # fmt: skip
SUBUNIT_START = re.compile(rf"^\s*({_SUBUNIT})\b", re.I)
SUBUNIT_WORDS = re.compile(rf"\b({_SUBUNIT})\b", re.I)

# Notes that sit in or after an affiliation but are not one.
_CORRESPONDENCE = _words(
    "correspondence to", "corresponding authors?", "correspondence", "e-?mail", "equal contribution",
    "contributed equally",
)  # fmt: skip
_BOILERPLATE = _words(
    "preprint", "under review", "double-blind", "proceedings", "copyright", "workshop on", "conference on",
    "submitted to", "arxiv", "abstract", "keywords", "published as", "work done", "this work", "http", r"www\.",
)  # fmt: skip
NOISE = re.compile(rf"\b({_CORRESPONDENCE}|{_BOILERPLATE})\b", re.I)
TRAILING_CORRESPONDENCE = re.compile(rf"\b({_CORRESPONDENCE})\b.*$", re.I)

ANONYMOUS = re.compile(r"\banonymous\b", re.I)
