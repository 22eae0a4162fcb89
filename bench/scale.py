"""Benchmark: ingest a large synthetic archive (streamed as JSON Lines) and report rate and memory.

    python bench/scale.py --n 1000000 [--jobs 2] [--relevant 0.05] [--seed 7] [--keep DIR]
                          [--batch-size 1000] [--task-size 256] [--gen-jobs 2]

The archive is written on the fly to a temporary JSONL file (or ``DIR/corpus.jsonl`` with
``--keep``), never held in memory: ~600-word articles, a share about deportation, officials
drawn from 48,000 generated names and hosts/deporters from ~140 countries, so the graph keeps
growing with the archive (``bench/corpus.py``: ``growing_chunk``). The same seed gives the same
archive. Then ``ingest`` runs on it with a bounded process pool.

Prints the generation time (excluded from the ingest figures), then the ingest wall time,
articles/s, the store's size, node and edge counts, and the peak resident memory of the whole
process tree (this process and every descendant: VmRSS from /proc sampled every 0.2 s in a
thread, summed per sample, the maximum kept). Not a test: numbers go into the README, never
into assertions. With ``--keep DIR`` the archive and the store (``DIR/scale.db``) are kept for
``bench/query.py --store`` and ``bench/push.py --store``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from corpus import GROWING_CHUNK, growing_chunk  # bench/ is on sys.path when this script runs

from deportgraph.graph.ingest import IngestReport, ingest
from deportgraph.graph.store import Store

# --------------------------------------------------------------------------- memory of a process tree


def _children_map() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process visible in /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue  # the process ended while we looked
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1:
            children[int(fields[1])].append(int(entry.name))
    return children


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0  # ended, or a kernel thread / zombie without VmRSS


def tree_rss_bytes(root: int | None = None) -> tuple[int, int]:
    """(summed VmRSS in bytes, number of processes) of ``root`` (default: this process) and its descendants."""
    root = os.getpid() if root is None else root
    children = _children_map()
    total, count, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total += _rss_kib(pid) * 1024
        count += 1
        stack.extend(children.get(pid, ()))
    return total, count


class TreeRssSampler:
    """Samples the process tree's summed RSS every ``interval`` seconds in a thread; keeps the peak.

    >>> with TreeRssSampler() as sampler:
    ...     pass
    >>> sampler.peak > 0
    True
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def sample(self) -> None:
        rss, processes = tree_rss_bytes()
        self.samples += 1
        if rss > self.peak:
            self.peak, self.peak_processes = rss, processes

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> TreeRssSampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# --------------------------------------------------------------------------- the archive and the store


def write_archive(path: Path, n: int, seed: int = 7, relevant_share: float = 0.05, jobs: int = 1) -> float:
    """Stream N articles of the growing corpus to ``path`` as JSONL, chunk by chunk; returns seconds.

    Chunks are made by ``jobs`` processes and written in order, so the file is the same for any ``jobs``.
    """
    start = time.perf_counter()
    chunks = range(-(-n // GROWING_CHUNK))
    make = partial(growing_chunk, n=n, seed=seed, relevant_share=relevant_share)
    with open(path, "w", encoding="utf-8") as out:
        if jobs <= 1:
            for chunk in chunks:
                out.write(make(chunk))
        else:
            with multiprocessing.get_context("spawn").Pool(jobs) as pool:
                for text in pool.imap(make, chunks):
                    out.write(text)
    return time.perf_counter() - start


def store_bytes(db: Path) -> int:
    """The store's size on disk: the SQLite file and its WAL / shared-memory files, if any."""
    return sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
               if p.exists())


@dataclass
class ScaleResult:
    """What one scale run measured."""

    articles: int
    archive_bytes: int
    generate_seconds: float
    generate_peak_rss: int
    report: IngestReport
    wall: float
    peak_rss: int
    peak_processes: int
    store_path: Path
    store_bytes: int
    stats: dict[str, Any]

    @property
    def nodes(self) -> int:
        return sum(self.stats["nodes"].values())

    @property
    def edges(self) -> int:
        return sum(self.stats["edges"].values())


def _progress(every: float = 30.0) -> Any:
    last = [time.perf_counter()]
    started = last[0]

    def show(report: IngestReport) -> None:
        now = time.perf_counter()
        if now - last[0] >= every:
            last[0] = now
            print(f"  … {report.read:,} articles read in {now - started:.0f} s "
                  f"({report.read / (now - started):,.0f}/s), {report.added:,} stored", flush=True)

    return show


def run_scale(folder: Path, n: int, *, seed: int = 7, relevant_share: float = 0.05, jobs: int = 2,
              gen_jobs: int = 2, batch_size: int = 1000, task_size: int = 256, verbose: bool = True) -> ScaleResult:
    """Generate the archive in ``folder``, ingest it into ``folder/scale.db``, measure; the files stay there."""
    archive, db = folder / "corpus.jsonl", folder / "scale.db"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)  # measure a fresh ingest, never a rerun that skips stored articles
    if verbose:
        print(f"generating {n:,} articles into {archive} …", flush=True)
    with TreeRssSampler() as gen_sampler:
        gen_seconds = write_archive(archive, n, seed, relevant_share, gen_jobs)
    if verbose:
        print(f"ingesting with jobs={jobs}, batch_size={batch_size}, task_size={task_size} …", flush=True)
    with TreeRssSampler() as sampler:
        start = time.perf_counter()
        with Store.open(db) as store:
            report = ingest(store, [str(archive)], jobs=jobs, batch_size=batch_size, task_size=task_size,
                            on_progress=_progress() if verbose else None)
            wall = time.perf_counter() - start
            stats = store.stats()
    return ScaleResult(
        articles=report.read, archive_bytes=archive.stat().st_size, generate_seconds=gen_seconds,
        generate_peak_rss=gen_sampler.peak, report=report, wall=wall, peak_rss=sampler.peak,
        peak_processes=sampler.peak_processes, store_path=db, store_bytes=store_bytes(db), stats=stats,
    )


