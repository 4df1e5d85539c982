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

# The generic words that say only what kind of body it is or qualify it broadly. A generic name
# with a field word beside them ("National Institute of Informatics", "Computer Vision Center")
# may be one body's proper name; one made of these alone ("National Research Institute",
# "Institute for Advanced Study", "University Hospital") never names one body on its own.
BROAD_NAME_WORDS = frozenset(
    (
        "abteilung", "academy", "advanced", "agency", "and", "angewandte", "applied", "association", "at",
        "authority", "board", "escola", "escuela", "facolta", "faculdade", "fachhochschule", "hochschule", "scuola",
        "wissenschaften",
        "bureau", "center", "central", "centre", "centro", "clinic", "clinical", "clinics", "college", "commission",
        "consortium", "council", "de", "del", "departamento", "departement", "department", "der", "des",
        "dipartimento", "division", "du", "e", "engineering", "et", "facultad", "faculte", "faculty", "fakultat",
        "federal", "for", "foundation", "fur", "für", "general", "graduate", "group", "health", "higher",
        "hospital", "hospitals", "in", "institut", "institute", "institution", "instituto", "international",
        "istituto", "la", "lab", "laboratoire", "laboratories", "laboratorio", "laboratory", "labs", "le", "les",
        "medical", "medicine", "ministry", "national", "network", "new", "of", "office", "on", "open",
        "organisation", "organization", "private", "program", "programme", "project", "public", "regional",
        "research", "school", "science", "sciences", "section", "service", "services", "society", "state",
        "studies", "study", "team", "technologies", "technology", "the", "und", "unit", "universitatsklinikum",
        "universities", "university", "y", "zentrum",
    )
)  # fmt: skip

# Field words: with the words above they make the generic names.
_FIELD_NAME_WORDS = frozenset(
    (
        "accounting", "aeronautics", "aerospace", "affiliated", "agricultural", "agriculture", "anaesthesiology",
        "anatomie", "anatomische", "anatomy", "anesthesiology", "anthropology", "archaeology", "architecture",
        "art", "artificial", "arts", "astronomy", "astrophysics", "automation", "biochemistry", "bioinformatics",
        "biological", "biology", "biomedical", "biophysics", "biostatistics", "biotechnology", "botany", "business",
        "cancer", "cardiology", "cardiovascular", "care", "cell", "cellular", "centers", "centres", "chemical",
        "chemistry", "children", "childrens", "city", "civil", "climate", "communication", "communications",
        "community", "computation", "computational", "computer", "computing", "county", "data", "dental",
        "dentistry", "dermatology", "design", "development", "disease", "diseases", "district", "earth", "ecology",
        "economic", "economics", "education", "electrical", "electronic", "electronics", "emergency",
        "endocrinology", "energy", "environment", "environmental", "epidemiology", "evolution", "excellence", "eye",
        "family", "finance", "first", "food", "forensic", "gastroenterology", "genetics", "genomics", "geography",
        "geology", "geosciences", "geriatrics", "gynaecology", "gynecology", "haematology", "heart", "hematology",
        "history", "human", "humanities", "immunology", "industrial", "infectious", "informatics", "information",
        "innovation", "institutes", "intelligence", "intensive", "internal", "joint", "key", "language",
        "languages", "law", "life", "linguistics", "main", "management", "marine", "marketing", "material",
        "materials", "maternal", "mathematical", "mathematics", "mechanical", "mechanics", "medizin", "mental",
        "microbiology", "molecular", "municipal", "music", "natural", "nephrology", "neurology", "neuroscience",
        "neurosurgery", "nuclear", "nursing", "nutrition", "obstetrics", "ocean", "oncology", "ophthalmology",
        "optics", "orthopaedics", "orthopedics", "otolaryngology", "paediatric", "paediatrics", "parasitology",
        "pathologie", "pathologisches", "pathology", "pedagogy", "pediatric", "pediatrics", "people", "peoples",
        "pharmacology", "pharmacy", "philosophy", "photonics", "physical", "physics", "physiology", "plastic",
        "policy", "polytechnic", "primary", "provincial", "psychiatry", "psychology", "radiology", "radiotherapy",
        "rechtsmedizin", "rehabilitation", "renewable", "resource", "resources", "respiratory", "rheumatology",
        "robotics", "rural", "schools", "scientific", "second", "social", "sociology", "space", "sport", "sports",
        "statistical", "statistics", "surgery", "sustainable", "system", "systems", "teaching", "technical",
        "theology", "third", "thoracic", "toxicology", "translational", "tropical", "urban", "urology", "vascular",
        "veterinary", "virology", "vision", "visual", "water", "women", "womens", "zoology",
        # the same fields in Spanish, Portuguese, Italian and French ("Departamento de Educación")
        "agronomia", "architettura", "arquitectura", "biologia", "biologie", "chimica", "chimie", "ciencia",
        "ciencias", "derecho", "direito", "diritto", "economia", "economie", "educacao", "educacio", "educacion",
        "educazione", "enfermagem", "enfermeria", "engenharia", "farmacia", "filosofia", "fisica", "geografia",
        "historia", "informatica", "informatique", "ingegneria", "ingenieria", "ingenierie", "matematica",
        "matematicas", "matematiche", "mathematiques", "medecine", "medicina", "odontologia", "physique",
        "psicologia", "psychologie", "quimica", "salud", "salute", "sante", "saude", "scienza", "scienze", "storia",
        "tecnologia", "tecnologias", "veterinaria",
    )
)  # fmt: skip


