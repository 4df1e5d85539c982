"""Build step that pyproject.toml cannot express: ship the top-level prompts/ inside the package.

The prompt templates live at the top of the repository (prompts/, where people edit and review them),
but an installed affil must find them without a checkout. Building a wheel (`pip install .`,
`pip wheel .`, `python -m build`) copies prompts/ to extractor/prompts/ in the build; the copy exists
only there, never in the source tree. extractor/llm/prompt.py looks for extractor/prompts/ first and
falls back to the checkout's prompts/ (editable installs and PYTHONPATH runs). MANIFEST.in puts
prompts/ into the sdist, so a wheel built from the sdist has them too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PROMPTS = Path(__file__).resolve().parent / "prompts"


class BuildPyWithPrompts(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # editable: prompt.py reads the checkout's prompts/
            return
        target = Path(self.build_lib) / "extractor" / "prompts"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(PROMPTS, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        target = Path(self.build_lib) / "extractor" / "prompts"
        prompts = [str(target / p.relative_to(PROMPTS)) for p in sorted(PROMPTS.rglob("*")) if p.is_file()]
        return [*super().get_outputs(include_bytecode), *prompts]


setup(cmdclass={"build_py": BuildPyWithPrompts})
