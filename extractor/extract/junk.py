"""Text that sits near an author block but is never part of it: page furniture (conference
headers and footers, arXiv stamps, copyright lines, dates), URLs, and template placeholders."""

from __future__ import annotations

import re

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_JUNK = re.compile(
    r"(?i)(?:https?://|\bwww\.|\bgithub\.(?:com|io)\b|\b[\w-]+\.(?:com|org|io|ai|net|edu)/\S|"
    r"\barxiv:\s*\d|\b\d{4}\.\d{4,5}(?:v\d+)?\b|©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|"
    rf"^\s*(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|{_MONTH}\s+\d{{4}})\s*$|"
    r"\bfindings of the association\b|\bassociation for computational linguistics\b|"
    r"\bconference on neural information processing systems\b|\bpreprint\b|\bunder review\b|"
    r"\bdatasets and benchmarks track\b|\bcode (?:and data )?(?:is |are )?available\b|\bproject page\b)"
)
# Style-file placeholders: an anonymized submission, never authors ("First Author", "Address line 1").
_PLACEHOLDER = re.compile(
    r"(?i)^\s*(?:(?:first|second|third|fourth|fifth|sixth|1st|2nd|3rd|nth)\s+author(?:'s)?(?:\s+name)?|"
    r"author\s*(?:name|\d)|affiliation(?:\s*\d)?|address(?:\s+line)?\s*\d?|institution(?:\s+name)?\s*\d?|"
    r"e-?mail@domain(?:\.\w+)*|email\s*@\s*domain|city,?\s+country|street\s+address|"
    r"postal\s+code|department\s+name|organization)\s*[,.\d]*\s*$"
)


def is_junk(text: str) -> bool:
    """Page furniture or a URL: never an affiliation."""
    return bool(_JUNK.search(text))


def is_placeholder(text: str) -> bool:
    """A template placeholder line ("First Author", "Affiliation", "Address line 1", "email@domain")."""
    return bool(_PLACEHOLDER.match(text))
