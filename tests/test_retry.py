"""The backoff both the downloader and the LLM client use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace

from extractor.retry import RETRY_AFTER_CAP, backoff_honouring_server, retry_after_seconds


def test_retry_after_in_seconds_milliseconds_or_an_http_date() -> None:
    assert retry_after_seconds({"retry-after": "7"}) == 7.0
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "7"}) == 0.25
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (retry_after_seconds({"retry-after": later}) or 0) <= 30
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None and retry_after_seconds(None) is None


def test_the_server_wait_is_capped_and_backoff_grows_without_one() -> None:
    wait = backoff_honouring_server(1.0, 8.0, lambda error: getattr(error, "after", None))

    def state(after: float | None, attempt: int) -> SimpleNamespace:
        error = SimpleNamespace(after=after)
        return SimpleNamespace(outcome=SimpleNamespace(exception=lambda: error), attempt_number=attempt)

    assert wait(state(3.0, 1)) == 3.0
    assert wait(state(10_000.0, 1)) == RETRY_AFTER_CAP
    assert 1.0 <= wait(state(None, 1)) <= 2.0
    assert 8.0 <= wait(state(None, 6)) <= 9.0
