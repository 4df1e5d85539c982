"""What a line of the author block is: names, affiliation, e-mail or noise."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..registry.aliases import load_aliases
from ..registry.countries import country_from_address, country_of_segment
from ..registry.organizations import default_registry
from ..registry.text import normalize_name
from ..registry.vocab import INSTITUTION_WORDS, NOISE, TOP_LEVEL_WORDS, UPPER_INSTITUTION_WORDS
from .lines import Line

_NAME_WORD = re.compile(
    r"^(?:[A-Z][\w'’.\-]*|\([A-Z][\w.]*\)|[A-Z]\.|(?:van|von|de|der|den|di|da|du|del|della|le|la|dos|das|bin|al|el|y|zu|ten|ter)|[A-Z][a-z]*-[A-Z][\w'’\-]*)$",
    re.U,
)


@cache
def _aliases():  # loaded lazily: the registry is only needed once lines get classified
    return load_aliases(default_registry())


def is_email_line(line: Line) -> bool:
    return "@" in line.text


def names_institution(text: str) -> bool:
    """Text that names an organization (keyword, alias or exact registry name)."""
    if INSTITUTION_WORDS.search(text) or UPPER_INSTITUTION_WORDS.search(text):
        return True
    key = normalize_name(text)
    if any(alias.pattern.search(key) for alias in _aliases()):
        return True
    return bool(default_registry().by_key(key))


def is_address(text: str) -> bool:
    """A short line that is only a place: 'Los Angeles, CA, USA', 'Beijing 100084, China'."""
    return len(text) < 60 and bool(country_from_address(text) or country_of_segment(text))


def is_top_level(text: str) -> bool:
    if TOP_LEVEL_WORDS.search(text):
        return True
    key = normalize_name(text)
    return any(alias.pattern.search(key) for alias in _aliases())


def looks_like_name(text: str) -> bool:
    """A plausible personal name: 1-6 capitalized words, no digits or keywords."""
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 6 or any(ch.isdigit() for ch in text):
        return False
    if names_institution(text):
        return False
    return all(_name_word(w) for w in words) and any(len(w.strip(".")) > 1 for w in words)


def _name_word(word: str) -> bool:
    """A word of a personal name in any script: 'Øvergaard', 'Łukasz', 'Şahin', '王', 'van', and
    letters with combining accents a font left apart ('Hasi̧m')."""
    word = "".join(ch for ch in word if not unicodedata.category(ch).startswith("M")) or word
    if _NAME_WORD.match(word):
        return True
    first = word[0]
    if not first.isalpha() or first.islower() or not all(ch.isalpha() or ch in "'’.-" for ch in word):
        return False
    return first.isupper() or not word.isascii()  # upper-case initial, or a caseless script (CJK)


def is_noise(text: str) -> bool:
    return bool(NOISE.search(text))
