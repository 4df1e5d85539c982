"""Outside text in the outputs: PDF text in report.html is shown as text (never markup or script), and
`--spreadsheet-safe` keeps formula-like CSV cells from running in a spreadsheet."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pandas as pd
import pytest

from extractor.cli import main
from extractor.publish import AUTHORS_COLUMNS, PAPERS_COLUMNS
from extractor.publish.tables import spreadsheet_safe

from .conftest import write_text_pdf
from .test_publish import _browser

TITLE = "On <script>document.title='pwned';window.pwned=1</script> & <b>Things</b>"
AUTHORS = "Eve <img src=x onerror=window.pwned=2> Smith"
OXFORD = "<script>window.pwned=3</script> Dept. & Lab, University of Oxford, Oxford, UK"
LAB = "<img src=x onerror=window.pwned=4> Quuxworth & Sons Lab, Lisbon, Portugal"
REVIEWED = '<svg onload="window.pwned=5"><script>window.pwned=6</script> Zorblax & Co'
RUN_NAME = "run <img src=x onerror=window.pwned=7> & co"


def _paper(path: Path, title: str, authors: str, affiliation: str) -> None:
    write_text_pdf(path, [(90, title, 14, "tibo"), (130, authors, 10, "tibo"), (144, affiliation, 9, "tiro"),
                          (200, "Abstract", 12, "tibo")])  # fmt: skip


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run over PDFs whose title, author and affiliation lines carry HTML, in a folder named with HTML,
    and a review decision that names an institution with HTML."""
    root = tmp_path_factory.mktemp("hostile")
    pdfs = root / "pdfs"
    pdfs.mkdir()
    _paper(pdfs / "p1.pdf", TITLE, AUTHORS, OXFORD)
    _paper(pdfs / "p2.pdf", "More <script>window.pwned=9</script> & Stuff", "Eve Smith", OXFORD)
    _paper(pdfs / "p3.pdf", "Yet <img src=x onerror=window.pwned=10> & More", "Bob Jones", LAB)  # distinct titles:
    # a repeated title is a duplicate and is left out of the counts
    _paper(pdfs / "p4.pdf", "A Plain Title", "Ann Lee", "Zorblax Widget Laboratory, Lyon, France")
    out = root / RUN_NAME
    assert main(["run", str(pdfs), "--out", str(out), "--jobs", "1"]) == 0
    overrides = root / "overrides.csv"
    pd.DataFrame(
        [{"raw_affiliation": "Zorblax Widget Laboratory, Lyon, France", "action": "manual", "institution": REVIEWED,
          "ror_id": "", "country": "FR", "reviewer": "t", "decided_at": ""}]
    ).to_csv(overrides, index=False)  # fmt: skip
    assert main(["review", str(out), "--import", str(overrides)]) == 0
    return out


def test_pdf_text_reaches_the_report_only_as_text(hostile_run: Path) -> None:
    papers = pd.read_csv(hostile_run / "papers.csv", keep_default_na=False)
    assert TITLE in set(papers.title)  # the hostile text really is in the data
    institutions = set(pd.read_csv(hostile_run / "institutions.csv", keep_default_na=False).institution)
    hostile = {name for name in institutions if "<" in name}
    assert REVIEWED in hostile  # a person typed it; the matcher itself never keeps markup as a name:
    assert not any("<img" in name or "<script" in name for name in hostile - {REVIEWED})
    html = (hostile_run / "report.html").read_text(encoding="utf-8")
    # The report's own images (author-block crops, inline PNG data) are the only <img> tags it may hold.
    html = re.sub(r'<img class="crop" src="data:image/png;base64,[A-Za-z0-9+/=]+" width="\d+" height="\d+" '
                  r'loading="lazy" alt="[^"<>]*">', "", html)  # fmt: skip
    for tag in ("<script", "<img", "<b>", "<svg onload", 'onload="'):  # as markup; as escaped text they may
        assert tag not in html.lower(), tag
    for name in hostile:
        assert escape(name) in html  # shown, as text
    assert f"<title>{escape('affil report: ' + RUN_NAME)}</title>" in html


