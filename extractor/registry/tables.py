"""The registry's tables, either parsed whole into memory or read key by key from the on-disk
cache (``cache.py``); ``Registry`` uses both the same way (``get``, ``[index]``, ``len``)."""

from __future__ import annotations

import marshal
import os
import sqlite3
import threading
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol


class Lookup(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...


class Rows(Protocol):
    def __getitem__(self, index: int) -> list: ...

    def __len__(self) -> int: ...


KV_TABLES = ("names", "acronyms", "domains", "accented", "cities", "tokens", "by_id", "skeletons")


@dataclass(slots=True)
class Tables:
    orgs: Rows
    names: Lookup
    acronyms: Lookup
    domains: Lookup
    accented: Lookup
    cities: Lookup
    tokens: Lookup
    by_id: Lookup
    skeletons: Lookup  # name without connective words -> org indices (``text.name_skeleton``)
    countries: Callable[[], dict[str, str]]
    name_list: Callable[[], list[str]]
    vocabulary: Callable[[], list[str]]  # the informative words of all names (the token index's keys)

    @classmethod
    def from_payload(cls, payload: dict) -> Tables:
        """Everything in dictionaries; indexes the payload lacks (older files, tests) are derived."""
        from .text import normalize_name

        rows: list[list] = payload["orgs"]
        names: dict[str, list[int]] = payload["names"]
        tokens = by_length(payload.get("tokens") or index_tokens(list(names)), list(names))
        cities = payload.get("cities") or {normalize_name(c): 1 for c in {r[3] for r in rows} if c}
        name_list = list(names)
        countries = dict(payload.get("countries", {}))
        return cls(
            orgs=rows,
            names=names,
            acronyms=payload["acronyms"],
            domains=payload["domains"],
            accented=payload.get("accented", {}),
            cities=cities,
            tokens=tokens,
            by_id={row[0]: i for i, row in enumerate(rows)},
            skeletons=payload.get("skeletons") or index_skeletons(names),
            countries=lambda: countries,
            name_list=lambda: name_list,
            vocabulary=lambda: list(tokens),
        )


def index_tokens(names: list[str]) -> dict[str, list[int]]:
    """Word -> positions (in ``names``) of the names that contain it, without stop words."""
    from .vocab import STOP_TOKENS

    index: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        for token in set(name.split()):
            if token not in STOP_TOKENS:
                index.setdefault(token, []).append(position)
    return index


def index_skeletons(names: dict[str, list[int]]) -> dict[str, list[int]]:
    """Skeleton of each name -> the records bearing a name with that skeleton."""
    from .text import name_skeleton

    index: dict[str, list[int]] = {}
    for name, positions in names.items():
        skeleton = name_skeleton(name)
        if skeleton:
            known = index.setdefault(skeleton, [])
            known.extend(p for p in positions if p not in known)
    return index


def by_length(tokens: dict[str, list[int]], names: list[str]) -> dict[str, list[int]]:
    """Each posting ordered by the length of its names, so that a fuzzy lookup takes the names of
    a plausible length as one slice."""
    return {token: sorted(posting, key=lambda p: len(names[p])) for token, posting in tokens.items()}


class _Connection:
    """One read-only connection per process (a forked worker opens its own) and thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        local = self._local
        conn = getattr(local, "conn", None)
        if conn is None or local.pid != os.getpid():
            conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            local.conn, local.pid = conn, os.getpid()
        return conn


def key_hashes(keys: Iterable[str]) -> bytes:
    """The sorted CRC-32s of a table's keys: a lookup whose hash is absent needs no query."""
    return array("I", sorted({zlib.crc32(key.encode()) for key in keys})).tobytes()


class _SqlLookup:
    """``get`` over one key-value table, remembering every answer (hits and misses). Most
    lookups miss (every window of words is tried as a name), so the keys' hashes are checked
    in memory before SQLite is asked."""

    __slots__ = ("_conn", "_hashes", "_memo", "_read_hashes", "_sql")

    def __init__(self, conn: _Connection, table: str, read_hashes: Callable[[], bytes]) -> None:
        self._conn = conn
        self._sql = f"SELECT v FROM {table} WHERE k = ?"
        self._memo: dict[str, Any] = {}
        self._read_hashes = read_hashes
        self._hashes: array | None = None

    def get(self, key: str, default: Any = None) -> Any:
        memo = self._memo
        if key in memo:
            value = memo[key]
        elif not self._may_have(key):
            value = memo[key] = None
        else:
            row = self._conn.get().execute(self._sql, (key,)).fetchone()
            value = memo[key] = None if row is None else marshal.loads(row[0])
        return default if value is None else value

    def _may_have(self, key: str) -> bool:
        hashes = self._hashes
        if hashes is None:  # a sorted array: read in a millisecond, so a cold start stays quick
            hashes = self._hashes = array("I")
            hashes.frombytes(self._read_hashes())
        wanted = zlib.crc32(key.encode())
        at = bisect_left(hashes, wanted)
        return at < len(hashes) and hashes[at] == wanted


class _SqlRows:
    __slots__ = ("_conn", "_count", "_memo")

    def __init__(self, conn: _Connection, count: int) -> None:
        self._conn = conn
        self._count = count
        self._memo: dict[int, list] = {}

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> list:
        row = self._memo.get(index)
        if row is None:
            if not 0 <= index < self._count:
                raise IndexError(index)
            found = self._conn.get().execute("SELECT v FROM orgs WHERE i = ?", (index,)).fetchone()
            row = self._memo[index] = marshal.loads(found[0])
        return row


def sqlite_tables(path: Path) -> Tables:
    conn = _Connection(path)
    meta: dict[str, Any] = {}

    def read_meta(key: str) -> Any:
        if key not in meta:
            row = conn.get().execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
            meta[key] = marshal.loads(row[0])
        return meta[key]

    def name_list() -> list[str]:
        if "name_list" not in meta:
            meta["name_list"] = read_meta("names_text").split("\n")
        return meta["name_list"]  # type: ignore[no-any-return]

    lookups = {table: _SqlLookup(conn, table, partial(read_meta, f"hashes:{table}")) for table in KV_TABLES}
    return Tables(
        orgs=_SqlRows(conn, read_meta("count")),
        countries=lambda: read_meta("countries"),
        name_list=name_list,
        vocabulary=lambda: read_meta("vocabulary").split("\n"),
        **lookups,  # type: ignore[arg-type]
    )


def write_sqlite(payload: dict, path: Path) -> None:
    """The payload as a key-value database: every value marshalled, one row per key."""
    from .text import normalize_name

    rows: list[list] = payload["orgs"]
    names: dict[str, list[int]] = payload["names"]
    name_list = list(names)
    tables: dict[str, Any] = {
        "names": names,
        "acronyms": payload["acronyms"],
        "domains": payload["domains"],
        "accented": payload.get("accented", {}),
        "cities": {normalize_name(c): 1 for c in {r[3] for r in rows} if c},
        "tokens": by_length(payload.get("tokens") or index_tokens(name_list), name_list),
        "by_id": {row[0]: i for i, row in enumerate(rows)},
        "skeletons": payload.get("skeletons") or index_skeletons(names),
    }
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID")
        conn.execute("CREATE TABLE orgs (i INTEGER PRIMARY KEY, v BLOB)")
        conn.executemany("INSERT INTO orgs VALUES (?, ?)", ((i, marshal.dumps(r)) for i, r in enumerate(rows)))
        for table, mapping in tables.items():
            conn.execute(f"CREATE TABLE {table} (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID")
            conn.executemany(f"INSERT INTO {table} VALUES (?, ?)", ((k, marshal.dumps(v)) for k, v in mapping.items()))
        meta: dict[str, Any] = {
            "count": len(rows),
            "countries": dict(payload.get("countries", {})),
            "names_text": "\n".join(name_list),
            "vocabulary": "\n".join(tables["tokens"]),
            **{f"hashes:{table}": key_hashes(mapping) for table, mapping in tables.items()},
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", ((k, marshal.dumps(v)) for k, v in meta.items()))
        conn.commit()
    finally:
        conn.close()
