"""The batch run: discover PDFs, extract in worker processes, normalize, store, publish."""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .definitions import paper_id_from_sha1
from .executors import ExecutorError, PaperTask, make_executor
from .llm import LLMConfig, LLMStage, LLMStageError, LLMUsage, PendingPaper, run_stage, wants_llm
from .lock import LockedError, OutDirLock
from .messages import labelled, say
from .modes import ExecutorKind, LlmMode
from .normalize import RuleMatcher, normalize_paper
from .publish import publish_run
from .records import ExtractedPaper, NormalizedPaper, PaperStatus
from .store import RunStore
from .version import StageVersions


class RunError(Exception):
    """A run that cannot start (bad folder, no PDFs, unsupported option)."""


@dataclass(slots=True)
class RunOptions:
    pdf_dir: Path
    out_dir: Path
    llm: LlmMode = LlmMode.OFF
    force: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float = 60.0
    llm_config: LLMConfig | None = None
    executor: ExecutorKind = ExecutorKind.LOCAL
    executor_address: str | None = None  # a running Dask scheduler; None: a local cluster
    # Partial tables while a long run works: after this many new papers or seconds, whichever first.
    publish_every_papers: int = 500
    publish_every_seconds: float = 60.0
    spreadsheet_safe: bool = False  # formula-like CSV cells start with ' (--spreadsheet-safe)


@dataclass(slots=True)
class PartialPublisher:
    """Writes the tables now and then during extraction, so a long run can be inspected while it
    works (publishing 5,000 papers takes under a second, so once a minute costs ~1%)."""

    out_dir: Path
    every_papers: int
    every_seconds: float
    spreadsheet: bool = False
    since: int = 0
    last: float = field(default_factory=time.perf_counter)

    def paper_saved(self, store: RunStore) -> None:
        self.since += 1
        if self.since >= self.every_papers or time.perf_counter() - self.last >= self.every_seconds:
            publish_run(store, self.out_dir, spreadsheet=self.spreadsheet)
            self.since, self.last = 0, time.perf_counter()


@dataclass(slots=True)
class RunSummary:
    total: int = 0
    skipped: int = 0
    processed: int = 0
    statuses: Counter = field(default_factory=Counter)
    outputs: tuple[Path, ...] = ()
    llm_usage: LLMUsage | None = None
    llm_cost: float | None = None
    llm_error: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds

    @property
    def failed(self) -> int:
        unreadable = {PaperStatus.OK.value, PaperStatus.DUPLICATE.value}
        return sum(n for status, n in self.statuses.items() if status not in unreadable)

    @property
    def usable(self) -> int:
        """Papers with a usable result, this run or an earlier one."""
        return self.skipped + self.statuses.get(PaperStatus.OK.value, 0)


