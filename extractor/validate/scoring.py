"""Compare a run with gold labels: author, institution and country agreement, paper-level
agreement, and the headline shares analysts publish, with bootstrap error bars."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..definitions import ACADEMIA_TYPE, INDUSTRY_TYPE, is_us_cn_collab, jaccard_from_counts
from ..registry.organizations import Registry
from .gold import LabeledAuthor, NameGrounder, paper_authors
from .metrics import Confusion, Interval, bootstrap_difference, set_counts
from .pairing import pair_authors


@dataclass(frozen=True, slots=True)
class Disagreement:
    file: str
    author_index: int
    author: str
    field: str  # author, institution or country
    expected: str
    got: str


@dataclass(frozen=True, slots=True)
class Share:
    """A headline share (e.g. papers with a US institution): the run's, gold's, and run - gold."""

    name: str
    got: float
    expected: float
    difference: Interval


@dataclass(slots=True)
class ValidationScores:
    papers: int = 0
    gold_authors: int = 0
    run_authors: int = 0
    paired_authors: int = 0
    institution: Confusion = field(default_factory=Confusion)
    country: Confusion = field(default_factory=Confusion)
    country_exact: int = 0
    labeled_authors: int = 0  # gold authors with at least one country
    labeled_exact: int = 0
    paper_country_exact: int = 0
    paper_institution_jaccard: float = 0.0
    us_cn_agree: int = 0
    confusion: Counter = field(default_factory=Counter)  # (expected, got) -> authors
    shares: list[Share] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    missing_papers: list[str] = field(default_factory=list)

    @property
    def author_recall(self) -> float:
        return self.paired_authors / self.gold_authors if self.gold_authors else 1.0

    @property
    def author_precision(self) -> float:
        return self.paired_authors / self.run_authors if self.run_authors else 1.0

    @property
    def country_accuracy(self) -> float:
        """Share of gold authors whose country set the run got exactly (a missed author counts wrong)."""
        return self.country_exact / self.gold_authors if self.gold_authors else 1.0

    @property
    def country_accuracy_labeled(self) -> float:
        """The same over gold authors that carry a country (silver sets leave some blank by mistake)."""
        return self.labeled_exact / self.labeled_authors if self.labeled_authors else 1.0

    @property
    def paper_country_set_match(self) -> float:
        return self.paper_country_exact / self.papers if self.papers else 1.0

    @property
    def us_cn_accuracy(self) -> float:
        return self.us_cn_agree / self.papers if self.papers else 1.0

    def metrics(self) -> dict[str, float]:
        """Every headline number by name, as written to metrics.csv."""
        return {
            "papers": self.papers,
            "gold_authors": self.gold_authors,
            "author_recall": self.author_recall,
            "author_precision": self.author_precision,
            "institution_precision": self.institution.precision,
            "institution_recall": self.institution.recall,
            "institution_f1": self.institution.f1,
            "country_precision": self.country.precision,
            "country_recall": self.country.recall,
            "country_f1": self.country.f1,
            "country_accuracy": self.country_accuracy,
            "country_accuracy_labeled": self.country_accuracy_labeled,
            "paper_country_set_match": self.paper_country_set_match,
            "paper_institution_jaccard": self.paper_institution_jaccard,
            "us_cn_collab_accuracy": self.us_cn_accuracy,
        }


# Per-paper yes/no facts behind the shares analysts publish.
SHARES: dict[str, Callable[[set[str], set[str]], bool]] = {
    "has_US": lambda countries, _types: "US" in countries,
    "has_CN": lambda countries, _types: "CN" in countries,
    "US_and_CN": lambda countries, _types: is_us_cn_collab(countries),
    "has_academia": lambda _countries, types: ACADEMIA_TYPE in types,
    "has_industry": lambda _countries, types: INDUSTRY_TYPE in types,
}


def score_frames(
    gold: pd.DataFrame, run: pd.DataFrame, registry: Registry, ground: NameGrounder | None = None
) -> ValidationScores:
    """Score every gold paper against the run's rows for the same file; ``ground`` reads gold
    names without id that are no registry name as spelled (see ``grounding``)."""
    report = ValidationScores()
    run_by_file = {file: frame for file, frame in run.groupby("file")}
    facts: dict[str, tuple[list[bool], list[bool]]] = {name: ([], []) for name in SHARES}
    jaccards = []
    for file, gold_rows in gold.groupby("file", sort=True):
        expected = paper_authors(gold_rows, registry, ground)
        if file not in run_by_file:
            report.missing_papers.append(str(file))
        got = paper_authors(run_by_file[file], registry) if file in run_by_file else []
        _score_authors(report, str(file), expected, got)
        exp_countries, got_countries = _union(expected, "countries"), _union(got, "countries")
        report.papers += 1
        report.paper_country_exact += exp_countries == got_countries
        report.us_cn_agree += SHARES["US_and_CN"](exp_countries, set()) == SHARES["US_and_CN"](got_countries, set())
        inst = set_counts(_institutions(expected), _institutions(got), lambda a, b: a.same_as(b))
        jaccards.append(jaccard_from_counts(inst.tp, inst.fp, inst.fn))
        for name, fact in SHARES.items():
            facts[name][0].append(fact(got_countries, _union(got, "types")))
            facts[name][1].append(fact(exp_countries, _union(expected, "types")))
    report.paper_institution_jaccard = sum(jaccards) / len(jaccards) if jaccards else 1.0
    report.shares = [_share(name, got_facts, exp_facts) for name, (got_facts, exp_facts) in facts.items()]
    return report


def _share(name: str, got: list[bool], expected: list[bool]) -> Share:
    n = max(len(got), 1)
    return Share(name, sum(got) / n, sum(expected) / n, bootstrap_difference(got, expected))


def _union(authors: list[LabeledAuthor], attribute: str) -> set[str]:
    return set().union(*(getattr(a, attribute) for a in authors)) if authors else set()


def _institutions(authors: list[LabeledAuthor]) -> list:
    distinct: list = []
    for institution in (i for a in authors for i in a.institutions):
        if not any(institution.same_as(known) for known in distinct):
            distinct.append(institution)
    return distinct


def _score_authors(
    report: ValidationScores, file: str, expected: list[LabeledAuthor], got: list[LabeledAuthor]
) -> None:
    pairs = pair_authors(expected, got)
    paired_gold = {id(g) for g, _ in pairs}
    paired_got = {id(p) for _, p in pairs}
    report.gold_authors += len(expected)
    report.labeled_authors += sum(bool(a.countries) for a in expected)
    report.run_authors += len(got)
    report.paired_authors += len(pairs)
    for author in expected:
        if id(author) not in paired_gold:
            _missed(report, file, author)
    for author in got:
        if id(author) not in paired_got:
            report.institution += Confusion(fp=len(author.institutions))
            report.country += Confusion(fp=len(author.countries))
            report.disagreements.append(Disagreement(file, author.index, author.name, "author", "", author.name))
    for gold_author, run_author in pairs:
        _compare_pair(report, file, gold_author, run_author)


def _missed(report: ValidationScores, file: str, author: LabeledAuthor) -> None:
    report.institution += Confusion(fn=len(author.institutions))
    report.country += Confusion(fn=len(author.countries))
    for country in sorted(author.countries):
        report.confusion[(country, "")] += 1
    report.disagreements.append(Disagreement(file, author.index, author.name, "author", author.name, ""))


def _compare_pair(report: ValidationScores, file: str, gold: LabeledAuthor, run: LabeledAuthor) -> None:
    report.institution += set_counts(gold.institutions, run.institutions, lambda a, b: a.same_as(b))
    report.country += set_counts(sorted(gold.countries), sorted(run.countries))
    report.country_exact += gold.countries == run.countries
    report.labeled_exact += bool(gold.countries) and gold.countries == run.countries
    _confuse(report.confusion, gold.countries, run.countries)
    if gold.countries != run.countries:
        report.disagreements.append(
            Disagreement(file, gold.index, gold.name, "country", _join(gold.countries), _join(run.countries))
        )
    inst = set_counts(gold.institutions, run.institutions, lambda a, b: a.same_as(b))
    if inst.fp or inst.fn:
        expected = ";".join(i.ror_id or i.key for i in gold.institutions)
        got = ";".join(i.ror_id or i.key for i in run.institutions)
        report.disagreements.append(Disagreement(file, gold.index, gold.name, "institution", expected, got))


def _confuse(confusion: Counter, expected: set[str], got: set[str]) -> None:
    """Agreeing countries count on the diagonal; one missing and one extra is a swap; the rest
    count against '' (nothing)."""
    for country in expected & got:
        confusion[(country, country)] += 1
    missing, extra = sorted(expected - got), sorted(got - expected)
    if len(missing) == 1 and len(extra) == 1:
        confusion[(missing[0], extra[0])] += 1
        return
    for country in missing:
        confusion[(country, "")] += 1
    for country in extra:
        confusion[("", country)] += 1


def _join(values: set[str]) -> str:
    return ";".join(sorted(values))
