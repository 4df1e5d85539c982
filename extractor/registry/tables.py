"""The registry's tables, either parsed whole into memory or read key by key from the on-disk
cache (``cache.py``); ``Registry`` uses both the same way (``get``, ``[index]``, ``len``)."""

from __future__ import annotations

import marshal
import os
import sqlite3
import threading
import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol


class Lookup(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...


class Rows(Protocol):
    def __getitem__(self, index: int) -> list: ...

    def __len__(self) -> int: ...


KV_TABLES = ("names", "acronyms", "domains", "accented", "cities", "tokens", "by_id", "skeletons", "near")


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
    near: Lookup  # the token index's words of 4+ letters by first letter and length ("r7": [...])
    countries: Callable[[], dict[str, str]]
    name_list: Callable[[], list[str]]
    name_lengths: Callable[[], Sequence[int]]  # len() of each of name_list's names

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
            near=near_words(tokens),
            countries=lambda: countries,
            name_list=lambda: name_list,
            name_lengths=lambda: [len(name) for name in name_list],
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


def near_words(words: Iterable[str]) -> dict[str, list[str]]:
    """Words of four letters or more by first letter and length, in order: what a misspelt word
    is compared with (grouped once when the cache is built, not in every process)."""
    near: dict[str, list[str]] = {}
    for word in words:
        if len(word) >= 4:
            near.setdefault(f"{word[0]}{len(word)}", []).append(word)
    return near


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
            # Pages read from the mapped file: a fresh connection's empty page cache then costs
            # no read() per page (a cold pass reads a few thousand pages).
            conn.execute("PRAGMA mmap_size = 268435456")
            local.conn, local.pid = conn, os.getpid()
        return conn


def key_bits(keys: Iterable[str]) -> bytes:
    """A bit per leading bits of a table's keys' CRC-32s, about 32 bits per key: a lookup whose
    bit is unset needs no query (a set one may be another key's, 1 in 20 or fewer; SQLite then
    answers). One indexing per lookup instead of a binary search."""
    hashes = {zlib.crc32(key.encode()) for key in keys}
    size = max(13, (32 * len(hashes)).bit_length())  # log2 of the number of bits
    bits = bytearray(1 << (size - 3))
    for wanted in hashes:
        wanted >>= 32 - size
        bits[wanted >> 3] |= 1 << (wanted & 7)
    return bytes(bits)


class _SqlLookup:
    """``get`` over one key-value table, remembering every answer (hits and misses). Most
    lookups miss (every window of words is tried as a name), so the keys' hash bits are checked
    in memory before SQLite is asked."""

    __slots__ = ("_bits", "_conn", "_memo", "_read_bits", "_shift", "_sql")

    def __init__(self, conn: _Connection, table: str, read_bits: Callable[[], bytes]) -> None:
        self._conn = conn
        self._sql = f"SELECT v FROM {table} WHERE k = ?"
        self._memo: dict[str, Any] = {}
        self._read_bits = read_bits
        self._bits: bytes | None = None
        self._shift = 0

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
        bits = self._bits
        if bits is None:  # at most a megabyte: read in a millisecond, so a cold start stays quick
            bits = self._bits = self._read_bits()
            self._shift = 33 - (8 * len(bits)).bit_length()
        wanted = zlib.crc32(key.encode()) >> self._shift
        return bool(bits[wanted >> 3] >> (wanted & 7) & 1)


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

    lookups = {table: _SqlLookup(conn, table, partial(read_meta, f"bits:{table}")) for table in KV_TABLES}
    return Tables(
        orgs=_SqlRows(conn, read_meta("count")),
        countries=lambda: read_meta("countries"),
        name_list=name_list,
        name_lengths=lambda: array("I", read_meta("name_lengths")),
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
    tables["near"] = near_words(tables["tokens"])
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
            "name_lengths": array("I", map(len, name_list)).tobytes(),
            **{f"bits:{table}": key_bits(mapping) for table, mapping in tables.items()},
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", ((k, marshal.dumps(v)) for k, v in meta.items()))
        conn.commit()
    finally:
        conn.close()
