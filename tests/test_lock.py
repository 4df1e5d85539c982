"""One writer per OUT_DIR: every writing command refuses while another process holds the folder, and
the lock is re-entrant inside one process (fetch, then run, then publish) without leaking it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractor.cli import main
from extractor.lock import OutDirLock

from .fake_proceedings import FakeProceedings, Site

HOLD = (
    "import sys, time; from pathlib import Path; from extractor.lock import OutDirLock\n"
    "with OutDirLock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)"
)
TRY = (
    "import sys; from pathlib import Path; from extractor.lock import LockedError, OutDirLock\n"
    "try:\n    OutDirLock(Path(sys.argv[1])).__enter__()\nexcept LockedError:\n    sys.exit(3)"
)


@contextmanager
def held_by_another_process(out: Path) -> Iterator[int]:
    """Another affil run, as far as the folder can tell; yields its pid."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


def _another_process_can_lock(out: Path) -> bool:
    return subprocess.run([sys.executable, "-c", TRY, str(out)], check=False).returncode == 0


def test_nested_holders_keep_the_folder_locked_until_the_outer_one_leaves(tmp_path: Path) -> None:
    with OutDirLock(tmp_path):
        with OutDirLock(tmp_path):
            pass
        assert not _another_process_can_lock(tmp_path), "leaving the inner holder must not free the folder"
    assert _another_process_can_lock(tmp_path)


def test_publish_fetch_and_review_refuse_while_a_run_holds_the_folder(sample_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["run", str(sample_dir), "--out", str(out), "--jobs", "1"]) == 0
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("raw_affiliation,action,ror_id,institution,country\n")
    capsys.readouterr()
    with held_by_another_process(out) as pid, FakeProceedings(Site()) as site:  # refused before any request
        assert main(["publish", str(out)]) == 2
        assert main(["fetch", "neurips", "2019", "--out", str(out), "--base-url", site.base_url]) == 2
        assert main(["run", "neurips", "2019", "--out", str(out), "--base-url", site.base_url]) == 2
        assert not (out / "pdfs").exists(), "nothing may be fetched into a folder in use"
        assert main(["review", str(out), "--list"]) == 0  # reading is allowed
        assert main(["review", str(out), "--import", str(overrides)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err.count(f"in use by another affil run (pid {pid})") == 4
    assert main(["publish", str(out)]) == 0  # freed when the holder died
