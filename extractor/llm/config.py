"""Where the LLM lives and what it costs: flags, then environment, then a config file."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL = "gpt-4o-mini"
# USD per million tokens (input, output), list prices; the Batch API costs half.
PRICES = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


class LLMConfigError(ValueError):
    """An LLM setting that cannot work (unreadable config file, bad value)."""


@dataclass(slots=True)
class LLMConfig:
    model: str = DEFAULT_MODEL
    base_url: str | None = None  # None: api.openai.com
    api_key: str = field(default="", repr=False)  # never printed: not in logs, errors or reports
    concurrency: int = 4
    timeout: float = 120.0
    max_attempts: int = 6
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    max_tokens: int = 4000
    price_in: float | None = None  # USD per million tokens; None: from PRICES, else unknown
    price_out: float | None = None
    batch: bool = False
    batch_poll: float = 30.0

    @property
    def configured(self) -> bool:
        """A key or an endpoint is set: the default policy becomes 'auto'."""
        return bool(self.api_key or self.base_url)

    @property
    def endpoint(self) -> str:
        return (self.base_url or "https://api.openai.com/v1").rstrip("/")

    def cost(self, prompt_tokens: int, completion_tokens: int, batch: bool = False) -> float | None:
        """Estimated USD for the tokens, or None when the model's price is unknown."""
        known = PRICES.get(self.model, (None, None))
        price_in = self.price_in if self.price_in is not None else known[0]
        price_out = self.price_out if self.price_out is not None else known[1]
        if price_in is None or price_out is None:
            return None
        total = (prompt_tokens * price_in + completion_tokens * price_out) / 1_000_000
        return total / 2 if batch else total


def default_config_path() -> Path:
    return Path(os.environ.get("AFFIL_CONFIG", Path.home() / ".config" / "affil" / "config.toml"))


def load_config(
    config_file: Path | None = None,
    base_url: str | None = None,
    model: str | None = None,
    **overrides: object,
) -> LLMConfig:
    """Flags beat the environment (OPENAI_API_KEY, OPENAI_BASE_URL), which beats the [llm] table
    of the config file (default ~/.config/affil/config.toml or $AFFIL_CONFIG)."""
    path = config_file or default_config_path()
    table: dict = {}
    if config_file is not None and not path.is_file():
        raise LLMConfigError(f"{path}: no such config file")
    if path.is_file():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("llm", {})
        except tomllib.TOMLDecodeError as exc:
            raise LLMConfigError(f"{path}: not valid TOML ({exc})") from exc
    config = LLMConfig()
    for key, value in table.items():
        if not hasattr(config, key):
            raise LLMConfigError(f"{path}: unknown [llm] setting {key!r}")
        setattr(config, key, value)
    config.api_key = os.environ.get("OPENAI_API_KEY") or config.api_key
    config.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or config.base_url
    config.model = model or config.model
    for key, value in overrides.items():
        if value is not None:
            setattr(config, key, value)
    if config.concurrency < 1:
        raise LLMConfigError("--llm-concurrency must be at least 1")
    return config
