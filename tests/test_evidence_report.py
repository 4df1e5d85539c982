"""Issue 17: evidence on every row (page, bbox, `affil show`), a report that answers the questions
(the pair's papers with their author blocks, intervals, coverage, per venue/year, flagged groups),
`affil compare` over several runs, and the per-paper review."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pandas as pd
import pytest
from textual.widgets import DataTable

from extractor.cli import main
from extractor.publish import AUTHORS_COLUMNS
from extractor.publish.questions import Interval, PaperFacts, bootstrap_shares, carry_validation, parse_pair
from extractor.review.papers import PaperReviewApp, paper_cases
from extractor.store import RunStore

from .conftest import write_text_pdf
from .test_publish import _browser

# The columns authors.csv had before issue 17: other tools read them by position too.
BEFORE = ["file", "paper_id", "title", "author_index", "author", "affiliation_index", "raw_affiliation",
          "institution", "ror_id", "country", "source", "confidence", "flags", "unit", "unit_ror_id",
          "note"]  # fmt: skip


@pytest.fixture(scope="module")
def venues_run(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The samples split over two venue folders, with an empty file and a web page among them."""
    root = tmp_path_factory.mktemp("venues")
    pdfs = root / "pdfs"
    for n, pdf in enumerate(sorted((sample_dir / "pdfs").glob("*.pdf"))):
        folder = pdfs / ("neurips2023" if n % 2 else "icml2024")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf, folder / pdf.name)
    (pdfs / "icml2024" / "empty.pdf").write_bytes(b"")
    (pdfs / "neurips2023" / "page.pdf").write_text("<html>not a PDF</html>")
    out = root / "out"
    assert main(["run", str(pdfs), "--out", str(out), "--jobs", "1"]) == 0
    return pdfs, out


def test_rows_carry_page_and_box_appended_after_the_old_columns(venues_run: tuple[Path, Path]) -> None:
    _pdfs, out = venues_run
    assert AUTHORS_COLUMNS[: len(BEFORE)] == BEFORE and AUTHORS_COLUMNS[len(BEFORE) :] == ["page", "bbox"]
    authors = pd.read_csv(out / "authors.csv", dtype=str, keep_default_na=False)
    assert list(authors.columns) == AUTHORS_COLUMNS
    printed = authors[authors.raw_affiliation != ""]
    assert len(printed) and (printed.page == "1").all()
    for box in printed.bbox:
        x0, y0, x1, y1 = map(float, box.split(","))
        assert 0 <= x0 < x1 <= 612 and 0 <= y0 < y1 <= 792
    assert (authors.loc[authors.raw_affiliation == "", "bbox"] == "").all()  # no printed line, no box
    # neurips_markers: "Tsinghua University" is printed once and given to authors 1 and 3: one box.
    tsinghua = printed[
        printed.file.str.endswith("neurips_markers.pdf") & printed.raw_affiliation.str.startswith("Tsing")
    ]
    assert len(tsinghua) == 2 and tsinghua.bbox.nunique() == 1
    with RunStore.in_dir(out) as store:  # the run store keeps the boxes (in the stored extraction)
        extracted = store.extracted(tsinghua.file.iloc[0])
    assert extracted is not None and extracted.authors[0].affiliation_boxes[0] == list(
        map(float, tsinghua.bbox.iloc[0].split(","))
    )


def test_show_prints_rows_beside_the_block_and_draws_a_png(
    venues_run: tuple[Path, Path], tmp_path: Path, capsys
) -> None:
    pdfs, out = venues_run
    papers = pd.read_csv(out / "papers.csv", dtype=str, keep_default_na=False)
    file = next(f for f in papers.file if f.endswith("neurips_markers.pdf"))
    paper_id = papers.set_index("file").loc[file, "paper_id"]
    png = tmp_path / "block.png"
    assert main(["show", str(out), paper_id[:8], "--png", str(png)]) == 0
    shown = capsys.readouterr().out
    assert "author block as printed" in shown and "Tsinghua University" in shown and "bbox" in shown
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(head[16:20], "big") > 200
    assert main(["show", str(out), str(pdfs / file)]) == 0  # the PDF's path names it too
    assert main(["show", str(out), "no-such-paper"]) == 2


