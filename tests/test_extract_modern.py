"""Extraction on 2022-2025 layouts (generated samples whose right answer is known by
construction) and the footnote, junk and name rules they rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.extract import extract_paper
from extractor.extract.classify import looks_like_name
from extractor.extract.footnotes import NoteKind, names_in, read_notes, sentences
from extractor.extract.junk import is_junk, is_placeholder
from extractor.extract.lines import split_markers


def _extract(sample_dir: Path, name: str):
    return extract_paper(sample_dir / "pdfs" / name, name)


def test_greek_letter_markers_link_a_long_author_list(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "greek_markers.pdf")
    assert paper.linking == "markers"
    assert len(paper.authors) == 8
    assert paper.authors[0].name == "Hana Kowalczyk"
    assert paper.authors[0].markers == ["*", "χ", "ψ"]
    assert paper.authors[3].name == "Lars Øvergaard"  # a name that starts with a non-ASCII capital
    assert paper.authors[4].affiliations == ["Jagiellonian University"]
    # the project URL under the list is no affiliation; the footnote adds where the work was done
    assert all("aka.ms" not in a for author in paper.authors for a in author.affiliations)
    assert paper.authors[0].affiliations == ["Jagiellonian University", "Microsoft", "Microsoft Research Asia"]
    assert paper.authors[0].time_of_work == ["Microsoft Research Asia"]
    assert paper.authors[2].time_of_work == []


def test_markers_printed_before_the_names_belong_to_the_next_name(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "prefix_markers.pdf")
    assert [(a.name, a.markers) for a in paper.authors] == [
        ("Amira Benali", ["1", "*"]),
        ("Pierre Dubois", ["1", "2", "*"]),
        ("Sofia Lindqvist", ["2"]),
        ("Raj Patel", ["1"]),
    ]
    assert paper.authors[2].affiliations == ["University of Waterloo"]


def test_column_footnotes_work_done_at_and_now_at(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "column_notes.pdf")
    by_name = {a.name: a for a in paper.authors}
    # marker on the affiliation line under the name points at "Work done while at ..."
    assert by_name["Laura Chen"].affiliations == ["Google Research", "University of Tokyo"]
    assert by_name["Laura Chen"].time_of_work == ["University of Tokyo"]
    # "Now at Apple" is no affiliation: a flag with the place as detail
    assert by_name["Tim Becker"].moved_to == ["Apple, Cupertino, CA, USA"]
    assert all("Apple" not in a for a in by_name["Tim Becker"].affiliations)
    # "&"-joined institutions, and two column entries PyMuPDF read as one line
    assert by_name["Nadia Rahman"].affiliations == ["Google Research", "Harvard"]
    assert by_name["Tim Becker"].affiliations == ["Google Research", "University of Alberta"]
    assert by_name["Eva Novak"].affiliations == ["Google Research", "Georgia Tech"]


def test_template_placeholders_are_an_anonymous_submission(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "placeholder_authors.pdf")
    assert paper.authors == []
    assert paper.flags == ["anonymous_submission"]


def test_wrapped_pmlr_footnote_and_glued_digit_markers(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "pmlr_wrapped_footnote.pdf")
    assert paper.authors[0].markers == ["*", "1", "2"]  # "12" printed as one raised number
    assert paper.authors[0].affiliations == ["Los Alamos National Lab", "University of Arizona"]
    assert paper.authors[2].affiliations == ["University of Texas San Antonio"]


@pytest.mark.parametrize(
    ("text", "kinds", "places"),
    [
        ("Work done while at Nvidia, Inc.", ["time_of_work"], ["Nvidia, Inc"]),
        ("Work done during an internship at Microsoft Research Asia.", ["time_of_work"], ["Microsoft Research Asia"]),
        (
            "Equal contribution. Work primarily done at Google Research.",
            ["ignore", "time_of_work"],
            ["", "Google Research"],
        ),
        ("This work is done when Jaehyung Kim was in KAIST.", ["time_of_work"], ["KAIST"]),
        ("Now at Google DeepMind, London, UK", ["moved_to"], ["Google DeepMind, London, UK"]),
        ("Currently with Apple", ["moved_to"], ["Apple"]),
        ("Canada CIFAR AI Chair", ["ignore"], [""]),
        ("Corresponding author", ["ignore"], [""]),
        ("Project page: https://example.github.io", ["ignore"], [""]),
        ("Google DeepMind", ["affiliation"], [""]),
    ],
)
def test_footnote_sentences_say_what_they_mean(text: str, kinds: list[str], places: list[str]) -> None:
    notes = read_notes(text)
    assert [n.kind.value for n in notes] == kinds
    assert [n.place for n in notes] == places


def test_sentences_keep_abbreviations_and_initials_whole() -> None:
    assert sentences("Dept. of CS, Univ. of Toronto. Work done at Eric P. Xing Lab") == [
        "Dept. of CS, Univ. of Toronto",
        "Work done at Eric P. Xing Lab",
    ]


def test_a_note_names_its_author_by_name_possessive_or_initials() -> None:
    names = ["Alexis Chevalier", "Alexander Wettig", "Dawei Zhu"]
    assert names_in("This work was done when AC was at the Institute", names) == [0]
    assert names_in("Work done during Dawei’s internship at MSRA", names) == [2]
    assert read_notes("Work done during Dawei’s internship at MSRA")[0].kind is NoteKind.TIME_OF_WORK


@pytest.mark.parametrize(
    "text", ["https://aka.ms/rho", "arXiv:2301.01234v2 [cs.LG] 3 Jan 2023", "May 12, 2024", "© 2023 the authors"]
)
def test_page_furniture_is_junk(text: str) -> None:
    assert is_junk(text)


@pytest.mark.parametrize("text", ["Google Research", "University of Oxford", "KAIST AI"])
def test_affiliations_are_not_junk(text: str) -> None:
    assert not is_junk(text)


@pytest.mark.parametrize("text", ["First Author", "Affiliation", "Address line 1", "email@domain", "Institution1"])
def test_template_placeholders(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "name", ["Łukasz Kaiser", "Lars Øvergaard", "Şule Yıldız", "Jürgen Weiß", "王小明", "Ludo van der Berg"]
)
def test_names_in_any_script(name: str) -> None:
    assert looks_like_name(name)


def test_greek_markers_split_one_by_one() -> None:
    assert split_markers("⋆χϕ") == ["⋆", "χ", "ϕ"]


def test_names_with_detached_combining_accents() -> None:
    assert looks_like_name("Hasi\u0327m Sak")  # a cedilla the font left as a combining mark


def test_upper_case_and_joins_names() -> None:
    from extractor.extract.lines import Line, Piece
    from extractor.extract.names import _named_parts

    line = Line(0, 0, 100, 10, 10, True, [Piece("AMIR SHEIKH, MOHAMMAD NEMAT, AND ARMAN SHOKR", False, True, 100)])
    assert [a.name for a in _named_parts(line)] == ["AMIR SHEIKH", "MOHAMMAD NEMAT", "ARMAN SHOKR"]


def test_time_of_work_and_moved_to_reach_the_published_rows(sample_dir: Path) -> None:
    from extractor.flags import Flag
    from extractor.normalize import RuleMatcher, normalize_paper

    rows = normalize_paper(_extract(sample_dir, "column_notes.pdf"), RuleMatcher()).rows
    laura = [r for r in rows if r.author == "Laura Chen"]
    assert [Flag.TIME_OF_WORK in r.flags for r in laura] == [False, True]
    tim = [r for r in rows if r.author == "Tim Becker"]
    assert all(Flag.MOVED_TO in r.flags and r.note == "moved to: Apple, Cupertino, CA, USA" for r in tim)
    assert all("Apple" not in r.match.affiliation for r in tim)


def test_one_long_row_of_names_is_an_author_list_not_prose(sample_dir: Path) -> None:
    """An ICML row of seven names parted only by markers is as long as a line of prose; its words
    are capitalized names, so it is the author block. A word hyphenated at the end of a footnote
    line is whole again; 'Work during Google internship' adds a time-of-work row."""
    paper = _extract(sample_dir, "long_author_row.pdf")
    assert [a.name for a in paper.authors] == [
        "Lena Fischer", "Omar Haddad", "Sofia Rossi", "Jan de Vries", "Mina Park", "Tariq Aziz", "Eva Lindqvist",
    ]  # fmt: skip
    assert paper.authors[1].affiliations == ["Department of Mathematics, Imperial College London"]
    assert paper.authors[6].affiliations == ["University of Amsterdam", "Google"]
    assert paper.authors[6].time_of_work == ["Google"]


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("Work during Google internship", "Google"),
        ("This work was done during a Microsoft Research internship", "Microsoft Research"),
        ("Work done during an internship at Meta AI", "Meta AI"),
    ],
)
def test_an_internship_names_where_the_work_was_done(sentence: str, place: str) -> None:
    (note,) = read_notes(sentence)
    assert (note.kind, note.place) == (NoteKind.TIME_OF_WORK, place)


def test_prose_is_still_body_text() -> None:
    from extractor.extract.layout import _looks_like_body
    from extractor.extract.lines import Line, Piece

    def line(text: str) -> Line:
        return Line(72, 100, 540, 110, 10.0, False, [Piece(text, False)])

    prose = (
        "While large language models have demonstrated impressive capabilities across tasks in language "
        "understanding and interactive decision making"
    )
    names = "Shunyu Yao1, Jeffrey Zhao2, Dian Yu2, Nan Du2, Izhak Shafran2, Karthik Narasimhan1, Yuan Cao2 Alan Turing3"
    assert _looks_like_body(line(prose)) and not _looks_like_body(line(names))


def test_names_a_quad_apart_are_separate_authors(sample_dir: Path) -> None:
    """No comma and no marker between them: the wide space runs part the names."""
    paper = _extract(sample_dir, "quad_spaced_names.pdf")
    assert [a.name for a in paper.authors] == ["Ana Silva", "Bo Chen", "Carl Weber", "Dana Levi", "Emil Novak"]
    assert all(a.affiliations == ["Microsoft Research"] for a in paper.authors)
