"""The import graph points down only: ground floor <- stages <- orchestration <- CLI.

Layers (README, Architecture): a module may import its own layer's siblings only where
STAGE_DEPENDS allows, and any layer below its own. No package cycles (checked by the
same graph: an upward arrow is the only way to close one between layers).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "extractor"

GROUND = {
    "records",
    "flags",
    "modes",
    "definitions",
    "decisions",
    "registry",
    "store",
    "lock",
    "retry",
    "version",
    "data",
    "messages",
    "sources",
}
STAGES = {"fetch", "extract", "normalize", "llm", "validate", "review", "publish"}
ORCHESTRATION = {"paper_task", "executors", "pipeline"}
TOP = {"cli"}
LAYER = {**dict.fromkeys(GROUND, 0), **dict.fromkeys(STAGES, 1), **dict.fromkeys(ORCHESTRATION, 2), "cli": 3}
# The only stage-to-stage arrows: the LLM step grounds its answers with the rule matcher, and
# `affil match --eval` (validate) scores that matcher on labeled strings.
STAGE_DEPENDS = {"llm": {"normalize"}, "validate": {"normalize"}}


def _part_of(module: str) -> str:
    """'extractor.registry.text' -> 'registry'."""
    return module.split(".")[1]


def _imports() -> list[tuple[str, str, str]]:
    """(file, importing part, imported part) for every import inside the package."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        package = package.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    targets = [".".join([*base, node.module] if node.module else base)]
                else:
                    targets = [node.module or ""]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                if target.startswith("extractor.") and module.count(".") >= 1:
                    found.append((str(rel), _part_of(module), _part_of(target)))
    return found


def test_every_part_of_the_package_has_a_layer():
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir() if not p.name.startswith("__")}
    parts.discard("py")
    assert parts <= set(LAYER), f"no layer for: {sorted(parts - set(LAYER))}"


def test_imports_point_down_only():
    upward = []
    for file, source, target in _imports():
        if source == target:
            continue
        if LAYER[target] > LAYER[source]:
            upward.append(f"{file}: {source} -> {target}")
        elif LAYER[target] == LAYER[source] == 1 and target not in STAGE_DEPENDS.get(source, set()):
            upward.append(f"{file}: stage {source} -> stage {target}")
    assert not upward, "\n".join(upward)
