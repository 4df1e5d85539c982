"""Learn the matcher's prior from NeurIPS author-entered institution strings.

Writes ``extractor/data/prior.json``:

- ``counts``: ROR id -> author rows (NeurIPS 2013-2020) whose string the matcher resolves to it
  without the prior; ranks same-named records and acronyms ("York University" in CA, not US).
- ``short``: normalized short name -> ROR id, for strings the matcher cannot resolve on its own
  ("Stanford", "Berkeley", "Tsinghua"). Learned from the authors themselves: an author who writes
  "Stanford" in one paper writes "Stanford University" in another, so each unresolved string takes
  the votes of the resolved strings of the same authors in nearby years. A short name is kept when
  at least MIN_AUTHORS distinct authors vote and one organization has MIN_SHARE of the votes.
  Names built from the registry name with its institution words dropped ("Princeton University"
  -> "princeton") are added when the organization dominates that short form.

Usage: python scripts/build_prior.py [--shared ../shared] [--out extractor/data/prior.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from neurips_metadata import author_rows  # noqa: E402  (scripts/ is on the path when run as a script)

from extractor.normalize.rules import RuleMatcher, clean_affiliation, is_generic  # noqa: E402
from extractor.registry.countries import country_of_segment  # noqa: E402
from extractor.registry.prior import Prior  # noqa: E402
from extractor.registry.text import normalize_name  # noqa: E402

MIN_AUTHORS = 3
MIN_SHARE = 0.6
MIN_COUNT = 5  # author rows for a name-derived short form
_INSTITUTION_PART = re.compile(
    r"^(the )?(university of california |university of |univ of )|( university| college| institute of technology)$"
)
MIN_COUNT_PLACE = 20  # a short form that is also a town ("berkeley") needs more rows


_ADJECTIVE = re.compile(
    r"(ian|ean|ese|ish)$|^(southern|northern|eastern|western|central|southeast|northeast|southwest|northwest)$"
)


def _campus(name: str) -> bool:
    """A campus of a university system: its town is its short name ("Berkeley", "Irvine")."""
    return normalize_name(name).startswith("university of california ")


def _names(matcher: RuleMatcher, key: str, ror_id: str) -> bool:
    """A multi-word string may only take an organization that shares a word with it ("jd ai
    research" is not Microsoft, whatever its authors wrote elsewhere); one word may be an acronym."""
    org = matcher.registry.by_id(ror_id)
    if org is None:
        return False
    if " " not in key:
        return True
    informative = {w for w in key.split() if not is_generic(w)}
    return bool(informative & set(normalize_name(org.name).split()))


def country_rows(matcher: RuleMatcher, counts: Counter[str]) -> dict[str, int]:
    """Author rows per country of the resolved organizations: which of two same-named records
    an ML paper more likely means when nothing else tells ("Northeastern University": US or CN)."""
    rows: Counter[str] = Counter()
    for ror_id, n in counts.items():
        org = matcher.registry.by_id(ror_id)
        if org is not None and org.country:
            rows[org.country] += n
    return dict(rows.most_common())


def build(shared: Path, out: Path) -> None:
    rows = [row for row in author_rows(shared / "proceedings" / "neurips_1987_2021_metadata.tar.gz") if row[1]]
    matcher = RuleMatcher(prior=Prior())
    resolved: dict[str, list[str]] = {}
    for text in {t for _y, _a, t in rows}:
        match = matcher.match(text)
        # A pick among same-named records is not evidence for the pick (it would only echo it).
        resolved[text] = [o.ror_id for o in match.organizations if o.ror_id and "ambiguous_name" not in o.flags]
    counts: Counter[str] = Counter()
    by_author: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for year, author, text in rows:
        for ror_id in resolved[text]:
            counts[ror_id] += 1
            by_author[author].append((year, ror_id))
    votes: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for year, author, text in rows:
        if resolved[text]:
            continue
        key = normalize_name(clean_affiliation(text))
        if not key or is_generic(key):
            continue
        for other_year, ror_id in by_author.get(author, []):
            if abs(other_year - year) <= 3:
                votes[key][ror_id].add(author)
    short: dict[str, str] = {}
    for key, by_id in votes.items():
        authors = set().union(*by_id.values())
        best, voters = max(by_id.items(), key=lambda item: len(item[1]))
        if len(voters) / len(authors) < MIN_SHARE or not _names(matcher, key, best):
            continue
        # A string that shares a word with the organization's name needs fewer witnesses.
        shares_word = bool(set(key.split()) & set(normalize_name(matcher.registry.by_id(best).name).split()))  # type: ignore[union-attr]
        if len(voters) >= (MIN_AUTHORS - 1 if shares_word else MIN_AUTHORS):
            short[key] = best
    derived: dict[str, Counter[str]] = defaultdict(Counter)
    for ror_id, n in counts.items():
        org = matcher.registry.by_id(ror_id)
        if org is None:
            continue
        bare = _INSTITUTION_PART.sub("", normalize_name(org.name)).strip()
        if (
            bare
            and bare != normalize_name(org.name)
            and " " not in bare
            and (not country_of_segment(bare) or (_campus(org.name) and n >= MIN_COUNT_PLACE))
            and not _ADJECTIVE.search(bare)
            and not is_generic(bare)
        ):
            derived[bare][ror_id] += n
    for bare, by_id in derived.items():
        (best, n), *rest = by_id.most_common()
        if n >= MIN_COUNT and n >= 3 * sum(m for _i, m in rest) and bare not in short:
            short[bare] = best
    payload = {
        "source": "NeurIPS 2013-2020 author-entered institution strings (scripts/build_prior.py)",
        "counts": dict(sorted(((k, v) for k, v in counts.items() if v >= 2), key=lambda kv: -kv[1])),
        "short": dict(sorted(short.items())),
        "countries": country_rows(matcher, counts),
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(payload['counts'])} organizations, {len(short)} short names")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_shared = Path(os.environ.get("AFFIL_SHARED", ROOT.parent / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--out", type=Path, default=ROOT / "extractor" / "data" / "prior.json")
    args = parser.parse_args()
    build(args.shared, args.out)


if __name__ == "__main__":
    main()