# Words that say what kind of organization or field a name is, but not which one: a name made
# only of these ("Department of Public Health", "National Research Institute", "University
# Hospital", "Institute of Automation") never matches on its own (normalized forms).
GENERIC_NAME_WORDS = BROAD_NAME_WORDS | _FIELD_NAME_WORDS

# What authors type when they have no institution (normalized, whole string).
NO_INSTITUTION = re.compile(
    r"^(independent( researcher| scholar| consultant| contributor| research(er)?)?|unaffiliated|"
    r"no affiliation|none|n a|na|null|nil|not applicable|self|self employed|personal|private|"
    r"retired|home|independent researcher and consultant|citizen scientist|tbd|tba|unknown|"
    r"affiliation|institution|address|anonymous institution|anonymous)$"
)

# Places whose names carry an institution word (a campus town, not an organization).
PLACES_WITH_INSTITUTION_WORDS = frozenset(
    ["college park", "university park", "college station", "university place", "university city",
     "university heights", "institute park", "research triangle park"]
)  # fmt: skip

# A segment that only completes the company name before it ("Marvell Semiconductor, Inc.").
COMPANY_SUFFIX = re.compile(
    r"^(inc|incorporated|ltd|limited|llc|l l c|co|corp|corporation|gmbh|ag|sa|s a|plc|bv|nv|srl|kk|"
    r"co ltd|pte ltd|pty ltd)$"
)

# Words after a one-word company name that show it is the company ("Baidu Research", "Sony Corp").
COMPANY_EVIDENCE = frozenset(
    ["inc", "ltd", "llc", "corp", "corporation", "company", "co", "gmbh", "ag", "research", "laboratory",
     "laboratories", "ai", "technologies", "technology", "group", "labs", "lab", "plc", "limited", "sa"]
)  # fmt: skip

# One-word names of companies that are also ordinary words or places: never matched on their own.
COMMON_WORD_COMPANIES = frozenset(
    ["apple", "amazon", "oracle", "target", "shell", "visa", "canon", "sharp", "brother", "orange",
     "square", "twitter", "uber", "nest", "box", "slack", "zoom", "snap", "meta", "alphabet", "mercury",
     "dell", "ford", "general", "national", "international", "global", "center", "research", "unity"]
)  # fmt: skip

# Words too common to retrieve fuzzy candidates by.
STOP_TOKENS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "in",
        "de",
        "la",
        "at",
        "university",
        "institute",
        "department",
        "school",
        "college",
        "science",
        "sciences",
        "technology",
        "research",
        "national",
        "center",
        "laboratory",
        "state",
    ]
)
