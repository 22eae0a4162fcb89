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
        time.sleep(1.0)  # the question is under way
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
        done = cli("query", "third-countries", "--store", str(db), "--keep-engine", "0", full_disk_at=40_000)
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
