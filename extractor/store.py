"""The run store: one SQLite database per output folder.

It records every paper and each stage's result with the code version that made
it, so a re-run skips finished work and a crash loses at most the paper in flight.
Migrations are forward-only: each entry of ``MIGRATIONS`` runs once, in order,
and ``PRAGMA user_version`` remembers how far a database has come.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from .records import AuthorDecision, Decision, ExtractedPaper, ListingEntry, NormalizedPaper
from .version import StageVersions

STORE_NAME = "affil.sqlite"

MIGRATIONS: list[str] = [
    # 1: papers and the two per-paper stage results
    """
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        code_version TEXT NOT NULL,
        pdf_dir TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE papers (
        file TEXT PRIMARY KEY,
        paper_id TEXT NOT NULL,
        sha1 TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT NOT NULL DEFAULT '',
        code_version TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE extractions (
        file TEXT PRIMARY KEY REFERENCES papers(file),
        code_version TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE TABLE normalizations (
        file TEXT PRIMARY KEY REFERENCES papers(file),
        code_version TEXT NOT NULL,
        record TEXT NOT NULL
    );
    """,
    # 2: the LLM step: an answer cache, open Batch API jobs, and usage per run
    """
    CREATE TABLE llm_cache (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        prompt_version TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        content TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE llm_batches (
        batch_id TEXT PRIMARY KEY,
        keys TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    ALTER TABLE runs ADD COLUMN llm_calls INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN llm_cache_hits INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN completion_tokens INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN cost_usd REAL;
    """,
    # 3: the fetch stage's listing: what the proceedings say about each paper, and its download
    """
    CREATE TABLE listing (
        file TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        venue TEXT NOT NULL,
        key TEXT NOT NULL,
        record TEXT NOT NULL,
        download_status TEXT NOT NULL DEFAULT 'listed',
        bytes INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    );
    """,
    # 4: review decisions, one per normalized raw affiliation string
    """
    CREATE TABLE decisions (
        key TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL
    );
    """,
    # 5: "waiting for the LLM" is a column of its own (it was a '|pending' suffix of the version),
    # and duplicate files point at the paper they repeat
    """
    ALTER TABLE papers ADD COLUMN llm_pending INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE papers ADD COLUMN duplicate_of TEXT NOT NULL DEFAULT '';
    UPDATE papers SET llm_pending = 1, code_version = substr(code_version, 1, length(code_version) - 8)
        WHERE code_version LIKE '%|pending';
    """,
    # 6: per-paper review decisions: an affiliation (a printed line or a typed institution) given to
    # one author of one paper, for what a raw string cannot settle (authors with no affiliation)
    """
    CREATE TABLE author_decisions (
        file TEXT NOT NULL,
        author_index INTEGER NOT NULL,
        record TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (file, author_index)
    );
    """,
]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class NoRunStoreError(RuntimeError):
    """The folder given holds no run."""


class RunStore:
    """Typed access to the run database; every write commits at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.migrate()

    @classmethod
    def in_dir(cls, out_dir: Path) -> RunStore:
        return cls(out_dir / STORE_NAME)

    @classmethod
    def existing(cls, out_dir: Path) -> RunStore:
        """The store of a run that has happened; commands that only read or republish one use this."""
        if not (out_dir / STORE_NAME).is_file():
            raise NoRunStoreError(f"{out_dir} has no {STORE_NAME}; run `affil run ... --out {out_dir}`")
        return cls.in_dir(out_dir)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        current = self.schema_version
        if current > len(MIGRATIONS):
            raise RuntimeError(f"{self.path} was written by a newer affil (schema {current}); upgrade affil")
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.db:
                self.db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    def start_run(self, code_version: str, pdf_dir: str, options: str) -> int:
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO runs (started_at, code_version, pdf_dir, options) VALUES (?, ?, ?, ?)",
                (_now(), code_version, pdf_dir, options),
            )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int) -> None:
        with self.db:
            self.db.execute("UPDATE runs SET finished_at = ? WHERE run_id = ?", (_now(), run_id))

    def pdf_dirs(self) -> list[str]:
        """The PDF folders runs read, newest first, as they were given (a relative one is relative to
        where that run was started)."""
        rows = self.db.execute("SELECT pdf_dir FROM runs ORDER BY run_id DESC").fetchall()
        return list(dict.fromkeys(row[0] for row in rows))

    def is_done(self, file: str, sha1: str, versions: StageVersions) -> bool:
        """The paper's stored results were made from this file by this code and are final."""
        row = self.db.execute(
            "SELECT p.sha1, p.llm_pending, e.code_version, n.code_version"
            " FROM papers p JOIN extractions e USING (file) JOIN normalizations n USING (file) WHERE file = ?",
            (file,),
        ).fetchone()
        return row is not None and tuple(row) == (sha1, 0, versions.extract, versions.normalize)

    def save(
        self,
        sha1: str,
        versions: StageVersions,
        extracted: ExtractedPaper,
        normalized: NormalizedPaper,
        llm_pending: bool = False,
    ) -> None:
        """Both stage results of one paper, in one transaction; ``llm_pending``: the rules' result,
        waiting for the LLM step (not final, so a re-run takes it up again)."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO papers"
                " (file, paper_id, sha1, status, error, code_version, updated_at, llm_pending, duplicate_of)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, '')",
                (
                    extracted.file,
                    extracted.paper_id,
                    sha1,
                    normalized.status.value,
                    normalized.error,
                    versions.normalize,
                    _now(),
                    int(llm_pending),
                ),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO extractions VALUES (?, ?, ?)",
                (extracted.file, versions.extract, extracted.model_dump_json()),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO normalizations VALUES (?, ?, ?)",
                (normalized.file, versions.normalize, normalized.model_dump_json()),
            )

    def normalized(self, files: set[str] | None = None) -> Iterator[NormalizedPaper]:
        """Stored normalizations in file order, optionally only of ``files``."""
        for file, record in self.db.execute("SELECT file, record FROM normalizations ORDER BY file"):
            if files is None or file in files:
                yield NormalizedPaper.model_validate_json(record)

    def extractions(self) -> Iterator[ExtractedPaper]:
        """Every stored extraction (with its evidence: the boxes of the printed lines)."""
        for (record,) in self.db.execute("SELECT record FROM extractions ORDER BY file"):
            yield ExtractedPaper.model_validate_json(record)

    def extracted(self, file: str) -> ExtractedPaper | None:
        row = self.db.execute("SELECT record FROM extractions WHERE file = ?", (file,)).fetchone()
        return None if row is None else ExtractedPaper.model_validate_json(row[0])

    # -- LLM answers ----------------------------------------------------------

    def cached_answer(self, key: str) -> tuple[str, int, int] | None:
        """(content, prompt tokens, completion tokens) of a cached LLM answer."""
        row = self.db.execute(
            "SELECT content, prompt_tokens, completion_tokens FROM llm_cache WHERE key = ?", (key,)
        ).fetchone()
        return None if row is None else (str(row[0]), int(row[1]), int(row[2]))

    def cache_answer(
        self, key: str, model: str, prompt_version: str, input_hash: str, content: str, tokens: tuple[int, int]
    ) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO llm_cache VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, model, prompt_version, input_hash, content, tokens[0], tokens[1], _now()),
            )

    def open_batches(self) -> list[tuple[str, list[list[str]]]]:
        rows = self.db.execute("SELECT batch_id, keys FROM llm_batches WHERE status = 'open' ORDER BY created_at")
        return [(str(batch_id), json.loads(keys)) for batch_id, keys in rows]

    def add_batch(self, batch_id: str, keys: list[list[str]]) -> None:
        with self.db:
            self.db.execute("INSERT INTO llm_batches VALUES (?, ?, 'open', ?)", (batch_id, json.dumps(keys), _now()))

    def close_batch(self, batch_id: str, status: str) -> None:
        with self.db:
            self.db.execute("UPDATE llm_batches SET status = ? WHERE batch_id = ?", (status, batch_id))

    def record_llm_usage(
        self, run_id: int, calls: int, cache_hits: int, tokens: tuple[int, int], cost: float | None
    ) -> None:
        with self.db:
            self.db.execute(
                "UPDATE runs SET llm_calls = ?, llm_cache_hits = ?, prompt_tokens = ?, completion_tokens = ?, "
                "cost_usd = ? WHERE run_id = ?",
                (calls, cache_hits, tokens[0], tokens[1], cost, run_id),
            )

    # -- fetch listing ----------------------------------------------------------

    def save_listing(self, entries: list[ListingEntry]) -> None:
        """Listing rows keep their download status when listed again."""
        with self.db:
            self.db.executemany(
                "INSERT INTO listing (file, source, venue, key, record, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(file) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at",
                [(e.file, e.source, e.venue, e.key, e.model_dump_json(), _now()) for e in entries],
            )

    def mark_download(self, file: str, status: str, size: int, error: str) -> None:
        with self.db:
            self.db.execute(
                "UPDATE listing SET download_status = ?, bytes = ?, error = ?, updated_at = ? WHERE file = ?",
                (status, size, error, _now(), file),
            )

    def listing(self) -> dict[str, ListingEntry]:
        """Listing entries by file (relative to OUT_DIR/pdfs)."""
        rows = self.db.execute("SELECT file, record FROM listing")
        return {file: ListingEntry.model_validate_json(record) for file, record in rows}

    def download_statuses(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT file, download_status FROM listing").fetchall())

    # -- review decisions ---------------------------------------------------------

    def decisions(self) -> dict[str, Decision]:
        rows = self.db.execute("SELECT record FROM decisions")
        return {d.key: d for d in (Decision.model_validate_json(r[0]) for r in rows)}

    def save_decision(self, decision: Decision) -> Decision:
        """Upsert; stamps the time when the decision carries none."""
        stamped = decision if decision.decided_at else decision.model_copy(update={"decided_at": _now()})
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?)",
                (stamped.key, stamped.model_dump_json(), stamped.reviewer, stamped.decided_at),
            )
        return stamped

    def delete_decision(self, key: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM decisions WHERE key = ?", (key,))

    # -- per-paper (author) decisions ------------------------------------------------------

    def author_decisions(self) -> dict[tuple[str, int], AuthorDecision]:
        rows = self.db.execute("SELECT record FROM author_decisions")
        return {(d.file, d.author_index): d for d in (AuthorDecision.model_validate_json(r[0]) for r in rows)}

    def save_author_decision(self, decision: AuthorDecision) -> AuthorDecision:
        stamped = decision if decision.decided_at else decision.model_copy(update={"decided_at": _now()})
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO author_decisions VALUES (?, ?, ?, ?, ?)",
                (stamped.file, stamped.author_index, stamped.model_dump_json(), stamped.reviewer, stamped.decided_at),
            )
        return stamped

    def delete_author_decision(self, file: str, author_index: int) -> None:
        with self.db:
            self.db.execute("DELETE FROM author_decisions WHERE file = ? AND author_index = ?", (file, author_index))

    def count(self, table: str) -> int:
        if table not in {
            "papers",
            "extractions",
            "normalizations",
            "runs",
            "llm_cache",
            "llm_batches",
            "listing",
            "decisions",
            "author_decisions",
        }:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
