"""The embedded server never outlives the process that started it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deportgraph.queries.backends import EmbeddedFalkorDB

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; Linux only")

START = """
import os, sys
from deportgraph.queries.backends import EmbeddedFalkorDB
db = EmbeddedFalkorDB()
print(db._proc.pid, db.socket_path, flush=True)
if sys.argv[1] == "hang":
    import time
    time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _wait_dead(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not _alive(pid)


def test_server_stops_at_interpreter_exit_without_close() -> None:
    out = subprocess.run(
        [sys.executable, "-c", START, "exit"], capture_output=True, text=True, check=True, timeout=60
    )
    pid, socket_path = out.stdout.split()
    assert _wait_dead(int(pid))
    assert not Path(socket_path).parent.exists()


def test_server_stops_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", START, "hang"], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pid_text, socket_path = parent.stdout.readline().split()
    pid = int(pid_text)
    assert _alive(pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    parent.stdout.close()
    assert _wait_dead(pid)
    assert Path(socket_path).parent.exists()  # nobody was left to remove it ...
    EmbeddedFalkorDB().close()  # ... so the next server to start does
    assert not Path(socket_path).parent.exists()


def test_a_server_started_from_a_thread_outlives_the_thread() -> None:
    """Linux would signal a server tied to its starter when that *thread* ends; the process lives on."""
    import threading

    started: list[EmbeddedFalkorDB] = []
    worker = threading.Thread(target=lambda: started.append(EmbeddedFalkorDB()))
    worker.start()
    worker.join()
    [db] = started
    try:
        time.sleep(0.3)  # a negative check: the server must still answer a while after its starter thread ended
        assert db.run("RETURN 1 AS one") == [{"one": 1}]
    finally:
        db.close()
