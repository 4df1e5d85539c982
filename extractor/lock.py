"""One run at a time per output folder: a second `affil run` on the same OUT_DIR refuses clearly."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = "affil.lock"


class LockedError(RuntimeError):
    """Another process holds the output folder."""


class OutDirLock:
    """A POSIX record lock (lockf) on OUT_DIR/affil.lock. Unlike flock, it is not inherited by the
    forked extraction workers, so a kill -9 of the run frees the folder at once; the kernel drops
    it when the process ends, however it ends."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_NAME
        self.handle: int | None = None

    def __enter__(self) -> OutDirLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
        self.handle = handle
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.handle is not None:
            os.ftruncate(self.handle, 0)
            fcntl.lockf(self.handle, fcntl.LOCK_UN)
            os.close(self.handle)
            self.handle = None
