"""The SQLite run store: migrations and resume bookkeeping."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from extractor.records import ExtractedPaper, NormalizedPaper
from extractor.store import MIGRATIONS, RunStore


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


def test_is_done_depends_on_file_hash_and_code_version(tmp_path: Path) -> None:
    with RunStore.in_dir(tmp_path) as store:
        extracted = ExtractedPaper(file="a.pdf", paper_id="p1")
        store.save("sha-1", "v1", extracted, NormalizedPaper(file="a.pdf", paper_id="p1", title="T"))
        assert store.is_done("a.pdf", "sha-1", "v1")
        assert not store.is_done("a.pdf", "sha-2", "v1")
        assert not store.is_done("a.pdf", "sha-1", "v2")
        assert [p.title for p in store.normalized()] == ["T"]
        assert store.extracted("a.pdf") == extracted
