"""The resident engine under load: questions never stop being answered while the store changes under it.

Reader processes keep asking the resident engine questions while the store takes new articles and
each change is brought to the engine, with busy processes beside them on every core. A reply that
does not come within the engine timeout is a stuck engine and fails the test, and so does a server
that is written to or saved while readers use it: FalkorDB 4.16 can stick for good on a ``SAVE``
after writes while its readers are busy (docs/bench.md, "A stuck engine"; ``bench/engine_stall.py``
shows it on a bare server). ``DEPORTGRAPH_STRESS_SECONDS`` sets how long the changes go on (default:
a short form for ``make test``).
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import redis

from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store
from deportgraph.queries.engine import open_resident_engine, snapshot_dir_for
from deportgraph.queries.named import run_named
from deportgraph.queries.resident import resident_state, stop_resident

from ..conftest import write_article

STRESS_SECONDS = float(os.environ.get("DEPORTGRAPH_STRESS_SECONDS", "20"))
STARTING_ARTICLES = int(os.environ.get("DEPORTGRAPH_STRESS_ARTICLES", "1500"))
READERS = 8
QUESTIONS = ["accepts", "third-countries", "officials", "payments"]


@functools.cache
def _countries() -> list[tuple[str, str]]:
    """(name, demonym) of every country with both, so that the graph has many hosts and deporters."""
    rows = [json.loads(line) for line in (resources.files("deportgraph.loaders.patterns") / "countries.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted((r["names"][0], r["demonyms"][0]) for r in rows if r["names"] and r.get("demonyms")
                  and r["names"][0].isascii() and " " not in r["names"][0] and not r.get("part_of"))


def _article(i: int) -> str:
    countries = _countries()
    host, _ = countries[i % len(countries)]
    deporter, _ = countries[(i * 7 + 3) % len(countries)]
    who = countries[(i * 13 + 5) % len(countries)][1]
    return (f"{deporter} deported {10 + i % 90} {who} nationals to {host} on Tuesday, officials said. "
            f"{host} agreed to take them. Interior Minister Ana Varga{i} of {host} said the country was "
            f"paid ${1 + i % 9} million.")


def _reader(path: Path, n: int, stop: Any, errors: Any, answered: Any) -> None:
    """Ask questions until told to stop; odd readers connect per question (the CLI), even ones keep one
    connection (a notebook)."""
    os.environ["DEPORTGRAPH_ENGINE_TIMEOUT"] = "20"
    count = 0
    try:
        with Store.open(path) as store:
            while not stop.is_set():
                with open_resident_engine(store, 120) as engine:
                    while not stop.is_set():
                        run_named(engine, QUESTIONS[(n + count) % len(QUESTIONS)])
                        engine.run("MATCH (a)-[r]->(b) RETURN type(r) AS t, count(*) AS n ORDER BY t")
                        count += 1
                        if n % 2:
                            break
    except Exception as exc:  # any failure of a question fails the test
        errors.put(f"{type(exc).__name__}: {exc}")
    answered.put(count)


class _ServerWatcher(threading.Thread):
    """Notes how many writes and saves each recorded server had run when it was first recorded (handed
    to readers) and when last seen."""

    def __init__(self, snapshot_dir: Path) -> None:
        super().__init__(daemon=True)
        self.snapshot_dir, self.stop = snapshot_dir, threading.Event()
        self.first: dict[int, tuple[int, int]] = {}
        self.last: dict[int, tuple[int, int]] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            state = resident_state(self.snapshot_dir)
            if state is not None:
                try:
                    stats = redis.Redis(unix_socket_path=state["socket"], socket_timeout=5).info("commandstats")
                except (redis.RedisError, OSError):
                    stats = None
                if stats is not None:
                    seen = (stats.get("cmdstat_graph.QUERY", {}).get("calls", 0),
                            stats.get("cmdstat_save", {}).get("calls", 0))
                    self.first.setdefault(state["pid"], seen)
                    self.last[state["pid"]] = seen
            time.sleep(0.05)


def _busy(until: float) -> None:
    while time.monotonic() < until:
        pass


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    folder = tmp_path / "start"
    folder.mkdir()
    for i in range(STARTING_ARTICLES):
        write_article(folder, f"{i}.txt", _article(i))
    with Store.open(tmp_path / "g.db") as store:
        ingest(store, [str(folder)])
        try:
            yield store
        finally:
            stop_resident(snapshot_dir_for(store))


def test_questions_are_answered_while_the_engine_is_brought_up_to_date(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPORTGRAPH_ENGINE_TIMEOUT", "20")
    with open_resident_engine(store, 120) as engine:
        run_named(engine, "accepts")
    ctx = multiprocessing.get_context("spawn")
    stop, errors, answered = ctx.Event(), ctx.Queue(), ctx.Queue()
    end = time.monotonic() + STRESS_SECONDS
    hogs = [ctx.Process(target=_busy, args=(end,)) for _ in range(os.cpu_count() or 2)]
    for hog in hogs:
        hog.start()
    readers = [ctx.Process(target=_reader, args=(store.path, n, stop, errors, answered)) for n in range(READERS)]
    for t in readers:
        t.start()
    watcher = _ServerWatcher(snapshot_dir_for(store))
    watcher.start()
    rounds = 0
    try:
        while time.monotonic() < end and errors.empty():
            folder = tmp_path / f"more{rounds}"
            folder.mkdir()
            for i in range(10):
                write_article(folder, f"{i}.txt", _article(STARTING_ARTICLES + rounds * 10 + i))
            ingest(store, [str(folder)])
            with open_resident_engine(store, 120) as engine:  # brings the engine up to date
                run_named(engine, "accepts")
            rounds += 1
    finally:
        stop.set()
        watcher.stop.set()
        watcher.join()
        counts = [answered.get(timeout=90) for _ in readers]
        for t in readers:
            t.join(timeout=60)
        for hog in hogs:
            hog.terminate()
    failures = [errors.get() for _ in range(errors.qsize())]
    assert not failures, failures[:3]
    assert rounds >= 2 and min(counts) > 0
    assert len(watcher.first) > rounds // 2  # each change came in a new server …
    for pid, first in watcher.first.items():  # … and no server was written to or saved once readers had it
        assert watcher.last[pid] == first, (pid, first, watcher.last[pid])
    with open_resident_engine(store, 120) as engine:  # the last change is what the engine answers
        officials = {row["name"] for row in run_named(engine, "officials")}
    assert f"Ana Varga{STARTING_ARTICLES + rounds * 10 - 1}" in officials
