"""The SQLite run store: migrations and resume bookkeeping."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from extractor.records import ExtractedPaper, NormalizedPaper
from extractor.store import MIGRATIONS, RunStore
from extractor.version import StageVersions


def test_new_store_is_fully_migrated_and_reopens(tmp_path: Path) -> None:
    with RunStore.in_dir(tmp_path) as store:
        assert store.schema_version == len(MIGRATIONS)
    with RunStore.in_dir(tmp_path) as store:  # migrating twice is a no-op
        assert store.schema_version == len(MIGRATIONS)


def test_store_from_newer_version_is_refused(tmp_path: Path) -> None:
    RunStore.in_dir(tmp_path).close()
    db = sqlite3.connect(tmp_path / "affil.sqlite")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer affil"):
        RunStore.in_dir(tmp_path)


def test_is_done_depends_on_file_hash_and_each_stage_version(tmp_path: Path) -> None:
    v1 = StageVersions("e1", "n1")
    with RunStore.in_dir(tmp_path) as store:
        extracted = ExtractedPaper(file="a.pdf", paper_id="p1")
        store.save("sha-1", v1, extracted, NormalizedPaper(file="a.pdf", paper_id="p1", title="T"))
        assert store.is_done("a.pdf", "sha-1", v1)
        assert not store.is_done("a.pdf", "sha-2", v1)
        assert not store.is_done("a.pdf", "sha-1", StageVersions("e2", "n1"))
        assert not store.is_done("a.pdf", "sha-1", StageVersions("e1", "n2"))
        assert [p.title for p in store.normalized()] == ["T"]
        assert store.extracted("a.pdf") == extracted


def test_a_paper_waiting_for_the_llm_is_not_done(tmp_path: Path) -> None:
    v1 = StageVersions("e1", "n1")
    with RunStore.in_dir(tmp_path) as store:
        paper = NormalizedPaper(file="a.pdf", paper_id="p1")
        store.save("sha-1", v1, ExtractedPaper(file="a.pdf", paper_id="p1"), paper, llm_pending=True)
        assert not store.is_done("a.pdf", "sha-1", v1)
        store.save("sha-1", v1, ExtractedPaper(file="a.pdf", paper_id="p1"), paper)
        assert store.is_done("a.pdf", "sha-1", v1)


def test_stage_versions_ignore_code_outside_the_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing the report (publish/) must not invalidate cached extractions; editing extract/ must."""
    import shutil

    from extractor import version as version_module

    package = tmp_path / "extractor"
    shutil.copytree(version_module.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__", "*.gz"))
    monkeypatch.setattr(version_module, "PACKAGE_DIR", package)

    def versions() -> tuple[str, str]:
        version_module.stage_version.cache_clear()
        return version_module.stage_version("extract"), version_module.stage_version("normalize")

    before = versions()
    (package / "publish" / "report.py").write_text("# new CSS\n", encoding="utf-8")
    assert versions() == before
    (package / "normalize" / "rules.py").write_text("# new rules\n", encoding="utf-8")
    assert versions()[0] == before[0] and versions()[1] != before[1]
    (package / "extract" / "layout.py").write_text("# new layout\n", encoding="utf-8")
    assert versions()[0] != before[0]
    version_module.stage_version.cache_clear()
