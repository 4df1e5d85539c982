"""Backoff shared by the downloader and the LLM client: wait as long as the server asked
(Retry-After in seconds or as an HTTP date, or retry-after-ms), capped; else exponential backoff
with jitter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

RETRY_AFTER_CAP = 300.0  # seconds; a server asking for more is not waited on longer than this
RETRY_STATUSES = frozenset([429, 500, 502, 503, 504])


class TransientError(Exception):
    """Worth another try: 429/5xx (with the wait the server asked for), a truncated body."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def raise_if_transient(response: httpx.Response) -> None:
    """429 and 5xx answers become a TransientError carrying the server's Retry-After."""
    if response.status_code in RETRY_STATUSES:
        raise TransientError(f"HTTP {response.status_code}", retry_after_seconds(response.headers))


def http_retrying(attempts: int, initial: float, maximum: float) -> AsyncRetrying:
    """The one retry policy for HTTP GETs (listing pages and PDFs): transient errors and dropped
    connections are retried, waiting as the server asked or backing off; the last error is raised."""
    return AsyncRetrying(
        retry=retry_if_exception(lambda e: isinstance(e, TransientError | httpx.TransportError)),
        wait=backoff_honouring_server(initial, maximum, lambda e: getattr(e, "retry_after", None)),
        stop=stop_after_attempt(attempts),
        reraise=True,
    )


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The wait a response's headers ask for, if they ask for one."""
    if not headers:
        return None
    if headers.get("retry-after-ms"):
        try:
            return float(headers["retry-after-ms"]) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


def backoff_honouring_server(
    initial: float, maximum: float, server_wait: Callable[[BaseException | None], float | None]
) -> Callable[[RetryCallState], float]:
    """A tenacity wait: ``server_wait(last error)`` when it gives one, else exponential backoff."""
    backoff = wait_exponential(multiplier=initial, max=maximum) + wait_random(0, initial)

    def wait(state: RetryCallState) -> float:
        after = server_wait(state.outcome.exception() if state.outcome else None)
        return min(after, RETRY_AFTER_CAP) if after is not None else backoff(state)

    return wait
