"""One chat completion per paper through the `openai` client: structured output (JSON Schema,
falling back to JSON mode), temperature 0, retries with backoff that honour Retry-After, and one
second chance for an answer that breaks the schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openai
from openai import AsyncOpenAI
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from ..flags import Flag
from ..retry import backoff_honouring_server
from ..retry import retry_after_seconds as server_retry_after
from .answer import InvalidAnswer, parse_answer
from .config import LLMConfig


@dataclass(slots=True)
class Completion:
    content: str
    finish_reason: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(slots=True)
class AnswerResult:
    """A validated answer, or the reason there is none; tokens of every call it took."""

    answer: Any  # the parsed answer (choose.Choices; answer.LLMAnswer for v1), None when there is none
    content: str = ""
    error: str = ""
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    flags: list[Flag] = field(default_factory=list)


def is_transient(exc: BaseException) -> bool:
    """Worth another try: rate limits, server errors, timeouts, dropped connections."""
    if isinstance(exc, openai.RateLimitError | openai.APITimeoutError | openai.APIConnectionError):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The server's Retry-After on an API error, if it sent one."""
    return server_retry_after(getattr(getattr(exc, "response", None), "headers", None))


def retry_wait(config: LLMConfig):
    """Tenacity wait: the server's Retry-After when it sent one, else exponential backoff with jitter."""
    return backoff_honouring_server(config.backoff_initial, config.backoff_max, retry_after_seconds)


def _schema_unsupported(exc: openai.APIStatusError) -> bool:
    """Servers without JSON-Schema output say so with a 400/422/500 that names response_format."""
    text = f"{exc.message} {getattr(exc, 'body', '')}".lower()
    return exc.status_code in (400, 422, 500) and ("response_format" in text or "json_schema" in text)


Parser = Callable[[str | None], Any]  # content -> answer, raises InvalidAnswer


class LLMClient:
    def __init__(self, config: LLMConfig, schema: dict) -> None:
        self.config = config
        self.schema = schema
        self.use_json_schema = True  # switched off for the session on a server that lacks it
        self.requests = 0
        self.client = AsyncOpenAI(
            base_url=config.base_url, api_key=config.api_key or "not-needed", max_retries=0, timeout=config.timeout
        )
        self._retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=retry_wait(config),
            stop=stop_after_attempt(config.max_attempts),
            reraise=True,
        )

    def response_format(self, schema: dict | None = None) -> dict:
        if self.use_json_schema:
            return {
                "type": "json_schema",
                "json_schema": {"name": "affiliations", "strict": True, "schema": schema or self.schema},
            }
        return {"type": "json_object"}

    def request_body(self, messages: list[dict[str, str]], schema: dict | None = None) -> dict:
        """The chat-completions request (also one line of a Batch API file); ``schema`` is this
        request's own JSON Schema (the v2 prompt narrows it per paper), else the template's."""
        return {
            "model": self.config.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": self.config.max_tokens,
            "response_format": self.response_format(schema),
        }

    async def complete(self, messages: list[dict[str, str]], schema: dict | None = None) -> Completion:
        async for attempt in self._retrying.copy():
            with attempt:
                return await self._create(messages, schema)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _create(self, messages: list[dict[str, str]], schema: dict | None = None) -> Completion:
        self.requests += 1
        body = self.request_body(messages, schema)
        try:
            response = await self.client.chat.completions.create(**body)
        except openai.APIStatusError as exc:
            if body["response_format"]["type"] == "json_schema" and _schema_unsupported(exc):
                self.use_json_schema = False  # for every later request too
                return await self._create(messages, schema)
            raise
        return completion_of(response.model_dump())

    async def answer(
        self, messages: list[dict[str, str]], schema: dict | None = None, parse: Parser | None = None
    ) -> AnswerResult:
        """Ask; on an invalid answer ask once more with the error, then give up with a flag."""
        result = AnswerResult(answer=None)
        conversation = list(messages)
        for round_ in range(2):
            completion = await self.complete(conversation, schema)
            result.calls += 1
            result.prompt_tokens += completion.prompt_tokens
            result.completion_tokens += completion.completion_tokens
            result.content = completion.content
            try:
                result.answer = parse_completion(completion, parse)
                return result
            except InvalidAnswer as exc:
                result.error = str(exc)
                if round_ == 0:
                    conversation += [
                        {"role": "assistant", "content": completion.content or ""},
                        {
                            "role": "user",
                            "content": f"{exc}. Answer again with one JSON object that matches the schema.",
                        },
                    ]
        result.flags.append(Flag.LLM_INVALID_ANSWER)
        return result


def completion_of(body: dict) -> Completion:
    """A Completion from a chat-completions response body (also read from Batch API output)."""
    choice = (body.get("choices") or [{}])[0]
    usage = body.get("usage") or {}
    return Completion(
        content=(choice.get("message") or {}).get("content") or "",
        finish_reason=choice.get("finish_reason") or "",
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or 0),
    )


def parse_completion(completion: Completion, parse: Parser | None = None) -> Any:
    if completion.finish_reason == "length":
        raise InvalidAnswer("the answer was cut off at max_tokens")
    return (parse or parse_answer)(completion.content)


def cached_result(
    content: str, prompt_tokens: int, completion_tokens: int, parse: Parser | None = None
) -> AnswerResult:
    """An AnswerResult from the cache (no call made)."""
    try:
        return AnswerResult(answer=(parse or parse_answer)(content), content=content)
    except InvalidAnswer as exc:  # a cached invalid answer stays flagged, it is not re-asked
        return AnswerResult(answer=None, content=content, error=str(exc), flags=[Flag.LLM_INVALID_ANSWER])


def dumps(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False)
