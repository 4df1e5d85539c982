"""Where the per-paper tasks run: a local process pool (default, with a hard per-file time limit) or
an existing Dask cluster for multi-year corpora (`affil run --executor dask`)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from pebble import ProcessPool

from .definitions import paper_id_from_sha1
from .modes import ExecutorKind
from .paper_task import process_paper, process_papers

DASK_BATCH = 16  # papers per cluster task: ~50 ms of work, well above Dask's per-task overhead


class ExecutorError(RuntimeError):
    """The chosen engine cannot be used (not installed, unreachable scheduler)."""


@dataclass(slots=True)
class PaperTask:
    path: str
    file: str
    sha1: str
    listed_authors: list[str] | None  # the listing's author names for this paper

    @property
    def paper_id(self) -> str:
        """As `extract.paper_id_of` would give, from the hash the run computed already."""
        return paper_id_from_sha1(self.sha1)

    def args(self) -> tuple:
        return (self.path, self.file, self.paper_id, self.listed_authors)


Outcome = Any  # (ExtractedPaper, NormalizedPaper), or the exception that stopped the task


class LocalExecutor:
    """pebble process pool: a worker past ``timeout`` seconds is killed (a hanging parser)."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.pool = ProcessPool(max_workers=max(1, workers))
        self.timeout = timeout

    def run(self, tasks: list[PaperTask]) -> Iterator[tuple[PaperTask, Outcome]]:
        futures = [(self.pool.schedule(process_paper, args=task.args(), timeout=self.timeout), task) for task in tasks]
        for future, task in futures:
            try:
                yield task, future.result()
            except FutureTimeout:
                yield task, TimeoutError(f"extraction took longer than {self.timeout:g} s")
            except Exception as exc:  # the worker process died (e.g. MuPDF crashed)
                yield task, exc

    def close(self, cancel: bool = False) -> None:
        if cancel:
            self.pool.stop()
        else:
            self.pool.close()
        self.pool.join()


class DaskExecutor:
    """Jobs on a Dask cluster: ``address`` of a running scheduler, or a local cluster of ``workers``
    single-threaded worker processes. Papers go in batches of ``DASK_BATCH`` per task. A task cannot be
    killed mid-run there, so ``timeout`` (per paper) only marks a late batch as timed out."""

    def __init__(self, workers: int, timeout: float, address: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorError("--executor dask needs `pip install 'affil[dask]'` (dask.distributed)") from exc
        self.timeout = timeout
        self.cluster = None if address else LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None
        )  # fmt: skip
        try:
            self.client = Client(address or self.cluster, timeout="20s")
        except OSError as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc

    def run(self, tasks: list[PaperTask]) -> Iterator[tuple[PaperTask, Outcome]]:
        batches = [tasks[i : i + DASK_BATCH] for i in range(0, len(tasks), DASK_BATCH)]
        futures = [(self.client.submit(process_papers, [j.args() for j in b], pure=False), b) for b in batches]
        for future, batch in futures:
            try:
                outcomes = future.result(timeout=self.timeout * len(batch))
            except TimeoutError:
                future.cancel()
                outcomes = [TimeoutError(f"no result within {self.timeout:g} s a paper")] * len(batch)
            except Exception as exc:  # the worker died or the task could not run
                outcomes = [exc] * len(batch)
            yield from zip(batch, outcomes, strict=True)

    def close(self, cancel: bool = False) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(
    kind: ExecutorKind, workers: int, timeout: float, address: str | None = None
) -> LocalExecutor | DaskExecutor:
    if kind == ExecutorKind.LOCAL:
        return LocalExecutor(workers, timeout)
    if kind == ExecutorKind.DASK:
        return DaskExecutor(workers, timeout, address)
    raise ExecutorError(f"--executor must be local or dask, not {kind!r}")
