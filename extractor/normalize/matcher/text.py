"""The matcher's vocabulary of the printed string: cleaning, segments, generic names, places,
printed domains, and the candidate record every rule produces."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from ...flags import Flag
from ...records import AffiliationMatch, OrganizationMatch
from ...registry.aliases import Alias
from ...registry.countries import (
    country_from_address,
    country_from_tld,
    country_of_segment,
    is_us_state_code,
)
from ...registry.emails import email_domain, find_emails, strip_emails
from ...registry.organizations import STOP_TOKENS, Organization, Registry
from ...registry.text import clean_spaces, fold_typography, normalize_name
from ...registry.vocab import (
    BROAD_NAME_WORDS,
    COMPANY_SUFFIX,
    GENERIC_NAME_WORDS,
    INSTITUTION_WORDS,
    PLACES_WITH_INSTITUTION_WORDS,
    TOP_LEVEL_WORDS,
    TRAILING_CORRESPONDENCE,
)

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|io|ai)\b")
_LEADING_MARKER = re.compile(r"^[\s\d*†‡§¶‖#♯♭♮\u2020\u2021,.:]+(?=\D)")
_PAREN_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&\-]{1,7}$")
_SEPARATORS = re.compile(r"[,;|]|\s[-–—]\s")
# "NUS & Sea AI Lab", "Petuum Inc. / CMU": short names joined; "Department of Finance &
# Marketing" or "Hematology/Oncology" inside a longer name stay whole (parts are too long or generic).
_JOINERS = re.compile(r"\s*/\s*|\s+&\s+|\s+\+\s+")
_SHORT_PART = 5
_UNIT_WORDS = re.compile(
    r"\b(school|institute|inst|department|dept|division|faculty|center|centre|labs?|laboratory|research|"
    r"compute|program|college|hospital|clinic|group|team|ai|ml|nlp)\b",
    re.I,
)
_ACRONYM_LEAD = re.compile(r"^[A-Z]{3,6}$")  # "DTU", "RIKEN", "USC" ("UC" is too many things)
_DOUBTFUL = frozenset(
    {Flag.NO_REGISTRY_MATCH, Flag.AMBIGUOUS_NAME, Flag.AMBIGUOUS_ACRONYM, Flag.AMBIGUOUS_PLACE, Flag.FUZZY_MATCH}
)
_JOINING_WORDS = frozenset({"of", "at", "in", "the", "and", "de", "du", "des", "di", "da", "for", "y"})
_TRAILING_IN = re.compile(r"\s+(in|at)$", re.I)  # "CTU in Prague" (head before the town)
_U_LEAD = re.compile(r"^U\.?\s+(?:of\s+)?(?=[A-Z])")  # "U of Toronto", "U. Michigan"
_U_TRAIL = re.compile(r"(?<=[a-z])\s+U\.?$")  # "Duke U", "New York U"
_MPI = re.compile(r"^MPI\b[\s-]*")  # "MPI for Biological Cybernetics", "MPI-SWS"
_SPELLED_OUT = ((_U_LEAD, "University of "), (_U_TRAIL, " University"), (_MPI, "Max Planck Institute "))
_BRACKETED = re.compile(r"^(.*?\w)\s*\(([^()]+)\)?$")  # "Name (ACRONYM)", its ")" maybe stripped
_NAME_JOINER = re.compile(r"\s+and\s+|(?<=\w)-(?=\w)")
_DATE = re.compile(r"^(\d{1,4}[-/.]){1,2}\d{1,4}$|^(19|20)\d\d$")
_LEADING_AND = re.compile(r"^(and|also|now at|now with|currently at|work done at|work done while at)\s+", re.I)

_DEPARTMENT_START = re.compile(r"^(department|dept|division|school|faculty|section|unit|group|program)\b")
_UNIT_START = re.compile(
    r"^(the )?(\w+ )?(department|dept|division|institute|institut|instituto|istituto|laboratory|laboratoire|"
    r"laboratorio|lab|center|centre|centro|clinic|klinik|school|faculty|program|unit|section|group|"
    r"research center|research centre|research institute|key laboratory|state key laboratory)\b"
)

_KNOWN_TYPES = frozenset(["education", "company", "facility", "government", "healthcare", "nonprofit"])
_HOSPITAL = re.compile(
    r"\b(hospital|hospitals|clinic|clinics|klinik|klinikum|hopital|ospedale|hospitalier|chu|medical center)\b"
)
_UNIVERSITY = re.compile(r"\b(university|universit\w*|universidad\w*|universidade)\b")

TYPE_WEIGHT = {"education": 0.5, "facility": 0.35, "company": 0.3, "government": 0.2, "healthcare": 0.1}
# Order-aware: a typo keeps word order; "Information Sciences Institute" is not
# "Institute of Information Science" (a different record in another country).
FUZZY_CUTOFF = 90.0
TOKEN_CUTOFF = 75.0
# A prior-ranked guess among same-named records needs this much more weight than the next one.
PRIOR_DOMINANCE = 3.0
# Author rows in NeurIPS 2013-2020 that make an acronym's organization exempt from the verifier's doubt.
TRUSTED_PRIOR = 5.0
FAMOUS_PRIOR = 30.0  # author rows: a short name before unit words must be this well known


@dataclass(slots=True)
class _Candidate:
    institution: str
    ror_id: str
    country: str
    org_type: str
    method: str
    confidence: float
    score: float
    parents: tuple[str, ...] = ()
    flags: list[Flag] = field(default_factory=list)
    start: int = 0  # segment span [start, end)
    end: int = 1
    generic: bool = False
    proper_name: bool = False  # a generic-looking name that is exactly one record's (kept, not doubted)
    unit: str = ""
    unit_ror_id: str = ""
    alternatives: list[str] = field(default_factory=list)  # "Name (ID, CC)" of an ambiguous pick


def clean_affiliation(raw: str) -> str:
    """Strip link markers, e-mails, URLs and trailing correspondence notes."""
    text = strip_emails(fold_typography(raw))
    if "." in text or "://" in text:  # every link has one; the pattern is slow to fail on a long string
        text = _URL.sub(" ", text)
    text = TRAILING_CORRESPONDENCE.sub("", text)
    text = _LEADING_MARKER.sub("", clean_spaces(text))
    return clean_spaces(text).strip(" ,;.")


def split_segments(text: str) -> list[str]:
    """Comma, semicolon, slash, '&' and ' - ' separated parts; 'Inc.' and friends stay with the
    name before them, a leading 'and' is dropped."""
    segments: list[str] = []
    parts: list[str] = []
    for part in _SEPARATORS.split(text):
        pieces = _JOINERS.split(part)
        short = len(pieces) > 1 and all(0 < len(p.split()) <= _SHORT_PART for p in pieces)
        # Every piece must read as a name: "Anhui University of Science & Technology" stays whole.
        if short and not any(is_generic(normalize_name(p)) or (len(p.split()) == 1 and p.islower()) for p in pieces):
            parts += pieces
        else:
            parts.append(part)
    for position, raw_part in enumerate(parts):
        part = _unbracketed(_LEADING_AND.sub("", raw_part.strip()).strip(" .&/+"))
        if not part:
            continue
        if segments and COMPANY_SUFFIX.match(normalize_name(part)) and not _colorado(raw_part, parts[position + 1 :]):
            segments[-1] = f"{segments[-1]} {part}"
            continue
        segments.append(part)
    return segments


def _colorado(raw_part: str, following: list[str]) -> bool:
    """ "Aurora, CO, USA": the state, not the company suffix of "Huawei Technologies CO., LTD"."""
    return raw_part.strip() == "CO" and not (following and COMPANY_SUFFIX.match(normalize_name(following[0])))


def _unbracketed(part: str) -> str:
    """A segment without the brackets a split left unpaired ("Taiwan (R.O.C.)" -> "Taiwan (R.O.C.)",
    "(Taiwan" -> "Taiwan") or that wrap all of it ("(UMBC)" -> "UMBC")."""
    while part:
        if part[0] == "(" and (")" not in part or (part[-1] == ")" and part.count("(") == 1)):
            part = part[1:-1] if part[-1] == ")" else part[1:]
        elif part[-1] == ")" and "(" not in part:
            part = part[:-1]
        else:
            return part.strip(" .&/+")
        part = part.strip(" .&/+")
    return part


def is_generic(key: str) -> bool:
    """A name made only of kind-and-field words ("department of public health")."""
    words = key.split()
    return bool(words) and all(w in GENERIC_NAME_WORDS or len(w) == 1 for w in words)


@lru_cache(maxsize=1 << 16)
def _is_place(segment: str) -> bool:
    key = normalize_name(segment)
    return (
        bool(country_of_segment(segment))
        or is_us_state_code(segment.strip())
        or key in PLACES_WITH_INSTITUTION_WORDS
        or bool(_DATE.match(segment))
    )


def _from_domain(raw: str, found: OrganizationMatch) -> AffiliationMatch:
    """An answer read off a domain: half confidence, flagged for review."""
    flags = [*(f for f in found.flags if f != Flag.INSTITUTION_FROM_EMAIL), Flag.INSTITUTION_FROM_EMAIL]
    found = found.model_copy(update={"confidence": 0.5, "flags": flags})
    return AffiliationMatch.naming(raw, [found])


_WEB_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?((?:[\w-]+\.)+[a-z]{2,})\b", re.I)
_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "org", "net"})


def _printed_domains(raw: str) -> list[str]:
    """The domains of the e-mail and web addresses printed in ``raw``, in order."""
    found = [email_domain(address) for address in find_emails(raw)]
    found += [m.group(1).lower() for m in _WEB_DOMAIN.finditer(strip_emails(raw))]
    return list(dict.fromkeys(found))


def _domain_label(domain: str) -> str:
    """The name part of a domain: "valeo" of valeo.ai, "ox" of cs.ox.ac.uk."""
    labels = domain.lower().split(".")
    while len(labels) > 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else ""


def own_key(org: Organization) -> str:
    """A record's own name as a key, without its "(Country)" suffix."""
    return normalize_name(_PAREN_SUFFIX.sub("", org.name))


