"""Parallel and distributed ingest give the store a single process gives; faults lose nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deportgraph.errors import DeportgraphError
from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store
from deportgraph.outputs.json_dump import dump_json

from ..conftest import EXAMPLES, stored_sources

HOSTS = ["Uzbekistan", "Rwanda", "Kosovo", "Costa Rica", "Panama", "Eswatini", "Ghana", "Honduras", "Uganda"]
FILLER = "The council met to discuss road repairs and the budget for new bus lanes in the old town. " * 12


def corpus(folder: Path, n: int, prefix: str = "Item") -> Path:
    """A JSON Lines archive of n articles, a quarter of them about removals, and a folder of files."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "archive.jsonl", "w", encoding="utf-8") as f:
        for i in range(n):
            text = f"{prefix} {i}. " + FILLER
            if i % 4 == 0:
                text += (f"The United States deported {i % 90 + 3} people to {HOSTS[i % len(HOSTS)]} in report {i}. "
                         f"Interior Minister Ana Kowalczyk of Poland said talks continue.")
            f.write(json.dumps({"text": text, "url": f"https://example.org/{i}"}) + "\n")
    return folder


def comparable(store: Store) -> dict:
    data = dump_json(store)
    return {k: data[k] for k in ("nodes", "edges", "facts")} | {"sources": [
        {k: v for k, v in s.items() if k != "path"} for s in data["sources"]]}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus(tmp_path_factory.mktemp("corpus"), 1500)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, archive: Path) -> dict:
    with Store.open(tmp_path_factory.mktemp("ref") / "g.db") as store:
        ingest(store, [str(archive), str(EXAMPLES)], jobs=1)
        return comparable(store)


def test_jobs_1_and_jobs_2_give_the_same_store(tmp_path: Path, archive: Path, reference: dict) -> None:
    with Store.open(tmp_path / "g.db") as store:
        report = ingest(store, [str(archive), str(EXAMPLES)], jobs=2, task_size=64, batch_size=100)
        assert report.read == 1510 and report.added == 1510
        assert comparable(store) == reference


def test_dask_local_cluster_gives_the_same_store(tmp_path: Path, archive: Path, reference: dict) -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  local_directory=str(tmp_path / "dask")) as cluster, \
            Store.open(tmp_path / "g.db") as store:
        report = ingest(store, [str(archive), str(EXAMPLES)], scheduler=cluster.scheduler_address, task_size=128)
        assert report.added == 1510
        assert comparable(store) == reference


