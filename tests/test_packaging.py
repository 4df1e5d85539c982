"""A non-editable install (a wheel) carries the prompt templates and finds them without a checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractor.llm.prompt import CHECKOUT, load_template

from .conftest import ROOT

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "extractor", "prompts")


@pytest.mark.slow
def test_a_wheel_ships_the_prompts_and_an_installed_copy_finds_them(tmp_path: Path) -> None:
    source = tmp_path / "src"  # a copy, so the build leaves nothing in the checkout
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    assert not (source / "extractor" / "prompts").exists(), "the checkout must not hold a built copy"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if build.returncode and ("No matching distribution" in build.stderr or "Could not find a version" in build.stderr):
        pytest.skip("pip cannot reach a package index for the build backend (setuptools)")
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("affil-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [p.relative_to(CHECKOUT).as_posix() for p in sorted(CHECKOUT.rglob("*")) if p.is_file()]
    assert shipped and all(f"extractor/prompts/{name}" in names for name in shipped), sorted(names)

    site = tmp_path / "site"  # the wheel unpacked is what `pip install` puts in site-packages
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import extractor; from extractor.llm.prompt import load_template, prompts_dir\n"
        "print(extractor.__file__); print(prompts_dir()); print(load_template().version)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=True,
        timeout=120,
    )
    module, folder, version = found.stdout.split()
    assert Path(module).is_relative_to(site) and Path(folder) == site / "extractor" / "prompts"
    assert version == load_template().version  # the same templates as the checkout's prompts/
