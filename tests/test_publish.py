"""Publish: counting definitions on a hand-made case, Parquet, compare, and report.html in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from extractor.cli import main
from extractor.publish import AUTHORS_COLUMNS
from extractor.publish.counting import count, countries_table, institutions_table
from extractor.registry.organizations import default_registry

MIT, TSINGHUA, GOOGLE = "042nb2s44", "03cve4549", "00njsd438"


def _rows(rows: list[tuple]) -> pd.DataFrame:
    """(file, author_index, affiliation_index, institution, ror_id, country) -> authors.csv rows."""
    full = [
        {
            **dict.fromkeys(AUTHORS_COLUMNS, ""),
            "file": f,
            "author_index": a,
            "affiliation_index": i,
            "institution": inst,
            "ror_id": ror,
            "country": c,
        }
        for f, a, i, inst, ror, c in rows
    ]
    return pd.DataFrame(full, columns=AUTHORS_COLUMNS).astype({"author_index": int})


def test_whole_and_fractional_counting_worked_by_hand() -> None:
    # a.pdf: author 1 MIT (US); author 2 Tsinghua (CN) and Google (US).  b.pdf: one author at MIT.
    # c.pdf: one author with nothing known.
    frame = _rows(
        [
            ("a.pdf", 1, 1, "MIT", MIT, "US"),
            ("a.pdf", 2, 1, "Tsinghua University", TSINGHUA, "CN"),
            ("a.pdf", 2, 2, "Google", GOOGLE, "US"),
            ("b.pdf", 1, 1, "MIT", MIT, "US"),
            ("c.pdf", 1, 0, "", "", ""),
        ]
    )
    counts = count(frame, default_registry())
    assert (counts.papers, counts.papers_with_country, counts.us_cn) == (3, 2, 1)
    countries = countries_table(counts).set_index("country")
    # US: a (1/2 + 1/2*1/2 = 0.75) + b (1) ; CN: a (1/2*1/2 = 0.25)
    assert countries.loc["US", "papers"] == 2 and countries.loc["US", "papers_fractional"] == 1.75
    assert countries.loc["CN", "papers"] == 1 and countries.loc["CN", "papers_fractional"] == 0.25
    assert countries.loc["US", "share"] == 1.0 and countries.loc["CN", "share"] == 0.5
    institutions = institutions_table(counts).set_index("ror_id")
    assert institutions.loc[MIT, "papers"] == 2 and institutions.loc[MIT, "papers_fractional"] == 1.5
    assert institutions.loc[GOOGLE, "papers_fractional"] == 0.25 and institutions.loc[GOOGLE, "type"] == "industry"
    assert institutions.loc[TSINGHUA, "type"] == "academia"
    assert dict(counts.sectors) == {"both": 1, "academia_only": 1, "neither": 1}
    assert counts.pairs[("CN", "US")] == 1 and counts.pairs[("US", "US")] == 2


@pytest.fixture(scope="module")
def published(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published")
    assert main(["run", str(sample_dir), "--out", str(out), "--jobs", "1"]) == 0
    return out


def test_every_output_is_written_and_parquet_equals_csv(published: Path) -> None:
    for name in ("papers", "authors"):
        csv = pd.read_csv(published / f"{name}.csv", dtype=str, keep_default_na=False)
        parquet = pd.read_parquet(published / f"{name}.parquet").astype(str)
        assert list(csv.columns) == list(parquet.columns) and len(csv) == len(parquet)
    countries = pd.read_csv(published / "countries.csv", keep_default_na=False)
    expected = pd.read_csv(Path(__file__).parents[1] / "samples" / "expected.csv", keep_default_na=False)
    for code in ("CN", "US"):  # whole counting: papers with at least one row in the country
        want = expected.loc[expected.country == code, "file"].nunique()
        assert countries.loc[countries.country == code, "papers"].item() == want
    assert (published / "institutions.csv").is_file() and (published / "report.html").is_file()
    assert main(["publish", str(published)]) == 0 and main(["publish", str(published / "nope")]) == 2


def test_compare_two_runs(published: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    frame = pd.read_csv(published / "countries.csv", keep_default_na=False)
    frame.loc[frame.country == "US", "share"] = 0.9
    frame.to_csv(other / "countries.csv", index=False)
    shutil.copy(published / "institutions.csv", other / "institutions.csv")
    assert main(["compare", str(published), str(other), "--out", str(tmp_path / "cmp")]) == 0
    changes = pd.read_csv(tmp_path / "cmp" / "compare_countries.csv", keep_default_na=False).set_index("country")
    us = frame.set_index("country").loc["US", "share"]
    before = pd.read_csv(published / "countries.csv", keep_default_na=False).set_index("country").loc["US", "share"]
    assert changes.loc["US", "share_change"] == pytest.approx(us - before, abs=1e-4)
    assert (tmp_path / "cmp" / "compare.html").is_file()
    assert main(["compare", str(published), str(tmp_path / "missing")]) == 2


def _browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("chromium/chromedriver not installed (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--window-size=1400,3000",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def test_report_renders_in_headless_chromium_and_matches_the_csvs(published: Path) -> None:
    browser = _browser()
    try:
        browser.get((published / "report.html").resolve().as_uri())
        charts = browser.find_elements("css selector", "svg.chart")
        assert {c.get_attribute("data-chart") for c in charts} >= {
            "countries",
            "institutions",
            "sectors",
            "us_cn",
            "collaboration",
        }
        for chart in charts:  # drawn: marks with a real size on screen
            sizes = browser.execute_script(
                "return Array.from(arguments[0].querySelectorAll('rect.bar, rect.cell'))"
                ".map(r => r.getBoundingClientRect().width * r.getBoundingClientRect().height)",
                chart,
            )
            assert sizes and max(sizes) > 10, chart.get_attribute("data-chart")
        metric = {
            e.get_attribute("data-metric"): e.text for e in browser.find_elements("css selector", "[data-metric]")
        }
        papers = pd.read_csv(published / "papers.csv", keep_default_na=False)
        authored = papers[papers.n_authors > 0]
        with_country = authored[authored.countries != ""]
        assert int(metric["papers"]) == len(authored)
        assert int(metric["papers_with_country"]) == len(with_country)
        us_cn = (with_country.countries.str.contains("US") & with_country.countries.str.contains("CN")).mean()
        assert float(metric["us_cn_share"]) == pytest.approx(us_cn, abs=1e-3)
        shown = browser.execute_script(
            "return Array.from(document.querySelectorAll('table[data-table=countries] tbody tr'))"
            ".map(tr => Array.from(tr.children).map(td => td.textContent))"
        )
        countries = pd.read_csv(published / "countries.csv", keep_default_na=False)
        assert [(r[0], int(r[2])) for r in shown] == list(zip(countries.country, countries.papers, strict=True))
        bars = browser.find_elements("css selector", "svg[data-chart=countries] rect.bar[data-series='0']")
        assert [float(b.get_attribute("data-value")) for b in bars] == list(countries.papers.astype(float))
    finally:
        browser.quit()
