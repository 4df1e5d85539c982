"""Generate the sample first pages in samples/ with PyMuPDF.

Fictional authors, real institution names, in the layouts met in practice:
superscript markers (NeurIPS), per-author blocks with e-mails (PMLR/JMLR),
column grids (AISTATS/UAI), footnote affiliations (ICML), one shared block,
stacked JMLR names with e-mails beside them, 'Name, Affiliation' rows, markers in
parentheses or at the end of affiliation lines, and an anonymized submission.
The expected answers are in samples/expected.csv.

Usage: python samples/make_samples.py [OUT_DIR]   (default: samples/pdfs)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pymupdf

REGULAR, BOLD = "tiro", "tibo"  # Times, as in the conference templates
BODY = (
    "We study how institutions appear on the first page of a paper and show that fonts and",
    "positions are enough to link every author to the right affiliation in common layouts.",
    "Our method is simple, fast and runs offline on a laptop for a whole conference year.",
)


def _title(page: pymupdf.Page, lines: list[str], y: float = 90) -> float:
    for line in lines:
        width = pymupdf.get_text_length(line, fontname=BOLD, fontsize=17)
        page.insert_text(((page.rect.width - width) / 2, y), line, fontname=BOLD, fontsize=17)
        y += 21
    return y


def _centered(page: pymupdf.Page, y: float, text: str, size: float = 10, font: str = REGULAR) -> None:
    width = pymupdf.get_text_length(text, fontname=font, fontsize=size)
    page.insert_text(((page.rect.width - width) / 2, y), text, fontname=font, fontsize=size)


def _marked(page: pymupdf.Page, x: float, y: float, parts: list[tuple[str, str]], size: float = 11) -> None:
    """Names with superscript markers: parts are (text, marker) pairs."""
    for text, marker in parts:
        page.insert_text((x, y), text, fontname=BOLD, fontsize=size)
        x += pymupdf.get_text_length(text, fontname=BOLD, fontsize=size)
        if marker:
            page.insert_text((x, y - 4), marker, fontname=REGULAR, fontsize=size * 0.6)
            x += pymupdf.get_text_length(marker, fontname=REGULAR, fontsize=size * 0.6)
        x += 8


def _abstract(page: pymupdf.Page, y: float) -> None:
    _centered(page, y, "Abstract", 12, BOLD)
    for i, line in enumerate(BODY):
        page.insert_text((108, y + 22 + 12 * i), line, fontname=REGULAR, fontsize=10)


def neurips_markers(page: pymupdf.Page) -> None:
    y = _title(page, ["Linking Authors to Institutions", "with Typography Alone"])
    _marked(page, 150, y + 20, [("Wei Zhang", "1"), ("Emily Carter", "2"), ("Li Na", "1,3")])
    _centered(page, y + 40, "1 Tsinghua University, Beijing, China")
    _centered(page, y + 53, "2 Google Research, Mountain View, CA, USA")
    _centered(page, y + 66, "3 Microsoft Research Asia, Beijing, China")
    _centered(page, y + 80, "{wzhang, lina}@mails.tsinghua.edu.cn, ecarter@google.com", 9)
    _abstract(page, y + 115)


def pmlr_blocks(page: pymupdf.Page) -> None:
    y = _title(page, ["Per-Author Blocks in the JMLR Style"])
    people = [
        ("Chen Hao", "chenhao@pku.edu.cn", "School of EECS, Peking University, Beijing, China"),
        ("Maria Lopez", "mlopez@cs.cmu.edu", "Machine Learning Department, Carnegie Mellon University"),
        ("Tom Becker", "tbecker@cs.toronto.edu", "Department of Computer Science, University of Toronto, Canada"),
    ]
    for name, email, affiliation in people:
        y += 30
        page.insert_text((72, y), name, fontname=BOLD, fontsize=10)
        page.insert_text((400, y), email, fontname="cour", fontsize=9)
        page.insert_text((72, y + 13), affiliation, fontname=REGULAR, fontsize=10)
    _abstract(page, y + 50)


def grid_columns(page: pymupdf.Page) -> None:
    y = _title(page, ["Three Columns of Authors"])
    columns = [
        (90, ["Zhou Lin", "Zhejiang University", "Hangzhou, China"]),
        (250, ["Sara Rossi", "ETH Zurich", "Zurich, Switzerland"]),
        (410, ["Kenji Sato", "Alibaba Group", "Hangzhou, China"]),
    ]
    for x, (name, *rest) in columns:
        page.insert_text((x, y + 25), name, fontname=BOLD, fontsize=10)
        for i, line in enumerate(rest):
            page.insert_text((x, y + 38 + 12 * i), line, fontname=REGULAR, fontsize=10)
    _abstract(page, y + 90)


def icml_footnotes(page: pymupdf.Page) -> None:
    y = _title(page, ["Affiliations in the Footnote"])
    _marked(page, 160, y + 20, [("Liu Yang", "1"), ("Ahmed Hassan", "2"), ("Julia Novak", "1")], size=10)
    _abstract(page, y + 60)
    page.draw_line((72, 690), (250, 690))
    page.insert_text((72, 702), "1", fontname=REGULAR, fontsize=5)
    page.insert_text((76, 705), "Shanghai Jiao Tong University, Shanghai, China", fontname=REGULAR, fontsize=8)
    page.insert_text((72, 714), "2", fontname=REGULAR, fontsize=5)
    page.insert_text(
        (76, 717),
        "Tencent AI Lab, Shenzhen, China. Correspondence to: Liu Yang <ly@sjtu.edu.cn>.",
        fontname=REGULAR,
        fontsize=8,
    )


def shared_block(page: pymupdf.Page) -> None:
    y = _title(page, ["One Shared Affiliation Block"])
    _centered(page, y + 20, "Anna Schmidt, Paul Weber, and Jun Wang", 11, BOLD)
    _centered(page, y + 34, "Max Planck Institute for Intelligent Systems")
    _centered(page, y + 46, "Tübingen, Germany")
    _abstract(page, y + 80)


def anonymous(page: pymupdf.Page) -> None:
    y = _title(page, ["A Double-Blind Submission"])
    _centered(page, y + 20, "Anonymous Author(s)", 10, BOLD)
    _centered(page, y + 33, "Affiliation")
    _centered(page, y + 45, "Address")
    _centered(page, y + 57, "email")
    _abstract(page, y + 90)


def jmlr_stacked(page: pymupdf.Page) -> None:
    """Names stacked with their e-mail on the same row; each group's affiliation follows it."""
    y = _title(page, ["Stacked Names Share the Block Below"])
    rows = [
        ("name", "Anna Keller", "akeller@inf.ethz.ch"),
        ("name", "Jun Wang", "junwang@inf.ethz.ch"),
        ("affil", "Department of Computer Science, ETH Zurich, Switzerland", ""),
        ("name", "Rahul Mehta", "rmehta@microsoft.com"),
        ("affil", "Microsoft Research, New England", ""),
    ]
    for kind, text, email in rows:
        y += 13 if kind == "affil" else 16
        page.insert_text((72, y), text, fontname=BOLD if kind == "name" else REGULAR, fontsize=10)
        if email:
            page.insert_text((400, y), email, fontname=REGULAR, fontsize=9)
    _abstract(page, y + 40)


