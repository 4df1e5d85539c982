"""Validation metrics on small hand-made cases whose right answers are worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from extractor.cli import main
from extractor.definitions import jaccard_from_counts
from extractor.registry.organizations import default_registry
from extractor.validate import GOLD_COLUMNS, check_gold, score_run
from extractor.validate.gold import LabeledAuthor
from extractor.validate.metrics import Confusion, bootstrap_difference, set_counts
from extractor.validate.pairing import pair_authors
from extractor.validate.sample import allocate, sample_gold
from extractor.validate.strings import LabeledString, load_labeled_strings, ror_ids_in, score_strings

MIT, TSINGHUA, GOOGLE, OXFORD = "042nb2s44", "03cve4549", "00njsd438", "052gg0110"

# Two papers. a.pdf: gold says author 1 MIT (US), author 2 Tsinghua (CN); the run got author 1
# right and gave author 2 Google (US). b.pdf: gold has one Oxford author the run missed, and
# the run invented a second author with no affiliation.
GOLD = [
    ("a.pdf", 1, "Wei Zhang", 1, "MIT", "Massachusetts Institute of Technology", MIT, "US"),
    ("a.pdf", 2, "Emily Carter", 1, "Tsinghua University", "Tsinghua University", TSINGHUA, "CN"),
    ("b.pdf", 1, "Sara Novak", 1, "University of Oxford", "University of Oxford", OXFORD, "GB"),
]
RUN = [
    ("a.pdf", 1, "Wei Zhang", 1, "MIT", "Massachusetts Institute of Technology", MIT, "US"),
    ("a.pdf", 2, "Emily Carter", 1, "Google", "Google", GOOGLE, "US"),
    ("b.pdf", 1, "Tom Becker", 0, "", "", "", ""),
]


def _write(path: Path, rows: list[tuple]) -> Path:
    pd.DataFrame(rows, columns=GOLD_COLUMNS).to_csv(path, index=False)
    return path


@pytest.fixture
def two_papers(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "run"
    out.mkdir()
    return _write(tmp_path / "gold.csv", GOLD), _write(out / "authors.csv", RUN)


def test_counts_precision_recall_f1() -> None:
    c = Confusion(tp=3, fp=1, fn=2)
    assert (c.precision, c.recall) == (0.75, 0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert set_counts(["US", "CN"], ["US", "GB", "FR"]) == Confusion(1, 2, 1)
    assert jaccard_from_counts(1, 1, 1) == pytest.approx(1 / 3)
    assert jaccard_from_counts(0, 0, 0) == 1.0


def test_bootstrap_interval_of_the_difference() -> None:
    same = bootstrap_difference([True, False, True], [True, False, True])
    assert (same.estimate, same.low, same.high) == (0.0, 0.0, 0.0)
    # run says yes on 3 of 4 papers, gold on 1 of 4: difference 0.5, interval around it
    diff = bootstrap_difference([True, True, True, False], [True, False, False, False])
    assert diff.estimate == 0.5
    assert 0.0 <= diff.low <= 0.5 <= diff.high <= 1.0


def test_pairing_is_by_name_then_by_order() -> None:
    gold = [LabeledAuthor(1, "Wei Zhang"), LabeledAuthor(2, "Alexander J. Smola"), LabeledAuthor(3, "Wei Zhang")]
    got = [LabeledAuthor(1, "Wei Zhang"), LabeledAuthor(2, "Wei Zhang"), LabeledAuthor(3, "Alex Smola")]
    pairs = [(g.index, p.index) for g, p in pair_authors(gold, got)]
    assert pairs == [(1, 1), (2, 3), (3, 2)]


def test_author_institution_country_scores_worked_by_hand(two_papers: tuple[Path, Path]) -> None:
    gold, run = two_papers
    r = score_run(run, gold, default_registry())
    # authors: gold 3, run 3, paired 2 (Sara Novak missed, Tom Becker invented)
    assert (r.author_recall, r.author_precision) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    # institutions: MIT tp; Tsinghua fn + Google fp; Oxford fn  -> P 1/2, R 1/3
    assert r.institution == Confusion(1, 1, 2)
    # countries: US tp; CN fn + US fp; GB fn -> P 1/2, R 1/3; exact for 1 of 3 authors
    assert r.country == Confusion(1, 1, 2)
    assert r.country_accuracy == pytest.approx(1 / 3)
    assert r.confusion[("CN", "US")] == 1 and r.confusion[("US", "US")] == 1 and r.confusion[("GB", "")] == 1
    # papers: a {US,CN} vs {US} wrong, b {GB} vs {} wrong; us_cn: a True vs False, b False vs False
    assert r.paper_country_set_match == 0.0
    assert r.us_cn_accuracy == 0.5
    # institution Jaccard: a 1/3 (MIT of MIT,Tsinghua,Google), b 0/1 -> mean 1/6
    assert r.paper_institution_jaccard == pytest.approx(1 / 6)
    shares = {s.name: s for s in r.shares}
    assert (shares["US_and_CN"].got, shares["US_and_CN"].expected) == (0.0, 0.5)
    assert (shares["has_US"].got, shares["has_US"].expected) == (0.5, 0.5)
    assert (shares["has_industry"].got, shares["has_industry"].expected) == (0.5, 0.0)
    fields = sorted((d.file, d.field, d.expected, d.got) for d in r.disagreements)
    assert ("a.pdf", "country", "CN", "US") in fields
    assert ("b.pdf", "author", "Sara Novak", "") in fields and ("b.pdf", "author", "", "Tom Becker") in fields


def test_gold_name_without_ror_meets_the_predicted_id(tmp_path: Path) -> None:
    gold = _write(tmp_path / "g.csv", [("a.pdf", 1, "Li Na", 1, "x", "Stanford University", "", "US")])
    run = _write(tmp_path / "r.csv", [("a.pdf", 1, "Li Na", 1, "x", "Stanford Univ.", "00f54p054", "US")])
    assert score_run(run, gold).institution == Confusion(1, 0, 0)


def test_gold_name_that_is_no_registry_name_is_grounded_through_the_matcher(tmp_path: Path) -> None:
    """Silver labels say "Indian Institute of Science" and "EPFL"; ROR spells them otherwise."""
    gold = _write(
        tmp_path / "g.csv",
        [("a.pdf", 1, "Li Na", 1, "x", "Indian Institute of Science", "", "IN"),
         ("a.pdf", 2, "Bo Wu", 1, "x", "EPFL", "", "CH")],
    )  # fmt: skip
    right = _write(
        tmp_path / "r.csv",
        [("a.pdf", 1, "Li Na", 1, "x", "IISc", "04dese585", "IN"),
         ("a.pdf", 2, "Bo Wu", 1, "x", "EPFL", "02s376052", "CH")],
    )  # fmt: skip
    assert score_run(right, gold).institution == Confusion(2, 0, 0)
    wrong = _write(tmp_path / "w.csv", [("a.pdf", 1, "Li Na", 1, "x", "IIT Bombay", "02qyf5152", "IN")])
    assert score_run(wrong, gold).institution.tp == 0


def test_a_run_name_without_id_is_not_grounded(tmp_path: Path) -> None:
    """The run's own unresolved names stay misses: only labels are read through the matcher."""
    gold = _write(tmp_path / "g.csv", [("a.pdf", 1, "Li Na", 1, "x", "Stanford University", "00f54p054", "US")])
    run = _write(tmp_path / "r.csv", [("a.pdf", 1, "Li Na", 1, "x", "Stanford", "", "US")])
    assert score_run(run, gold).institution == Confusion(0, 1, 1)


