"""String normalization shared by the registry builder and the matcher.

Both sides must normalize identically, so every key in the registry index is
produced by ``normalize_name`` and every lookup goes through it too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


# Typographic punctuation as printed in PDFs and typed in forms, folded to ASCII before
# anything else: "King’s College", "Xi’an", "Côte d’Azur", "Paris–Saclay".
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark (the usual apostrophe)
        "\u2018": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u00df": "ss",
        "\u1e9e": "SS",
    }
)


def fold_typography(text: str) -> str:
    """NFKC (ligatures such as "ﬁ", full-width letters) and typographic quotes, dashes, ß folded."""
    if text.isascii():  # most strings: NFKC and the table leave ASCII unchanged
        return text
    return unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)


def has_accents(text: str) -> bool:
    """Whether ``text`` has letters that ``strip_accents`` would change ("Rütgers", not "Rutgers")."""
    if text.isascii():
        return False
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFKD", text))


def strip_accents(text: str) -> str:
    """Fold accented letters to ASCII where a plain decomposition exists."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 17)
def normalize_name(text: str) -> str:
    """Lowercase, accent-free, punctuation-free key with common abbreviations expanded."""
    text = strip_accents(fold_typography(text)).lower().replace("&", " and ").replace("'", "")
    # The runs of word characters: what splitting at every other character leaves (no word
    # character is whitespace), in one pass instead of a substitution and a split.
    expand = _ABBREVIATIONS.get
    words = [expand(w, w) for w in _WORD.findall(text)]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


# Words that join a name's parts in one language or another: "Università della Basilicata" and
# "University of Basilicata", "Université de la Manouba" and "University of Manouba" differ only here.
_CONNECTIVES = frozenset(
    (
        "of", "de", "la", "le", "les", "l", "del", "della", "delle", "dello", "dei", "degli", "di", "da", "do",
        "dos", "das", "du", "des", "der", "die", "den", "het", "the", "at", "in", "en", "au", "aux", "y", "e", "et",
        "und", "and", "for", "fur", "zu", "van", "von",
    )
)  # fmt: skip


def name_skeleton(key: str) -> str:
    """A normalized name without its connective words ("university degli studi della basilicata"
    -> "university basilicata"); '' when fewer than two words are left."""
    words = [w for w in key.replace("degli studi", " ").split() if w not in _CONNECTIVES]
    return " ".join(words) if len(words) > 1 else ""


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
