"""The examples of issue 14 and one test per matcher rule: every organization a string names,
top level and unit, precision first (generic names, country agreement, accents, one-word
companies), recall (typography, the NeurIPS prior, curated ML organizations), no institution."""

from __future__ import annotations

import json

import pytest

from extractor.cli import main
from extractor.normalize import normalize_paper
from extractor.normalize.rules import split_segments
from extractor.records import ExtractedAuthor, ExtractedPaper
from extractor.registry.mlorgs import default_ml_orgs
from extractor.registry.organizations import default_registry
from extractor.registry.text import normalize_name


def orgs(matcher, raw: str) -> list[tuple[str, str]]:
    return [(o.ror_id, o.country) for o in matcher.match(raw).organizations]


# -- typography ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("King’s College London", "0220mzb33"),
        ("Xi’an Jiaotong University", "017zhmm22"),
        ("Université Côte d’Azur", "019tgvf94"),
    ],
)
def test_typographic_punctuation_is_folded(matcher, raw: str, ror_id: str) -> None:
    assert matcher.match(raw).ror_id == ror_id


def test_normalize_folds_ligatures_dashes_and_sharp_s() -> None:
    assert normalize_name("Paris–Saclay") == normalize_name("Paris-Saclay")
    assert normalize_name("Straße") == "strasse"
    assert normalize_name("ﬁrst") == "first"


# -- every organization, top level and unit ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("University of Toronto, Vector Institute", [("03dbr7087", "CA"), ("03kqdja62", "CA")]),
        ("Petuum Inc. / Carnegie Mellon University", [("", "US"), ("05x2bcf33", "US")]),
        ("Université Paris-Sud, CNRS", [("028rypz17", "FR"), ("02feahw73", "FR")]),
        ("Rutgers University; and Baidu Research, USA", [("05vt9qd57", "US"), ("03vs3wt56", "US")]),
    ],
)
def test_every_organization_in_printed_order(matcher, raw: str, expected) -> None:
    assert orgs(matcher, raw) == expected


def test_nus_and_sea_ai_lab(matcher) -> None:
    result = matcher.match("NUS & Sea AI Lab")
    assert result.organizations[0].institution == "National University of Singapore"
    assert result.organizations[1].unit == "Sea AI Lab"
    assert result.organizations[1].country == "SG"


def test_subunits_never_separate_when_parent_printed(matcher) -> None:
    result = matcher.match("Department of Public Health, Yale School of Medicine")
    assert [o.ror_id for o in result.organizations] == ["03v76x132"]
    assert result.country == "US"
    result = matcher.match("Institute of Zoology, Jagiellonian University, Kraków, Poland")
    assert [o.ror_id for o in result.organizations] == ["03bqmcz70"]


def test_split_keeps_long_names_joined_by_ampersand_whole() -> None:
    assert split_segments("Department of Electrical & Computer Engineering, Rice University") == [
        "Department of Electrical & Computer Engineering",
        "Rice University",
    ]
    assert split_segments("Washington and Lee University") == ["Washington and Lee University"]
    assert split_segments("Marvell Semiconductor, Inc., Santa Clara") == ["Marvell Semiconductor Inc", "Santa Clara"]


@pytest.mark.parametrize(
    ("raw", "ror_id", "unit_ror_id"),
    [
        ("Indiana University School of Medicine", "01kg8sb98", "02ets8c94"),
        ("MIT CSAIL", "042nb2s44", "01e85r662"),
        ("Institute of Automation, Chinese Academy of Sciences", "034t30j35", "022c3hy66"),
        ("Samsung AI Center, Moscow", "04w3jy968", "051an6p98"),
    ],
)
def test_unit_is_the_most_specific_record(matcher, raw: str, ror_id: str, unit_ror_id: str) -> None:
    result = matcher.match(raw)
    assert (result.ror_id, result.unit_ror_id) == (ror_id, unit_ror_id)
    assert unit_ror_id in result.ror_ids()


def test_unit_empty_when_same_as_top_level(matcher) -> None:
    result = matcher.match("Stanford University, Stanford, CA")
    assert (result.ror_id, result.unit, result.unit_ror_id) == ("00f54p054", "", "")


