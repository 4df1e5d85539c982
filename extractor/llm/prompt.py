"""Render one paper's author block into chat messages, from the versioned templates in prompts/."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..flags import Flag
from ..records import ExtractedPaper

PROMPT_NAME = "affiliations/v2"  # the LLM step's prompt: choose among registry candidates
PROMPT_V1 = "affiliations/v1"  # the earlier "retype the author block" prompt, kept loadable for comparison
_FILES = ("system.md", "paper.md", "examples.json", "schema.json")


PACKAGED = Path(__file__).resolve().parents[1] / "prompts"  # extractor/prompts/ of an installed wheel
CHECKOUT = Path(__file__).resolve().parents[2] / "prompts"  # prompts/ at the top of the repository


def prompts_dir() -> Path:
    """$AFFIL_PROMPTS_DIR when set; else the copy a wheel ships in the package (setup.py puts the
    top-level prompts/ there at build time); else prompts/ at the top of the checkout (editable
    installs and PYTHONPATH runs)."""
    override = os.environ.get("AFFIL_PROMPTS_DIR")
    if override:
        return Path(override)
    return PACKAGED if PACKAGED.is_dir() else CHECKOUT


@dataclass(frozen=True, slots=True)
class PromptTemplate:
    name: str
    version: str  # name + hash of the files: any edit is a new version
    system: str
    paper: str
    examples: tuple[dict, ...]
    schema: dict

    def messages(self, paper: ExtractedPaper, listing: list[str] | None = None) -> list[dict[str, str]]:
        """v1: system turn, the worked examples as earlier turns, then this paper."""
        return self.messages_for(paper_fields(paper, listing))

    def messages_for(self, fields: dict[str, str]) -> list[dict[str, str]]:
        """System turn, the worked examples as earlier turns, then one paper's fields."""
        messages = [{"role": "system", "content": self.system.replace("{schema}", json.dumps(self.schema))}]
        for example in self.examples:
            messages.append({"role": "user", "content": self.paper.format(**example["paper"])})
            messages.append({"role": "assistant", "content": json.dumps(example["answer"], ensure_ascii=False)})
        messages.append({"role": "user", "content": self.paper.format(**fields)})
        return messages


def paper_fields(paper: ExtractedPaper, listing: list[str] | None = None) -> dict[str, str]:
    """The values the paper template is filled with."""
    structure = []
    for index, author in enumerate(paper.authors, start=1):
        markers = f" [{', '.join('^' + m for m in author.markers)}]" if author.markers else ""
        found = " | ".join(author.affiliations) or "(none found)"
        structure.append(f"{index}. {author.name}{markers} -> {found}")
    if not structure:
        structure.append("(no authors found" + ("; anonymized)" if Flag.ANONYMOUS_SUBMISSION in paper.flags else ")"))
    return {
        "title": paper.title or "(not found)",
        "block": paper.block_text or "(empty)",
        "structure": "\n".join(structure),
        "listing": ", ".join(listing) if listing else "(not known)",
        "emails": ", ".join(paper.emails) or "(none)",
    }


@cache
def load_template(name: str = PROMPT_NAME, folder: Path | None = None) -> PromptTemplate:
    base = (folder or prompts_dir()) / name
    missing = [f for f in _FILES if not (base / f).is_file()]
    if missing:
        raise FileNotFoundError(f"prompt {name}: missing {', '.join(missing)} in {base}")
    texts = {f: (base / f).read_text(encoding="utf-8") for f in _FILES}
    digest = hashlib.sha256("".join(texts[f] for f in _FILES).encode()).hexdigest()[:8]
    return PromptTemplate(
        name=name,
        version=f"{name}+{digest}",
        system=texts["system.md"].strip(),
        paper=texts["paper.md"].strip(),
        examples=tuple(json.loads(texts["examples.json"])),
        schema=json.loads(texts["schema.json"]),
    )


def input_hash(messages: list[dict[str, str]]) -> str:
    return hashlib.sha256(json.dumps(messages, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
