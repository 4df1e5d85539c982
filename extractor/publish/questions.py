"""What the report answers beyond counts: which papers are behind a collaboration number, how sure
the headline shares are, what was dropped on the way, how the numbers split by venue and year,
and which rows wait for a person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from ..decisions import decision_key, review_flags
from ..definitions import US_CN
from ..flags import Flag
from ..records import NormalizedPaper, PaperStatus, Source
from ..registry.countries import is_country_code
from .counting import Counts, institution_key

BOOTSTRAP_DRAWS = 2000
SEED = 17
HEADLINE_SHARES = ("us_share", "cn_share", "us_cn_share", "industry_share")
# The validation share (validate/scoring.py SHARES) that measures each headline share's error.
VALIDATION_SHARE = {"us_share": "has_US", "cn_share": "has_CN", "us_cn_share": "US_and_CN",
                    "industry_share": "has_industry"}  # fmt: skip
FLAGGED_GROUPS_SHOWN = 200


def parse_pair(text: str) -> tuple[str, str]:
    """'US,CN' -> ('US', 'CN'); two distinct ISO alpha-2 codes."""
    parts = [p.strip().upper() for p in text.split(",") if p.strip()]
    if len(parts) != 2 or len(set(parts)) != 2 or not all(is_country_code(p) for p in parts):
        raise ValueError(f"--pair wants two country codes such as US,CN, not {text!r}")
    return parts[0], parts[1]


def group_of(file: str, venues: dict[str, str]) -> str:
    """A paper's venue/year: the listing's venue, else the top folder of its path ('' for none)."""
    if file in venues:
        return venues[file]
    parts = PurePosixPath(file).parts
    return parts[0] if len(parts) > 1 else ""


@dataclass(slots=True)
class PaperFacts:
    """Per counted paper (authored, not a repeat): its countries and whether it has industry."""

    countries: dict[str, frozenset[str]] = field(default_factory=dict)
    industry: set[str] = field(default_factory=set)

    @property
    def files(self) -> list[str]:
        return list(self.countries)


def paper_facts(authors: pd.DataFrame, counts: Counts) -> PaperFacts:
    """``authors``: counted rows only (repeats left out), as authors.csv prints them."""
    facts = PaperFacts()
    rows = authors[authors["author_index"].astype(int) > 0]
    for file, country, ror_id, institution in zip(
        rows["file"], rows["country"], rows["ror_id"], rows["institution"], strict=True
    ):
        known = facts.countries.get(file, frozenset())
        facts.countries[file] = known | {country} if country else known
        if institution:
            info = counts.institution_info.get(institution_key(ror_id, institution))
            if info and info[3] == "industry":
                facts.industry.add(file)
    return facts


@dataclass(slots=True)
class Interval:
    share: str
    value: float
    papers: int  # the papers with the property
    base: int  # the papers the share is over
    low: float
    high: float
    adjusted: tuple[float, float, float] | None = None  # (estimate, low, high) carrying the measured error


def bootstrap_shares(facts: PaperFacts, pair: tuple[str, str] = ("US", "CN")) -> list[Interval]:
    """95% intervals of the headline shares from resampling papers: draw the n papers with replacement
    2,000 times and take the 2.5th and 97.5th percentiles of the share. For one share the count of
    papers with the property in such a resample is Binomial(n, p), which is what is drawn (seeded, so
    the same run prints the same interval)."""
    rng = np.random.default_rng(SEED)
    with_country = [c for c in facts.countries.values() if c]
    base_c, base_all = len(with_country), len(facts.countries)
    both = set(pair)
    counts = {
        "us_share": (sum("US" in c for c in with_country), base_c),
        "cn_share": (sum("CN" in c for c in with_country), base_c),
        "us_cn_share": (sum(c >= US_CN for c in with_country), base_c),
        "industry_share": (len(facts.industry), base_all),
    }
    if both != set(US_CN):
        counts[f"{pair[0]}_{pair[1]}_share".lower()] = (sum(c >= both for c in with_country), base_c)
    intervals = []
    for name, (k, n) in counts.items():
        p = k / n if n else 0.0
        draws = rng.binomial(n, p, size=BOOTSTRAP_DRAWS) / n if n else np.zeros(1)
        low, high = np.percentile(draws, [2.5, 97.5])
        intervals.append(Interval(name, round(p, 4), k, n, round(float(low), 4), round(float(high), 4)))
    return intervals


def carry_validation(intervals: list[Interval], validation: pd.DataFrame | None) -> None:
    """With `affil validate` run: the share corrected by the error measured on the gold papers,
    with an interval that carries both uncertainties. The run's share p has the resampling interval
    [lo, hi]; the gold sample measured run - gold = d with its own 95% interval [dl, dh] (paired
    resampling of the gold papers). Corrected estimate c = p - d; the interval is
    [c - sqrt((p - lo)^2 + (dh - d)^2), c + sqrt((hi - p)^2 + (d - dl)^2)]: the two half-widths
    added in quadrature, as for independent errors."""
    if validation is None or not len(validation):
        return
    measured = {str(r.share): (float(r.difference), float(r.ci95_low), float(r.ci95_high))
                for r in validation.itertuples()}  # fmt: skip
    for interval in intervals:
        found = measured.get(VALIDATION_SHARE.get(interval.share, ""))
        if found is None:
            continue
        d, dl, dh = found
        p, lo, hi = interval.value, interval.low, interval.high
        c = p - d
        low = c - float(np.hypot(p - lo, dh - d))
        high = c + float(np.hypot(hi - p, d - dl))
        interval.adjusted = (round(c, 4), round(max(low, 0.0), 4), round(min(high, 1.0), 4))


@dataclass(slots=True)
class Coverage:
    """Every PDF of the run in exactly one line: dropped by reason, or read and then counted or not."""

    found: int
    dropped: dict[str, int]  # status -> PDFs
    repeated_title: int
    anonymized: int
    no_authors: int
    no_country: int
    with_country: int
    listed: int = 0  # entries of a fetched listing
    not_downloaded: dict[str, int] = field(default_factory=dict)

    @property
    def read(self) -> int:
        return self.found - sum(self.dropped.values())

    def lines(self) -> list[tuple[str, int]]:
        rows = [("PDFs found", self.found), ("read", self.read)]
        rows += [(f"dropped: {status}", n) for status, n in sorted(self.dropped.items())]
        rows += [
            ("read, same title as another file (counted once)", self.repeated_title),
            ("read, anonymized submission (no authors)", self.anonymized),
            ("read, no authors found", self.no_authors),
            ("counted, no country known", self.no_country),
            ("counted, with a country", self.with_country),
        ]
        return rows

    def parts(self) -> int:
        """What the partition adds up to (equals ``found``)."""
        return (sum(self.dropped.values()) + self.repeated_title + self.anonymized + self.no_authors
                + self.no_country + self.with_country)  # fmt: skip


def coverage(papers: list[NormalizedPaper], summary: pd.DataFrame, facts: PaperFacts,
             download_statuses: dict[str, str] | None = None) -> Coverage:  # fmt: skip
    repeats = set(summary.loc[(summary["duplicate_of"] != "") & (summary["status"] == "ok"), "file"])
    dropped: dict[str, int] = {}
    anonymized = no_authors = 0
    for paper in papers:
        if paper.status != PaperStatus.OK:
            dropped[paper.status.value] = dropped.get(paper.status.value, 0) + 1
        elif paper.file in repeats or paper.file in facts.countries:
            continue
        elif Flag.ANONYMOUS_SUBMISSION in paper.flags:
            anonymized += 1
        else:
            no_authors += 1
    with_country = sum(bool(c) for c in facts.countries.values())
    statuses = download_statuses or {}
    missing: dict[str, int] = {}
    for status in statuses.values():
        if status not in ("downloaded", "skipped"):
            missing[status] = missing.get(status, 0) + 1
    return Coverage(
        found=len(papers),
        dropped=dropped,
        repeated_title=len(repeats),
        anonymized=anonymized,
        no_authors=no_authors,
        no_country=len(facts.countries) - with_country,
        with_country=with_country,
        listed=len(statuses),
        not_downloaded=missing,
    )


@dataclass(slots=True)
class PairPaper:
    file: str
    paper_id: str
    title: str
    group: str
    institutions: dict[str, list[str]]  # country -> institutions, the pair's countries first
    repeat_of: str = ""
    crop: str = ""  # data URI of the author block crop ('' when the PDF is gone)
    size: tuple[int, int] = (0, 0)


def pair_papers(papers: list[NormalizedPaper], pair: tuple[str, str], venues: dict[str, str]) -> list[PairPaper]:
    """Every read paper whose rows hold both countries of the pair (papers.csv's us_cn_collab for
    US,CN), with its institutions by country; repeats are listed and marked."""
    listed = []
    for paper in papers:
        if paper.status != PaperStatus.OK:
            continue
        by_country: dict[str, list[str]] = {}
        for row in paper.rows:
            if row.match.country:
                names = by_country.setdefault(row.match.country, [])
                name = row.match.institution or row.match.affiliation
                if name and name not in names:
                    names.append(name)
        if not set(pair) <= set(by_country):
            continue
        order = [*pair, *sorted(set(by_country) - set(pair))]
        listed.append(PairPaper(paper.file, paper.paper_id, paper.title, group_of(paper.file, venues),
                                {c: by_country[c] for c in order}, paper.duplicate_of))  # fmt: skip
    return listed


@dataclass(slots=True)
class FlaggedGroup:
    raw: str
    papers: int
    rows: int
    flags: list[str]
    now: str
    files: list[str]


def flagged_groups(papers: Iterable[NormalizedPaper]) -> list[FlaggedGroup]:
    """Flagged rows not reviewed, grouped as `affil review` groups them (one group per raw string,
    case, accents and punctuation ignored), most papers first."""
    groups: dict[str, FlaggedGroup] = {}
    for paper in papers:
        for row in paper.rows:
            raw = row.match.affiliation
            flags = review_flags(row, paper.flags)
            if not flags or not raw or row.source == Source.REVIEW:
                continue
            key = decision_key(raw)
            now = " · ".join(p for p in (row.match.institution, row.match.country) if p) or "(nothing)"
            group = groups.setdefault(key, FlaggedGroup(raw, 0, 0, [], now, []))
            group.rows += 1
            group.flags = list(dict.fromkeys([*group.flags, *flags]))
            if paper.file not in group.files:
                group.files.append(paper.file)
                group.papers += 1
    return sorted(groups.values(), key=lambda g: (-g.papers, -g.rows, g.raw))


def by_group(facts: PaperFacts, summary: pd.DataFrame, venues: dict[str, str]) -> pd.DataFrame:
    """Headline numbers per venue/year (the listing's venue or the top folder)."""
    pdfs = summary["file"].map(lambda f: group_of(f, venues)).value_counts()
    rows = []
    for group in sorted(pdfs.index):
        files = [f for f in facts.countries if group_of(f, venues) == group]
        with_country = [facts.countries[f] for f in files if facts.countries[f]]
        base = max(len(with_country), 1)
        rows.append(
            {
                "venue/year": group or "(top folder)",
                "PDFs": int(pdfs[group]),
                "papers": len(files),
                "with country": len(with_country),
                "US share": round(sum("US" in c for c in with_country) / base, 4),
                "CN share": round(sum("CN" in c for c in with_country) / base, 4),
                "US-CN papers": sum(c >= US_CN for c in with_country),
                "US-CN share": round(sum(c >= US_CN for c in with_country) / base, 4),
                "industry share": round(sum(f in facts.industry for f in files) / max(len(files), 1), 4),
            }
        )
    return pd.DataFrame(rows)
