"""One writer at a time per output folder: a second `affil run`, `fetch`, `publish` or review on the same
OUT_DIR refuses clearly instead of interleaving writes to the run store and the tables."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import ClassVar, NamedTuple

LOCK_NAME = "affil.lock"


class OutDirError(RuntimeError):
    """OUT_DIR cannot be used: it is a file, cannot be created, or is held by another run."""


class LockedError(OutDirError):
    """OUT_DIR is being written by another affil process."""


class _Held(NamedTuple):
    handle: int
    holders: int
    created: tuple[Path, ...]  # the lock file and the folders this process made, deepest first


class OutDirLock:
    """A POSIX record lock (lockf) on OUT_DIR/affil.lock. Unlike flock, it is not inherited by the
    forked extraction workers, so a kill -9 of the run frees the folder at once; the kernel drops
    it when the process ends, however it ends.

    Re-entrant within one process (`affil run neurips 2024` fetches, then runs, then publishes):
    POSIX drops every lock a process holds on a file as soon as any descriptor of that file is
    closed, so nested holders share one descriptor instead of opening their own.

    A run that wrote nothing (no PDFs, a listing that could not be read) leaves nothing behind: when
    the outermost holder leaves and the folder holds only the lock file this holder created, the lock
    file goes, and so do the folders it created."""

    _held: ClassVar[dict[Path, _Held]] = {}  # resolved path -> the shared descriptor

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_NAME

    def __enter__(self) -> OutDirLock:
        folder = self.path.parent
        if folder.exists() and not folder.is_dir():
            raise OutDirError(f"{folder} is a file, not a folder; give --out a new folder or an earlier run's")
        made = tuple(p for p in (folder, *folder.parents) if not p.exists())
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutDirError(f"cannot create the output folder {folder}: {exc.strerror or exc}") from exc
        key = self.path.resolve()
        if key in self._held:
            held = self._held[key]
            self._held[key] = held._replace(holders=held.holders + 1)
            return self
        created = not self.path.exists()
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:  # EACCES or EAGAIN: held by another process
            holder = os.read(handle, 64).decode(errors="replace").strip() or "another process"
            os.close(handle)
            raise LockedError(
                f"{self.path.parent} is in use by another affil run (pid {holder}); wait for it to finish, "
                "or use another --out"
            ) from exc
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode())
        self._held[key] = _Held(handle, 1, ((self.path, *made) if created else ()))
        return self

    def __exit__(self, *_exc: object) -> None:
        key = self.path.resolve()
        held = self._held[key]
        if held.holders > 1:
            self._held[key] = held._replace(holders=held.holders - 1)
            return
        del self._held[key]
        os.ftruncate(held.handle, 0)
        if held.created and os.listdir(self.path.parent) == [LOCK_NAME]:
            _remove_while_locked(held.created)
        fcntl.lockf(held.handle, fcntl.LOCK_UN)
        os.close(held.handle)


def _remove_while_locked(created: tuple[Path, ...]) -> None:
    """Unlink the lock file (still locked, so no other run can be inside) and rmdir the folders made
    for it, deepest first, stopping at the first that is not empty."""
    lock_file, *folders = created
    lock_file.unlink(missing_ok=True)
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            break
