"""The LLM step of a run: ask about the papers the policy selects (cache first, bounded
concurrency), ground the answers, and hand each settled paper back to be stored at once."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import openai

from ..flags import Flag
from ..normalize.rules import RuleMatcher
from ..records import ExtractedPaper, NormalizedPaper
from ..store import RunStore
from .batch import BatchContext
from .choose import ChoiceRequest, build_request
from .client import AnswerResult, LLMClient, cached_result
from .config import LLMConfig
from .merge import apply_choices
from .prompt import PromptTemplate, input_hash, load_template
from .usage import LLMUsage


class LLMStageError(RuntimeError):
    """The endpoint refuses every request (bad key, unknown model): stop instead of failing each paper."""


@dataclass(slots=True)
class PendingPaper:
    sha1: str
    extracted: ExtractedPaper
    rules: NormalizedPaper
    listed_authors: list[str] | None = None


Settled = Callable[[PendingPaper, NormalizedPaper, bool], None]  # paper, result, final


class LLMStage:
    def __init__(
        self,
        config: LLMConfig,
        store: RunStore,
        matcher: RuleMatcher,
        template: PromptTemplate | None = None,
        ask_all: bool = False,
    ):
        self.config = config
        self.store = store
        self.matcher = matcher
        self.template = template or load_template()
        self.ask_all = ask_all  # --llm all: ask about every author and line, not only the unsettled ones
        self.client = LLMClient(config, self.template.schema)
        self.usage = LLMUsage()

    @property
    def signature(self) -> str:
        """What an LLM-settled result depends on besides the code: endpoint, model, prompt."""
        return f"{self.config.endpoint}|{self.config.model}|{self.template.version}"

    def batch_context(self) -> BatchContext:
        return BatchContext(
            self.client, self.store, self.config.model, self.template.version, self.config.batch_poll, self.usage
        )

    def choice_request(self, paper: PendingPaper) -> ChoiceRequest:
        return build_request(paper.extracted, paper.rules, self.matcher, ask_all=self.ask_all)

    def request(
        self, paper: PendingPaper, choice: ChoiceRequest | None = None
    ) -> tuple[str, str, list[dict[str, str]], dict]:
        """(cache key, input hash, messages, JSON Schema) of one paper."""
        choice = choice or self.choice_request(paper)
        messages = self.template.messages_for(choice.fields())
        schema = choice.schema()
        digest = input_hash([*messages, {"role": "schema", "content": json.dumps(schema, sort_keys=True)}])
        key = hashlib.sha256(f"{self.signature}|{digest}".encode()).hexdigest()
        return key, digest, messages, schema

    async def settle(self, papers: list[PendingPaper], on_settled: Settled, advance: Callable[[], None]) -> LLMUsage:
        if self.config.batch:
            from .batch import run_batch

            asked = [(p, c) for p in papers if not (c := self.choice_request(p)).empty]
            requests = [self.request(p, c) for p, c in asked]
            await run_batch(self.batch_context(), [r for r in requests if self.store.cached_answer(r[0]) is None])
        semaphore = asyncio.Semaphore(self.config.concurrency)

        async def one(paper: PendingPaper) -> None:
            choice = self.choice_request(paper)
            if choice.empty:  # nothing the model could decide: no call, the rules' rows stand
                self.usage.papers += 1
                self.usage.unasked += 1
                on_settled(paper, paper.rules, True)
                advance()
                return
            async with semaphore:
                result = await self._answer(paper, choice)
            final = result.answer is not None or Flag.LLM_INVALID_ANSWER in result.flags  # llm_failed: retry next run
            on_settled(paper, self._ground(paper, choice, result), final)
            advance()

        tasks = [asyncio.create_task(one(p)) for p in papers]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            # A refused key stops the step: cancel the requests still in flight and wait for them, so
            # no connection attempt is left dangling when the event loop closes.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return self.usage

    async def _answer(self, paper: PendingPaper, choice: ChoiceRequest) -> AnswerResult:
        key, digest, messages, schema = self.request(paper, choice)
        self.usage.papers += 1
        cached = self.store.cached_answer(key)
        if cached is not None:
            self.usage.cache_hits += 1
            return cached_result(*cached, parse=choice.parse)
        try:
            result = await self.client.answer(messages, schema, choice.parse)
        except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as exc:
            raise LLMStageError(f"{self.config.endpoint} refused the request: {exc}") from exc
        except openai.APIConnectionError as exc:  # timeouts included, after every retry
            if isinstance(exc, openai.APITimeoutError):
                self.usage.failed += 1
                return AnswerResult(answer=None, error=f"timed out: {exc}", flags=[Flag.LLM_FAILED])
            raise LLMStageError(f"cannot reach {self.config.endpoint}: {exc}") from exc
        except (openai.APIError, TimeoutError) as exc:  # retries exhausted or a non-retryable error
            self.usage.failed += 1
            return AnswerResult(answer=None, error=f"{type(exc).__name__}: {exc}", flags=[Flag.LLM_FAILED])
        self.usage.add(result)
        if result.answer is None:
            self.usage.failed += 1
        self.store.cache_answer(
            key, self.config.model, self.template.version, digest, result.content,
            (result.prompt_tokens, result.completion_tokens),
        )  # fmt: skip
        return result

    def _ground(self, paper: PendingPaper, choice: ChoiceRequest, result: AnswerResult) -> NormalizedPaper:
        if result.answer is None:
            return paper.rules.model_copy(update={"flags": [*paper.rules.flags, *result.flags]})
        return apply_choices(choice, result.answer, paper.rules, self.matcher)

    def cost(self) -> float | None:
        u = self.usage
        direct = self.config.cost(u.prompt_tokens, u.completion_tokens)
        batched = self.config.cost(u.batch_prompt_tokens, u.batch_completion_tokens, batch=True)
        return None if direct is None or batched is None else direct + batched


def run_stage(
    stage: LLMStage, papers: list[PendingPaper], on_settled: Settled, advance: Callable[[], None]
) -> LLMUsage:
    return asyncio.run(stage.settle(papers, on_settled, advance))
