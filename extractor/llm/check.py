"""`affil llm check`: one small request that says whether an endpoint can serve the LLM step
(reachable, model, structured output: json_schema / json mode / none, latency), and a rough
time and cost estimate for the papers `--llm auto` would send. `affil run --llm auto|all` runs
the same check first and stops in seconds when the endpoint is unusable."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import openai
from openai import AsyncOpenAI

from .config import LLMConfig

CHECK_SCHEMA_NAME = "affil_check"  # the probe's schema name (the test server does not count probes)
CHECK_TIMEOUT = 60.0  # a busy local CPU server took 18 s for the probe; a dead one refuses at once
_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["answer"],
    "properties": {"answer": {"type": "string", "enum": ["yes", "no"]}},
}
_MESSAGES = [
    {"role": "system", "content": "Answer with one JSON object."},
    {"role": "user", "content": 'Is Paris in France? Answer {"answer": "yes"} or {"answer": "no"}.'},
]
# Generating one token costs about this many prompt tokens of time on a local CPU server
# (llama.cpp, 2 cores: ~60 prompt tokens/s, ~8 generated/s); used only for the estimate.
GENERATION_WEIGHT = 8


@dataclass(slots=True)
class EndpointCheck:
    endpoint: str
    model: str
    reachable: bool = False
    served_model: str = ""  # what the server's /models lists first
    structured: str = "none"  # json_schema, json_mode or none
    latency: float = 0.0  # seconds of the probe request
    prompt_tokens: int = 0
    completion_tokens: int = 0
    error: str = ""

    @property
    def usable(self) -> bool:
        return self.reachable and not self.error and self.structured != "none"

    def problem(self) -> str:
        """One line for the console: why the endpoint cannot be used."""
        if not self.reachable:
            return f"cannot reach {self.endpoint}: {self.error}"
        if self.error:
            return f"{self.endpoint} refused the check request: {self.error}"
        return f"{self.endpoint} answers, but with no structured output (neither json_schema nor JSON mode)"

    def seconds_for(self, prompt_tokens: float, completion_tokens: float) -> float:
        """Rough seconds for one request of that size, scaled from the probe."""
        probe = self.prompt_tokens + GENERATION_WEIGHT * self.completion_tokens
        if not probe or not self.latency:
            return 0.0
        return self.latency * (prompt_tokens + GENERATION_WEIGHT * completion_tokens) / probe


def check_endpoint(config: LLMConfig) -> EndpointCheck:
    return asyncio.run(_check(config))


async def _check(config: LLMConfig) -> EndpointCheck:
    result = EndpointCheck(config.endpoint, config.model)
    client = AsyncOpenAI(
        base_url=config.base_url,
        api_key=config.api_key or "not-needed",
        max_retries=0,
        timeout=min(config.timeout, CHECK_TIMEOUT),
    )
    try:
        for kind in ("json_schema", "json_mode"):
            try:
                await _probe(client, config.model, kind, result)
                return result
            except openai.APIStatusError as exc:
                result.reachable = True
                if exc.status_code in (401, 403, 404):
                    result.error = f"HTTP {exc.status_code}: {exc.message}"
                    return result
                if exc.status_code not in (400, 422, 500):
                    result.error = f"HTTP {exc.status_code}: {exc.message}"
                    return result
            except (json.JSONDecodeError, KeyError, TypeError):
                result.reachable = True  # answered, but not the JSON asked for: try the next kind
        result.structured = "none"
        return result
    except openai.APIConnectionError as exc:  # timeouts included
        result.error = str(exc) or type(exc).__name__
        return result
    finally:
        await client.close()


async def _probe(client: AsyncOpenAI, model: str, kind: str, result: EndpointCheck) -> None:
    if kind == "json_schema":
        response_format: dict = {
            "type": "json_schema",
            "json_schema": {"name": CHECK_SCHEMA_NAME, "strict": True, "schema": _SCHEMA},
        }
    else:
        response_format = {"type": "json_object"}
    started = time.perf_counter()
    body: dict = {"model": model, "messages": _MESSAGES, "temperature": 0, "max_tokens": 20}
    body["response_format"] = response_format
    response = await client.chat.completions.create(**body)
    result.latency = time.perf_counter() - started
    result.reachable = True
    result.served_model = response.model or ""
    usage = response.usage
    result.prompt_tokens = usage.prompt_tokens if usage else 0
    result.completion_tokens = usage.completion_tokens if usage else 0
    content = (response.choices[0].message.content or "").strip().strip("`").removeprefix("json").strip()
    answer = json.loads(content)["answer"]
    if kind == "json_schema" and answer not in ("yes", "no"):
        raise KeyError("answer")
    result.structured = kind
