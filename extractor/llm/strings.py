"""`affil match --llm`: the strings the rules leave unmatched or ambiguous, each asked as one
line with its registry candidates (the same v2 prompt and merge as papers), every answer kept in
a small SQLite cache (default ~/.cache/affil/llm_strings.sqlite, or --llm-cache PATH)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import openai

from ..normalize.rules import RuleMatcher
from ..records import AffiliationMatch, ExtractedPaper
from .candidates import is_confident, line_candidates
from .choose import ChoiceRequest, Line
from .client import LLMClient
from .config import LLMConfig
from .merge import decide_line
from .prompt import PromptTemplate, input_hash, load_template
from .usage import LLMUsage


def default_cache_path() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "affil" / "llm_strings.sqlite"


class StringCache:
    """(endpoint, model, prompt version, request) -> the model's raw answer."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, text TEXT, model TEXT, prompt TEXT, "
            "content TEXT, prompt_tokens INTEGER, completion_tokens INTEGER)"
        )

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT content FROM answers WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, text: str, model: str, prompt: str, content: str, tokens: tuple[int, int]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)", (key, text, model, prompt, content, *tokens)
        )
        self.db.commit()

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def string_request(text: str, rules: AffiliationMatch, matcher: RuleMatcher) -> ChoiceRequest:
    line = Line("L1", text, [rules], line_candidates(matcher, text, rules), asked=True)
    paper = ExtractedPaper(file="", paper_id="", title="(an affiliation string)", block_text=text)
    return ChoiceRequest(paper, [], [line])


class StringSettler:
    """Rules first; the model for the strings they leave unsettled; answers cached."""

    def __init__(
        self, config: LLMConfig, matcher: RuleMatcher, cache: StringCache, template: PromptTemplate | None = None
    ) -> None:
        self.config, self.matcher, self.cache = config, matcher, cache
        self.template = template or load_template()
        self.client = LLMClient(config, self.template.schema)
        self.usage = LLMUsage()

    def settle(self, texts: Sequence[str]) -> dict[str, AffiliationMatch]:
        return asyncio.run(self._settle(list(dict.fromkeys(texts))))

    async def _settle(self, texts: list[str]) -> dict[str, AffiliationMatch]:
        semaphore = asyncio.Semaphore(self.config.concurrency)
        results: dict[str, AffiliationMatch] = {}

        async def one(text: str) -> None:
            rules = self.matcher.match(text)
            results[text] = rules
            if is_confident(rules) or len(rules.organizations) > 1 or not text.strip():
                return
            request = string_request(text, rules, self.matcher)
            async with semaphore:
                content = await self._ask(text, request)
            if content is None:
                return
            try:
                choices = request.parse(content)
            except ValueError:
                self.usage.failed += 1
                return
            if (choice := choices.lines.get("L1")) is not None:
                results[text] = decide_line(request.lines[0], choice, self.matcher) or rules

        await asyncio.gather(*(one(t) for t in texts))
        return results

    async def _ask(self, text: str, request: ChoiceRequest) -> str | None:
        messages = self.template.messages_for(request.fields())
        schema = request.schema()
        signature = f"{self.config.endpoint}|{self.config.model}|{self.template.version}"
        digest = input_hash([*messages, {"role": "schema", "content": json.dumps(schema, sort_keys=True)}])
        key = hashlib.sha256(f"{signature}|{digest}".encode()).hexdigest()
        self.usage.papers += 1
        cached = self.cache.get(key)
        if cached is not None:
            self.usage.cache_hits += 1
            return cached
        try:
            result = await self.client.answer(messages, schema, request.parse)
        except (openai.APIError, TimeoutError):
            self.usage.failed += 1
            return None
        self.usage.add(result)
        tokens = (result.prompt_tokens, result.completion_tokens)
        self.cache.put(key, text, self.config.model, self.template.version, result.content, tokens)
        return result.content


class SettledMatcher(RuleMatcher):
    """A matcher that answers from settled results (rules + model), for `affil match --eval --llm`."""

    def __init__(self, base: RuleMatcher, settled: dict[str, AffiliationMatch]) -> None:
        # The base matcher's state as it is (registry, aliases, prior, curated organizations, ranker),
        # not a fresh matcher built from part of it.
        self.__dict__.update(base.__dict__)
        self.settled = settled

    def match(self, raw: str, email_domains: Sequence[str] = (), context: Sequence[str] = ()) -> AffiliationMatch:
        return self.settled.get(raw) or super().match(raw, email_domains, context)