def names_own_record(registry: Registry, ror_id: str, key: str, printed_country: str) -> bool:
    """Whether the printed ``key`` is exactly the own name (not an alias, label or acronym) of the
    one record bearing it, and that record's country is the printed one."""
    org = registry.by_id(ror_id) if ror_id else None
    return (
        org is not None
        and bool(printed_country)
        and org.country == printed_country
        and own_key(org) == key
        and len(registry.by_key(key)) == 1
    )


def _proper_names_alone(candidates: list[_Candidate], segments: list[str], registry: Registry) -> None:
    """A generic name printed alone (only its address after it) that is exactly one record's
    name and has a field word is that record ("National Institute of Informatics, Tokyo",
    "Computer Vision Center"); with a parent printed it stays a unit, and names shared by
    several records stay dropped. After units only ("Department of Physics, National Central
    University, Taiwan") or made of kind words only ("National Research Centre, Giza, Egypt"),
    it must be the record's own name and its country printed; a printed country always agrees.
    Beside other names it stays dropped too: "Center for Cancer Research, Massachusetts General
    Hospital" is the hospital's centre, not the one record of that name."""
    if not candidates or any(not c.generic for c in candidates):
        return
    cand = max(candidates, key=lambda c: c.start)
    if any(c.start >= cand.start and c is not cand for c in candidates):
        return
    key = normalize_name(", ".join(segments[cand.start : cand.end]))  # as printed
    if (
        cand.method != "exact"
        or len(registry.by_key(key)) != 1
        or any(INSTITUTION_WORDS.search(s) and not _is_place(s) for s in segments[cand.end :])
        or _DEPARTMENT_START.match(key)
    ):
        return
    printed = country_from_address(", ".join(["x", *segments[cand.end :]]))
    if printed and printed != cand.country:
        return
    # after units, or kind words only: the record's own name, not an alias ("National Institute
    # of Technology" is Bhopal's), with its country printed
    if (cand.start > 0 or BROAD_NAME_WORDS.issuperset(key.split())) and not names_own_record(
        registry, cand.ror_id, key, printed
    ):
        return
    cand.generic = False
    cand.proper_name = True