def inline_rows(page: pymupdf.Page) -> None:
    """'Name, Affiliation' on one row: a bold name, then the affiliation in roman."""
    y = _title(page, ["Names and Affiliations on One Row"])
    for name, affiliation in [
        ("Sara Novak,", " University of Oxford"),
        ("Daniel K. Jordan,", " KTH Royal Institute of Technology"),
    ]:
        y += 14
        page.insert_text((72, y), name, fontname=BOLD, fontsize=10)
        x = 72 + pymupdf.get_text_length(name, fontname=BOLD, fontsize=10)
        page.insert_text((x, y), affiliation, fontname=REGULAR, fontsize=10)
    _abstract(page, y + 40)


def trailing_markers(page: pymupdf.Page) -> None:
    """Parenthesized markers after names; affiliation lines that end with their marker."""
    y = _title(page, ["Markers in Parentheses and at the End"])
    _marked(page, 140, y + 20, [("Omar Haddad", "(1)"), ("Lucia Ferri", "(2)"), ("Yuki Mori", "(1,2)")], size=10)
    for i, (text, marker) in enumerate([("Politecnico di Milano, Italy", "(1)"), ("Kyoto University, Japan", "(2)")]):
        _centered(page, y + 38 + 13 * i, text)
        x = (page.rect.width + pymupdf.get_text_length(text, fontname=REGULAR, fontsize=10)) / 2 + 2
        page.insert_text((x, y + 34 + 13 * i), marker, fontname=REGULAR, fontsize=6)
    _abstract(page, y + 80)


