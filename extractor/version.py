"""The code versions recorded with every stage result, one per stage.

A stage's version changes whenever the code or data that stage depends on change, so a
re-run redoes work made by older code and skips the rest. Each stage hashes only what
it reads: editing the report (publish/) or the CLI invalidates no cached extraction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

# What each stage's result depends on, relative to the package (folders are read whole).
_GROUND = ("records.py", "flags.py", "registry", "data")
STAGE_INPUTS: dict[str, tuple[str, ...]] = {
    "extract": (*_GROUND, "extract"),
    "normalize": (*_GROUND, "extract", "normalize"),
    "llm": ("llm",),
}


def package_version() -> str:
    try:
        return version("affil")
    except PackageNotFoundError:
        return "0+unknown"


@cache
def stage_version(stage: str) -> str:
    digest = hashlib.sha1()
    for part in STAGE_INPUTS[stage]:
        root = PACKAGE_DIR / part
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.suffix in {".py", ".csv", ".gz", ".json"} and "__pycache__" not in path.parts:
                digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{package_version()}+{stage}.{digest.hexdigest()[:10]}"


@dataclass(frozen=True, slots=True)
class StageVersions:
    """The versions a paper's stored results must carry to count as done."""

    extract: str
    normalize: str

    @classmethod
    def current(cls, llm_signature: str = "") -> StageVersions:
        """This code's versions; the LLM setup is part of the normalization when the LLM runs."""
        normalize = stage_version("normalize")
        if llm_signature:
            normalize += f"|{stage_version('llm')}|{llm_signature}"
        return cls(stage_version("extract"), normalize)