def test_one_row_per_organization_with_consecutive_indices(matcher) -> None:
    paper = ExtractedPaper(
        file="x.pdf",
        paper_id="abc",
        authors=[
            ExtractedAuthor(name="A", affiliations=["University of Toronto, Vector Institute", "Google"]),
            ExtractedAuthor(name="B", affiliations=["MIT"]),
        ],
    )
    rows = normalize_paper(paper, matcher).rows
    assert [(r.author_index, r.affiliation_index, r.match.ror_id) for r in rows] == [
        (1, 1, "03dbr7087"),
        (1, 2, "03kqdja62"),
        (1, 3, "00njsd438"),
        (2, 1, "042nb2s44"),
    ]
    assert rows[0].match.affiliation == rows[1].match.affiliation


def test_affil_match_prints_organizations_and_unit(capsys) -> None:
    assert main(["match", "University of Toronto, Vector Institute"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["ror_id"] == "03dbr7087"
    assert [o["ror_id"] for o in record["organizations"]] == ["03dbr7087", "03kqdja62"]
    assert {"institution", "ror_id", "country", "confidence", "unit", "unit_ror_id"} <= set(record["organizations"][0])
    assert "unit" in record and "unit_ror_id" in record


# -- precision first -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["Department of Public Health", "National Research Institute", "University Hospital", "International University",
     "Institute of Automation"],
)  # fmt: skip
def test_generic_names_never_match_alone(matcher, raw: str) -> None:
    result = matcher.match(raw)
    assert result.ror_id == ""
    assert result.institution == ""


def test_printed_city_beats_company_named_like_it(matcher) -> None:
    result = matcher.match("Research School of Computer Science, Australian National University, Canberra")
    assert [o.ror_id for o in result.organizations] == ["019wvm592"]
    assert result.country == "AU"


@pytest.mark.parametrize(
    ("raw", "ror_id", "country"),
    [
        ("University of Georgia", "00te3t702", "US"),
        ("University of New South Wales", "03r8z3t63", "AU"),
        ("York University", "05fq50484", "CA"),
        ("Jordan University of Science and Technology", "03y8mtb59", "JO"),
    ],
)
def test_country_words_inside_a_name_are_the_name(matcher, raw: str, ror_id: str, country: str) -> None:
    result = matcher.match(raw)
    assert (result.ror_id, result.country) == (ror_id, country)


def test_northeastern_is_never_the_mexican_university(matcher) -> None:
    assert matcher.match("Northeastern University").country in ("US", "CN")
    assert matcher.match("Northeastern University, Boston, MA").country == "US"


def test_printed_country_picks_the_agreeing_record(matcher) -> None:
    assert matcher.match("York University, Toronto, Canada").country == "CA"
    assert matcher.match("Northeastern University, Shenyang, China").country == "CN"


def test_country_conflict_is_flagged(matcher) -> None:
    result = matcher.match("Tsinghua University, Paris, France")
    assert "country_conflict" in result.flags
    assert result.confidence < 0.6


def test_accents_are_not_free(matcher) -> None:
    assert matcher.match("Rutgers").ror_id == "05vt9qd57"  # not Rütgers (a German company)


def test_one_word_company_named_like_a_town_or_word(matcher) -> None:
    assert matcher.match("Vigo").ror_id == ""
    assert matcher.match("Amazon rainforest station").ror_id == ""


@pytest.mark.parametrize(
    ("raw", "ror_id", "country"),
    [
        ("LG Electronics, Seoul", "03ddh2c27", "KR"),
        ("Sony", "04wzv3n59", "JP"),
        ("Hitachi, Ltd.", "02exqgm79", "JP"),
    ],
)
def test_company_headquarters(matcher, raw: str, ror_id: str, country: str) -> None:
    result = matcher.match(raw)
    assert (result.ror_id, result.country) == (ror_id, country)


def test_printed_city_wins_over_headquarters(matcher) -> None:
    result = matcher.match("Samsung AI Center, Moscow")
    assert result.country == "RU"
    assert "country_from_hq" not in result.flags


def test_msr_cambridge_is_ambiguous(matcher) -> None:
    result = matcher.match("Microsoft Research, Cambridge")
    assert [o.ror_id for o in result.organizations] == ["00d0nc645"]
    assert "ambiguous_place" in result.flags
    assert len(result.organizations[0].alternatives) == 2
    assert matcher.match("Microsoft Research Cambridge, UK").country == "GB"


def test_marvell_is_not_inc(matcher) -> None:
    result = matcher.match("Marvell Semiconductor, Inc., Santa Clara")
    assert result.institution.startswith("Marvell")
    assert result.country == "US"


@pytest.mark.parametrize("raw", ["College Park", "University Park", "2019-05-03", "http://example.org/lab"])
def test_places_dates_urls_are_not_institutions(matcher, raw: str) -> None:
    assert matcher.match(raw).institution == ""


