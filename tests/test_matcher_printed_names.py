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
        "Indian Institute of Information Technology, Kottayam, Kerala, India",
    ],
)
def test_a_record_named_for_a_town_the_string_never_prints_is_another_body(matcher, raw: str) -> None:
    assert "0163rt176" not in ids(matcher, raw)  # IIIT Vadodara carries the bare name as an alias


def test_a_record_named_for_its_town_still_matches_without_it(matcher) -> None:
    assert ids(matcher, "Indian Institute of Science, Bengaluru, India") == ["04dese585"]  # ML papers name it
    assert ids(matcher, "DGIST") == ["03frjya69"]  # Daegu Gyeongbuk ...: no other town printed


def test_kind_words_of_a_german_university_of_applied_sciences_name_no_one(matcher) -> None:
    raw = "RWU Hochschule Ravensburg-Weingarten, Hochschule für angewandte Wissenschaften, Weingarten, Deutschland"
    assert "03q0ab227" not in ids(matcher, raw)  # not Kiel's
    assert ids(matcher, "Hochschule für Angewandte Wissenschaften Kiel") == ["03q0ab227"]


def test_hong_kong_before_china_is_hong_kong(matcher) -> None:
    raw = "Department of Ocean Science, Hong Kong University of Science and Technology, Kowloon, Hong Kong, China"
    assert matcher.match(raw).country == "HK"


def test_co_after_a_town_is_colorado_not_a_company_suffix() -> None:
    assert split_segments(clean_affiliation("University of Colorado, Aurora, CO, USA"))[-2:] == ["CO", "USA"]
    assert (
        split_segments(clean_affiliation("Huawei Technologies CO., LTD, Shenzhen"))[0] == "Huawei Technologies CO LTD"
    )


def test_the_campus_in_the_printed_colorado_town(matcher) -> None:
    assert ids(matcher, "School of Medicine, University of Colorado, Aurora, CO, USA") == ["03wmf1y16"]  # Anschutz


def test_a_company_printed_with_its_home_town_is_the_company_not_a_lab_or_subsidiary_there(matcher) -> None:
    assert ids(matcher, "Corporate R&D Institute, Samsung Electro-Mechanics, Suwon, Korea") == ["04w3jy968"]
    assert ids(matcher, "Samsung, Suwon, Korea") == ["04w3jy968"]  # not SAIT, a lab in Suwon
    found = matcher.match("Samsung AI Center, Moscow")  # a site is still picked by its city
    assert (found.ror_id, found.country) == ("04w3jy968", "RU") and "Moscow" in found.unit


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("Università della Basilicata, Potenza, Italy", "03tc05689"),  # the record "University of Basilicata"
        ("University of Manouba, Manouba, Tunisia", "0503ejf32"),  # "Université de la Manouba"
    ],
)
def test_names_that_differ_only_in_connective_words_are_one_name(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


def test_a_fuzzy_name_with_another_town_is_another_body(matcher) -> None:
    raw = "Fakultas Keguruan Dan Ilmu Pendidikan, Universitas Muhammadiyah Surakarta, Surakarta, Indonesia"
    assert "031px5f40" not in ids(matcher, raw)  # not Universitas Muhammadiyah Jakarta


def test_a_university_name_before_health_is_its_health_body_not_the_university(matcher) -> None:
    raw = "School of Medicine, Louisiana State University Health New Orleans, New Orleans, LA, USA"
    assert "05ect4e57" not in ids(matcher, raw)  # not Louisiana State University (Baton Rouge)


def test_a_short_name_ml_papers_use_after_departments_is_kept(matcher) -> None:
    assert ids(matcher, "Department of Orthopaedic Surgery, Harvard Medical School, Boston, MA, USA") == ["03vek6s52"]


def test_a_foreign_department_of_a_field_is_a_unit(matcher) -> None:
    raw = "Universidad de Alcalá, Departamento de Educación, Madrid, Alcalá de Henares, España"
    assert ids(matcher, raw) == ["04pmn0e78"]  # not also a government "Departamento de Educación"


def test_an_acronym_and_the_full_name_later_are_one_organization_weighed_by_the_full_name(matcher) -> None:
    raw = (
        "Department of Neuromedicine and Movement Science, NTNU, Faculty of Medicine, "
        "Norwegian University of Science and Technology, Trondheim, Norway"
    )
    assert ids(matcher, raw) == ["05xg72x27"]


def test_a_record_named_with_its_parents_acronym_is_found_without_it(matcher) -> None:
    assert ids(matcher, "Université Paris Dauphine") == ["052bz7812"]  # "Université Paris Dauphine-PSL"
    assert "013bkhk48" not in ids(matcher, "Université Paris-Dauphine")  # never Paris Nanterre


def test_a_prefix_is_not_the_record_named_for_another_town(matcher) -> None:
    raw = "Department of Computer Science & Engineering, Indian Institute of Information Technology Bhagalpur, India"
    assert "0163rt176" not in ids(matcher, raw)
    assert ids(matcher, "University of Chicago Booth School of Business") == ["024mw5h28"]  # its town is printed


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [("KAIST AI", "05apxxy63"), ("Tsinghua NLP Group", "03cve4549"), ("Stanford AI Lab", "00f54p054")],
)
def test_a_known_short_name_before_a_field_or_group_word_is_its_organization(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]
