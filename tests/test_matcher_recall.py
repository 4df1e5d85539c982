"""Recall rules of the matcher's second round (issue 14): same-named records settled by where ML
papers come from, proper names made of field words, names joined by 'and' or a hyphen, and
strings that print only a web or mail domain."""

from __future__ import annotations

import pytest

from extractor.flags import Flag
from extractor.normalize import normalize_paper
from extractor.records import ExtractedAuthor, ExtractedPaper
from extractor.registry.countries import country_from_tld
from extractor.registry.prior import Prior


def ids(matcher, raw: str) -> list[str]:
    return [o.ror_id for o in matcher.match(raw).organizations]


# -- same-named records in several countries ----------------------------------------------------


def test_a_name_several_countries_share_takes_the_ml_country_and_says_so(matcher) -> None:
    found = matcher.match("Northeastern University")
    assert (found.ror_id, found.country) == ("04t5xt781", "US")
    assert Flag.AMBIGUOUS_NAME in found.flags
    assert any("03awzbc87" in alternative for alternative in found.organizations[0].alternatives)


def test_a_printed_country_still_decides_between_same_named_records(matcher) -> None:
    found = matcher.match("Northeastern University, Shenyang, China")
    assert (found.ror_id, found.country) == ("03awzbc87", "CN")
    assert Flag.AMBIGUOUS_NAME not in found.flags


def test_the_co_authors_country_settles_a_name_several_countries_share(matcher) -> None:
    found = matcher.match("Northeastern University", context=["03cve4549"])  # beside Tsinghua
    assert (found.ror_id, found.country, found.flags) == ("03awzbc87", "CN", [])
    paper = ExtractedPaper(
        file="x.pdf",
        paper_id="abc",
        authors=[
            ExtractedAuthor(name="A", affiliations=["Tsinghua University"]),
            ExtractedAuthor(name="B", affiliations=["Northeastern University"]),
        ],
    )
    rows = normalize_paper(paper, matcher).rows
    assert [(r.match.ror_id, r.match.country) for r in rows] == [("03cve4549", "CN"), ("03awzbc87", "CN")]


def test_the_country_prior_is_read_from_the_prior_file() -> None:
    prior = Prior.load('{"counts": {}, "short": {}, "countries": {"US": 10, "CN": 3}}')
    assert prior.country_weight("US") > prior.country_weight("CN") > prior.country_weight("MX") == 0


# -- proper names made of field words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("National Institute of Informatics", "04ksd4g47"),
        ("National Institute of Informatics, Tokyo, Japan", "04ksd4g47"),
        ("Computer Vision Center", "00s0nnj93"),
        ("Institute of Statistical Mathematics", "03jcejr58"),
    ],
)
def test_a_field_name_printed_alone_that_one_record_bears_is_that_record(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


@pytest.mark.parametrize(
    "raw",
    ["National Research Institute", "University Hospital", "Institute of Automation", "Department of Public Health"],
)
def test_kind_words_alone_or_a_name_several_records_share_still_match_nothing(matcher, raw: str) -> None:
    assert not [i for i in ids(matcher, raw) if i]


def test_a_field_name_beside_its_parent_stays_the_parents_unit(matcher) -> None:
    found = matcher.match("Institute of Automation, Chinese Academy of Sciences, Beijing, China")
    assert found.country == "CN"
    assert found.unit == "Institute of Automation"


# -- names joined by 'and' or a hyphen ----------------------------------------------------------------


def test_names_joined_by_and_are_read_apart(matcher) -> None:
    assert ids(matcher, "Uber and University of Cambridge")[1:] == ["013meh722"]
    assert len(ids(matcher, "Uber and University of Cambridge")) == 2
    assert ids(matcher, "DeepMind and University College London") == ["00971b260", "02jx3x895"]


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("Washington and Lee University", "05r9xgf14"),
        ("Université Paris-Saclay", "03xjwb503"),
        ("Max-Planck-Institute for Intelligent Systems", "04fq9j139"),
    ],
)
def test_a_name_with_and_or_a_hyphen_in_it_stays_whole(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


def test_and_inside_a_department_name_splits_nothing(matcher) -> None:
    found = matcher.match("Department of Electrical and Computer Engineering, Rice University")
    assert ids(matcher, found.affiliation) == ["008zs3103"]


# -- only a domain printed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ror_id", "country"),
    [
        ("stanford.edu", "00f54p054", "US"),
        ("zqshi@mail.tsinghua.edu.cn", "03cve4549", "CN"),
        ("JD.com", "01dkjkq64", "CN"),  # the curated list's domain column
        ("research.jd.com", "01dkjkq64", "CN"),
    ],
)
def test_a_printed_domain_names_its_owner(matcher, raw: str, ror_id: str, country: str) -> None:
    found = matcher.match(raw)
    assert (found.ror_id, found.country) == (ror_id, country)
    assert Flag.INSTITUTION_FROM_EMAIL in found.flags
    assert [o.ror_id for o in found.organizations] == [ror_id]  # the list agrees with the top level