def test_validate_cli_writes_files_and_fails_thresholds(two_papers: tuple[Path, Path]) -> None:
    gold, run = two_papers
    out = run.parent
    assert main(["validate", str(out), "--gold", str(gold)]) == 0
    metrics = pd.read_csv(out / "validation" / "metrics.csv").set_index("metric")["value"]
    assert metrics["country_accuracy"] == pytest.approx(1 / 3)
    assert (out / "validation" / "summary.md").read_text().startswith("# Validation")
    assert main(["validate", str(out), "--gold", str(gold), "--min-country-acc", "0.3"]) == 0
    assert main(["validate", str(out), "--gold", str(gold), "--min-country-acc", "0.5"]) == 1
    assert main(["validate", str(out), "--gold", str(gold), "--min-institution-f1", "0.5"]) == 1
    assert main(["validate", str(out / "nowhere"), "--gold", str(gold)]) == 2


def test_gold_check_reports_each_problem_with_its_line(tmp_path: Path) -> None:
    rows = [
        ("a.pdf", 1, "Wei Zhang", 1, "MIT", "MIT", "042nb2s44", "US"),
        ("a.pdf", 1, "Wei Zhang", 1, "MIT", "MIT", "042nb2s44", "US"),  # duplicate of line 2
        ("a.pdf", 2, "Li Na", 1, "x", "x", "https://ror.org/042nb2s44", "XX"),
        ("b.pdf", "one", "Tom", 1, "", "", "", "usa"),
    ]
    problems = check_gold(_write(tmp_path / "g.csv", rows))
    assert any(p.startswith("line 3: duplicate row") for p in problems)
    assert any(p.startswith("line 4: malformed ROR id") for p in problems)
    assert any(p.startswith("line 4: unknown country code 'XX'") for p in problems)
    assert any(p.startswith("line 5: author_index 'one'") for p in problems)
    assert any(p.startswith("line 5: unknown country code 'usa'") for p in problems)
    assert len(problems) == 5
    good = _write(tmp_path / "ok.csv", rows[:1])
    assert check_gold(good) == [] and main(["gold", "check", str(good)]) == 0
    assert main(["gold", "check", str(tmp_path / "g.csv")]) == 1
    (tmp_path / "cols.csv").write_text("file,author\na.pdf,x\n")
    assert "missing column(s)" in check_gold(tmp_path / "cols.csv")[0]