def _greek_font(page: pymupdf.Page) -> str:
    """A font with Greek (and CJK) glyphs for markers such as χ and π (Droid Sans Fallback, built in)."""
    page.insert_font(fontname="grk", fontbuffer=pymupdf.Font("cjk").buffer)
    return "grk"


def greek_markers(page: pymupdf.Page) -> None:
    """A long author list on two rows with Greek-letter and symbol markers, the marker list in one
    row, a project URL, and a footnote: equal contribution, then where the work was done."""
    greek = _greek_font(page)
    y = _title(page, ["Greek Letters Link Long Author Lists"])
    rows = [
        [("Hana Kowalczyk", "⋆χψ"), ("Tomasz Wójcik", "⋆πψ"), ("Ines Duarte", "ψ"), ("Lars Øvergaard", "ψ")],
        [("Mei Tanaka", "χ"), ("Jürgen Weiß", "π"), ("Ahmet Yildiz", "ψ"), ("Chloé Martin", "ψ")],
    ]
    for r, row in enumerate(rows):
        x = 110.0
        for name, markers in row:
            page.insert_text((x, y + 20 + 13 * r), name, fontname=BOLD, fontsize=10)
            x += pymupdf.get_text_length(name, fontname=BOLD, fontsize=10)
            for mark in markers:
                font = greek if mark in "χπψ" else "symb"
                page.insert_text((x, y + 16 + 13 * r), mark if mark in "χπψ" else "*", fontname=font, fontsize=7)
                x += 5
            x += 12
    x = 150.0
    for mark, text in [("χ", "Jagiellonian University"), ("π", "Tsinghua University"), ("ψ", "Microsoft")]:
        page.insert_text((x, y + 46), mark, fontname=greek, fontsize=7)
        page.insert_text((x + 5, y + 49), text, fontname=REGULAR, fontsize=10)
        x += pymupdf.get_text_length(text, fontname=REGULAR, fontsize=10) + 20
    _centered(page, y + 62, "https://aka.ms/greek-markers")
    _abstract(page, y + 95)
    page.draw_line((108, 680), (250, 680))
    page.insert_text((108, 692), "*", fontname=REGULAR, fontsize=6)
    page.insert_text(
        (113, 695), "Equal contribution. Work done during their internships at Microsoft", fontname=REGULAR, fontsize=9
    )
    page.insert_text((108, 706), "Research Asia. Correspondence to hk@uj.edu.pl.", fontname=REGULAR, fontsize=9)


def prefix_markers(page: pymupdf.Page) -> None:
    """ACL style: markers printed before each name, an affiliation list below, grouped e-mails."""
    y = _title(page, ["Markers Before the Names"])
    x = 110.0
    for markers, name in [
        ("1*", "Amira Benali,"),
        ("1,2*", "Pierre Dubois,"),
        ("2", "Sofia Lindqvist,"),
        ("1", "Raj Patel"),
    ]:
        page.insert_text((x, y + 16), markers, fontname=REGULAR, fontsize=7)
        x += pymupdf.get_text_length(markers, fontname=REGULAR, fontsize=7) + 1
        page.insert_text((x, y + 20), name, fontname=BOLD, fontsize=11)
        x += pymupdf.get_text_length(name, fontname=BOLD, fontsize=11) + 6
    for i, (mark, text) in enumerate([("1", "Huawei Noah's Ark Lab"), ("2", "University of Waterloo")]):
        width = pymupdf.get_text_length(text, fontname=REGULAR, fontsize=11)
        x = (page.rect.width - width) / 2
        page.insert_text((x - 5, y + 36 + 14 * i), mark, fontname=REGULAR, fontsize=7)
        page.insert_text((x, y + 40 + 14 * i), text, fontname=REGULAR, fontsize=11)
    _centered(page, y + 72, "{amira.benali, raj.patel}@huawei.com", 10)
    _abstract(page, y + 100)


