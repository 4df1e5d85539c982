"""Faults at scale: kill -9 in every stage, a full disk, two runs on one folder, a 1,000-page PDF,
the API key kept out of every output; and the Dask executor on a local cluster."""

from __future__ import annotations

import errno
import shutil
import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pymupdf
import pytest

from bench.synthetic import first_page, make_year
from extractor.cli import main
from extractor.executors import DASK_BATCH
from extractor.extract import extract_paper
from extractor.llm import LLMConfig
from extractor.store import RunStore

from .fake_openai import FakeOpenAI
from .processes import kill_when
from .test_llm import expected_responder
from .test_lock import held_by_another_process

TABLES = ("papers.csv", "authors.csv", "institutions.csv", "countries.csv")
AFFIL = [sys.executable, "-m", "extractor.cli"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdfs = tmp_path_factory.mktemp("corpus")
    for paper in make_year(300, seed=7):
        (pdfs / f"{paper.key}.pdf").write_bytes(first_page(paper))
    return pdfs


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same corpus processed without interruption."""
    out = tmp_path_factory.mktemp("reference")
    assert main(["run", str(corpus), "--out", str(out), "--jobs", "2"]) == 0
    return out


def _count(out: Path, table: str) -> int:
    try:
        with sqlite3.connect(out / "affil.sqlite", timeout=0.1) as db:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0


def _same_tables(a: Path, b: Path) -> None:
    for table in TABLES:
        assert (a / table).read_bytes() == (b / table).read_bytes(), table


@pytest.mark.slow
def test_kill_9_while_extracting_then_rerun_gives_identical_csvs(corpus: Path, reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    kill_when(
        [*AFFIL, "run", str(corpus), "--out", str(out), "--jobs", "1"], lambda: _count(out, "normalizations") >= 30
    )
    done = _count(out, "normalizations")
    assert 30 <= done < 300, "the kill must land mid-extraction"
    assert main(["run", str(corpus), "--out", str(out), "--jobs", "2"]) == 0
    with RunStore.in_dir(out) as store:
        assert store.count("normalizations") == store.count("papers") == 300  # nothing lost, nothing twice
    _same_tables(out, reference)


@pytest.mark.slow
def test_kill_9_while_publishing_leaves_whole_files_only(reference: Path, tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(corpus), "--out", str(out), "--jobs", "2"]) == 0
    for table in TABLES:
        (out / table).unlink()
    kill_when([*AFFIL, "publish", str(out)], lambda: (out / "papers.csv").exists())
    for table in TABLES:  # whatever exists under its final name is complete
        if (out / table).exists():
            assert (out / table).read_bytes() == (reference / table).read_bytes()
    assert main(["publish", str(out)]) == 0
    _same_tables(out, reference)


@pytest.mark.slow
def test_kill_9_during_the_llm_step_then_rerun(sample_dir: Path, tmp_path: Path) -> None:
    with FakeOpenAI(expected_responder(sample_dir / "expected.csv")) as llm:
        llm.latency = 0.4
        config = tmp_path / "llm.toml"
        config.write_text(f'[llm]\nbase_url = "{llm.base_url}"\nmodel = "fake"\nconcurrency = 1\n')
        clean, out = tmp_path / "clean", tmp_path / "out"
        run = ["run", str(sample_dir), "--llm", "all", "--llm-config", str(config), "--jobs", "1"]
        assert main([*run, "--out", str(clean)]) == 0
        asked = llm.chat_calls
        kill_when([*AFFIL, *run, "--out", str(out)], lambda: _count(out, "llm_cache") >= 3)
        assert 3 <= _count(out, "llm_cache") < asked
        assert main([*run, "--out", str(out)]) == 0
        assert llm.chat_calls <= 2 * asked + 1  # cached answers are not asked again (one may be in flight)
    for table in ("papers.csv", "authors.csv", "countries.csv"):
        assert (out / table).read_bytes() == (clean / table).read_bytes()


def test_disk_full_while_writing_outputs_is_a_clear_error(
    sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    out = tmp_path / "out"
    assert main(["run", str(sample_dir), "--out", str(out), "--jobs", "1"]) == 2
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert "disk is full" in err and "finished papers are kept" in err
    with RunStore.in_dir(out) as store:  # the work done before the write is not lost
        assert store.count("normalizations") == len(list(sample_dir.rglob("*.pdf")))
    assert not list(out.glob("*.tmp"))


def test_a_second_run_on_the_same_folder_refuses(sample_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    with held_by_another_process(out) as pid:
        assert main(["run", str(sample_dir), "--out", str(out)]) == 2
        assert f"in use by another affil run (pid {pid})" in " ".join(capsys.readouterr().err.split())
    assert main(["run", str(sample_dir), "--out", str(out), "--jobs", "1"]) == 0  # freed by the holder's death


def test_a_thousand_page_pdf_reads_page_one_only(tmp_path: Path) -> None:
    doc = pymupdf.open()
    for number in range(1000):
        page = doc.new_page(width=612, height=792)
        name = "Ada Quill" if number == 0 else f"Wrong Author {number}"
        page.insert_text(
            (72, 90), "A Very Long Book" if number == 0 else f"Chapter {number}", fontname="tibo", fontsize=16
        )
        page.insert_text((72, 130), name, fontname="tibo", fontsize=10)
        page.insert_text((72, 144), "Stanford University, Stanford, CA, USA", fontsize=9)
        page.insert_text((72, 200), "Abstract", fontname="tibo", fontsize=12)
    path = tmp_path / "book.pdf"
    doc.save(path)
    paper = extract_paper(path, "book.pdf")
    assert [a.name for a in paper.authors] == ["Ada Quill"] and paper.title == "A Very Long Book"


def test_the_api_key_never_appears_anywhere(sample_dir: Path, tmp_path: Path, monkeypatch, capfd) -> None:
    secret = "sk-affil-TOPSECRET-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    assert secret not in repr(LLMConfig(api_key=secret))
    with FakeOpenAI(expected_responder(sample_dir / "expected.csv")) as llm:
        out = tmp_path / "out"
        assert main(["run", str(sample_dir), "--out", str(out), "--llm-base-url", llm.base_url, "--jobs", "1"]) == 0
        assert all(r.get("model") for r in llm.chat_requests)
        llm.script.extend([("status", 401)] * 10)  # an error path prints the endpoint's message
        assert (
            main(
                ["run", str(sample_dir), "--out", str(tmp_path / "o2"), "--llm", "all", "--llm-base-url", llm.base_url]
            )
            == 2
        )
    printed = capfd.readouterr()
    assert secret not in printed.out + printed.err
    for folder in (out, tmp_path / "o2"):
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_dask_executor_on_a_local_cluster_gives_the_same_outputs(
    sample_dir: Path, bad_pdf_dir: Path, tmp_path: Path
) -> None:
    pytest.importorskip("distributed")
    mixed = tmp_path / "mixed"  # good papers and broken files, more than one batch of tasks
    shutil.copytree(sample_dir / "pdfs", mixed / "good")
    shutil.copytree(bad_pdf_dir, mixed / "bad")
    for copy in range(3):  # other bytes (a trailing comment), or they would be one paper each
        (mixed / f"again{copy}").mkdir()
        for pdf in (sample_dir / "pdfs").glob("*.pdf"):
            (mixed / f"again{copy}" / pdf.name).write_bytes(pdf.read_bytes() + f"\n% copy {copy}\n".encode())
    assert len(list(mixed.rglob("*.pdf"))) > DASK_BATCH
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["run", str(mixed), "--out", str(local), "--jobs", "2"]) == 0
    assert main(["run", str(mixed), "--out", str(dask), "--jobs", "2", "--executor", "dask"]) == 0
    _same_tables(dask, local)
    assert "corrupt" in (dask / "papers.csv").read_text()
    from distributed import LocalCluster  # an existing cluster, reached by its scheduler's address

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        existing = tmp_path / "existing"
        command = ["run", str(mixed), "--out", str(existing), "--executor", "dask"]
        assert main([*command, "--dask-address", cluster.scheduler_address]) == 0
        papers = len(list(mixed.rglob("*.pdf")))
        ran = cluster.scheduler.task_prefixes["process_papers"].state_counts["memory"]  # the work ran there
        assert ran == -(-papers // DASK_BATCH)
    _same_tables(existing, local)
    assert (
        main(
            [
                "run",
                str(sample_dir),
                "--out",
                str(tmp_path / "x"),
                "--executor",
                "dask",
                "--dask-address",
                "tcp://127.0.0.1:1",
            ]
        )
        == 2
    )