def test_compare_page_escapes_run_names(hostile_run: Path, tmp_path: Path) -> None:
    other = tmp_path / "b <img src=y onerror=window.pwned=8>"
    other.mkdir()
    for name in ("countries.csv", "institutions.csv"):
        (other / name).write_bytes((hostile_run / name).read_bytes())
    assert main(["compare", str(hostile_run), str(other), "--out", str(tmp_path / "cmp")]) == 0
    html = (tmp_path / "cmp" / "compare.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert f"<h1>{escape(RUN_NAME)} vs {escape(other.name)}</h1>" in html


def test_headless_chromium_runs_no_script_from_pdf_text(hostile_run: Path) -> None:
    browser = _browser()
    try:
        browser.get((hostile_run / "report.html").resolve().as_uri())
        assert browser.title == f"affil report: {RUN_NAME}"
        assert browser.execute_script("return typeof window.pwned") == "undefined"
        assert browser.execute_script("return document.scripts.length + document.images.length") == 0
        assert browser.execute_script("return document.querySelectorAll('body svg:not(.chart)').length") == 0
        shown = browser.execute_script(
            "return Array.from(document.querySelectorAll('table[data-table=institutions] td[data-col=institution]'))"
            ".map(td => td.textContent)"
        )
        assert REVIEWED in shown
        labels = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg[data-chart=institutions] rect.bar'))"
            ".map(r => r.getAttribute('data-label'))"
        )
        assert f"{REVIEWED} (FR)" in labels
    finally:
        browser.quit()


def test_spreadsheet_safe_prefixes_formula_cells_only() -> None:
    frame = pd.DataFrame(
        {
            "title": ['=HYPERLINK("http://x","y")', "+1", "-Nets", "@Home", "\tTab", "Plain - text", "", "'=kept"],
            "confidence": [0.5, -1.0, 0.0, 1.0, 0.2, 0.3, 0.4, 0.1],
        }
    )
    safe = spreadsheet_safe(frame)
    assert list(safe.title) == ['\'=HYPERLINK("http://x","y")', "'+1", "'-Nets", "'@Home", "'\tTab", "Plain - text",
                                "", "'=kept"]  # fmt: skip
    assert list(safe.confidence) == list(frame.confidence)  # numbers stay numbers, negative ones too
    assert frame.title.iloc[0].startswith("=")  # the frame itself is not changed


def _formula_paper(path: Path) -> None:
    _paper(path, '=HYPERLINK("http://x.example","Learning")', "Eve Smith",
           "@Home Robotics Lab, University of Oxford, Oxford, UK")  # fmt: skip


def test_spreadsheet_safe_flag_on_run_and_publish(tmp_path: Path) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    _formula_paper(pdfs / "p1.pdf")
    _paper(pdfs / "p2.pdf", "-Nets for Learning to Add", "Bob Jones", "+Plus Institute of Sums, Lisbon, Portugal")
    out = tmp_path / "out"

    def table(name: str) -> pd.DataFrame:
        return pd.read_csv(out / f"{name}.csv", keep_default_na=False, dtype=str)

    def cells(frame: pd.DataFrame) -> list[str]:
        return [v for column in frame.columns for v in frame[column]]

    def formula_like(frame: pd.DataFrame) -> list[str]:
        return [v for v in cells(frame) if v.startswith(("=", "+", "-", "@"))]

    # default: as printed
    assert main(["run", str(pdfs), "--out", str(out), "--jobs", "1"]) == 0
    printed = {name: table(name) for name in ("papers", "authors", "institutions")}
    assert '=HYPERLINK("http://x.example","Learning")' in set(printed["papers"].title)
    assert "-Nets for Learning to Add" in set(printed["papers"].title)
    assert any(v.startswith("@Home") for v in printed["authors"].raw_affiliation)
    assert any(v.startswith("+Plus") for v in printed["authors"].raw_affiliation)
    assert "Plus Institute of Sums" in set(printed["institutions"].institution)  # the matcher drops the '+' marker
    # --spreadsheet-safe on run, then on publish; plain publish writes as printed again
    for command in (["run", str(pdfs), "--out", str(out), "--spreadsheet-safe"], ["publish", str(out)],
                    ["publish", str(out), "--spreadsheet-safe"]):  # fmt: skip
        assert main(command) == 0
        safe = "--spreadsheet-safe" in command
        for name, before in printed.items():
            after = table(name)
            assert list(after.columns) == list(before.columns)  # column names are a contract
            if safe:
                assert formula_like(after) == []
                assert cells(after) == [f"'{v}" if v in formula_like(before) else v for v in cells(before)]
            else:
                assert after.equals(before)
    assert list(table("papers").columns) == PAPERS_COLUMNS and list(table("authors").columns) == AUTHORS_COLUMNS
    parquet = pd.read_parquet(out / "papers.parquet")  # Parquet keeps the text as printed
    assert '=HYPERLINK("http://x.example","Learning")' in set(parquet.title)
