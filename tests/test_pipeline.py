"""`affil run` and `affil match` end to end, resume, and bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pymupdf
import pytest

from extractor.cli import main
from extractor.pipeline import RunOptions, run_pipeline
from extractor.publish import AUTHORS_COLUMNS, PAPERS_COLUMNS
from extractor.store import RunStore


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_run_on_samples_matches_expected_labels(sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(sample_dir), "--out", str(out), "--jobs", "2"]) == 0
    authors, papers = _read(out / "authors.csv"), _read(out / "papers.csv")
    assert list(authors.columns) == AUTHORS_COLUMNS
    assert list(papers.columns) == PAPERS_COLUMNS
    expected = _read(sample_dir / "expected.csv")
    keys = ["file", "author_index", "affiliation_index"]
    got = authors[[*keys, "author", "institution", "ror_id", "country"]]
    merged = expected.merge(got, on=keys, how="outer", suffixes=("_want", "_got"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    for column in ("author", "institution", "ror_id", "country"):
        assert (merged[f"{column}_want"] == merged[f"{column}_got"]).all(), merged[[f"{column}_want", f"{column}_got"]]
    row = papers.set_index("file").loc["pdfs/neurips_markers.pdf"]
    assert (row["countries"], row["us_cn_collab"], row["status"]) == ("CN;US", "True", "ok")
    assert papers.set_index("file").loc["pdfs/anonymous.pdf", "n_authors"] == "0"


def test_rerun_skips_finished_papers_and_force_redoes(sample_dir: Path, tmp_path: Path) -> None:
    options = RunOptions(pdf_dir=sample_dir, out_dir=tmp_path / "out", jobs=1)
    n = len(list(sample_dir.rglob("*.pdf")))
    first = run_pipeline(options)
    assert (first.processed, first.skipped) == (n, 0)
    second = run_pipeline(options)
    assert (second.processed, second.skipped) == (0, n)
    options.force = True
    assert run_pipeline(options).processed == n


def test_interrupted_run_resumes_without_losing_finished_papers(
    sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = RunStore.save
    calls = {"n": 0}

    def crash_on_third(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RunStore, "save", crash_on_third)
    options = RunOptions(pdf_dir=sample_dir, out_dir=tmp_path / "out", jobs=1)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(options)
    with RunStore.in_dir(options.out_dir) as store:
        assert store.count("normalizations") == 2
    monkeypatch.setattr(RunStore, "save", real)
    resumed = run_pipeline(options)
    n = len(list(sample_dir.rglob("*.pdf")))
    assert (resumed.skipped, resumed.processed) == (2, n - 2)
    assert len(_read(options.out_dir / "papers.csv")) == n


def test_bad_files_get_a_status_and_the_run_goes_on(bad_pdf_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(bad_pdf_dir), "--out", str(out)]) == 0
    status = _read(out / "papers.csv").set_index("file")["status"].to_dict()
    assert status == {
        "good.pdf": "ok",
        "empty.pdf": "empty",
        "not_pdf.pdf": "not_pdf",
        "corrupt.pdf": "corrupt",
        "encrypted.pdf": "encrypted",
        "scanned.pdf": "no_text",
    }


def test_exit_code_is_nonzero_only_when_nothing_could_be_processed(bad_pdf_dir: Path, tmp_path: Path) -> None:
    (bad_pdf_dir / "good.pdf").unlink()
    assert main(["run", str(bad_pdf_dir), "--out", str(tmp_path / "out")]) == 1
    assert main(["run", str(tmp_path / "missing"), "--out", str(tmp_path / "o2")]) == 2


def test_slow_pdf_hits_the_time_limit(tmp_path: Path, sample_dir: Path) -> None:
    import pymupdf

    folder = tmp_path / "slow"
    folder.mkdir()
    doc = pymupdf.open()
    page = doc.new_page(width=3000, height=3000)
    words = " ".join(f"w{i}" for i in range(400))
    for y in range(20, 2990, 3):  # thousands of lines: seconds of text extraction
        page.insert_text((10, y), words, fontsize=2)
    doc.save(folder / "huge.pdf")
    summary = run_pipeline(RunOptions(pdf_dir=folder, out_dir=tmp_path / "out", jobs=1, timeout=0.2))
    assert summary.statuses["timeout"] == 1


def test_llm_without_an_endpoint_is_refused_clearly(
    sample_dir: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("AFFIL_CONFIG", str(tmp_path / "none.toml"))
    assert main(["run", str(sample_dir), "--out", str(tmp_path / "o"), "--llm", "auto"]) == 2
    assert "needs an endpoint" in capsys.readouterr().err


def test_match_prints_one_json_object() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "match", "Dept. of CS, Tsinghua Univ., Beijing"],
        capture_output=True,
        text=True,
        check=True,
    )
    record = json.loads(result.stdout)
    assert list(record)[:6] == ["affiliation", "institution", "ror_id", "country", "confidence", "flags"]
    assert {"unit", "unit_ror_id", "organizations"} <= set(record)
    assert (record["institution"], record["ror_id"], record["country"]) == ("Tsinghua University", "03cve4549", "CN")


def test_match_input_file_keeps_order(tmp_path: Path, capsys) -> None:
    source = tmp_path / "affs.txt"
    source.write_text("Peking University\nnothing known here\nETH Zurich\n", encoding="utf-8")
    assert main(["match", "--input", str(source)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["affiliation"] for r in lines] == ["Peking University", "nothing known here", "ETH Zurich"]
    assert lines[1]["ror_id"] == ""
    assert lines[2]["country"] == "CH"


def test_duplicates_are_one_paper(tmp_path: Path, sample_dir: Path) -> None:
    """A byte-identical copy is listed as `duplicate`; a same-titled file is flagged and counted once."""
    pdfs = tmp_path / "pdfs"
    (pdfs / "again").mkdir(parents=True)
    shutil.copy(sample_dir / "pdfs" / "grid_columns.pdf", pdfs / "a.pdf")
    shutil.copy(sample_dir / "pdfs" / "grid_columns.pdf", pdfs / "again" / "b.pdf")
    shutil.copy(sample_dir / "pdfs" / "neurips_markers.pdf", pdfs / "c.pdf")
    doc = pymupdf.open(sample_dir / "pdfs" / "neurips_markers.pdf")
    doc.set_metadata({"title": "another copy"})  # other bytes, the same printed title
    doc.save(pdfs / "d.pdf")
    summary = run_pipeline(RunOptions(pdf_dir=pdfs, out_dir=tmp_path / "out", jobs=1))
    assert summary.statuses["duplicate"] == 1 and summary.failed == 0
    papers = pd.read_csv(tmp_path / "out" / "papers.csv", keep_default_na=False).set_index("file")
    assert papers.loc["again/b.pdf", "status"] == "duplicate"
    assert papers.loc["again/b.pdf", "duplicate_of"] == "a.pdf"
    assert "duplicate_title" in papers.loc["c.pdf", "flags"] and "duplicate_title" in papers.loc["d.pdf", "flags"]
    assert papers.loc["c.pdf", "duplicate_of"] == "" and papers.loc["d.pdf", "duplicate_of"] == "c.pdf"
    countries = pd.read_csv(tmp_path / "out" / "countries.csv", keep_default_na=False)
    single = tmp_path / "single"
    single.mkdir()
    shutil.copy(sample_dir / "pdfs" / "grid_columns.pdf", single / "a.pdf")
    shutil.copy(sample_dir / "pdfs" / "neurips_markers.pdf", single / "c.pdf")
    run_pipeline(RunOptions(pdf_dir=single, out_dir=tmp_path / "single_out", jobs=1))
    expected = pd.read_csv(tmp_path / "single_out" / "countries.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(countries, expected)
    # a re-run skips all four, duplicates included
    again = run_pipeline(RunOptions(pdf_dir=pdfs, out_dir=tmp_path / "out", jobs=1))
    assert again.skipped == 4


def test_tables_are_published_while_a_long_run_works(tmp_path: Path, sample_dir: Path, monkeypatch) -> None:
    """Partial tables every N papers, so a run killed after 300 papers has CSVs of what it stored."""
    from extractor import pipeline

    seen: list[int] = []
    real = pipeline.publish_run

    def recording(store, out_dir, **options):
        outputs = real(store, out_dir, **options)
        seen.append(len(pd.read_csv(out_dir / "papers.csv")))
        return outputs

    monkeypatch.setattr(pipeline, "publish_run", recording)
    options = RunOptions(pdf_dir=sample_dir / "pdfs", out_dir=tmp_path / "out", jobs=1, publish_every_papers=3)
    summary = run_pipeline(options)
    papers = len(list((sample_dir / "pdfs").glob("*.pdf")))
    assert summary.processed == papers
    assert seen == [*range(3, papers + 1, 3), papers]  # a partial publish every 3 papers, then the final one
