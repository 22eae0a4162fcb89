"""Ingest: article files in, claims extracted, batches committed to the store.

The reading work is planned as tasks of raw records (`loaders.readers.iter_raw`): paths of small
files, byte ranges of big JSON Lines files, framed archive records. Workers turn a task into
claims (`run_task`: read, skip what the store already holds, extract) and send back compact
claims, never article text; the one writer commits them in batches, one transaction each. The
same loop runs in this process (``jobs=1``), on a bounded process pool (``jobs>1``) or on a Dask
cluster (``scheduler=…``), with a bounded number of tasks in flight, so memory stays flat
whatever the archive's size and every mode gives the same store.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import sqlite3
import sys
import time
import typing
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from multiprocessing.connection import Connection
from typing import Any, NoReturn

from deportgraph.errors import DeportgraphError, LoaderError
from deportgraph.loaders.archives import RawRecord, ReadOptions
from deportgraph.loaders.article import Article
from deportgraph.loaders.claims import ArticleClaims
from deportgraph.loaders.extraction import extract
from deportgraph.loaders.metadata import Metadata
from deportgraph.loaders.readers import iter_raw, read_raw

from .store import ArticleCounts, Store, stored_sources

__all__ = ["IngestReport", "TaskResult", "default_jobs", "ingest", "plan_tasks", "run_task"]


def default_jobs() -> int:
    """The machine's cores available to this process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class IngestReport(ArticleCounts):
    """What an ingest run did: articles read, added, already stored, and the counts of what they gave."""

    read: int = 0
    added: int = 0
    already_stored: int = 0
    seconds: float = 0.0
    errors: list[LoaderError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "added": self.added, "already_stored": self.already_stored,
            "relevant": self.relevant, "with_facts": self.with_facts, "facts": self.facts,
            "seconds": round(self.seconds, 3), "errors": [{"file": e.path, "reason": e.reason} for e in self.errors],
        }


@dataclass
class TaskResult:
    """What a worker sends back for one task: claims of the new articles, and the bad records."""

    claims: list[ArticleClaims]
    errors: list[tuple[str, str]]
    read: int
    known: int


# Bytes of JSON Lines per article, for sizing byte-range tasks (a news article is 3-6 kB of JSON).
BYTES_PER_ARTICLE = 4096


def plan_tasks(paths: Iterable[str], stdin: Any = None, options: ReadOptions | None = None,
               task_size: int = 256) -> Iterator[list[RawRecord] | LoaderError]:
    """Raw records grouped into tasks of about ``task_size`` articles (a byte range counts as many, and
    a record as many as its size in articles), so a task holds at most ~1 MB of text however big its members."""
    chunk: list[RawRecord] = []
    weight = 0
    for raw in iter_raw(paths, stdin, options, range_bytes=task_size * BYTES_PER_ARTICLE):
        if isinstance(raw, LoaderError):
            yield raw
            continue
        chunk.append(raw)
        weight += task_size if raw.kind == "range" else _weight(raw)
        if weight >= task_size:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _weight(raw: RawRecord) -> int:
    """How many articles' worth of bytes a record carries: a task of big archive members stays small."""
    data = raw.data[0] if raw.kind == "html" else raw.data.get("text") if raw.kind == "record" else raw.data
    return 1 + len(data) // BYTES_PER_ARTICLE if isinstance(data, str | bytes) else 1


@cache
def _reader(store_path: str) -> sqlite3.Connection | None:
    """A read-only connection to the store, one per worker process (None while there is no store)."""
    if not os.path.exists(store_path):
        return None
    conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=60, check_same_thread=False)
    conn.execute("PRAGMA query_only=1")
    return conn


def _known(store_path: str | None, ids: list[str]) -> set[str]:
    conn = _reader(store_path) if store_path else None
    if conn is None or not ids:
        return set()
    try:
        return stored_sources(conn, ids)
    except sqlite3.Error:
        return set()  # no sources table yet: nothing is known, the writer dedups anyway


def run_task(raws: list[RawRecord], store_path: str | None = None, metadata: Metadata | None = None) -> TaskResult:
    """Read a task's records, skip articles the store already holds, extract the rest (with what a
    metadata sidecar says of each).

    A pure function of its arguments and the files they name: it runs the same in this
    process, in a pool worker or on a Dask worker.
    """
    articles: dict[str, Article] = {}
    errors: list[tuple[str, str]] = []
    read = 0
    for raw in raws:
        for item in read_raw(raw):
            if isinstance(item, LoaderError):
                errors.append((item.path, item.reason))
            else:
                read += 1
                articles.setdefault(item.id, metadata.apply(item) if metadata else item)
    known = _known(store_path, list(articles))
    claims = [extract(a) for a in articles.values() if a.id not in known]
    return TaskResult(claims, errors, read, read - len(claims))


