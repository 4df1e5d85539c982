"""Matcher rules of the fourth round (issue 14): names read as printed (brackets, a name with its
acronym across segments), generic-looking proper names after units, records named for a town
the string never prints, and a record's own name with its own country printed."""

from __future__ import annotations

import pytest

from extractor.normalize.rules import clean_affiliation, split_segments


def ids(matcher, raw: str) -> list[str]:
    return [o.ror_id for o in matcher.match(raw).organizations]


@pytest.mark.parametrize(
    ("raw", "segments"),
    [
        ("German Cancer Research Center (DKFZ), Heidelberg", ["German Cancer Research Center (DKFZ)", "Heidelberg"]),
        ("Central University, Jhongli, Taiwan (R.O.C.)", ["Central University", "Jhongli", "Taiwan (R.O.C.)"]),
        ("MIT (CSAIL)", ["MIT (CSAIL)"]),
        ("(UMBC)", ["UMBC"]),
    ],
)  # fmt: skip
def test_a_segment_keeps_its_paired_brackets_and_loses_unpaired_ones(raw: str, segments: list[str]) -> None:
    assert split_segments(clean_affiliation(raw)) == segments


def test_a_name_and_its_bracketed_acronym_across_segments(matcher) -> None:
    raw = "Department of Ancient Studies, University of Maryland, Baltimore County (UMBC), Baltimore, MD, USA"
    assert ids(matcher, raw) == ["02qskvh78"]  # not the Baltimore campus


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("Department of Civil Engineering, National Central University, Jhongli, Taiwan (R.O.C.)", "00944ve71"),
        ("Environmental Microbiology Laboratory, National Research Centre, Giza, Egypt", "02n85j827"),
    ],
)
def test_a_generic_looking_own_name_after_units_with_its_country_is_that_record(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


@pytest.mark.parametrize(
    "raw",
    [
        # an alias of one record (Bhopal's), not its own name
        "Department of Biotechnology, National Institute of Technology, Tadepalligudem, India",
        # the one record of that name is Ukrainian; Russia is printed
        "Institute of Applied Mathematics and Mechanics, Donetsk, Russia",
        "Department of Physics, University Hospital, Germany",  # kind words shared by many
        "National Research Centre",  # kind words only, no country printed
    ],
)
def test_generic_looking_names_without_that_evidence_stay_unmatched(matcher, raw: str) -> None:
    assert not any(ids(matcher, raw))


@pytest.mark.parametrize(
    "raw",
    [
        "Department of Computer Science and Engineering, Indian Institute of Information Technology, Kottayam, India",
        "Indian Institute of Information Technology Bhagalpur, Bhagalpur, Bihar, India",
    ],
)
def test_a_record_named_for_a_town_the_string_never_prints_is_another_body(matcher, raw: str) -> None:
    assert "0163rt176" not in ids(matcher, raw)  # IIIT Vadodara carries the bare name as an alias


def test_a_famous_record_named_for_its_town_still_matches_without_it(matcher) -> None:
    assert ids(matcher, "Indian Institute of Science, Bengaluru, India") == ["04dese585"]


def test_kind_words_of_a_german_university_of_applied_sciences_name_no_one(matcher) -> None:
    raw = "RWU Hochschule Ravensburg-Weingarten, Hochschule für angewandte Wissenschaften, Weingarten, Deutschland"
    assert "03q0ab227" not in ids(matcher, raw)  # not Kiel's
    assert ids(matcher, "Hochschule für Angewandte Wissenschaften Kiel") == ["03q0ab227"]


def test_hong_kong_before_china_is_hong_kong(matcher) -> None:
    raw = "Department of Ocean Science, Hong Kong University of Science and Technology, Kowloon, Hong Kong, China"
    assert matcher.match(raw).country == "HK"