def test_report_sections_in_headless_chromium(venues_run: tuple[Path, Path]) -> None:
    pdfs, out = venues_run
    papers = pd.read_csv(out / "papers.csv", keep_default_na=False)
    browser = _browser()
    try:
        browser.get((out / "report.html").resolve().as_uri())
        rows = browser.find_elements("css selector", "table[data-table=pair_papers] tbody tr")
        collab = set(papers.loc[papers.us_cn_collab.astype(str) == "True", "file"])
        assert collab and {r.get_attribute("data-file") for r in rows} == collab
        images = browser.execute_script(
            "return Array.from(document.querySelectorAll('table[data-table=pair_papers] tbody tr')).map(tr => {"
            " const img = tr.querySelector('img.crop'); if (!img) return null; img.scrollIntoView();"
            " const r = img.getBoundingClientRect();"
            " return [img.complete, img.naturalWidth, img.naturalHeight, r.width, r.height]; })"
        )
        assert len(images) == len(collab)
        for image in images:  # every listed paper's author block loaded, with a real size
            assert image is not None and image[0] and image[1] > 50 and image[2] > 15 and image[3] * image[4] > 1000
        points = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg[data-chart=uncertainty] rect.interval')).map(r =>"
            " [parseFloat(r.dataset.low), parseFloat(r.dataset.high),"
            "  parseFloat(r.nextElementSibling.dataset.value)])"
        )
        assert len(points) >= 4
        for low, high, value in points:
            assert low <= value <= high
        shown = {
            label: int(n)
            for label, n in browser.execute_script(
                "return Array.from(document.querySelectorAll('table[data-table=coverage] tbody tr'))"
                ".map(tr => [tr.children[0].textContent, tr.children[1].textContent])"
            )
        }
        in_folder = len(list(pdfs.rglob("*.pdf")))
        assert shown["PDFs found"] == in_folder
        parts = {k: v for k, v in shown.items() if k not in ("PDFs found", "read")}
        assert sum(parts.values()) == in_folder  # every PDF in exactly one line
        assert shown["dropped: empty"] == 1 and shown["dropped: not_pdf"] == 1
        anonymized = papers["flags"].str.contains("anonymous_submission") & (papers["status"] == "ok")
        assert shown["read, anonymized submission (no authors)"] == anonymized.sum() >= 1
        metric = {
            e.get_attribute("data-metric"): e.text for e in browser.find_elements("css selector", "[data-metric]")
        }
        assert shown["counted, with a country"] == int(metric["papers_with_country"])
        groups = browser.execute_script(
            "return Array.from(document.querySelectorAll('table[data-table=groups] tbody tr'))"
            ".map(tr => tr.children[0].textContent)"
        )
        assert sorted(groups) == ["icml2024", "neurips2023"]
        html = (out / "report.html").read_text(encoding="utf-8")
        assert "Hong Kong (HK), Macao (MO) and Taiwan (TW) are counted apart" in html and "headquarters" in html
        whole = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg[data-chart=countries] rect.bar[data-series=\"0\"]'))"
            ".map(r => r.nextElementSibling.textContent)"
        )
        assert whole and all(label.isdigit() for label in whole)  # whole counts print as integers
    finally:
        browser.quit()
    assert (out / "report.html").stat().st_size < 2_000_000


def test_publish_pair_lists_another_pair(venues_run: tuple[Path, Path]) -> None:
    _pdfs, out = venues_run
    assert main(["publish", str(out), "--pair", "CN,CH"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data-pair='CN,CH'" in html
    assert main(["publish", str(out), "--pair", "US"]) == 2
    assert main(["publish", str(out)]) == 0


def test_bootstrap_interval_contains_the_share_and_validation_widens_it() -> None:
    facts = PaperFacts({f"p{i}": frozenset({"US", "CN"} if i < 30 else {"US"}) for i in range(200)}, {"p1"})
    intervals = {i.share: i for i in bootstrap_shares(facts)}
    us_cn = intervals["us_cn_share"]
    assert us_cn.value == 0.15 and us_cn.low < 0.15 < us_cn.high and us_cn.low > 0.08 and us_cn.high < 0.22
    shares = pd.DataFrame([("US_and_CN", 0.15, 0.12, 0.03, 0.0, 0.06)],
                          columns=["share", "run", "gold", "difference", "ci95_low", "ci95_high"])  # fmt: skip
    items: list[Interval] = list(intervals.values())
    carry_validation(items, shares)
    estimate, low, high = intervals["us_cn_share"].adjusted or (0, 0, 0)
    assert estimate == pytest.approx(0.12) and high - low > us_cn.high - us_cn.low
    assert parse_pair("us, cn") == ("US", "CN")


def _three_runs(sample_dir: Path, root: Path) -> list[Path]:
    names = sorted(p.name for p in (sample_dir / "pdfs").glob("*.pdf"))
    runs = []
    for year, chosen in zip((2021, 2022, 2023), (names[:3], names[:6], names), strict=True):
        pdfs = root / f"pdfs{year}"
        pdfs.mkdir()
        for name in chosen:
            shutil.copy(sample_dir / "pdfs" / name, pdfs / name)
        out = root / f"neurips{year}"
        assert main(["run", str(pdfs), "--out", str(out), "--jobs", "1"]) == 0
        runs.append(out)
    return runs


def test_compare_three_runs_draws_the_trend(sample_dir: Path, tmp_path: Path) -> None:
    runs = _three_runs(sample_dir, tmp_path)
    assert main(["compare", *map(str, runs), "--out", str(tmp_path / "cmp")]) == 0
    trend = pd.read_csv(tmp_path / "cmp" / "compare_trend.csv", keep_default_na=False)
    assert list(dict.fromkeys(trend.run)) == [r.name for r in runs]
    browser = _browser()
    try:
        browser.get((tmp_path / "cmp" / "compare.html").resolve().as_uri())
        lines = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg[data-chart=trend] polyline.series')).map(l => {"
            " const r = l.getBoundingClientRect(); return [l.dataset.series, l.points.length, r.width]; })"
        )
        assert {name for name, _n, _w in lines} >= {"us share", "cn share", "us cn share"}
        for _name, n, width in lines:
            assert n == 3 and width > 100  # one point per run, drawn across the chart
        values = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg[data-chart=trend] circle.point'))"
            ".filter(c => c.dataset.series === 'us share').map(c => [c.dataset.run, parseFloat(c.dataset.value)])"
        )
        for run, value in values:
            headline = pd.read_csv(tmp_path / run / "headline.csv").set_index("share")
            assert value == pytest.approx(headline.loc["us_share", "value"])
    finally:
        browser.quit()
    assert main(["compare", str(runs[0])]) == 2