Submit = Callable[[list[RawRecord]], Any]


def _local(tasks: Iterator[list[RawRecord] | LoaderError], store_path: str,
           metadata: Metadata | None = None) -> Iterator[TaskResult | LoaderError]:
    for task in tasks:
        yield task if isinstance(task, LoaderError) else run_task(task, store_path, metadata)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
SCHEDULER_TIMEOUT_S = 5  # how long to wait for a Dask scheduler to answer before saying there is none


@contextlib.contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back while workers start: they inherit the block, and this process
    gets what arrived meanwhile when it ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def _worker_init(parent: int) -> None:
    """Pool workers end with the writer: a writer killed with SIGKILL leaves no workers behind.

    Ctrl-C, or a batch system's SIGTERM, reaches the whole process group: workers leave it to the
    writer, which stops them (and they die by SIGKILL with it, however it ends). Both signals come
    blocked from the start (see ``_STOP_SIGNALS``), so a worker still starting cannot die of them.
    """
    for stop in _STOP_SIGNALS:
        signal.signal(stop, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _pool(tasks: Iterator[list[RawRecord] | LoaderError], store_path: str, jobs: int,
          max_in_flight: int, metadata: Metadata | None = None) -> Iterator[TaskResult | LoaderError]:
    with _WorkerPool(jobs, store_path, metadata) as pool:
        yield from _bounded(tasks, pool.submit, pool.next_result, max_in_flight)


def _bounded(tasks: Iterator[list[RawRecord] | LoaderError], submit: Submit,
             next_result: Callable[[], TaskResult], max_in_flight: int) -> Iterator[TaskResult | LoaderError]:
    """Results of ``tasks`` as they complete, never more than ``max_in_flight`` submitted and unread."""
    in_flight = 0
    for task in tasks:
        if isinstance(task, LoaderError):
            yield task
            continue
        while in_flight >= max_in_flight:
            yield next_result()
            in_flight -= 1
        submit(task)
        in_flight += 1
    for _ in range(in_flight):
        yield next_result()


def _worker_main(tasks: Any, results: Any, store_path: str, parent: int, metadata: Metadata | None = None) -> None:
    """A pool worker: run tasks from the shared queue until ``None``, each result back on its own pipe."""
    _worker_init(parent)
    while (task := tasks.get()) is not None:
        try:
            outcome: tuple[str, Any] = ("ok", run_task(task, store_path, metadata))
        except BaseException as exc:
            outcome = ("error", exc)
        try:
            results.send(outcome)
        except Exception as exc:  # an exception that cannot be pickled
            results.send(("error", DeportgraphError(f"a worker failed: {outcome[1]!r} ({exc})")))


class _WorkerPool:
    """``jobs`` spawned processes taking tasks from one queue, each answering on its own pipe.

    ``concurrent.futures.ProcessPoolExecutor`` can hang for ever when a worker is killed while it
    writes a result (its reader thread waits for the rest of the message). Here the writer watches
    every worker's pipe and process sentinel itself: a dead worker is noticed at once, the others
    are stopped, and the run fails with a message that says to rerun.
    """

    def __init__(self, jobs: int, store_path: str, metadata: Metadata | None = None) -> None:
        # spawn: workers are children of this process (so they can die with it) and start clean.
        context = multiprocessing.get_context("spawn")
        self._tasks = context.Queue()
        self._workers: list[tuple[Any, Any]] = []  # (process, result pipe)
        try:
            for _ in range(jobs):
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=_worker_main, daemon=True,
                                          args=(self._tasks, writer, store_path, os.getpid(), metadata))
                with _stop_signals_blocked():
                    process.start()
                writer.close()  # only the worker holds the sending end: its death reads as end of file here
                self._workers.append((process, reader))
        except BaseException:
            self.close()
            raise
        self._pipes = {reader: process for process, reader in self._workers}
        self._sentinels = {process.sentinel: process for process, _ in self._workers}
        # Before multiprocessing's own exit handler, which stops daemon workers with SIGTERM (ignored
        # by ours) and then waits for them.
        atexit.register(self.close, True)

    def submit(self, task: list[RawRecord]) -> None:
        self._tasks.put(task)

    def next_result(self) -> TaskResult:
        """The next result any worker sends; raises if a worker died or its task failed."""
        from multiprocessing.connection import wait as wait_for

        pipes, sentinels = self._pipes, self._sentinels
        while True:
            ready = wait_for([*pipes, *sentinels])
            for reader in (r for r in ready if r in pipes):
                try:
                    kind, value = typing.cast(Connection, reader).recv()
                except (EOFError, OSError):
                    self._died(pipes[reader])
                if kind == "error":
                    raise typing.cast(BaseException, value)
                return typing.cast(TaskResult, value)
            for sentinel in ready:
                self._died(sentinels[sentinel])

    def _died(self, process: Any) -> NoReturn:
        process.join(1)
        code = process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        raise DeportgraphError(
            f"a worker process died ({how}); what was committed is kept: rerun the same command to finish "
            "(stored articles are skipped)")

    def close(self, force: bool = False) -> None:
        """Stop the workers: politely when they are idle, by force after a failure or after 5 s."""
        atexit.unregister(self.close)
        alive = [process for process, _ in self._workers if process.is_alive()] if not force else []
        for _ in alive:
            self._tasks.put(None)
        deadline = time.monotonic() + 5
        for process in alive:
            process.join(max(0.0, deadline - time.monotonic()))
        for process, reader in self._workers:
            if process.is_alive():
                process.kill()
                process.join()
            reader.close()
        self._tasks.cancel_join_thread()  # tasks left for dead workers must not block exit
        self._tasks.close()

    def __enter__(self) -> _WorkerPool:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.close(force=kind is not None)


