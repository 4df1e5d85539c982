"""The LLM's answer: parsed, validated against the prompt's JSON Schema, and typed."""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, ValidationError


class LLMAffiliation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    raw: str
    institution: str
    country: str
    department: str | None
    city: str | None


class LLMAuthor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    affiliations: list[LLMAffiliation]


class LLMAnswer(BaseModel):
    """The typed form of prompts/affiliations/v1/schema.json (a test keeps the two in step)."""

    model_config = ConfigDict(extra="forbid")

    authors: list[LLMAuthor]


class InvalidAnswer(ValueError):
    """An answer that is not JSON or breaks the schema; the message is shown to the model on retry."""


def json_content(content: str | None) -> object:
    """The JSON value of an answer's text (a code fence around it is tolerated); InvalidAnswer else."""
    if not content:
        raise InvalidAnswer("the answer was empty")
    text = content.strip()
    if text.startswith("```"):  # some servers wrap JSON in a code fence even in JSON mode
        text = text.strip("`").removeprefix("json").strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidAnswer(f"the answer is not valid JSON: {exc}") from exc


def parse_answer(content: str | None) -> LLMAnswer:
    data = json_content(content)
    try:
        return LLMAnswer.model_validate(data)
    except ValidationError as exc:
        errors = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise InvalidAnswer(f"the answer does not match the schema: {errors}") from exc