def test_allocation_is_proportional_with_one_per_stratum() -> None:
    assert allocate({"a": 80, "b": 15, "c": 5}, 10) == {"a": 8, "b": 1, "c": 1}
    assert allocate({"a": 50, "b": 50}, 5) in ({"a": 3, "b": 2}, {"a": 2, "b": 3})
    assert allocate({"a": 2, "b": 1}, 10) == {"a": 2, "b": 1}


def test_gold_sample_is_stratified_prefilled_and_flagged_first(tmp_path: Path) -> None:
    rows = []
    for venue, count in (("icml", 8), ("uai", 2)):
        for i in range(count):
            rows.append(
                (f"{venue}/p{i}.pdf", 1, f"Author {i}", 1, "MIT", "MIT", MIT, "US", "fuzzy_match" if i == 1 else "")
            )
    frame = pd.DataFrame(rows, columns=[*GOLD_COLUMNS, "flags"])
    frame.to_csv(tmp_path / "authors.csv", index=False)
    sample = sample_gold(tmp_path, 5, seed=1)
    assert list(sample.columns) == GOLD_COLUMNS
    venues = sample["file"].str.split("/").str[0].value_counts().to_dict()
    assert venues == {"icml": 4, "uai": 1}
    flagged = {"icml/p1.pdf", "uai/p1.pdf"} & set(sample["file"])
    assert set(sample["file"].head(len(flagged))) == flagged
    assert sample_gold(tmp_path, 5, seed=1).equals(sample)
    out = tmp_path / "gold.csv"
    assert main(["gold", "sample", str(tmp_path), "--n", "3", "--out", str(out)]) == 0
    assert check_gold(out) == [] and pd.read_csv(out)["file"].nunique() == 3


def test_labeled_string_formats(tmp_path: Path) -> None:
    assert ror_ids_in("{'https://ror.org/034t30j35', 'https://ror.org/011rf9d86'}") == {"034t30j35", "011rf9d86"}
    (tmp_path / "s2aff.csv").write_text(
        "original_affiliation,labels,split\nStanford University,{'https://ror.org/00f54p054'},val\nX Lab,set(),train\n"
    )
    (tmp_path / "ror.json").write_text(json.dumps([{"affiliation": "MIT", "ror_ids": ["https://ror.org/042nb2s44"]}]))
    (tmp_path / "plain.csv").write_text("affiliation,ror_id\nMIT,042nb2s44\n")
    assert load_labeled_strings(tmp_path / "s2aff.csv", "val") == [
        LabeledString("Stanford University", frozenset({"00f54p054"}))
    ]
    assert len(load_labeled_strings(tmp_path / "s2aff.csv")) == 2
    assert load_labeled_strings(tmp_path / "ror.json")[0].ror_ids == {"042nb2s44"}
    assert load_labeled_strings(tmp_path / "plain.csv")[0].affiliation == "MIT"


def test_string_scores_count_no_match_on_unlabeled_as_correct(matcher, tmp_path: Path, capsys) -> None:
    items = [
        LabeledString("Stanford University, CA, USA", frozenset({"00f54p054"})),  # tp
        LabeledString("Quux Widget Workshop of Nowhere", frozenset()),  # no match, nothing labeled: correct
        LabeledString("University of Oxford", frozenset({"00f54p054"})),  # fp (Oxford) + fn (Stanford)
        LabeledString("Quux Widget Workshop of Nowhere", frozenset({"042nb2s44"})),  # fn
    ]
    scores = score_strings(items, matcher)
    assert scores.counts == Confusion(1, 1, 2)
    assert scores.accuracy == 0.5
    assert len(scores.misses) == 2
    path = tmp_path / "plain.csv"
    path.write_text("affiliation,ror_id\nStanford University,00f54p054\nQuux Widget Workshop of Nowhere,\n")
    assert main(["match", "--eval", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["precision"], printed["recall"], printed["accuracy"], printed["strings"]) == (1.0, 1.0, 1.0, 2)


def test_precision_at_1_is_also_given_among_labeled_strings_only(matcher) -> None:
    items = [
        LabeledString("Stanford University", frozenset({"00f54p054"})),  # right at rank 1
        LabeledString("University of Oxford", frozenset({"00f54p054"})),  # wrong at rank 1
        LabeledString("Massachusetts Institute of Technology", frozenset()),  # annotators found no id
    ]
    scores = score_strings(items, matcher)
    assert scores.precision_at_1 == pytest.approx(1 / 3)
    assert scores.precision_at_1_labeled == pytest.approx(1 / 2)


def test_a_curated_company_without_ror_id_counts_as_industry() -> None:
    """Silver labels name companies without an id ("Microsoft"): the sector share must still see them."""
    from extractor.validate.gold import paper_authors

    frame = pd.DataFrame(
        [["a.pdf", 1, "A B", 1, "Microsoft Research", "Microsoft", "", "US"],
         ["a.pdf", 2, "C D", 1, "Some Lab", "Some Unknown Lab", "", "US"]],
        columns=GOLD_COLUMNS,
    )  # fmt: skip
    authors = paper_authors(frame, default_registry())
    assert authors[0].types == {"company"} and authors[1].types == set()
