"""A server that stops answering is an error, not a hang; a stuck or abandoned one is replaced.

A real FalkorDB server is made to stop answering with SIGSTOP (the process lives, its socket
accepts, nothing replies), as a server stalled on a lock would.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deportgraph.errors import BackendError, EngineTimeoutError
from deportgraph.graph.store import Store
from deportgraph.queries.embedded import (
    TOKEN_FILE,
    EmbeddedFalkorDB,
    _pid_alive,
    _sweep_stale_dirs,
    embedded_reply_timeout,
)
from deportgraph.queries.engine import open_resident_engine, snapshot_dir_for
from deportgraph.queries.falkordb import REPLY_TIMEOUT_ENV
from deportgraph.queries.named import run_named
from deportgraph.queries.resident import resident_state, stop_resident
from deportgraph.queries.snapshots import open_embedded

from .test_resident import store, wait_until  # noqa: F401 - the store fixture

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="stops processes and reads /proc; Linux only")


@contextlib.contextmanager
def stopped(pid: int) -> Iterator[None]:
    """The process frozen (SIGSTOP) for the block, thawed after (if it still lives)."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


def test_a_server_that_stops_answering_is_an_error_within_the_reply_timeout() -> None:
    with EmbeddedFalkorDB(reply_timeout=0.5) as db:
        assert db.run("RETURN 1 AS one") == [{"one": 1}]
        with stopped(db.pid):
            start = time.monotonic()
            with pytest.raises(EngineTimeoutError, match=r"gave no answer within 0\.5 s .*DEPORTGRAPH_ENGINE_TIMEOUT"):
                db.run("MATCH (n) RETURN count(n) AS n")
            assert time.monotonic() - start < 30
        assert db.run("RETURN 2 AS two") == [{"two": 2}]  # thawed, it answers on a new connection


@pytest.mark.skipif(shutil.which("gdb") is None, reason="gdb is not installed (Debian: apt-get install gdb)")
def test_a_reply_that_does_not_come_leaves_every_server_threads_stack(tmp_path: Path) -> None:
    with EmbeddedFalkorDB(tmp_path, reply_timeout=0.5) as db:
        with stopped(db.pid), pytest.raises(EngineTimeoutError) as caught:
            db.run("MATCH (n) RETURN count(n) AS n")
        [stacks] = tmp_path.glob("engine-stacks-*.txt")
        assert f"the stacks of its threads are in {stacks}" in str(caught.value)
        text = stacks.read_text(encoding="utf-8")
        assert text.count("Thread ") >= 2 and "#0" in text  # the main thread and FalkorDB's workers


def test_the_reply_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REPLY_TIMEOUT_ENV, raising=False)
    assert embedded_reply_timeout() == 600
    monkeypatch.setenv(REPLY_TIMEOUT_ENV, "0")
    assert embedded_reply_timeout() is None
    monkeypatch.setenv(REPLY_TIMEOUT_ENV, "2.5")
    with EmbeddedFalkorDB() as db:
        assert db.backend.reply_timeout == 2.5
    for bad in ("soon", "-1", "nan", "inf"):
        monkeypatch.setenv(REPLY_TIMEOUT_ENV, bad)
        with pytest.raises(BackendError, match=rf"{REPLY_TIMEOUT_ENV}=.*{bad}.*number of seconds"):
            embedded_reply_timeout()


class FreezingLoad:
    """A whole load that freezes (SIGSTOP) the first ``freeze`` servers it is given, mid-load."""

    def __init__(self, freeze: int) -> None:
        self.freeze = freeze
        self.servers: list[tuple[EmbeddedFalkorDB, int]] = []  # each server given, with its pid

    def __call__(self, server: EmbeddedFalkorDB) -> None:
        self.servers.append((server, server.pid))
        if len(self.servers) <= self.freeze:
            os.kill(server.pid, signal.SIGSTOP)
        server.run("CREATE (:Country {id: 'GHA', iso3: 'GHA'})", write=True)


def test_a_server_stuck_during_a_whole_load_is_replaced_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REPLY_TIMEOUT_ENV, "1")
    load = FreezingLoad(freeze=1)
    with open_embedded(tmp_path, "store:1", load) as server:
        assert server.run("MATCH (c:Country) RETURN c.id AS id") == [{"id": "GHA"}]
        [(stuck, stuck_pid), (kept, _)] = load.servers
        assert kept is server
        assert wait_until(lambda: not _pid_alive(stuck_pid))  # the stuck one was killed
        assert not stuck.folder.exists()
    assert (tmp_path / TOKEN_FILE).is_file()


def test_a_load_that_stalls_every_server_fails_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REPLY_TIMEOUT_ENV, "1")
    load = FreezingLoad(freeze=99)
    with pytest.raises(EngineTimeoutError, match="gave no answer"):
        open_embedded(tmp_path, "store:1", load)
    assert len(load.servers) == 2
    assert all(wait_until(lambda pid=pid: not _pid_alive(pid)) for _, pid in load.servers)
    assert not (tmp_path / TOKEN_FILE).exists() and not (tmp_path / "dump.rdb").exists()


def test_a_stuck_resident_server_is_replaced(store: Store) -> None:  # noqa: F811 - the fixture
    with open_resident_engine(store, 60) as engine:
        rows = run_named(engine, "agreements")
    old = resident_state(snapshot_dir_for(store))
    assert old is not None
    os.kill(old["pid"], signal.SIGSTOP)
    try:
        with open_resident_engine(store, 60) as engine:
            assert run_named(engine, "agreements") == rows
        new = resident_state(snapshot_dir_for(store))
        assert new is not None and new["pid"] != old["pid"]
        assert wait_until(lambda: not _pid_alive(old["pid"]))
        assert not Path(old["folder"]).exists()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(old["pid"], signal.SIGCONT)
        stop_resident(snapshot_dir_for(store))


def test_a_folder_is_not_swept_while_its_starter_holds_it() -> None:
    """Another process's sweep must not take the log of a server that died before its starter read it."""
    db = EmbeddedFalkorDB()
    try:
        os.kill(db.pid, signal.SIGKILL)
        assert wait_until(lambda: not _pid_alive(db.pid))
        _sweep_stale_dirs()  # flock: a claim taken again in this process conflicts like another's
        assert db.folder.is_dir() and db.log_path.is_file()
    finally:
        db.close()
    assert not db.folder.exists()
