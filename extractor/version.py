"""The code version recorded with every stage result.

It changes whenever the package's code or data change, so a re-run redoes work
made by older code and skips work made by this code.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def package_version() -> str:
    try:
        return version("affil")
    except PackageNotFoundError:
        return "0+unknown"


@cache
def code_version() -> str:
    digest = hashlib.sha1()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in {".py", ".csv", ".gz"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{package_version()}+{digest.hexdigest()[:10]}"