@pytest.mark.parametrize("raw", ["Independent Researcher", "Unaffiliated", "N/A", "None", "Independent"])
def test_no_institution(matcher, raw: str) -> None:
    result = matcher.match(raw)
    assert (result.institution, result.ror_id) == ("", "")
    assert "no_institution" in result.flags


def test_no_institution_keeps_printed_country(matcher) -> None:
    result = matcher.match("Independent Researcher, Berlin, Germany")
    assert result.country == "DE"
    assert "no_institution" in result.flags


# -- recall ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("Stanford", "00f54p054"),
        ("Princeton", "00hx57361"),
        ("Berkeley", "01an7q238"),
        ("Cornell", "05bnh6r87"),
        ("Tsinghua", "03cve4549"),
        ("CNRS", "02feahw73"),
        ("KAIST", "05apxxy63"),
        ("EPFL", "02s376052"),
        ("HKUST", "00q4vv597"),
        ("Purdue University", "02dqehb95"),
    ],
)
def test_short_names_ml_readers_resolve(matcher, raw: str, ror_id: str) -> None:
    assert matcher.match(raw).ror_id == ror_id


def test_short_name_after_an_organization_is_an_address(matcher) -> None:
    # "Cambridge" after MIT is the town, not the University of Cambridge.
    assert [o.ror_id for o in matcher.match("MIT, Cambridge").organizations] == ["042nb2s44"]


def test_ambiguous_acronym_lists_both_candidates(matcher) -> None:
    from extractor.normalize.rules import RuleMatcher
    from extractor.registry.prior import Prior

    registry = default_registry()
    ids = [o.ror_id for o in registry.by_acronym("NTU")][:2]
    prior = Prior(counts={ids[0]: 10, ids[1]: 8})
    result = RuleMatcher(prior=prior).match("NTU")
    assert "ambiguous_acronym" in result.flags
    assert len(result.organizations[0].alternatives) == 2
    # A co-author's institution settles it.
    settled = RuleMatcher(prior=prior).match("NTU", context=[ids[1]])
    assert settled.ror_id == ids[1] and "ambiguous_acronym" not in settled.flags


def test_email_domain_settles_an_acronym(matcher) -> None:
    assert matcher.match("KIT", email_domains=["kit.edu"]).ror_id == "04t3en479"


def test_curated_ml_orgs_reference_real_records() -> None:
    registry = default_registry()
    rows = default_ml_orgs().orgs
    assert len(rows) >= 300
    for org in rows:
        for ror_id in (org.ror_id, org.root_ror_id):
            assert not ror_id or registry.by_id(ror_id) is not None, org.name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # A whole registry name beats a curated company named by its first word.
        ("Toyota Technological Institute at Chicago, Chicago, IL 60637, USA", [("02sn5gb64", "US")]),
        # The campus a later town names, past a street address.
        ("University of California, 652 Sutardja Dai Hall, Berkeley, CA 94720 USA", [("01an7q238", "US")]),
        # A town followed by its region is the address, not the college or university named after it.
        ("Dept. of Computer Science, Brown University, Providence, RI, USA.", [("05gq02987", "US")]),
    ],
)
def test_towns_and_campuses_in_addresses(matcher, raw: str, expected) -> None:
    assert orgs(matcher, raw) == expected


def test_a_town_before_its_state_is_not_its_university(matcher) -> None:
    found = matcher.match("Black Hole Initiative at Harvard University, Cambridge, MA, USA")
    assert "013meh722" not in {o.ror_id for o in found.organizations}  # not the University of Cambridge
    found = matcher.match("Division of Systems Biology, Nagoya University Graduate School of Medicine, Nagoya, Japan")
    assert "055yf1005" not in {o.ror_id for o in found.organizations}  # not Nagoya Institute of Technology


@pytest.mark.parametrize(
    ("raw", "ror_id"),
    [
        ("ETHZ", "05a28rw58"),
        ("Télécom ParisTech", "01naq7912"),
        ("RIKEN AIP", "03ckxwf91"),
        ("Penn State University", "04p491231"),
        ("LIT AI Lab / University Linz", "052r2xn60"),
        ("University of Heidelberg", "038t36y30"),
        ("Texas A&M", "01f5ytq51"),
    ],
)
def test_short_forms_neurips_authors_write(matcher, raw: str, ror_id: str) -> None:
    assert matcher.match(raw).ror_id == ror_id
