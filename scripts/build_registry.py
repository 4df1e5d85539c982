"""Build the compact institution registry shipped inside the package.

Reads ROR pieces from ``../shared/registry/`` (CC0) and the university domain
list (MIT) and writes ``extractor/data/registry.json.gz``:

- ``orgs``: one row per organization ``[ror_id, name, country, city, types, parents]``
- ``names``: normalized name/alias/label -> org row indices
- ``acronyms``: upper-case acronym -> org row indices
- ``domains``: web domain -> org row index (or -1 with a country when only the country is known)

Usage: python scripts/build_registry.py [--shared ../shared] [--out extractor/data/registry.json.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.registry.organizations import STOP_TOKENS  # noqa: E402
from extractor.registry.text import has_accents, normalize_name  # noqa: E402

# Type order decides which type is kept first; the matcher reads the first one.
TYPE_CODES = {
    "education": "E",
    "company": "C",
    "facility": "F",
    "government": "G",
    "nonprofit": "N",
    "healthcare": "H",
    "funder": "U",
    "archive": "A",
    "other": "O",
}


_PAREN_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def read_country_variants(path: Path) -> dict[str, str]:
    """Country spellings -> ISO2, without two-letter codes (too ambiguous in addresses)."""
    variants: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        code, _, name = line.strip().partition(" ")
        code = {"uk": "gb"}.get(code, code)
        key = normalize_name(name)
        if len(code) == 2 and len(key) > 3 and not key.startswith("republic of china"):
            variants.setdefault(key, code.upper())
    return variants


def read_gazetteer(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    # Withdrawn ids are mistakes in ROR itself; never hand them out.
    return [r for r in records if r.get("status") != "withdrawn"]


def org_row(record: dict) -> list:
    types = "".join(TYPE_CODES.get(t, "O") for t in record.get("types", []))
    return [
        record["id"],
        record["name"],
        record.get("country", ""),
        record.get("city", ""),
        types,
        record.get("parent", []) or [],
    ]


def index_names(records: list[dict]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Normalized name -> record indices, and the (key, index) pairs reached only through an
    accented spelling ("Rütgers" reaches "rutgers"; "Rutgers" printed without accents should
    prefer the record spelled that way)."""
    names: dict[str, list[int]] = defaultdict(list)
    plain: set[tuple[str, int]] = set()
    for idx, record in enumerate(records):
        variants = [record["name"], *record.get("aliases", [])]
        variants += [label for _lang, label in record.get("labels", [])]
        # Companies carry a country suffix ("Google (United States)"); index the bare name too.
        variants += [_PAREN_SUFFIX.sub("", v) for v in variants if _PAREN_SUFFIX.search(v)]
        for variant in variants:
            key = normalize_name(variant)
            if key and idx not in names[key]:
                names[key].append(idx)
            if key and not has_accents(variant):
                plain.add((key, idx))
    # "Purdue University West Lafayette": the name without its own city, when no record owns it.
    for idx, record in enumerate(records):
        city = normalize_name(record.get("city", "") or "")
        key = normalize_name(record["name"])
        if city and key.endswith(" " + city):
            bare = key[: -len(city) - 1]
            if len(bare.split()) >= 2 and bare not in names:
                names[bare] = [idx]
                plain.add((bare, idx))
    accented: dict[str, list[int]] = defaultdict(list)
    for key, indices in names.items():
        for idx in indices:
            if (key, idx) not in plain:
                accented[key].append(idx)
    return dict(names), dict(accented)


def index_tokens(names: dict[str, list[int]]) -> dict[str, list[int]]:
    """Informative word -> positions of the names holding it in ``names`` (the fuzzy index,
    built here so that no lookup pays for it)."""
    tokens: dict[str, list[int]] = defaultdict(list)
    for position, name in enumerate(names):
        for token in set(name.split()):
            if token not in STOP_TOKENS:
                tokens[token].append(position)
    return dict(tokens)


def index_acronyms(records: list[dict]) -> dict[str, list[int]]:
    acronyms: dict[str, list[int]] = defaultdict(list)
    for idx, record in enumerate(records):
        for acronym in record.get("acronyms", []):
            key = acronym.strip().upper()
            if len(key) >= 2 and idx not in acronyms[key]:
                acronyms[key].append(idx)
    return dict(acronyms)


def index_domains(records: list[dict], names: dict[str, list[int]], uni_path: Path) -> dict:
    domains: dict[str, list] = {}
    for idx, record in enumerate(records):
        for domain in record.get("domains", []):
            domains.setdefault(domain.lower().removeprefix("www."), [idx, record.get("country", "")])
    with uni_path.open(encoding="utf-8") as handle:
        universities = json.load(handle)
    for uni in universities:
        country = uni.get("alpha_two_code", "")
        candidates = [i for i in names.get(normalize_name(uni["name"]), []) if records[i].get("country") == country]
        idx = candidates[0] if len(candidates) == 1 else -1
        for domain in uni.get("domains", []):
            domains.setdefault(domain.lower().removeprefix("www."), [idx, country])
    return domains


def build(shared: Path, out: Path) -> None:
    records = read_gazetteer(shared / "registry" / "ror_gazetteer.jsonl.gz")
    names, accented = index_names(records)
    payload = {
        "source": "ROR gazetteer (CC0) + university_domains (MIT)",
        "orgs": [org_row(r) for r in records],
        "names": names,
        "accented": accented,
        "tokens": index_tokens(names),
        "acronyms": index_acronyms(records),
        "countries": read_country_variants(shared / "registry" / "country_name_variants.txt"),
        "domains": index_domains(records, names, shared / "registry" / "university_domains.json"),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {len(records)} orgs, {len(names)} names)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "extractor" / "data" / "registry.json.gz")
    args = parser.parse_args()
    build(args.shared, args.out)


if __name__ == "__main__":
    main()