def column_notes(page: pymupdf.Page) -> None:
    """Per-author columns on two rows: a marker on an affiliation line points at a 'work done while
    at' footnote, a marker on a name at a 'now at' footnote, two columns' entries glued in one text
    line, and institutions joined by '&'."""
    y = _title(page, ["Footnotes Say Where the Work Was Done"])
    first = [
        (110, "Kenta Mori", "The University of Tokyo", ""),
        (270, "Laura Chen", "Google Research", "*"),
        (430, "Omar Farouk", "ETH Zurich", ""),
    ]
    for x, name, affiliation, mark in first:
        page.insert_text((x, y + 20), name, fontname=BOLD, fontsize=10)
        page.insert_text((x, y + 33), affiliation, fontname=REGULAR, fontsize=10)
        if mark:
            end = x + pymupdf.get_text_length(affiliation, fontname=REGULAR, fontsize=10)
            page.insert_text((end, y + 29), mark, fontname=REGULAR, fontsize=6)
    page.insert_text((110, y + 60), "Nadia Rahman", fontname=BOLD, fontsize=10)
    x = 270 + pymupdf.get_text_length("Tim Becker", fontname=BOLD, fontsize=10)
    page.insert_text((270, y + 60), "Tim Becker", fontname=BOLD, fontsize=10)
    page.insert_text((x, y + 56), "1", fontname=REGULAR, fontsize=6)
    page.insert_text((430, y + 60), "Eva Novak", fontname=BOLD, fontsize=10)
    page.insert_text((95, y + 73), "Google Research & Harvard", fontname=REGULAR, fontsize=10)
    # two columns' entries a space apart: PyMuPDF reads them as one text line of two spans
    left = "Google Research & University of Alberta "
    page.insert_text((222, y + 73), left, fontname=REGULAR, fontsize=10)
    x = 222 + pymupdf.get_text_length(left, fontname=REGULAR, fontsize=10)
    page.insert_text((x, y + 73), "Google Research & Georgia Tech", fontname=REGULAR, fontsize=9.9)
    _abstract(page, y + 105)
    page.draw_line((108, 690), (250, 690))
    page.insert_text((108, 700), "*", fontname=REGULAR, fontsize=6)
    page.insert_text((113, 703), "Work done while at The University of Tokyo.", fontname=REGULAR, fontsize=9)
    page.insert_text((108, 712), "1", fontname=REGULAR, fontsize=6)
    page.insert_text((113, 715), "Now at Apple, Cupertino, CA, USA.", fontname=REGULAR, fontsize=9)


def placeholder_authors(page: pymupdf.Page) -> None:
    """The style file's placeholders left in: an anonymous submission, not four authors."""
    y = _title(page, ["A Template Left As It Was"])
    for x, lines in [
        (150, ["First Author", "Affiliation", "Address line 1", "email@domain"]),
        (380, ["Second Author", "Affiliation", "Address line 1", "email@domain"]),
    ]:
        for i, text in enumerate(lines):
            page.insert_text((x, y + 20 + 12 * i), text, fontname=BOLD if i == 0 else REGULAR, fontsize=10)
    _abstract(page, y + 85)


def pmlr_wrapped_footnote(page: pymupdf.Page) -> None:
    """PMLR footnote affiliations: the list starts indented beside '*Equal contribution' and
    wraps to the column's left edge; one name's markers '12' are printed as one raised number."""
    y = _title(page, ["Footnotes That Wrap Back to the Margin"])
    _marked(page, 150, y + 20, [("Ana Costa", "*12"), ("Ben Walsh", "*1"), ("Carla Ruiz", "3")], size=10)
    _abstract(page, y + 60)
    page.draw_line((55, 630), (200, 630))
    page.insert_text((65, 640), "*", fontname=REGULAR, fontsize=6)
    page.insert_text((68, 643), "Equal contribution", fontname=REGULAR, fontsize=9)
    page.insert_text((150, 640), "1", fontname=REGULAR, fontsize=6)
    text = "Los Alamos National Lab "
    page.insert_text((154, 643), text, fontname=REGULAR, fontsize=9)
    x = 154 + pymupdf.get_text_length(text, fontname=REGULAR, fontsize=9)
    page.insert_text((x, 640), "2", fontname=REGULAR, fontsize=6)
    page.insert_text((x + 4, 643), "University", fontname=REGULAR, fontsize=9)
    page.insert_text((55, 654), "of Arizona", fontname=REGULAR, fontsize=9)
    page.insert_text((100, 651), "3", fontname=REGULAR, fontsize=6)
    page.insert_text(
        (104, 654), "University of Texas San Antonio. Correspondence to: Ana Costa.", fontname=REGULAR, fontsize=9
    )