def test_a_domain_named_like_an_unrelated_registry_record_names_nothing(matcher) -> None:
    found = matcher.match("helios.ai")  # not the Slovenian company called Helios
    assert found.institution == ""
    assert Flag.NO_AFFILIATION in found.flags


def test_brand_top_level_domains_are_not_countries() -> None:
    assert country_from_tld("prowler.io") == ""
    assert country_from_tld("valeo.ai") == ""
    assert country_from_tld("mistral.co") == ""
    assert country_from_tld("unal.edu.co") == "CO"
    assert country_from_tld("cs.ox.ac.uk") == "GB"


# -- short forms, abbreviations and typos --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("Harvard Medical School", "03vek6s52"),
        ("DTU Compute", "04qtj9h94"),
        ("USC Information Sciences Inst", "03taz7m60"),
        ("UC Davis Department of Statistics", "05rrcem69"),  # "UC" alone is too many things
    ],
)
def test_a_known_short_name_before_unit_words_is_that_organization(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


@pytest.mark.parametrize("raw", ["Shandong Energy Institute", "Brain Dynamics Lab", "INESC-ID, Lisbon, Portugal"])
def test_a_place_field_or_one_hyphenated_acronym_is_not_read_as_a_known_name(matcher, raw: str) -> None:
    assert not [i for i in ids(matcher, raw) if i]


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("U of Toronto", "03dbr7087"),
        ("U. Colorado, Boulder", "02ttsq026"),
        ("Duke U", "00py81415"),
        ("Swiss Federal Institute of Technology Zurich (ETHZ)", "05a28rw58"),
    ],
)
def test_an_abbreviated_university_or_a_bracketed_acronym_is_spelled_out(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


def test_a_misspelt_word_is_mended_against_the_registry_vocabulary(matcher) -> None:
    assert matcher.registry.closest_word("rugters") == "rutgers"
    found = matcher.match("Rugters University")
    assert found.ror_id == "05vt9qd57"
    assert Flag.FUZZY_MATCH in found.flags


def test_one_word_that_begins_one_famous_name_is_that_organization(matcher) -> None:
    assert ids(matcher, "Purdue") == ["02dqehb95"]
    assert not [i for i in ids(matcher, "Florence") if i]  # a town first


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("York University Toronto", "05fq50484"),
        ("LMU Munich", "05591te55"),
        ("MPI for Biological Cybernetics", "026nmvv73"),
    ],
)
def test_a_town_printed_without_a_comma_is_the_address(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


@pytest.mark.parametrize("raw", ["University of Texas, Austin", "National University Singapore"])
def test_a_name_is_not_cut_before_its_town_when_the_head_is_only_kind_words(matcher, raw: str) -> None:
    assert ids(matcher, raw) and all(ids(matcher, raw))


def test_a_town_that_another_same_named_record_lacks_stays_in_the_name(matcher) -> None:
    assert matcher._town_apart("Universitas Muhammadiyah Surakarta") == ["Universitas Muhammadiyah Surakarta"]


def test_a_department_acronym_is_not_an_organization(matcher) -> None:
    raw = "ECE Department, University of Illinois at Urbana-Champaign, Urbana, IL 61801 USA"
    assert ids(matcher, raw) == ["047426m28"]


def test_a_unit_joined_by_and_to_a_name_does_not_hide_the_name(matcher) -> None:
    raw = "Department of Mathematics, Rutgers University. and Department of Mathematics, University of Notre Dame, USA"
    assert ids(matcher, raw) == ["05vt9qd57", "00mkhxb43"]


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("Department of Anesthesiology, University of Texas, Houston Health Science Center, Houston, USA", "03gds6c39"),
        ("University of Illinois College of Medicine at Peoria, Peoria, IL, USA", "02qrdc062"),
        ("University of Maryland, College Park, MD", "047s2c258"),
        ("University of Texas, Austin", "00hj54h04"),
    ],
)
def test_a_university_systems_name_with_a_town_is_the_campus_there(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


def test_a_doubted_record_lends_its_country_only_when_ml_papers_name_it(matcher) -> None:
    found = matcher.match("CSL (Institute of Informatics), University of Amsterdam")
    assert [(o.ror_id, o.country) for o in found.organizations] == [("04dkp9463", "NL")]
    assert matcher.match("KIT").country == "DE"  # doubted, but ML papers mean Karlsruhe


def test_a_famous_acronym_before_department_is_still_its_university(matcher) -> None:
    assert ids(matcher, "UCLA Department of Statistics") == ["046rm7j60"]


def test_a_field_word_after_an_ampersand_stays_in_the_name(matcher) -> None:
    raw = "School of Computer Science and Engineering, Anhui University of Science & Technology, Huainan, China"
    assert ids(matcher, raw) == ["00q9atg80"]
    assert len(ids(matcher, "NUS & Sea AI Lab")) == 2  # two names: read apart


def test_a_printed_hospital_is_not_its_famous_university(matcher) -> None:
    raw = "Department of Hematology/Oncology, Heidelberg University Hospital, Heidelberg, Germany"
    assert not {"038t36y30", "04rcqnp59"} & set(ids(matcher, raw))  # not Heidelberg University


@pytest.mark.parametrize(
    "raw", ["Institute of Pathology", "Department of Hematology/Oncology", "Institut für Rechtsmedizin"]
)
def test_medical_fields_and_foreign_kind_words_make_generic_names(raw: str) -> None:
    from extractor.normalize.rules import is_generic
    from extractor.registry.text import normalize_name

    assert is_generic(normalize_name(raw))


def test_the_leading_words_of_a_hospital_are_not_its_university(matcher) -> None:
    found = matcher.match("Kyung Hee University Hospital, Seoul, South Korea")
    assert all(o.org_type != "education" for o in found.organizations if o.ror_id)


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("Department of Ophthalmology, Kangbuk Samsung Hospital, Seoul, Republic of Korea", "013e76m06"),
        ("Department of Urology, NTT Medical Center Tokyo, Tokyo, Japan", "0285prp25"),
    ],
)
def test_a_hospital_named_after_a_company_is_not_the_company(matcher, raw: str, ror_id: str) -> None:
    assert ids(matcher, raw) == [ror_id]


def test_a_company_lab_with_a_medical_name_is_still_the_company(matcher) -> None:
    assert matcher.match("Tencent Medical AI Lab").organizations[0].org_type == "company"


def test_a_system_name_the_registry_gives_one_campus_is_not_that_campus_elsewhere(matcher) -> None:
    found = matcher.match("Department of Physics, University of California, La Jolla, CA, U.S.A.")
    assert "00d9ah105" not in [o.ror_id for o in found.organizations]  # not UC Merced
    assert found.country == "US"


def test_an_institute_of_a_named_university_is_that_universitys(matcher) -> None:
    assert ids(matcher, "Zhejiang Institute of Tianjin University, Ningbo, Zhejiang, China") == ["012tb2g32"]
    assert ids(matcher, "Yale School of Medicine") == ["03v76x132"]
