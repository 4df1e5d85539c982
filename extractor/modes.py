"""The closed sets of values that steer a run: each mode is one enum, spelled once.

The values are what the command line takes and what the run store records.
"""

from __future__ import annotations

from enum import StrEnum


class LlmMode(StrEnum):
    """`--llm`: which papers the model sees."""

    OFF = "off"  # rules only
    AUTO = "auto"  # only papers the rules could not settle
    ALL = "all"  # every readable, non-anonymous paper


class ExecutorKind(StrEnum):
    """`--executor`: where the per-paper work runs."""

    LOCAL = "local"  # a process pool on this machine (kills a worker past --timeout)
    DASK = "dask"  # Dask distributed: a LocalCluster or an existing scheduler


class DownloadStatus(StrEnum):
    """The outcome of one PDF download, kept in the run store's listing table."""

    LISTED = "listed"  # in the listing, not fetched yet
    DOWNLOADED = "downloaded"
    SKIPPED = "skipped"  # already on disk, whole
    FAILED = "failed"


class BatchStatus(StrEnum):
    """An OpenAI Batch API job's status, as the API reports it."""

    VALIDATING = "validating"
    IN_PROGRESS = "in_progress"
    FINALIZING = "finalizing"
    CANCELLING = "cancelling"
    COMPLETED = "completed"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"

    @property
    def running(self) -> bool:
        return self in (BatchStatus.VALIDATING, BatchStatus.IN_PROGRESS, BatchStatus.FINALIZING, BatchStatus.CANCELLING)
