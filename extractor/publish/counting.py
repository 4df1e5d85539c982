"""Headline counts from authors.csv rows, with the definitions the README documents:

- A paper counts when it has at least one author; shares are over papers with at least one known
  country (papers without any are reported apart).
- Whole counting: a paper counts 1 for every institution (and every country) among its rows.
- Fractional counting: a paper is worth 1, split equally among its authors; an author's share is
  split equally among their affiliations (an author with no known institution/country leaves that
  share unassigned). Fractional counts over all institutions or countries sum to at most the papers.
- Institutions are keyed by ROR id, else by their normalized name. Type from the registry:
  education is academia, company is industry; anything else (facility, government, nonprofit,
  healthcare...) is other; no registry record is unknown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

import pandas as pd
import pycountry

from ..definitions import is_us_cn_collab, sector_of_types
from ..registry.organizations import Registry
from ..registry.text import normalize_name


def sector_of(ror_id: str, registry: Registry) -> str:
    org = registry.by_id(ror_id) if ror_id else None
    return sector_of_types(org.types if org else None).value


def institution_key(ror_id: str, institution: str) -> str:
    return ror_id or f"name:{normalize_name(institution)}"


@dataclass(slots=True)
class Counts:
    papers: int = 0  # papers with at least one author
    papers_with_country: int = 0
    countries_whole: Counter = field(default_factory=Counter)
    countries_fractional: defaultdict = field(default_factory=lambda: defaultdict(float))
    institutions_whole: Counter = field(default_factory=Counter)
    institutions_fractional: defaultdict = field(default_factory=lambda: defaultdict(float))
    institution_info: dict = field(default_factory=dict)  # key -> (ror_id, name, country, sector)
    pairs: Counter = field(default_factory=Counter)  # (country a, country b), a <= b -> papers
    sectors: Counter = field(default_factory=Counter)  # academia_only, industry_only, both, neither
    us_cn: int = 0


def count(authors: pd.DataFrame, registry: Registry) -> Counts:
    """One pass over plain tuples: pandas groupby per paper and per author cost ~5 ms a paper, which
    made publishing a 5,000-paper year take half a minute. Rows are visited in the order the
    groupby had (file, then author index, then printed order), so first-seen names stay the same."""
    counts = Counts()
    rows = authors[authors["author_index"].astype(int) > 0]
    rows = rows.sort_values(["file", "author_index"], kind="stable")
    columns = ["file", "author_index", "ror_id", "institution", "country"]
    records = [_Row(*values) for values in zip(*(rows[c].tolist() for c in columns), strict=True)]
    for _file, paper in groupby(records, key=attrgetter("file")):
        counts.papers += 1
        _count_paper(counts, list(paper), registry)
    return counts


class _Row(NamedTuple):
    file: str
    author_index: object
    ror_id: str
    institution: str
    country: str


def _count_paper(counts: Counts, paper: list[_Row], registry: Registry) -> None:
    share = 1.0 / len({row.author_index for row in paper})
    countries: set[str] = set()
    institutions: set[str] = set()
    for _author, group in groupby(paper, key=attrgetter("author_index")):
        own = list(group)
        known = [row for row in own if row.institution != ""]
        for row in known:
            key = institution_key(row.ror_id, row.institution)
            institutions.add(key)
            counts.institutions_fractional[key] += share / len(known)
            if key not in counts.institution_info:
                counts.institution_info[key] = _institution_info(row, registry)
        placed = [row for row in own if row.country != ""]
        for row in placed:
            countries.add(row.country)
            counts.countries_fractional[row.country] += share / len(placed)
    counts.institutions_whole.update(institutions)
    counts.countries_whole.update(countries)
    if countries:
        counts.papers_with_country += 1
    for a in countries:
        for b in countries:
            if a <= b:
                counts.pairs[(a, b)] += 1
    counts.us_cn += is_us_cn_collab(countries)
    sectors = {counts.institution_info[k][3] for k in institutions}
    academia, industry = "academia" in sectors, "industry" in sectors
    counts.sectors[
        "both" if academia and industry else "academia_only" if academia else "industry_only" if industry else "neither"
    ] += 1


def _institution_info(row: _Row, registry: Registry) -> tuple[str, str, str, str]:
    """(ROR id, name, country, sector): the registry's country for a record (a company's national
    subsidiary or HQ), the printed one otherwise."""
    org = registry.by_id(row.ror_id) if row.ror_id else None
    return row.ror_id, row.institution, org.country if org else row.country, sector_of(row.ror_id, registry)


def countries_table(counts: Counts) -> pd.DataFrame:
    base = max(counts.papers_with_country, 1)
    rows = [
        {
            "country": code,
            "name": _country_name(code),
            "papers": whole,
            "papers_fractional": round(counts.countries_fractional[code], 4),
            "share": round(whole / base, 4),
            "share_fractional": round(counts.countries_fractional[code] / base, 4),
        }
        for code, whole in counts.countries_whole.items()
    ]
    columns = ["country", "name", "papers", "papers_fractional", "share", "share_fractional"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["papers", "country"], ascending=[False, True], ignore_index=True
    )


def institutions_table(counts: Counts) -> pd.DataFrame:
    base = max(counts.papers, 1)
    rows = []
    for key, whole in counts.institutions_whole.items():
        ror_id, name, country, sector = counts.institution_info[key]
        rows.append(
            {
                "ror_id": ror_id,
                "institution": name,
                "country": country,
                "type": sector,
                "papers": whole,
                "papers_fractional": round(counts.institutions_fractional[key], 4),
                "share": round(whole / base, 4),
            }
        )
    columns = ["ror_id", "institution", "country", "type", "papers", "papers_fractional", "share"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(
        ["papers", "papers_fractional", "institution"], ascending=[False, False, True], ignore_index=True
    )


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)