def test_two_concurrent_ingests_lose_nothing(tmp_path: Path) -> None:
    a, b = corpus(tmp_path / "a", 1200), corpus(tmp_path / "b", 1200, prefix="Entry")
    db = tmp_path / "g.db"
    code = ("import sys; from deportgraph.graph.store import Store; from deportgraph.graph.ingest import ingest;"
            "s = Store.open(sys.argv[1]);"
            "r = ingest(s, [sys.argv[2]], batch_size=40, on_wait=lambda m: print('WAIT', m, flush=True));"
            "print('ADDED', r.added)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db), str(folder)], stdout=subprocess.PIPE, text=True)
             for folder in (a, b)]
    outs = [p.communicate(timeout=240)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("ADDED 1200" in out for out in outs)
    with Store.open(db) as store:
        assert store.stats()["articles"]["read"] == 2400
        assert store.conn.execute("SELECT COUNT(*) FROM dirty").fetchone()[0] == 0


def ingest_script(error: str, before: str = "", keep_error: bool = False) -> str:
    """Python code that ingests ``argv[2]`` into the store ``argv[1]`` with two workers, tasks and batches
    of 16, and prints FAILED and exits 3 on ``error`` (a deportgraph.errors class)."""
    return (f"import sys\nfrom deportgraph.graph.store import Store\nfrom deportgraph.graph.ingest import ingest\n"
            f"from deportgraph.errors import {error}\n"
            f"s = Store.open(sys.argv[1])\n{before}\n"
            f"try:\n    ingest(s, sys.argv[2:], jobs=2, task_size=16, batch_size=16)\n"
            f"except {error} as e:\n    {'kept = e; ' if keep_error else ''}"
            f"print('FAILED', e, flush=True); sys.exit(3)")


def test_a_killed_worker_fails_the_run_clearly_and_a_rerun_completes(tmp_path: Path) -> None:
    archive = corpus(tmp_path / "big", 8000)
    db = tmp_path / "g.db"
    code = ingest_script("DeportgraphError")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(archive)], stdout=subprocess.PIPE, text=True)
    victim = None
    deadline = time.time() + 180
    while victim is None and time.time() < deadline:
        time.sleep(0.1)
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        workers = [int(c) for c in children if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text(errors="ignore")]
        if workers and stored_sources(db) >= 32:
            victim = workers[0]
    assert victim, "no worker to kill"
    os.kill(victim, signal.SIGKILL)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 3 and "worker process died" in out and "rerun" in out
    with Store.open(db) as store:
        report = ingest(store, [str(archive)], jobs=2)
        assert report.already_stored > 0 and report.read == 8000
        resumed = comparable(store)
    with Store.open(tmp_path / "clean.db") as clean:
        ingest(clean, [str(archive)], jobs=1)
        assert comparable(clean) == resumed


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    started = time.monotonic()
    with Store.open(tmp_path / "g.db") as store, pytest.raises(
            DeportgraphError, match=r"no Dask scheduler answers at tcp://127\.0\.0\.1:9 within \d+ s"):
        ingest(store, [str(EXAMPLES)], scheduler="tcp://127.0.0.1:9")
    assert time.monotonic() - started < 30  # one line within seconds, not a traceback after a long wait


def _group_gone(pgid: int, timeout: float = 10) -> bool:
    """Whether every process of the group has ended (multiprocessing's resource tracker takes a moment)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(("sig", "code", "word"), [(signal.SIGINT, 130, "interrupted"),
                                                    (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_or_sigterm_stops_the_cli_cleanly_and_a_rerun_completes(
        tmp_path: Path, sig: signal.Signals, code: int, word: str) -> None:
    """As a terminal (or a batch system) sends it: to the whole process group, workers included."""
    archive = corpus(tmp_path / "big", 8000)
    db = tmp_path / "g.db"
    command = [sys.executable, "-m", "deportgraph", "ingest", "--store", str(db), "--jobs", "2", "--batch-size", "16",
               "-q", str(archive)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,  # its own group, SIGINT not ignored (as from a terminal)
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 180
    while stored_sources(db) < 32 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert (f"{word}: the store keeps every batch committed so far; run the same command again to finish "
            "(articles already stored are skipped)") in err.splitlines(), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert _group_gone(proc.pid), "processes of the run are left behind"
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=240)
    assert rerun.returncode == 0, rerun.stderr
    kept = re.search(r"(\d+) already stored", rerun.stdout)
    assert kept and 0 < int(kept[1]) < 8000, rerun.stdout  # what the interrupted run committed stayed
    with Store.open(db) as store, Store.open(tmp_path / "clean.db") as clean:
        ingest(clean, [str(archive)], jobs=1)
        assert comparable(clean) == comparable(store)


def test_a_store_that_cannot_take_more_stops_the_workers_and_the_run(tmp_path: Path) -> None:
    """A full disk (here SQLite's page limit) fails the run with the store's error; no worker is left waiting."""
    archive = corpus(tmp_path / "big", 3000)
    db = tmp_path / "g.db"
    # a page limit just above the store's size; the error kept until exit, as the CLI's error keeps it
    # (as its context), and with it the run's frame
    code = ingest_script("StoreError", before="s.conn.execute('PRAGMA max_page_count = %d' % "
                         "(s.conn.execute('PRAGMA page_count').fetchone()[0] + 40))", keep_error=True)
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(archive)], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 3 and "database or disk is full" in out, out
    assert _group_gone(proc.pid), "workers are left behind"
    with Store.open(db) as store:
        assert 0 < store.stats()["articles"]["read"] < 3000  # what fitted stays