# -- per-paper review ---------------------------------------------------------------------------


@pytest.fixture
def unlinked_run(tmp_path: Path) -> Path:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    write_text_pdf(pdfs / "alone.pdf", [(90, "A Paper Whose Author Prints No Affiliation", 17, "tibo"),
                                        (130, "Nadia Quell", 10, "tibo"), (200, "Abstract", 12, "tibo")])  # fmt: skip
    write_text_pdf(pdfs / "nobody.pdf", [(90, "A Paper With No Author Line", 17, "tibo"),
                                         (200, "Abstract", 12, "tibo")])  # fmt: skip
    out = tmp_path / "out"
    assert main(["run", str(pdfs), "--out", str(out), "--jobs", "1"]) == 0
    return out


def _cases(store: RunStore) -> list:
    from extractor.decisions import apply_author_decisions

    decided = store.author_decisions()
    return paper_cases(apply_author_decisions(store.normalized(), decided), store.extracted, decided)


def test_per_paper_review_assigns_an_affiliation_that_holds_after_a_rerun(unlinked_run: Path) -> None:
    from extractor.normalize import RuleMatcher

    with RunStore.in_dir(unlinked_run) as store:
        cases = _cases(store)
        assert [(c.file, c.needs, c.no_authors) for c in cases] == [("alone.pdf", [1], False), ("nobody.pdf", [], True)]
        app = PaperReviewApp(store, cases, "tester", RuleMatcher().match)

        async def drive() -> int:
            async with app.run_test(size=(100, 30)) as pilot:
                assert app.query_one(DataTable).row_count == 1
                await pilot.press("t", *"Tsinghua University; CN", "enter")
                await pilot.pause()
                await pilot.press("n", "t", *"Ann Lee | Quuxworth Robotics Institute; PT", "enter")
                await pilot.pause()
                await pilot.press("q")
            return app.return_value or 0

        assert asyncio.run(drive()) == 2
    assert main(["publish", str(unlinked_run)]) == 0

    def check() -> None:
        authors = pd.read_csv(unlinked_run / "authors.csv", dtype=str, keep_default_na=False).set_index("file")
        alone, nobody = authors.loc["alone.pdf"], authors.loc["nobody.pdf"]
        assert (alone.author, alone.institution, alone.ror_id, alone.country, alone.source) == (
            "Nadia Quell", "Tsinghua University", "03cve4549", "CN", "review")  # fmt: skip
        assert (nobody.author, nobody.institution, nobody.country, nobody.source) == (
            "Ann Lee", "Quuxworth Robotics Institute", "PT", "review")  # fmt: skip
        papers = pd.read_csv(unlinked_run / "papers.csv", dtype=str, keep_default_na=False).set_index("file")
        assert (
            papers.loc["nobody.pdf", "n_authors"] == "1" and "no_authors_found" not in papers.loc["nobody.pdf", "flags"]
        )

    check()
    assert main(["run", str(unlinked_run.parent / "pdfs"), "--out", str(unlinked_run), "--force", "--jobs", "1"]) == 0
    check()  # the decisions hold: re-applied on every publish, also after the papers were redone
    with RunStore.in_dir(unlinked_run) as store:
        assert _cases(store) == []  # nothing left to review
