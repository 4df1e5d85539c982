"""`affil fetch` and `affil run SOURCE EDITION` against a local copy of the proceedings sites."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pymupdf
import pytest

from extractor.cli import main
from extractor.extract.listed_authors import check_against_listing
from extractor.fetch import FetchRequest, fetch, select
from extractor.fetch.download import DownloadOptions, is_complete_pdf, target_path
from extractor.fetch.errors import FetchError
from extractor.fetch.neurips import parse_index, pdf_url_of
from extractor.records import ExtractedAuthor, ExtractedPaper, ListingEntry
from extractor.store import RunStore

from .conftest import needs_shared
from .fake_proceedings import FakeProceedings, Paper, Site, default_site, neurips_pdf_path
from .processes import kill_when

needs_proceedings = needs_shared("proceedings")  # the fake sites are built from its metadata
FAST = DownloadOptions(concurrency=4, timeout=5.0, backoff_initial=0.01, backoff_max=0.05)


@pytest.fixture
def site():
    with FakeProceedings() as server:
        yield server


def _fetch(site: FakeProceedings, out: Path, source: str, edition: str, **options) -> object:
    request = FetchRequest(
        source, edition, out, base_url=site.base_url, download=options.pop("download", FAST), **options
    )
    return fetch(request)


def _pdfs(out: Path) -> list[Path]:
    return sorted((out / "pdfs").rglob("*.pdf"))


@pytest.mark.parametrize("year", [2019, 2023, 2025])
@needs_proceedings
def test_neurips_every_era_lists_and_downloads(site: FakeProceedings, tmp_path: Path, year: int) -> None:
    summary = _fetch(site, tmp_path, "neurips", str(year))
    papers = site.site.neurips[year]
    assert (summary.listed, summary.downloaded, len(summary.failed)) == (len(papers), len(papers), 0)
    assert all(is_complete_pdf(p) for p in _pdfs(tmp_path)) and len(_pdfs(tmp_path)) == len(papers)
    with RunStore.in_dir(tmp_path) as store:
        listing = store.listing()
    entry = listing[f"neurips{year}/{papers[0].key}.pdf"]
    assert (entry.title, entry.authors) == (papers[0].title, papers[0].authors)
    if year == 2025:
        tracks = {e.track for e in listing.values()}
        assert tracks == {"main", "datasets_and_benchmarks"}


@needs_proceedings
def test_pdf_url_from_the_abstract_page_when_the_hash_pattern_misses(site: FakeProceedings, tmp_path: Path) -> None:
    moved = next(iter(site.site.moved_pdfs))
    _fetch(site, tmp_path, "neurips", "2019")
    assert site.hits[f"/moved/{moved}.pdf"] == 1
    assert is_complete_pdf(tmp_path / "pdfs" / "neurips2019" / f"{moved}.pdf")


@needs_proceedings
def test_pmlr_volumes_in_both_pdf_url_eras(site: FakeProceedings, tmp_path: Path) -> None:
    assert _fetch(site, tmp_path, "icml", "2015").downloaded == len(site.site.pmlr[37])  # /v37/key.pdf
    assert _fetch(site, tmp_path, "uai", "2019").downloaded == len(site.site.pmlr[115])  # /v115/key/key.pdf
    assert site.hits["/v115/abu-el-haija20a/abu-el-haija20a.pdf"] == 1
    assert (tmp_path / "pdfs" / "v37" / "ahn15.pdf").is_file()
    assert not any("supp" in p.name for p in _pdfs(tmp_path))


@needs_proceedings
def test_openreview_needs_login_when_anonymous_access_is_refused(
    site: FakeProceedings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.require_login = True
    monkeypatch.delenv("OPENREVIEW_USERNAME", raising=False)
    with pytest.raises(FetchError, match="OPENREVIEW_USERNAME"):
        _fetch(site, tmp_path, "iclr", "2024")
    monkeypatch.setenv("OPENREVIEW_USERNAME", "me@example.org")
    monkeypatch.setenv("OPENREVIEW_PASSWORD", "secret")
    assert _fetch(site, tmp_path, "iclr", "2024").downloaded == 3


@pytest.mark.parametrize(
    "faults",
    [
        [("status", 429, {"Retry-After": "0"})],
        [("status", 503), ("status", 503), ("status", 503)],  # a burst
        [("reset",)],
        [("truncate",)],
        [("slow", 2.0)],  # past the 1 s read timeout of this test
    ],
)
@needs_proceedings
def test_transient_faults_are_retried(site: FakeProceedings, tmp_path: Path, faults: list) -> None:
    paper = site.site.neurips[2019][0]
    path = neurips_pdf_path(2019, paper)
    site.faults[path].extend(faults)
    options = DownloadOptions(concurrency=4, timeout=1.0, backoff_initial=0.01, backoff_max=0.05)
    summary = _fetch(site, tmp_path, "neurips", "2019", download=options)
    assert not summary.failed
    assert site.hits[path] == len(faults) + 1
    assert is_complete_pdf(tmp_path / "pdfs" / "neurips2019" / f"{paper.key}.pdf")


@pytest.mark.parametrize(
    ("fault", "message"),
    [(("html",), "text/html, not a PDF"), (("redirect_loop",), "redirect loop"), (("status", 404), "HTTP 404")],
)
@needs_proceedings
def test_permanent_failures_are_reported_and_the_rest_goes_on(
    site: FakeProceedings, tmp_path: Path, fault: tuple, message: str
) -> None:
    paper = site.site.neurips[2019][0]
    site.faults[neurips_pdf_path(2019, paper)].extend([fault] * 30)
    site.faults[f"/paper_files/paper/2019/hash/{paper.key}-Abstract.html"].extend([("status", 404)])
    summary = _fetch(site, tmp_path, "neurips", "2019")
    assert [r.entry.key for r in summary.failed] == [paper.key]
    assert message in summary.failed[0].error
    assert summary.downloaded == len(site.site.neurips[2019]) - 1
    assert not (tmp_path / "pdfs" / "neurips2019" / f"{paper.key}.pdf").exists()
    with RunStore.in_dir(tmp_path) as store:
        assert store.download_statuses()[f"neurips2019/{paper.key}.pdf"] == "failed"


@needs_proceedings
def test_a_listing_whose_structure_changed_is_a_clear_error(site: FakeProceedings, tmp_path: Path) -> None:
    site.index_override["/paper_files/paper/2019"] = "<html><body><div class='new-layout'>soon</div></body></html>"
    with pytest.raises(FetchError, match=r"neurips 2019: no paper links .*structure may have changed"):
        _fetch(site, tmp_path, "neurips", "2019")
    out = tmp_path / "cli"
    assert main(["fetch", "neurips", "2019", "--out", str(out), "--base-url", site.base_url]) == 2
    assert main(["fetch", "neurips", "1800", "--out", str(out), "--base-url", site.base_url]) == 2  # 404 index
    assert main(["fetch", "icml", "1999", "--out", str(out)]) == 2  # no such volume: no request made


@needs_proceedings
def test_nothing_is_written_outside_the_output_folder(site: FakeProceedings, tmp_path: Path) -> None:
    good = site.base_url + neurips_pdf_path(2019, site.site.neurips[2019][0])
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{good}\n{good.rsplit('/', 1)[0]}/..%2F..%2Fevil%20name;rm.pdf\n# a comment\n")
    out = tmp_path / "out"
    summary = _fetch(site, out, "urls", str(urls))
    files = [p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.suffix == ".pdf"]
    assert all(str(f).startswith("pdfs/urls/") for f in files)
    assert not list(tmp_path.glob("evil*"))
    assert summary.downloaded == 1 and len(summary.failed) == 1  # the odd name is a 404 here, saved nowhere
    with pytest.raises(Exception, match="outside"):
        target_path(out, "../escape.pdf")


@needs_proceedings
def test_limit_sample_and_first_pages(site: FakeProceedings, tmp_path: Path) -> None:
    summary = _fetch(site, tmp_path, "neurips", "2019", limit=2,
                     download=DownloadOptions(timeout=5.0, first_pages=1))  # fmt: skip
    assert (summary.listed, summary.selected, summary.downloaded) == (6, 2, 2)
    assert all(pymupdf.open(p).page_count == 1 for p in _pdfs(tmp_path))
    entries = [ListingEntry(source="x", venue="x", key=str(i), pdf_url="u") for i in range(10)]
    assert select(entries, None, 3, seed=1) == select(entries, None, 3, seed=1)
    assert len(select(entries, 2, 5, seed=1)) == 2 and select(entries, 4, None, 0) == entries[:4]


@needs_proceedings
def test_rerun_skips_finished_files(site: FakeProceedings, tmp_path: Path) -> None:
    _fetch(site, tmp_path, "neurips", "2019")
    hits = site.pdf_hits()
    (tmp_path / "pdfs" / "neurips2019" / f"{site.site.neurips[2019][2].key}.pdf").write_bytes(b"%PDF-1.4 broken")
    again = _fetch(site, tmp_path, "neurips", "2019")
    assert (again.skipped, again.downloaded) == (5, 1)  # only the corrupt file is fetched again
    assert site.pdf_hits() == hits + 1


@needs_proceedings
def test_killed_fetch_resumes_without_corrupt_files_or_repeats(tmp_path: Path) -> None:
    site_data = default_site(n_neurips=12)
    with FakeProceedings(site_data) as site:
        for paper in site_data.neurips[2019][4:]:
            site.faults[neurips_pdf_path(2019, paper)].append(("slow", 3.0))
        out = tmp_path / "out"
        command = [sys.executable, "-m", "extractor.cli", "fetch", "neurips", "2019", "--out", str(out),
                   "--base-url", site.base_url, "--concurrency", "2"]  # fmt: skip
        kill_when(command, lambda: len(list((out / "pdfs").rglob("*.pdf"))) >= 3, timeout=30)
        finished = {p.name for p in (out / "pdfs").rglob("*.pdf")}
        assert 3 <= len(finished) < 12
        assert all(is_complete_pdf(p) for p in (out / "pdfs").rglob("*.pdf"))  # final names are always whole
        before = dict(site.hits)
        assert subprocess.run(command, capture_output=True).returncode == 0
        assert len(list((out / "pdfs").rglob("*.pdf"))) == 12 and not list((out / "pdfs").rglob("*.part"))
        for name in finished:  # no finished file was downloaded again
            paper = next(p for p in site_data.neurips[2019] if f"{p.key}.pdf" == name)
            assert site.hits[neurips_pdf_path(2019, paper)] == before.get(neurips_pdf_path(2019, paper), 0)


@needs_proceedings
def test_run_a_conference_year_in_one_command(site: FakeProceedings, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", "neurips", "2019", "--out", str(out), "--base-url", site.base_url, "--jobs", "1"]) == 0
    papers = pd.read_csv(out / "papers.csv", keep_default_na=False)
    assert len(papers) == len(site.site.neurips[2019])
    authors = pd.read_csv(out / "authors.csv", keep_default_na=False)
    first = site.site.neurips[2019][0]
    got = authors[authors.file == f"neurips2019/{first.key}.pdf"]
    assert list(got.author) == first.authors  # the listing's names, in order
    assert set(got.country) == {"US"}
    assert main(["run", "nosuch", "2019", "--out", str(out)]) == 2


def test_listing_names_repair_what_the_page_gave() -> None:
    paper = ExtractedPaper(
        file="a.pdf",
        paper_id="x",
        authors=[ExtractedAuthor(name="Jos´e Garc´ia", affiliations=["MIT"]), ExtractedAuthor(name="Stray Line")],
    )
    fixed = check_against_listing(paper, ["José García", "Li Na"])
    assert [a.name for a in fixed.authors] == ["José García", "Li Na", "Stray Line"]
    assert fixed.authors[0].affiliations == ["MIT"]
    assert {"authors_from_listing", "authors_not_in_listing"} <= set(fixed.flags)
    anonymous = paper.model_copy(update={"flags": ["anonymous_submission"], "authors": []})
    assert check_against_listing(anonymous, ["Li Na"]).authors == []


def test_neurips_markup_helpers() -> None:
    assert pdf_url_of("https://x/paper_files/paper/2023/hash/" + "a" * 32 + "-Abstract-Conference.html") == (
        "https://x/paper_files/paper/2023/file/" + "a" * 32 + "-Paper-Conference.pdf"
    )
    html = '<li><a href="/paper_files/paper/2019/hash/' + "b" * 32 + '-Abstract.html">T</a> <i>A B, C D</i></li>'
    [entry] = parse_index(html, "http://h", 2019)
    assert (entry.title, entry.authors, entry.file) == ("T", ["A B", "C D"], f"neurips2019/{'b' * 32}.pdf")
    assert Site() and Paper("k", "t", [])


@needs_proceedings
def test_listing_page_retry_honours_an_http_date_retry_after(site: FakeProceedings, tmp_path: Path) -> None:
    """Listing pages take the same retry path as PDFs: a Retry-After given as an HTTP date is waited on."""
    from email.utils import formatdate

    index = "/paper_files/paper/2019"
    soon = formatdate(time.time() + 1.5, usegmt=True)
    site.faults[index].extend([("status", 429, {"Retry-After": soon}), ("status", 503, {"Retry-After": "0"})])
    started = time.monotonic()
    summary = _fetch(site, tmp_path, "neurips", "2019")
    assert site.hits[index] == 3 and not summary.failed
    assert time.monotonic() - started >= 0.4  # the date was honoured (rounded to whole seconds)