def _alias_first_words(aliases: Sequence[Alias]) -> tuple[dict[str, list[int]], list[int]]:
    """Which aliases (positions) each word may start, read off the ``\\b(a|b c)\\b`` / ``^(a|b)$``
    patterns, and the positions of the patterns not of that form (always tried)."""
    by_word: dict[str, list[int]] = {}
    always: list[int] = []
    for position, alias in enumerate(aliases):
        pattern = alias.pattern.pattern
        body = re.fullmatch(r"(?:\\b|\^)(.*?)(?:\\b|\$)", pattern)
        found: list[str] = []
        if body:
            inner = body.group(1)
            if inner.startswith("(") and inner.endswith(")") and _balanced(inner[1:-1]):
                inner = inner[1:-1]
            for alternative in _top_level_split(inner):
                first = re.match(r"[a-z0-9]+(?=[ \\]|$)", alternative)
                if first is None:
                    found = []
                    break
                found.append(first.group(0))
        if not found:
            always.append(position)
        for word in dict.fromkeys(found):
            by_word.setdefault(word, []).append(position)
    return by_word, always


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _top_level_split(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _with_place_suffix(key: str, choices: list[str]) -> tuple[str, float, int] | None:
    """'indian institute of science' -> 'indian institute of science bangalore': the registry
    name is the printed one plus a city or country."""
    if not TOP_LEVEL_WORDS.search(key):  # "department of statistics" + "malaysia" is a government agency
        return None
    prefix = key + " "  # built once: thousands of names may be tried
    for position, name in enumerate(choices):
        if name.startswith(prefix) and country_of_segment(name[len(prefix) :]):
            return name, FUZZY_CUTOFF, position
    return None


def _tokens_correspond(key: str, name: str) -> bool:
    """Every informative word on either side has a near twin on the other (a place name may be
    extra): a typo passes ("univeristy"), a different name does not ("bosch center for ai" is
    not "finnish center for ai", "institute of science" is not "institute of soil science")."""

    def covered(words: list[str], others: list[str]) -> bool:
        return all(
            any(fuzz.ratio(word, other) >= TOKEN_CUTOFF for other in others)
            for word in words
            if word not in STOP_TOKENS and not country_of_segment(word)
        )

    left, right = key.split(), name.split()
    return covered(left, right) and covered(right, left)


def _country_from_emails(registry: Registry, email_domains: Sequence[str]) -> str:
    for domain in email_domains:
        _org, country = registry.by_domain(domain)
        country = country or country_from_tld(domain)
        if country:
            return country
    return ""