def discover_pdfs(pdf_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """Every *.pdf under ``pdf_dir`` (any case), sorted, outside ``out_dir``."""
    if not pdf_dir.is_dir():
        raise RunError(f"{pdf_dir} is not a folder")
    out = out_dir.resolve() if out_dir else None
    if out is not None and (out == pdf_dir.resolve() or out in pdf_dir.resolve().parents):
        out = None  # PDF_DIR inside OUT_DIR (OUT_DIR/pdfs after a fetch): nothing to leave out
    found = [
        p
        for p in pdf_dir.rglob("*")
        if p.suffix.lower() == ".pdf" and p.is_file() and not (out and out in p.resolve().parents)
    ]
    return sorted(found)


def run_pipeline(options: RunOptions, console: Console | None = None) -> RunSummary:
    console = console or Console(stderr=True)
    pdfs = discover_pdfs(options.pdf_dir, options.out_dir)
    if not pdfs:
        raise RunError(f"no PDF files under {options.pdf_dir}")
    summary = RunSummary(total=len(pdfs))
    try:
        with OutDirLock(options.out_dir):
            _run_locked(options, pdfs, summary, console)
    except LockedError as exc:
        raise RunError(str(exc)) from exc
    return summary


def _run_locked(options: RunOptions, pdfs: list[Path], summary: RunSummary, console: Console) -> None:
    with RunStore.in_dir(options.out_dir) as store:
        matcher = RuleMatcher()
        stage = _llm_stage(options, store, matcher)
        # A result is done for this code and this LLM setup; a paper waiting for the LLM is not.
        version = StageVersions.current(f"llm={options.llm}|{stage.signature}" if stage else "")
        run_id = store.start_run(version.normalize, str(options.pdf_dir), f"llm={options.llm} force={options.force}")
        todo = []
        first_of: dict[str, str] = {}  # file hash -> the first file (in path order) with those bytes
        for path in pdfs:
            file = path.relative_to(options.pdf_dir).as_posix()
            sha1 = hashlib.sha1(path.read_bytes()).hexdigest()
            if not options.force and store.is_done(file, sha1, version):
                summary.skipped += 1
            elif sha1 in first_of:
                _save_duplicate(store, version, file, sha1, first_of[sha1])
                summary.statuses[PaperStatus.DUPLICATE.value] += 1
            else:
                todo.append((path, file, sha1))
            first_of.setdefault(sha1, file)
        if summary.skipped:
            say(console, f"{summary.skipped} papers already done in {options.out_dir}; skipping them", "dim")
        started = time.perf_counter()
        pending = _process(todo, store, version, options, summary, console, matcher, stage)
        summary.timings["extract_normalize"] = time.perf_counter() - started
        if stage is not None:
            started = time.perf_counter()
            _settle_with_llm(stage, pending, store, version, summary, console)
            summary.timings["llm"] = time.perf_counter() - started
            store.record_llm_usage(
                run_id, stage.usage.calls, stage.usage.cache_hits,
                (stage.usage.prompt_tokens + stage.usage.batch_prompt_tokens,
                 stage.usage.completion_tokens + stage.usage.batch_completion_tokens),
                summary.llm_cost,
            )  # fmt: skip
        started = time.perf_counter()
        summary.outputs = publish_run(store, options.out_dir, spreadsheet=options.spreadsheet_safe)
        summary.timings["publish"] = time.perf_counter() - started
        store.finish_run(run_id)


def _save_duplicate(store: RunStore, version: StageVersions, file: str, sha1: str, original: str) -> None:
    """A byte-identical copy is one paper: listed with status ``duplicate``, counted nowhere."""
    paper_id = paper_id_from_sha1(sha1)
    error = f"same bytes as {original}"
    extracted = ExtractedPaper(
        file=file, paper_id=paper_id, status=PaperStatus.DUPLICATE, error=error, duplicate_of=original
    )
    normalized = NormalizedPaper(
        file=file, paper_id=paper_id, status=PaperStatus.DUPLICATE, error=error, duplicate_of=original
    )
    store.save(sha1, version, extracted, normalized)


def _llm_stage(options: RunOptions, store: RunStore, matcher: RuleMatcher) -> LLMStage | None:
    if options.llm == LlmMode.OFF:
        return None
    config = options.llm_config or LLMConfig()
    if not config.configured:
        raise RunError(
            f"--llm {options.llm} needs an endpoint: set OPENAI_API_KEY, --llm-base-url or the [llm] table of "
            "the config file (see README: LLM step)"
        )
    try:
        return LLMStage(config, store, matcher, ask_all=options.llm == LlmMode.ALL)
    except FileNotFoundError as exc:
        raise RunError(f"prompt templates not found: {exc}") from exc


def _settle_with_llm(
    stage: LLMStage,
    pending: list[PendingPaper],
    store: RunStore,
    version: StageVersions,
    summary: RunSummary,
    console: Console,
) -> None:
    if not pending:
        console.print("[dim]LLM: every paper is settled already (rules or cached answers)[/]")
        return
    with Progress(*_COLUMNS, console=console) as progress:
        task = progress.add_task(f"LLM ({stage.config.model})", total=len(pending))

        def settled(paper: PendingPaper, normalized, final: bool) -> None:
            store.save(paper.sha1, version, paper.extracted, normalized, llm_pending=not final)

        try:
            run_stage(stage, pending, settled, lambda: progress.advance(task))
        except LLMStageError as exc:
            summary.llm_error = str(exc)
    summary.llm_usage = stage.usage
    summary.llm_cost = stage.cost()


_COLUMNS = (
    TextColumn("{task.description}", style="bold", markup=False),  # the model name is outside text
    BarColumn(),
    MofNCompleteColumn(),
    TimeElapsedColumn(),
    TimeRemainingColumn(),
)


def _process(
    todo: list,
    store: RunStore,
    version: StageVersions,
    options: RunOptions,
    summary: RunSummary,
    console: Console,
    matcher: RuleMatcher,
    stage: LLMStage | None,
) -> list[PendingPaper]:
    """Extract and normalize with the rules; papers the LLM policy selects come back pending."""
    pending: list[PendingPaper] = []
    if not todo:
        return pending
    listing = store.listing()  # from `affil fetch` into OUT_DIR: the listing's author names
    tasks = [
        PaperTask(str(path), file, sha1, listing[file].authors if file in listing else None)
        for path, file, sha1 in todo
    ]
    try:
        executor = make_executor(options.executor, options.jobs, options.timeout, options.executor_address)
    except ExecutorError as exc:
        raise RunError(str(exc)) from exc
    cancel = False
    partial = PartialPublisher(
        options.out_dir, options.publish_every_papers, options.publish_every_seconds, options.spreadsheet_safe
    )
    with Progress(*_COLUMNS, console=console, transient=False) as progress:
        task = progress.add_task("extract + normalize", total=len(tasks))
        try:
            for done, outcome in executor.run(tasks):
                extracted, normalized = _outcome(done, outcome, matcher)
                if stage is not None and wants_llm(options.llm, normalized):
                    store.save(done.sha1, version, extracted, normalized, llm_pending=True)
                    pending.append(PendingPaper(done.sha1, extracted, normalized, done.listed_authors))
                else:
                    store.save(done.sha1, version, extracted, normalized)
                summary.processed += 1
                summary.statuses[extracted.status.value] += 1
                partial.paper_saved(store)
                if extracted.status != PaperStatus.OK:
                    labelled(progress.console, extracted.status.value, f"{done.file}: {extracted.error}", "yellow")
                progress.advance(task)
        except KeyboardInterrupt:
            cancel = True
            progress.console.print(f"[red]interrupted[/]: {summary.processed} papers saved; run again to resume")
            raise
        finally:
            executor.close(cancel=cancel)
    return pending


def _outcome(task: PaperTask, outcome: object, matcher: RuleMatcher) -> tuple[ExtractedPaper, NormalizedPaper]:
    """The worker's (extracted, normalized), or an error record when it timed out or died."""
    if isinstance(outcome, tuple):
        return outcome[0], outcome[1]
    paper_id = task.paper_id
    if isinstance(outcome, TimeoutError):
        extracted = ExtractedPaper(file=task.file, paper_id=paper_id, status=PaperStatus.TIMEOUT, error=str(outcome))
    else:
        error = f"worker failed: {type(outcome).__name__}: {outcome}"
        extracted = ExtractedPaper(file=task.file, paper_id=paper_id, status=PaperStatus.ERROR, error=error)
    return extracted, normalize_paper(extracted, matcher)
