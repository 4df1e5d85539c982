"""A new user's first day: unusable arguments, odd input and no network end in one clear line and
the documented exit code, never a traceback; a run that finds nothing to do leaves nothing behind."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.lock import LOCK_NAME
from extractor.version import package_version


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def _closed_port() -> str:
    """A local URL where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"affil {package_version()}"


def test_out_pointing_at_a_file_is_exit_2(sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "results.csv"
    target.write_text("mine\n")
    assert main(["run", str(sample_dir / "pdfs"), "--out", str(target), "--jobs", "1"]) == 2
    assert "is a file, not a folder" in _one_line(capsys.readouterr().err)
    assert target.read_text() == "mine\n"
    assert main(["fetch", "urls", "-", "--out", str(target)]) == 2  # every command that takes the folder


def test_an_empty_input_folder_leaves_nothing_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no PDFs here")
    out = tmp_path / "new" / "out"
    assert main(["run", str(empty), "--out", str(out)]) == 2
    assert "no PDF files under" in _one_line(capsys.readouterr().err)
    assert not (tmp_path / "new").exists(), "no output folder (nor its parent) may be left behind"
    assert main(["run", str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert not (tmp_path / "new").exists()
    mine = tmp_path / "mine"  # a folder the user made: kept, but no lock file in it
    mine.mkdir()
    assert main(["run", str(empty), "--out", str(mine)]) == 2
    assert mine.is_dir() and list(mine.iterdir()) == []


def test_a_finished_run_keeps_its_lock_file(sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(sample_dir / "pdfs"), "--out", str(out), "--jobs", "1"]) == 0
    assert (out / LOCK_NAME).exists() and (out / "papers.csv").exists()


def test_match_input_that_is_not_utf8_is_decoded_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "latin1.txt"
    source.write_bytes("Stanford University\nUniversité de Montréal\nMIT\nÉcole Polytechnique\n".encode("latin-1"))
    assert main(["match", "--input", str(source)]) == 0
    captured = capsys.readouterr()
    outputs = captured.out.splitlines()
    assert len(outputs) == 4 and '"Universit\ufffd de Montr\ufffdal"' in outputs[1]  # one line out per line in
    warning = _one_line(captured.err)
    assert f"{source}: lines 2, 4 are not UTF-8" in warning and "U+FFFD" in warning


@pytest.mark.parametrize(
    "source",
    [
        ["fetch", "iclr", "2024"],
        ["fetch", "openreview", "NeurIPS.cc/2024/Conference"],
        ["fetch", "neurips", "2024"],
        ["run", "icml", "2023"],
    ],
)
def test_no_network_is_one_clear_line_and_exit_2(
    source: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_sleep = asyncio.sleep
    monkeypatch.setattr(asyncio, "sleep", lambda _seconds, *a, **k: real_sleep(0))  # listing retries, no waiting
    out = tmp_path / "out"
    base = _closed_port()
    assert main([*source, "--out", str(out), "--base-url", base, "--fetch-timeout", "5"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("error: ") and base in line, line
    assert not out.exists(), "a fetch that listed nothing leaves no folder"