def long_author_row(page: pymupdf.Page) -> None:
    """ICML style: seven names in one row, parted only by their markers (no commas: the row has 21
    words, as long as a line of prose), a footnote list that hyphenates a word at a line end, and
    a note on where one author worked ("Work during Google internship")."""
    y = _title(page, ["One Long Row of Authors"])
    names = [("Lena Fischer", "*1"), ("Omar Haddad", "*2"), ("Sofia Rossi", "1"), ("Jan de Vries", "2"),
             ("Mina Park", "2"), ("Tariq Aziz", "3"), ("Eva Lindqvist", "1\u2020")]  # fmt: skip
    writer = pymupdf.TextWriter(page.rect)  # one text object: MuPDF reads the row as one line
    x = 60.0
    for name, marker in names:
        writer.append((x, y + 20), name, font=pymupdf.Font("tibo"), fontsize=9)
        x += pymupdf.get_text_length(name, fontname=BOLD, fontsize=9)
        writer.append((x, y + 17), marker, font=pymupdf.Font("tiro"), fontsize=6)
        x += pymupdf.get_text_length(marker, fontname=REGULAR, fontsize=6) + 5
    writer.write_text(page)
    _abstract(page, y + 60)
    page.draw_line((55, 630), (200, 630))
    notes = [
        ("*", "Equal contribution "),
        ("1", "University of Amsterdam "),
        ("2", "Department of Mathematics, Impe-"),
    ]
    x = 55.0
    for mark, text in notes:
        page.insert_text((x, 640), mark, fontname=REGULAR, fontsize=6)
        page.insert_text((x + 4, 643), text, fontname=REGULAR, fontsize=9)
        x += 4 + pymupdf.get_text_length(text, fontname=REGULAR, fontsize=9)
    page.insert_text((55, 654), "rial College London", fontname=REGULAR, fontsize=9)
    page.insert_text((140, 651), "3", fontname=REGULAR, fontsize=6)
    page.insert_text((144, 654), "Delft University of Technology.", fontname=REGULAR, fontsize=9)
    note = pymupdf.TextWriter(page.rect)  # the dagger as in the name row (insert_text's Times has none)
    note.append((55, 662), "\u2020", font=pymupdf.Font("tiro"), fontsize=6)
    text = "Work during Google internship. Project page: https://example.org"
    note.append((59, 665), text, font=pymupdf.Font("tiro"), fontsize=9)
    note.write_text(page)


def quad_spaced_names(page: pymupdf.Page) -> None:
    """Names set a quad apart on one row, no commas and no markers between most of them (the
    spaces are runs of their own, as TeX's \\quad leaves them), one shared affiliation below."""
    y = _title(page, ["Names a Quad Apart"])
    names, regular, space = (
        ["Ana Silva", "Bo Chen", "Carl Weber", "Dana Levi", "Emil Novak"],
        pymupdf.Font("tiro"),
        pymupdf.Font("helv"),
    )
    writer = pymupdf.TextWriter(page.rect)
    x = 150.0
    for name in names:
        writer.append((x, y + 20), name, font=regular, fontsize=10)
        x += regular.text_length(name, fontsize=10) + 2
        writer.append((x, y + 20), " ", font=space, fontsize=10)
        x += space.text_length(" ", fontsize=10) + 3
    writer.write_text(page)
    _centered(page, y + 33, "Microsoft Research")
    _abstract(page, y + 70)


LAYOUTS = {
    "jmlr_stacked.pdf": jmlr_stacked,
    "inline_rows.pdf": inline_rows,
    "trailing_markers.pdf": trailing_markers,
    "neurips_markers.pdf": neurips_markers,
    "pmlr_blocks.pdf": pmlr_blocks,
    "grid_columns.pdf": grid_columns,
    "icml_footnotes.pdf": icml_footnotes,
    "shared_block.pdf": shared_block,
    "anonymous.pdf": anonymous,
    "greek_markers.pdf": greek_markers,
    "prefix_markers.pdf": prefix_markers,
    "column_notes.pdf": column_notes,
    "placeholder_authors.pdf": placeholder_authors,
    "pmlr_wrapped_footnote.pdf": pmlr_wrapped_footnote,
    "long_author_row.pdf": long_author_row,
    "quad_spaced_names.pdf": quad_spaced_names,
}


def make_samples(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in LAYOUTS.items():
        doc = pymupdf.open()
        draw(doc.new_page(width=612, height=792))
        doc.set_metadata({"title": name, "creator": "affil samples/make_samples.py"})
        path = out_dir / name
        doc.save(path, garbage=4, deflate=True, no_new_id=True)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "pdfs"
    for path in make_samples(target):
        print(path)
