"""OpenAI Batch API for large runs (half the price): one JSONL of requests, one batch job,
answers poured into the cache. The job id is stored at once, so a re-run after Ctrl-C or a
crash polls the same job instead of paying twice."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

from .answer import InvalidAnswer
from .client import completion_of, parse_completion

if TYPE_CHECKING:
    from .settle import LLMStage, PendingPaper

RUNNING = ("validating", "in_progress", "finalizing", "cancelling")


async def run_batch(stage: LLMStage, papers: list[PendingPaper]) -> None:
    """Submit the uncached papers as one batch (unless one is already open), wait, fill the cache.
    Answers missing or invalid in the output are left to direct calls."""
    jobs = stage.store.open_batches()
    if not jobs and papers:
        jobs = [await _submit(stage, papers)]
    for batch_id, keys in jobs:
        batch = await _wait(stage, batch_id)
        if batch.status == "completed" and batch.output_file_id:
            output = await stage.client.client.files.content(batch.output_file_id)
            _fill_cache(stage, output.text, dict(keys))
        stage.store.close_batch(batch_id, batch.status)


async def _submit(stage: LLMStage, papers: list[PendingPaper]) -> tuple[str, list[list[str]]]:
    lines, keys = [], {}
    for paper in papers:
        key, digest, messages = stage.request(paper)
        if key in keys:
            continue
        keys[key] = digest
        body = stage.client.request_body(messages)
        lines.append(json.dumps({"custom_id": key, "method": "POST", "url": "/v1/chat/completions", "body": body}))
    client = stage.client.client
    upload = await client.files.create(file=("affil-batch.jsonl", "\n".join(lines).encode()), purpose="batch")
    batch = await client.batches.create(
        input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    pairs = [[key, digest] for key, digest in keys.items()]
    stage.store.add_batch(batch.id, pairs)
    return batch.id, pairs


async def _wait(stage: LLMStage, batch_id: str):
    while True:
        batch = await stage.client.client.batches.retrieve(batch_id)
        if batch.status not in RUNNING:
            return batch
        await asyncio.sleep(stage.config.batch_poll)


def _fill_cache(stage: LLMStage, output: str, digests: dict[str, str]) -> None:
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
            parse_completion(completion)
        except InvalidAnswer:
            continue  # asked again directly, with the error, like any invalid answer
        tokens = (completion.prompt_tokens, completion.completion_tokens)
        stage.store.cache_answer(
            key, stage.config.model, stage.template.version, digests[key], completion.content, tokens
        )
        stage.usage.batched += 1
        stage.usage.batch_prompt_tokens += tokens[0]
        stage.usage.batch_completion_tokens += tokens[1]
