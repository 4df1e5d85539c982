"""OpenAI Batch API for large runs (half the price): one JSONL of requests, one batch job,
answers poured into the cache. The job id is stored at once, so a re-run after Ctrl-C or a
crash polls the same job instead of paying twice."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from ..modes import BatchStatus
from ..store import RunStore
from .answer import InvalidAnswer
from .client import LLMClient, completion_of, parse_completion
from .usage import LLMUsage

# One request: (cache key, input hash, chat messages, the request's JSON Schema).
BatchRequest = tuple[str, str, list[dict[str, str]], dict]


@dataclass(slots=True)
class BatchContext:
    """What a batch needs from the LLM step: the client, where answers are cached, and the usage."""

    client: LLMClient
    store: RunStore
    model: str
    prompt_version: str
    poll_seconds: float
    usage: LLMUsage


async def run_batch(stage: BatchContext, requests: list[BatchRequest]) -> None:
    """Submit the uncached requests as one batch (unless one is already open), wait, fill the cache.
    Answers missing or invalid in the output are left to direct calls."""
    open_jobs = stage.store.open_batches()
    if not open_jobs and requests:
        open_jobs = [await _submit(stage, requests)]
    for batch_id, keys in open_jobs:
        batch = await _wait(stage, batch_id)
        if batch.status == BatchStatus.COMPLETED and batch.output_file_id:
            output = await stage.client.client.files.content(batch.output_file_id)
            _fill_cache(stage, output.text, dict(keys))
        stage.store.close_batch(batch_id, batch.status)


async def _submit(stage: BatchContext, requests: list[BatchRequest]) -> tuple[str, list[list[str]]]:
    lines, keys = [], {}
    for key, digest, messages, schema in requests:
        if key in keys:
            continue
        keys[key] = digest
        body = stage.client.request_body(messages, schema)
        lines.append(json.dumps({"custom_id": key, "method": "POST", "url": "/v1/chat/completions", "body": body}))
    client = stage.client.client
    upload = await client.files.create(file=("affil-batch.jsonl", "\n".join(lines).encode()), purpose="batch")
    batch = await client.batches.create(
        input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    pairs = [[key, digest] for key, digest in keys.items()]
    stage.store.add_batch(batch.id, pairs)
    return batch.id, pairs


async def _wait(stage: BatchContext, batch_id: str):
    while True:
        batch = await stage.client.client.batches.retrieve(batch_id)
        if not BatchStatus(batch.status).running:
            return batch
        await asyncio.sleep(stage.poll_seconds)


def _json(content: str | None) -> object:
    """Only JSON is checked here; the request's own checks run when the stage reads the cache."""
    try:
        return json.loads(content or "")
    except json.JSONDecodeError as exc:
        raise InvalidAnswer(f"the answer is not valid JSON: {exc}") from exc


def _fill_cache(stage: BatchContext, output: str, digests: dict[str, str]) -> None:
    for line in output.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        key = item.get("custom_id", "")
        response = item.get("response") or {}
        if key not in digests or response.get("status_code") != 200:
            continue
        completion = completion_of(response.get("body") or {})
        try:
            parse_completion(completion, _json)
        except InvalidAnswer:
            continue  # asked again directly, with the error, like any invalid answer
        tokens = (completion.prompt_tokens, completion.completion_tokens)
        stage.store.cache_answer(key, stage.model, stage.prompt_version, digests[key], completion.content, tokens)
        stage.usage.batched += 1
        stage.usage.batch_prompt_tokens += tokens[0]
        stage.usage.batch_completion_tokens += tokens[1]
