"""Extraction on generated layouts whose right answer is known by construction."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.extract import extract_paper
from extractor.extract.lines import fix_accents, split_markers
from extractor.records import PaperStatus
from extractor.registry.emails import find_emails


def _extract(sample_dir: Path, name: str):
    return extract_paper(sample_dir / "pdfs" / name, name)


def test_superscript_markers_link_each_author(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "neurips_markers.pdf")
    assert paper.linking == "markers"
    assert paper.title == "Linking Authors to Institutions with Typography Alone"
    assert [a.name for a in paper.authors] == ["Wei Zhang", "Emily Carter", "Li Na"]
    assert paper.authors[2].markers == ["1", "3"]
    assert paper.authors[1].affiliations == ["Google Research, Mountain View, CA, USA"]
    assert paper.authors[2].affiliations == [
        "Tsinghua University, Beijing, China",
        "Microsoft Research Asia, Beijing, China",
    ]
    assert "lina@mails.tsinghua.edu.cn" in paper.emails


def test_per_author_blocks_keep_emails_with_their_author(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "pmlr_blocks.pdf")
    assert paper.linking == "layout"
    assert [a.emails for a in paper.authors] == [
        ["chenhao@pku.edu.cn"],
        ["mlopez@cs.cmu.edu"],
        ["tbecker@cs.toronto.edu"],
    ]
    assert paper.authors[1].affiliations == ["Machine Learning Department, Carnegie Mellon University"]


def test_columns_merge_address_lines_into_one_affiliation(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "grid_columns.pdf")
    assert [a.affiliations for a in paper.authors] == [
        ["Zhejiang University, Hangzhou, China"],
        ["ETH Zurich, Zurich, Switzerland"],
        ["Alibaba Group, Hangzhou, China"],
    ]


def test_footnote_affiliations_are_cut_before_correspondence(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "icml_footnotes.pdf")
    assert paper.linking == "markers"
    assert paper.authors[1].affiliations == ["Tencent AI Lab, Shenzhen, China"]
    assert paper.authors[2].affiliations == ["Shanghai Jiao Tong University, Shanghai, China"]


def test_shared_block_goes_to_every_author(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "shared_block.pdf")
    assert len(paper.authors) == 3
    assert {tuple(a.affiliations) for a in paper.authors} == {
        ("Max Planck Institute for Intelligent Systems, Tübingen, Germany",)
    }


def test_anonymous_submission_has_no_authors(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "anonymous.pdf")
    assert paper.authors == []
    assert "anonymous_submission" in paper.flags
    assert paper.status == PaperStatus.OK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{alice, bob}@cs.x.edu", ["alice@cs.x.edu", "bob@cs.x.edu"]),
        ("(a|b)@y.org and c.d@z.cn", ["a@y.org", "b@y.org", "c.d@z.cn"]),
        ("KOOKJIN@CIS.UPENN.EDU", ["kookjin@cis.upenn.edu"]),
        ("no address here", []),
    ],
)
def test_find_emails_expands_grouped_forms(text: str, expected: list[str]) -> None:
    assert find_emails(text) == expected


def test_split_markers_and_tex_accents() -> None:
    assert split_markers("1,2*") == ["1", "2", "*"]
    assert fix_accents("G´erard M¨uller") == "Gérard Müller"


def test_stacked_names_with_emails_beside_share_the_block_below(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "jmlr_stacked.pdf")
    assert [a.emails for a in paper.authors] == [
        ["akeller@inf.ethz.ch"],
        ["junwang@inf.ethz.ch"],
        ["rmehta@microsoft.com"],
    ]
    assert [a.affiliations for a in paper.authors] == [
        ["Department of Computer Science, ETH Zurich, Switzerland"],
        ["Department of Computer Science, ETH Zurich, Switzerland"],
        ["Microsoft Research, New England"],
    ]


def test_name_comma_affiliation_rows_are_split(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "inline_rows.pdf")
    # "Jordan" is also a country: a bold name line must still read as a name.
    assert [a.name for a in paper.authors] == ["Sara Novak", "Daniel K. Jordan"]
    assert [a.affiliations for a in paper.authors] == [["University of Oxford"], ["KTH Royal Institute of Technology"]]


def test_parenthesized_and_trailing_markers_link(sample_dir: Path) -> None:
    paper = _extract(sample_dir, "trailing_markers.pdf")
    assert paper.linking == "markers"
    assert [a.markers for a in paper.authors] == [["1"], ["2"], ["1", "2"]]
    assert paper.authors[2].affiliations == ["Politecnico di Milano, Italy", "Kyoto University, Japan"]


def test_math_font_symbols_count_as_markers() -> None:
    assert split_markers("⇤") == ["⇤"]
    assert split_markers("(1,3)") == ["1", "3"]
    assert fix_accents("Sabor´ıo") == "Saborío"
