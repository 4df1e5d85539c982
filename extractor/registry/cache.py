"""The registry's on-disk cache: the shipped ``registry.json.gz`` turned once into a SQLite
key-value file that later processes read key by key (a cold ``affil match`` reads a few dozen
rows, not 30 MB of JSON).

Where: ``$AFFIL_CACHE_DIR``, else ``$XDG_CACHE_HOME/affil``, else ``~/.cache/affil``; the file
name carries a hash of the data file's path, size and time, so a new registry gets a new cache. Built on first use (a
few seconds, once), written to a temporary file and renamed, so concurrent first uses are safe.
Where nothing can be written, the registry is parsed into memory as before.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import orjson

from .tables import Tables, sqlite_tables, write_sqlite

FORMAT = "6"  # 2: hashes of each table's keys; 3: the vocabulary of the token index; 4-5: skeletons;
# 6: that vocabulary grouped by first letter and length, the names' lengths, hash bits for hashes


def cache_dir() -> Path:
    explicit = os.environ.get("AFFIL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "affil"


def cache_path(data_path: Path) -> Path:
    """Named after the data file's path, size and modification time (reading 11 MB to hash them
    would cost more than the rest of a cold start)."""
    stat = data_path.stat()
    stamp = f"{FORMAT}|{data_path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    digest = hashlib.blake2b(stamp.encode(), digest_size=10).hexdigest()
    return cache_dir() / f"registry-{digest}.sqlite"


def open_cached(data_path: Path) -> Tables:
    """Tables over the cache of ``data_path``, building it first when missing."""
    target = cache_path(data_path)
    if target.is_file():
        try:
            return sqlite_tables(target)
        except (sqlite3.Error, KeyError, TypeError, ValueError, EOFError):
            pass  # a damaged cache: build it again
    payload = orjson.loads(gzip.decompress(data_path.read_bytes()))
    try:
        build_cache(payload, target)
    except OSError:
        return Tables.from_payload(payload)
    return Tables.from_payload(payload)  # parsed already: this process keeps it in memory


def build_cache(payload: dict, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    os.close(handle)
    try:
        os.unlink(temporary)
        write_sqlite(payload, Path(temporary))
        os.replace(temporary, target)
    except (OSError, sqlite3.Error) as error:
        Path(temporary).unlink(missing_ok=True)
        raise OSError(str(error)) from error
