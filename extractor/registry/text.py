"""String normalization shared by the registry builder and the matcher.

Both sides must normalize identically, so every key in the registry index is
produced by ``normalize_name`` and every lookup goes through it too.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# Abbreviations expanded before lookup, so "Univ. of X" and "University of X" meet.
_ABBREVIATIONS = {
    "univ": "university",
    "universiteit": "university",
    "universitat": "university",
    "universitaet": "university",
    "universite": "university",
    "universita": "university",
    "universidad": "university",
    "universidade": "university",
    "inst": "institute",
    "institut": "institute",
    "instituto": "institute",
    "istituto": "institute",
    "dept": "department",
    "tech": "technology",
    "technol": "technology",
    "natl": "national",
    "nat": "national",
    "intl": "international",
    "lab": "laboratory",
    "labs": "laboratories",
    "ctr": "center",
    "centre": "center",
    "sci": "science",
    "acad": "academy",
    "coll": "college",
    "st": "saint",
    "mt": "mount",
}

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Fold accented letters to ASCII where a plain decomposition exists."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_name(text: str) -> str:
    """Lowercase, accent-free, punctuation-free key with common abbreviations expanded."""
    text = strip_accents(text).lower().replace("&", " and ").replace("'", "")
    words = _NON_WORD.sub(" ", text).split()
    words = [_ABBREVIATIONS.get(w, w) for w in words]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def clean_spaces(text: str) -> str:
    """Collapse runs of whitespace and trim."""
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Words of the normalized form."""
    return normalize_name(text).split()


NAME_CUTOFF = 75.0


def name_similarity(a: str, b: str) -> float:
    """Token-sort similarity, or 100 when family name and first initial agree ("Alex Smola" ~ "Alexander J. Smola")."""
    a_words, b_words = normalize_name(a).split(), normalize_name(b).split()
    if a_words and b_words and a_words[-1] == b_words[-1] and a_words[0][0] == b_words[0][0]:
        return 100.0
    return fuzz.token_sort_ratio(" ".join(a_words), " ".join(b_words))
