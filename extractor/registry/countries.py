"""Country detection from printed addresses and e-mail domains (ISO 3166-1 alpha-2)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pycountry

from .text import normalize_name

# Spellings seen in author blocks that neither pycountry nor the variant list cover well.
_EXTRA_VARIANTS = {
    "usa": "US",
    "u s a": "US",
    "us": "US",
    "u s": "US",
    "united states": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "united kingdom": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "northern ireland": "GB",
    "p r china": "CN",
    "pr china": "CN",
    "prc": "CN",
    "p r c": "CN",
    "china": "CN",
    "peoples republic of china": "CN",
    "mainland china": "CN",
    "hong kong": "HK",
    "hong kong sar": "HK",
    "hk": "HK",
    "macau": "MO",
    "macao": "MO",
    "macau sar": "MO",
    "macao sar": "MO",
    "taiwan": "TW",
    "taiwan roc": "TW",
    "r o c": "TW",
    "roc": "TW",
    "korea": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "s korea": "KR",
    "russia": "RU",
    "iran": "IR",
    "vietnam": "VN",
    "viet nam": "VN",
    "czech republic": "CZ",
    "the netherlands": "NL",
    "netherlands": "NL",
    "holland": "NL",
    "uae": "AE",
    "turkey": "TR",
    "switzerland": "CH",
    "germany": "DE",
    "deutschland": "DE",
    "brasil": "BR",
    # Regions whose last word is another country ("New England" is not England).
    "new england": "US",
    "new south wales": "AU",
    "queensland": "AU",
    "ontario": "CA",
    "quebec": "CA",
    "québec": "CA",
    "british columbia": "CA",
    "alberta": "CA",
}

_US_STATES = (
    (
        "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii "
        "idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan "
        "minnesota mississippi missouri montana nebraska nevada new_hampshire new_jersey new_mexico "
        "new_york north_carolina north_dakota ohio oklahoma oregon pennsylvania rhode_island "
        "south_carolina south_dakota tennessee texas utah vermont virginia washington west_virginia "
        "wisconsin wyoming"
    )
    .replace("_", " ")
    .split()
)
_US_STATE_CODES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
)

# Cities that name one country in practice in ML author blocks. Ambiguous ones
# (Cambridge, Paris TX, London ON) are left out on purpose.
_CITIES = {
    "beijing": "CN",
    "shanghai": "CN",
    "shenzhen": "CN",
    "hangzhou": "CN",
    "nanjing": "CN",
    "guangzhou": "CN",
    "wuhan": "CN",
    "chengdu": "CN",
    "hefei": "CN",
    "xian": "CN",
    "harbin": "CN",
    "tianjin": "CN",
    "suzhou": "CN",
    "xiamen": "CN",
    "changsha": "CN",
    "jinan": "CN",
    "seattle": "US",
    "redmond": "US",
    "mountain view": "US",
    "palo alto": "US",
    "menlo park": "US",
    "stanford": "US",
    "berkeley": "US",
    "pittsburgh": "US",
    "new york": "US",
    "san francisco": "US",
    "los angeles": "US",
    "cambridge ma": "US",
    "new york city": "US",
    "seattle wa": "US",
    "boston": "US",
    "chicago": "US",
    "princeton": "US",
    "atlanta": "US",
    "austin": "US",
    "san diego": "US",
    "sunnyvale": "US",
    "cupertino": "US",
    "yorktown heights": "US",
    "ann arbor": "US",
    "philadelphia": "US",
    "baltimore": "US",
    "houston": "US",
    "san jose": "US",
    "toronto": "CA",
    "montreal": "CA",
    "vancouver": "CA",
    "edmonton": "CA",
    "waterloo": "CA",
    "tokyo": "JP",
    "kyoto": "JP",
    "osaka": "JP",
    "seoul": "KR",
    "daejeon": "KR",
    "pohang": "KR",
    "singapore": "SG",
    "zurich": "CH",
    "lausanne": "CH",
    "geneva": "CH",
    "oxford": "GB",
    "edinburgh": "GB",
    "manchester": "GB",
    "paris": "FR",
    "grenoble": "FR",
    "berlin": "DE",
    "munich": "DE",
    "tubingen": "DE",
    "darmstadt": "DE",
    "amsterdam": "NL",
    "tel aviv": "IL",
    "jerusalem": "IL",
    "haifa": "IL",
    "bangalore": "IN",
    "bengaluru": "IN",
    "melbourne": "AU",
    "sydney": "AU",
    "canberra": "AU",
    "brisbane": "AU",
    "taipei": "TW",
    "hsinchu": "TW",
    "moscow": "RU",
    "saint petersburg": "RU",
    "st petersburg": "RU",
    "novosibirsk": "RU",
    "kiev": "UA",
    "kyiv": "UA",
    "warsaw": "PL",
    "krakow": "PL",
    "prague": "CZ",
    "vienna": "AT",
    "budapest": "HU",
    "stockholm": "SE",
    "copenhagen": "DK",
    "helsinki": "FI",
    "oslo": "NO",
    "madrid": "ES",
    "barcelona": "ES",
    "lisbon": "PT",
    "milan": "IT",
    "rome": "IT",
    "brussels": "BE",
    "leuven": "BE",
    "delft": "NL",
    "eindhoven": "NL",
    "tuebingen": "DE",
    "saarbrucken": "DE",
    "heidelberg": "DE",
    "dublin": "IE",
    "nairobi": "KE",
    "lagos": "NG",
    "cape town": "ZA",
    "sao paulo": "BR",
    "mexico city": "MX",
    "santa clara": "US",
    "redwood city": "US",
    "san mateo": "US",
    "irvine": "US",
    "kirkland": "US",
    "bellevue": "US",
    "hyderabad": "IN",
    "new delhi": "IN",
    "mumbai": "IN",
    "chennai": "IN",
    "suwon": "KR",
    "yokohama": "JP",
    "montréal": "CA",
    "ottawa": "CA",
    "calgary": "CA",
    "abu dhabi": "AE",
    "dubai": "AE",
}

_TLD_EXCEPTIONS = {"uk": "GB", "edu": "US", "gov": "US", "mil": "US"}
_VANITY_TLDS = frozenset({"io", "ai"})
_VANITY_WHEN_BARE = frozenset({"co", "me", "tv", "ly", "fm", "gg", "sh", "to", "ws", "cc", "so"})
_ZIP = re.compile(r"^(?P<state>[A-Z]{2})\s*\d{5}(?:-\d{4})?$")


@cache
def _variants() -> dict[str, str]:
    from .organizations import default_registry

    table: dict[str, str] = dict(default_registry().country_variants)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table.setdefault(normalize_name(value), country.alpha_2)
    table.update(_EXTRA_VARIANTS)
    for state in _US_STATES:
        table.setdefault(state, "US")
    return table


_POSTAL_AFTER = re.compile(r"\s*\d[\d\s-]*$")
_POSTAL_BEFORE = re.compile(r"^\d[\d\s-]*\s*")


@lru_cache(maxsize=1 << 16)  # asked of every segment several times while matching
def country_of_segment(segment: str) -> str:
    """ISO2 for one address segment ("Beijing 100084", "CA 94305", "P.R. China"), else ''."""
    stripped = segment.strip().strip(".")
    zip_match = _ZIP.match(stripped)
    if zip_match and zip_match.group("state") in _US_STATE_CODES:
        return "US"
    key = normalize_name(stripped)
    key = _POSTAL_BEFORE.sub("", _POSTAL_AFTER.sub("", key))  # postal codes after or before a place
    if not key:
        return ""
    table = _variants()
    if key in table:
        return table[key]
    return _CITIES.get(key, "")


# Cities that name places in two countries an ML affiliation may mean.
_AMBIGUOUS_CITIES = {
    "cambridge": ("GB", "US"),
    "london": ("GB", "CA"),
    "paris": ("FR", "US"),
    "birmingham": ("GB", "US"),
    "valencia": ("ES", "VE"),
    "santiago": ("CL", "ES"),
}

_ADDRESS_SEPARATORS = re.compile(r"[,;\n]")
_OF_PLACE = re.compile(r"\b(of|de|del|di|do|da)\s+((new|south|north|west|east)\s+)*\S+(\s+\S+)?$", re.I)
_ORG_WORD = re.compile(
    r"\b(univ\w*|institut\w*|college|academy|school|polytechnic|hospital|center|centre|laborator\w*|"
    r"corporation|foundation|council|society|agency|ministry)\b",
    re.I,
)


def ambiguous_city(segment: str) -> tuple[str, ...]:
    """The two countries of a city printed without one ("Cambridge"), else ()."""
    return _AMBIGUOUS_CITIES.get(normalize_name(segment), ())


# Hong Kong, Macao and Taiwan have their own ISO 3166 codes, also when ", China" follows them.
_CHINESE_REGIONS = frozenset({"HK", "MO", "TW"})


def country_from_address(text: str) -> str:
    """Country printed in an affiliation, read from the last segments backwards. Country and
    region words inside a name are the name's ("University of Georgia", "University of New
    South Wales", "Jordan University of Science and Technology")."""
    segments = [s for s in _ADDRESS_SEPARATORS.split(text) if s.strip()]
    for position in reversed(range(1 if len(segments) > 1 else 0, len(segments))):
        segment = segments[position]
        named = bool(_ORG_WORD.search(segment))
        country = "" if named else country_of_segment(segment)
        if country == "CN" and position >= 1:
            # "Kowloon, Hong Kong, China": the region printed before the country is its own code
            region = country_of_segment(segments[position - 1])
            return region if region in _CHINESE_REGIONS else country
        if country:
            return country
        if segment.strip() in _US_STATE_CODES:  # "Los Angeles, CA"
            return "US"
        if named and (_OF_PLACE.search(segment.strip()) or _ORG_WORD.search(segment.split()[-1])):
            continue  # the segment ends with the organization's own name
        # "Stanford, CA" / "Beijing China" / "Samsung AI Center Moscow": the segment's last words.
        words = segment.split()
        for size in (2, 1):
            if len(words) > size:
                tail = " ".join(words[-size:])
                if size == 1 and tail.upper() in _US_STATE_CODES and tail.isupper():
                    return "US"
                country = country_of_segment(tail)
                if country:
                    return country
    return ""


def country_from_tld(domain: str) -> str:
    """Country of a mail domain's top-level domain ('' for .com and friends)."""
    labels = domain.lower().split(".")
    tld = labels[-1]
    if tld in _VANITY_TLDS or (tld in _VANITY_WHEN_BARE and len(labels) == 2):
        return ""  # prowler.io, valeo.ai, mistral.co: a brand, not a country (unal.edu.co is one)
    if tld in _TLD_EXCEPTIONS:
        return _TLD_EXCEPTIONS[tld]
    if len(tld) == 2 and pycountry.countries.get(alpha_2=tld.upper()):
        return tld.upper()
    return ""


def is_country_code(text: str) -> bool:
    """An ISO 3166-1 alpha-2 code ("PT", "GB")."""
    return len(text) == 2 and text.isupper() and pycountry.countries.get(alpha_2=text) is not None


def is_us_state_code(text: str) -> bool:
    """A two-letter US state code as printed in an address ("CT", "MI")."""
    return text in _US_STATE_CODES
