"""The command line: it starts without the pipeline's heavy imports, and messages that carry outside
text (paths, extra names, printed affiliations) print it literally, brackets included."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import main

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "openai", "pyarrow", "pebble", "pymupdf", "fitz", "textual", "rapidfuzz", "httpx", "pydantic")


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_importing_the_cli_and_building_its_parser_loads_no_heavy_module() -> None:
    loaded = _modules_after("import extractor.cli\nextractor.cli.build_parser()")
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY), sorted(m for m in loaded if m.split(".")[0] in HEAVY)


def test_help_of_every_command_answers(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ([], ["run"], ["fetch"], ["review"], ["publish"], ["compare"], ["match"], ["validate"],
                    ["gold", "sample"], ["gold", "check"]):  # fmt: skip
        with pytest.raises(SystemExit) as stopped:
            main([*command, "--help"])
        assert stopped.value.code == 0
        assert "usage: affil" in capsys.readouterr().out


def test_paths_with_brackets_print_literally(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdfs = tmp_path / "papers [x] [red]"
    pdfs.mkdir()
    shutil.copy(sample_dir / "pdfs" / "grid_columns.pdf", pdfs / "good [b].pdf")
    (pdfs / "broken [dim].pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    out = tmp_path / "out [bold]"
    assert main(["run", str(pdfs), "--out", str(out), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert f"wrote {out / 'papers.csv'} and {out / 'authors.csv'}" in err
    assert "corrupt: broken [dim].pdf: " in err
    assert main(["run", str(tmp_path / "missing [x]"), "--out", str(out)]) == 2
    assert f"error: {tmp_path / 'missing [x]'} is not a folder" in capsys.readouterr().err
    assert main(["publish", str(out)]) == 0
    assert f"report.html to {out}" in capsys.readouterr().err


def test_missing_dask_names_the_extra(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `from distributed import ...` raises ImportError
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    shutil.copy(sample_dir / "pdfs" / "grid_columns.pdf", pdfs)
    assert main(["run", str(pdfs), "--out", str(tmp_path / "out"), "--executor", "dask"]) == 2
    assert "error: --executor dask needs `pip install 'affil[dask]'` (dask.distributed)" in capsys.readouterr().err


def test_review_screen_shows_printed_text_literally(tmp_path: Path) -> None:
    from textual.widgets import DataTable, Static

    from extractor.registry.organizations import default_registry
    from extractor.review.app import ReviewApp
    from extractor.review.groups import ReviewGroup
    from extractor.store import RunStore

    raw = "[1] Lab of [bold]Things[/bold], [x] University of Oxford"
    group = ReviewGroup(key="k", raw=raw, files=["a.pdf"], rows=1, flags=["no_registry_match"], authors=["A [b] B"])
    shown: dict[str, str] = {}
    with RunStore.in_dir(tmp_path) as store:
        app = ReviewApp(store, default_registry(), [group], "tester", {"a.pdf": "On [i]Things[/i]\nA [b] B"})

        async def look() -> None:
            async with app.run_test() as pilot:
                await pilot.pause()
                for name in ("status", "raw", "context"):
                    shown[name] = str(app.query_one(f"#{name}", Static).render())
                assert app.query_one(DataTable).row_count > 0  # candidates are shown (as Text, not markup)

        asyncio.run(look())
    assert shown["raw"] == raw
    assert shown["status"].endswith("authors: A [b] B")
    assert shown["context"] == "On [i]Things[/i]\nA [b] B"


def test_review_list_prints_raw_strings_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from extractor.cli.review import _list
    from extractor.review.groups import ReviewGroup

    monkeypatch.setenv("COLUMNS", "200")
    group = ReviewGroup(key="k", raw="[a] Dept. [x], Quux", files=["a.pdf"], rows=1, flags=["no_registry_match"])
    _list([group], False, Console(stderr=True))
    assert "[a] Dept. [x], Quux" in capsys.readouterr().out
