"""The prompt as the model sees it, for every sample paper (snapshots), and its schema."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extractor.extract import extract_paper
from extractor.llm.answer import InvalidAnswer, LLMAffiliation, LLMAnswer, LLMAuthor, parse_answer
from extractor.llm.grounding import ground_answer, llm_country
from extractor.llm.prompt import PROMPT_NAME, PROMPT_V1, load_template
from extractor.normalize import normalize_paper

SNAPSHOTS = Path(__file__).parent / "snapshots" / "prompts"
SAMPLES = sorted(p.name for p in (Path(__file__).parents[1] / "samples" / "pdfs").glob("*.pdf"))


def render(messages: list[dict[str, str]]) -> str:
    return "\n\n".join(f"=== {m['role']} ===\n{m['content']}" for m in messages) + "\n"


@pytest.mark.parametrize("name", SAMPLES)
def test_prompt_snapshot(sample_dir: Path, name: str) -> None:
    """A prompt change shows up here as a diff; accept it with AFFIL_UPDATE_SNAPSHOTS=1."""
    paper = extract_paper(sample_dir / "pdfs" / name, f"pdfs/{name}")
    text = render(load_template(PROMPT_V1).messages(paper))
    snapshot = SNAPSHOTS / f"{Path(name).stem}.txt"
    if os.environ.get("AFFIL_UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.is_file(), f"no snapshot {snapshot}; run with AFFIL_UPDATE_SNAPSHOTS=1"
    assert text == snapshot.read_text(encoding="utf-8")


def test_template_version_changes_with_its_files(tmp_path: Path) -> None:
    source = Path(__file__).parents[1] / "prompts" / "affiliations" / "v1"
    copy = tmp_path / "affiliations" / "v1"
    copy.mkdir(parents=True)
    for f in source.iterdir():
        (copy / f.name).write_text(f.read_text())
    before = load_template(PROMPT_V1, folder=tmp_path).version
    (copy / "system.md").write_text((copy / "system.md").read_text() + "\nBe brief.")
    load_template.cache_clear()
    assert load_template(PROMPT_V1, folder=tmp_path).version != before
    assert before.startswith("affiliations/v1+")


def test_schema_and_typed_answer_agree() -> None:
    template = load_template(PROMPT_V1)
    schema = template.schema
    author = schema["properties"]["authors"]["items"]
    affiliation = author["properties"]["affiliations"]["items"]
    assert set(affiliation["required"]) == set(LLMAffiliation.model_fields)
    assert set(author["required"]) == set(LLMAuthor.model_fields)
    for example in template.examples:  # every worked example is a valid answer
        LLMAnswer.model_validate(example["answer"])
    with pytest.raises(InvalidAnswer, match="schema"):
        parse_answer(json.dumps({"authors": [{"name": "A", "affiliations": [{"raw": "x"}]}]}))
    with pytest.raises(InvalidAnswer, match="not valid JSON"):
        parse_answer("{authors: }")
    assert parse_answer('```json\n{"authors": []}\n```').authors == []


def test_grounding_uses_the_registry_and_flags_what_it_cannot(sample_dir: Path, matcher) -> None:
    paper = extract_paper(sample_dir / "pdfs" / "neurips_markers.pdf", "n.pdf")
    rules = normalize_paper(paper, matcher)
    answer = LLMAnswer.model_validate(
        {
            "authors": [
                {"name": "Wei Zhang", "affiliations": [  # raw text grounds on the registry: id and CN from it
                    {"raw": "Tsinghua University, Beijing, China", "institution": "Tsinghua", "country": "US",
                     "department": None, "city": None}]},
                {"name": "Emily Carter", "affiliations": [  # the rules said Google (US): a disagreement
                    {"raw": "", "institution": "Kyoto University", "country": "JP", "department": None, "city": None}]},
                {"name": "Li Na", "affiliations": [  # no record anywhere: kept with the model's country
                    {"raw": "Zorblax Institute", "institution": "Zorblax Institute", "country": "UK",
                     "department": None, "city": None}]},
            ]
        }
    )  # fmt: skip
    grounded = ground_answer(answer, paper, rules, matcher)
    rows = {row.author: row for row in grounded.rows}
    assert (rows["Wei Zhang"].match.ror_id, rows["Wei Zhang"].match.country) == ("03cve4549", "CN")
    assert rows["Wei Zhang"].flags == []
    assert rows["Emily Carter"].match.ror_id == "02kpeqv85" and "rules_llm_disagree" in rows["Emily Carter"].flags
    assert (rows["Li Na"].match.country, rows["Li Na"].match.ror_id) == ("GB", "")
    assert "llm_ungrounded" in rows["Li Na"].match.flags
    assert {row.source.value for row in grounded.rows} == {"llm"}
    assert llm_country("China") == "CN" and llm_country("pt") == "PT" and llm_country("Narnia") == ""


def test_an_empty_answer_never_erases_authors_the_rules_found(sample_dir: Path, matcher) -> None:
    paper = extract_paper(sample_dir / "pdfs" / "grid_columns.pdf", "g.pdf")
    rules = normalize_paper(paper, matcher)
    kept = ground_answer(LLMAnswer(authors=[]), paper, rules, matcher)
    assert kept.rows == rules.rows and "llm_no_authors" in kept.flags


def test_v2_is_the_default_and_its_fixed_part_is_small() -> None:
    """The fixed part (system turn and worked example) of v2 is under a third of v1's."""
    v1, v2 = load_template(PROMPT_V1), load_template()
    assert v2.name == PROMPT_NAME == "affiliations/v2"

    def fixed(template) -> int:
        fields = {key: "" for key in ("title", "block", "structure", "listing", "emails", "authors", "lines", "ask")}
        return sum(len(m["content"]) for m in template.messages_for(fields))

    assert fixed(v2) * 3 < fixed(v1)
    for example in v2.examples:  # the worked example answers in the v2 shape
        assert set(example["answer"]) == {"authors", "lines"}
