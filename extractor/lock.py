"""One writer at a time per output folder: a second `affil run`, `fetch`, `publish` or review on the same
OUT_DIR refuses clearly instead of interleaving writes to the run store and the tables."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import ClassVar

LOCK_NAME = "affil.lock"


class LockedError(RuntimeError):
    """OUT_DIR is being written by another affil process."""


class OutDirLock:
    """A POSIX record lock (lockf) on OUT_DIR/affil.lock. Unlike flock, it is not inherited by the
    forked extraction workers, so a kill -9 of the run frees the folder at once; the kernel drops
    it when the process ends, however it ends.

    Re-entrant within one process (`affil run neurips 2024` fetches, then runs, then publishes):
    POSIX drops every lock a process holds on a file as soon as any descriptor of that file is
    closed, so nested holders share one descriptor instead of opening their own."""

    _held: ClassVar[dict[Path, tuple[int, int]]] = {}  # resolved path -> (descriptor, holders)

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_NAME

    def __enter__(self) -> OutDirLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        key = self.path.resolve()
        if key in self._held:
            handle, holders = self._held[key]
            self._held[key] = (handle, holders + 1)
            return self
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
        self._held[key] = (handle, 1)
        return self

    def __exit__(self, *_exc: object) -> None:
        key = self.path.resolve()
        handle, holders = self._held[key]
        if holders > 1:
            self._held[key] = (handle, holders - 1)
            return
        del self._held[key]
        os.ftruncate(handle, 0)
        fcntl.lockf(handle, fcntl.LOCK_UN)
        os.close(handle)