@contextmanager
def work_folder(keep: str | None) -> Iterator[Path]:
    """``keep`` (created if needed) or a temporary folder removed at the end."""
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
    else:
        with tempfile.TemporaryDirectory(prefix="deportgraph-scale-") as tmp:
            yield Path(tmp)


def add_store_arguments(parser: argparse.ArgumentParser, n: int, relevant: float) -> None:
    """``--store PATH`` or the synthetic archive to build one from (``--n``, ``--relevant``, …)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--store", type=Path, help="an existing store (left unchanged)")
    source.add_argument("--n", type=int, default=n, help="articles to generate and ingest for the store")
    parser.add_argument("--relevant", type=float, default=relevant,
                        help="share of generated articles about deportation")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2, help="ingest worker processes when building the store")
    parser.add_argument("--keep", metavar="DIR", help="build the store in DIR and keep it")


def with_store(args: argparse.Namespace, run: Callable[[Path], None]) -> None:
    """Call ``run`` with the store ``--store`` names, or with one built from the synthetic archive."""
    if args.store:
        if not args.store.is_file():
            raise SystemExit(f"{args.store}: no such store")
        run(args.store)
        return
    with work_folder(args.keep) as folder:
        built = run_scale(folder, args.n, seed=args.seed, relevant_share=args.relevant, jobs=args.jobs,
                          gen_jobs=args.jobs, verbose=False)
        print(f"built {built.store_path} from {built.articles:,} articles in {built.wall:.0f} s")
        run(built.store_path)


def machine() -> str:
    """Cores, memory, CPU model and Python: the context the numbers need."""
    model = "unknown CPU"
    with suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    mem = 0
    with suppress(ValueError, OSError):
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores} cores ({model}), {mem / 2**30:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {sys.version.split()[0]}")


def print_result(r: ScaleResult, jobs: int) -> None:
    rep = r.report
    print(f"machine: {machine()}")
    print(f"archive: {r.articles:,} articles, {r.archive_bytes / 1e9:.2f} GB of JSONL, generated in "
          f"{r.generate_seconds:.1f} s (peak tree RSS {r.generate_peak_rss / 1e6:.0f} MB; not in the figures below)")
    print(f"ingest: relevant {rep.relevant:,}, with facts {rep.with_facts:,}, facts {rep.facts:,}, "
          f"errors {len(rep.errors)}")
    print(f"wall: {r.wall:.1f} s, rate: {r.articles / r.wall:,.0f} articles/s (jobs={jobs})")
    print(f"peak RSS of the process tree: {r.peak_rss / 1e6:,.0f} MB ({r.peak_processes} processes at the peak)")
    print(f"store: {r.store_bytes / 1e6:,.0f} MB ({r.store_path})")
    print(f"nodes: {r.nodes:,} {r.stats['nodes']}")
    print(f"edges: {r.edges:,} {r.stats['edges']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="number of articles")
    parser.add_argument("--jobs", type=int, default=2, help="ingest worker processes")
    parser.add_argument("--relevant", type=float, default=0.05, help="share of articles about deportation")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="keep the archive and the store in DIR")
    parser.add_argument("--batch-size", type=int, default=1000, help="articles per store transaction")
    parser.add_argument("--task-size", type=int, default=256, help="articles per worker task")
    parser.add_argument("--gen-jobs", type=int, default=2, help="processes generating the archive")
    args = parser.parse_args()
    with work_folder(args.keep) as folder:
        result = run_scale(folder, args.n, seed=args.seed, relevant_share=args.relevant, jobs=args.jobs,
                           gen_jobs=args.gen_jobs, batch_size=args.batch_size, task_size=args.task_size)
        print_result(result, args.jobs)


if __name__ == "__main__":
    main()