def _dask(tasks: Iterator[list[RawRecord] | LoaderError], store_path: str | None, scheduler: Any,
          max_in_flight: int, metadata: Metadata | None = None) -> Iterator[TaskResult | LoaderError]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise DeportgraphError("--scheduler needs Dask: pip install 'deportgraph[dask]'") from None
    if isinstance(scheduler, Client):
        client = scheduler
    else:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            raise DeportgraphError(
                f"no Dask scheduler answers at {scheduler} within {SCHEDULER_TIMEOUT_S} s ({type(exc).__name__}); "
                "start one (dask scheduler) or leave out --scheduler") from None
    try:
        pending = as_completed()

        def submit(task: list[RawRecord]) -> None:
            pending.add(client.submit(run_task, task, store_path, metadata, pure=False))

        yield from _bounded(tasks, submit, lambda: next(pending).result(), max_in_flight)
    finally:
        if client is not scheduler:
            client.close()


def ingest(
    store: Store,
    paths: Iterable[str],
    *,
    jobs: int = 1,
    batch_size: int = 1000,
    task_size: int = 256,
    scheduler: Any = None,
    options: ReadOptions | None = None,
    metadata: Metadata | None = None,
    stdin: Any = None,
    on_progress: Callable[[IngestReport], None] | None = None,
    on_error: Callable[[LoaderError], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> IngestReport:
    """Read, extract and store every article under ``paths``; bad records are reported and skipped.

    ``jobs`` worker processes (1: this process) or a Dask ``scheduler`` (address or Client) do the
    reading and extraction; this process writes. Workers on other machines must see the same paths.
    ``metadata`` (a sidecar, `loaders.metadata.read_metadata`) gives articles their url, title,
    publisher and date where their files do not.
    """
    start = time.perf_counter()
    report = IngestReport()
    pending: list[ArticleClaims] = []
    store_path = str(store.path.resolve())
    tasks = plan_tasks(paths, stdin, options, task_size)
    in_flight = 2 * max(jobs, 1)
    if scheduler is not None:
        results = _dask(tasks, store_path if os.path.exists(store_path) else None, scheduler, in_flight * 4,
                        metadata)
    elif jobs > 1:
        results = _pool(tasks, store_path, jobs, in_flight, metadata)
    else:
        results = _local(tasks, store_path, metadata)

    def flush() -> None:
        if pending:
            result = store.write_batch(pending, on_wait=on_wait)
            report.added += result.articles
            report.already_stored += result.duplicates
            for count in fields(ArticleCounts):
                setattr(report, count.name, getattr(report, count.name) + getattr(result, count.name))
            pending.clear()

    # closing: a failure here (a full disk) must stop the workers now, not when the generator is collected
    with store.ingesting(), contextlib.closing(typing.cast(Generator[TaskResult | LoaderError, None, None],
                                                            results)):
        for item in results:
            if isinstance(item, LoaderError):
                _error(report, item, on_error)
                continue
            for path, reason in item.errors:
                _error(report, LoaderError(path, reason), on_error)
            report.read += item.read
            report.already_stored += item.known
            pending.extend(item.claims)
            if len(pending) >= batch_size:
                flush()
            if on_progress:
                on_progress(report)
        flush()
    store.settle(on_wait=on_wait)
    report.seconds = time.perf_counter() - start
    return report


def _error(report: IngestReport, err: LoaderError, on_error: Callable[[LoaderError], None] | None) -> None:
    report.errors.append(err)
    if on_error:
        on_error(err)
