"""Child processes for fault tests: kill -9 at a chosen moment."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable


def kill_when(command: list[str], ready: Callable[[], bool], timeout: float = 60) -> None:
    """Start ``command``, SIGKILL it as soon as ``ready()`` is true (no chance to clean up)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while process.poll() is None and not ready() and time.time() < deadline:
        time.sleep(0.01)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
