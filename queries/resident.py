"""A resident embedded engine: the FalkorDB server stays up between commands, for a session of queries.

Starting the embedded engine from its snapshot takes about a second and a half on a store of a
million articles, far more than most questions take to answer. With ``keep_alive`` (CLI:
``--keep-engine SECONDS`` or ``DEPORTGRAPH_KEEP_ENGINE``) the first command leaves its server
running and records it in ``server.json`` beside the snapshot; later commands on the same store
state connect to it in milliseconds. A small watchdog process stops the server once no question
has reached it for ``keep_alive`` seconds. When the store has changed (another state token) a new
server is started beside the running one from the snapshot, brought up to date with what changed,
saved, and recorded in its place; the old one answers the questions already sent to it and its
watchdog stops it once it is idle. A dead server is retired, as :func:`stop_resident` retires one;
a lock file serializes commands that would start or replace one at the same time.

A server readers use is only ever read, never written to nor saved (see :func:`_replaced`):
``cypher --write`` keeps using a private, throw-away server.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from deportgraph.errors import BackendError

from .embedded import (
    _TMP_PREFIX,
    EmbeddedFalkorDB,
    _pid_alive,
    capture_stacks,
    embedded_reply_timeout,
    redis_once,
)
from .falkordb import FalkorDBBackend
from .snapshots import open_embedded, write_atomically

__all__ = ["STATE_FILE", "open_resident", "resident_state", "stop_resident"]

STATE_FILE = "server.json"
LOCK_FILE = "server.lock"


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    import fcntl  # POSIX only, like the FalkorDB server itself

    with open(folder / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def resident_state(snapshot_dir: Path) -> dict[str, Any] | None:
    """What ``server.json`` records about the resident server of this snapshot folder, if anything."""
    try:
        state = json.loads((Path(snapshot_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and isinstance(state.get("pid"), int) else None


def _write_state(snapshot_dir: Path, state: dict[str, Any]) -> None:
    write_atomically(snapshot_dir / STATE_FILE, json.dumps(state, sort_keys=True))


def _is_recorded_server(pid: int, socket_path: str) -> bool:
    """Whether process ``pid`` is still the server that listens on ``socket_path`` (not a reused pid)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()  # redis rewrites it: "… unixsocket:PATH"
    except OSError:
        return _pid_alive(pid)  # no /proc: trust the pid
    return bool(socket_path) and os.fsencode(socket_path) in command


def _retire(state: dict[str, Any], timeout: float = 5.0) -> None:
    """Stop a recorded server and remove its folder; the snapshot on disk stays as it is.

    SIGKILL, as for private servers (see ``stop_process``): the server has nothing to save, and a
    stuck one would not shut down.
    """
    pid = int(state["pid"])
    if _pid_alive(pid) and _is_recorded_server(pid, str(state.get("socket", ""))):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + timeout
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.01)
    folder = state.get("folder")
    if folder and Path(folder).name.startswith(_TMP_PREFIX):  # never remove anything but a server folder
        shutil.rmtree(folder, ignore_errors=True)


def _retire_recorded(snapshot_dir: Path, state: dict[str, Any]) -> None:
    """Stop the server ``server.json`` records and remove the record (the lock is held)."""
    _retire(state)
    (snapshot_dir / STATE_FILE).unlink(missing_ok=True)


def stop_resident(snapshot_dir: Path) -> bool:
    """Stop the resident server of this snapshot folder; returns whether one was recorded."""
    snapshot_dir = Path(snapshot_dir)
    if not snapshot_dir.is_dir():
        return False
    with _locked(snapshot_dir):
        state = resident_state(snapshot_dir)
        if state is None:
            return False
        _retire_recorded(snapshot_dir, state)
        return True


def open_resident(
    snapshot_dir: Path,
    token: str,
    load: Callable[[EmbeddedFalkorDB], None],
    keep_alive: float,
    *,
    graph: str = "deportgraph",
    refresh: Callable[[FalkorDBBackend, str], bool] | None = None,
    as_is: bool = False,
) -> FalkorDBBackend:
    """A connection to the resident server holding the graph of store state ``token`` (started if need be).

    A running server of an older state answers as it is when ``as_is`` (while an ingest writes to the
    store), its backend's ``lagging`` set; otherwise a new server is started beside it from the
    snapshot, brought up to date by ``refresh`` or loaded by ``load`` (as for ``open_embedded``), and
    recorded in its place; the old one finishes the questions it has and stops once idle.
    Closing the connection leaves the server running until it has been idle ``keep_alive`` seconds.
    """
    if keep_alive <= 0:
        raise ValueError("keep_alive must be positive")
    snapshot_dir = Path(snapshot_dir)
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    with _locked(snapshot_dir):
        state = resident_state(snapshot_dir)
        if state is not None:
            if state.get("graph") == graph and _pid_alive(state["pid"]) and _answers(str(state["socket"])):
                if state.get("token") == token or as_is:
                    backend = None
                    with contextlib.suppress(BackendError):
                        backend = _connect(state, snapshot_dir)
                    if backend is not None:
                        return _watched(snapshot_dir, state, backend, lagging=state.get("token") != token)
                elif refresh is not None:
                    return _replaced(snapshot_dir, state, token, load, graph, keep_alive, refresh)
            _retire_recorded(snapshot_dir, state)
        return _started(snapshot_dir, token, load, graph, keep_alive, refresh)


def _watched(snapshot_dir: Path, state: dict[str, Any], backend: FalkorDBBackend, lagging: bool) -> FalkorDBBackend:
    """The connection to a recorded server, whose watchdog is started again if it was killed."""
    backend.lagging = lagging  # the store moves on under an ingest; asked again, it catches up
    watchdog = int(state.get("watchdog") or 0)
    if watchdog <= 0 or not _pid_alive(watchdog):
        state["watchdog"] = _start_watchdog(snapshot_dir, state)
        _write_state(snapshot_dir, state)
    return backend


def _started(snapshot_dir: Path, token: str, load: Callable[[EmbeddedFalkorDB], None], graph: str,
             keep_alive: float, refresh: Callable[[FalkorDBBackend, str], bool] | None) -> FalkorDBBackend:
    """A new resident server of state ``token``, from the snapshot (refreshed or loaded), recorded."""
    server = open_embedded(snapshot_dir, token, load, graph=graph, resident=True, refresh=refresh)
    state = {"pid": server.pid, "socket": str(server.socket_path), "folder": str(server.folder),
             "token": token, "graph": graph, "keep_alive": keep_alive}
    _write_state(snapshot_dir, state)
    state["watchdog"] = _start_watchdog(snapshot_dir, state)
    _write_state(snapshot_dir, state)
    return server.release()


def _replaced(snapshot_dir: Path, state: dict[str, Any], token: str, load: Callable[[EmbeddedFalkorDB], None],
              graph: str, keep_alive: float, refresh: Callable[[FalkorDBBackend, str], bool]) -> FalkorDBBackend:
    """A new resident server of state ``token``, started beside the running one of an older state.

    The running server is never written to nor saved while it answers: FalkorDB 4.16 can stick for
    good when a ``SAVE`` follows writes on a server whose readers are busy (a reader's matrix product
    spins holding the graph's read lock, the next writer holds the module lock waiting for it, and
    the main thread waits for the module lock). The new server starts from the snapshot, is brought
    up to date and saved with no reader on it, and is recorded; the old one answers the questions
    already sent to it and is stopped by its watchdog once it is idle.
    """
    server = _started(snapshot_dir, token, load, graph, keep_alive, refresh)
    if not _pid_alive(int(state.get("watchdog") or 0)):
        _retire(state)  # no watchdog to stop it once idle
    return server


def _answers(socket_path: str, timeout: float = 5.0) -> bool:
    """Whether the server answers PING within ``timeout`` seconds.

    Its main thread answers while graph queries run on FalkorDB's own threads: one that does not is
    stuck (a SAVE, the one long main-thread command, only runs under the lock the caller holds).
    """
    from redis.exceptions import RedisError

    client = redis_once(unix_socket_path=socket_path, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except (RedisError, OSError):
        return False
    finally:
        client.close()


def _connect(state: dict[str, Any], snapshot_dir: Path | None = None) -> FalkorDBBackend:
    """A connection to the recorded server (a reply that does not come in time leaves its threads' stacks
    in ``snapshot_dir``)."""
    backend = FalkorDBBackend(str(state["socket"]), str(state["graph"]), name=EmbeddedFalkorDB.name,
                              reply_timeout=embedded_reply_timeout())
    if snapshot_dir is not None:
        backend.on_timeout = lambda: capture_stacks(int(state["pid"]), snapshot_dir)
    return backend


def _start_watchdog(snapshot_dir: Path, state: dict[str, Any]) -> int:
    """Start the watchdog of a recorded server; returns its process id."""
    return subprocess.Popen(
        [sys.executable, "-m", "deportgraph.queries.resident", "--watch", str(snapshot_dir),
         "--state", json.dumps(state, sort_keys=True)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True,
    ).pid


def _activity(socket_path: str) -> tuple[int, int] | None:
    """How many GRAPH.* commands the server has run (the watchdog's own INFO calls do not count) and
    how many run now (a graph query blocks its client while FalkorDB's threads answer it)."""
    from redis.exceptions import RedisError

    client = redis_once(unix_socket_path=socket_path, socket_timeout=5)
    try:
        stats = client.info("commandstats")
        running = int(client.info("clients").get("blocked_clients", 0))
    except (RedisError, OSError):
        return None
    finally:
        client.close()
    return sum(int(v.get("calls", 0)) for k, v in stats.items() if k.lower().startswith("cmdstat_graph.")), running


class _Quiet:
    """How long a server has been quiet: no GRAPH call since the last look and no question running."""

    def __init__(self, socket_path: str) -> None:
        self.socket_path = socket_path
        self.activity: tuple[int, int] | None = None
        self.since = time.monotonic()

    def look(self) -> tuple[tuple[int, int] | None, float]:
        """The server's activity now (None when it does not answer) and the seconds it has been quiet
        (0 when a question was answered since the last look, or one is running)."""
        activity = _activity(self.socket_path)
        now = time.monotonic()
        if activity != self.activity or (activity and activity[1]):
            self.activity, self.since = activity, now
            return activity, 0.0
        return activity, now - self.since


def watch(snapshot_dir: Path, mine: dict[str, Any], poll: float = 1.0) -> None:
    """Stop the server ``mine`` describes once it has answered nothing for its ``keep_alive`` seconds.

    The server is stopped too when ``server.json`` no longer names it, so that no server outlives its
    record: at once when the record is gone, once idle when a newer server took its place.
    """
    pid = int(mine["pid"])
    keep_alive = float(mine.get("keep_alive", 0))
    quiet = _Quiet(str(mine["socket"]))
    while _pid_alive(pid):
        state = resident_state(snapshot_dir)
        if state is None or state["pid"] != pid:
            if state is not None:
                _wait_until_idle(mine, keep_alive)
            _retire(mine)
            return
        _, quiet_for = quiet.look()
        if quiet_for and quiet_for >= keep_alive:
            break
        time.sleep(min(poll, max(0.05, keep_alive / 4)))
    with _locked(snapshot_dir):
        state = resident_state(snapshot_dir)
        if state is not None and state["pid"] == pid:
            _retire_recorded(snapshot_dir, state)
        else:
            _retire(mine)


def _wait_until_idle(state: dict[str, Any], longest: float, calm: float = 1.0, poll: float = 0.1) -> None:
    """Wait until a superseded server has no question running and none arrived for ``calm`` seconds
    (a command may have read its record just before it was replaced), or ``longest`` seconds."""
    deadline, quiet = time.monotonic() + longest, _Quiet(str(state["socket"]))
    while time.monotonic() < deadline:
        activity, quiet_for = quiet.look()
        if activity is None or quiet_for >= calm:
            return
        time.sleep(poll)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The watchdog of a resident deportgraph engine.")
    parser.add_argument("--watch", type=Path, required=True, help="the snapshot folder holding server.json")
    parser.add_argument("--state", required=True, help="the server's record, as written to server.json")
    args = parser.parse_args(argv)
    watch(args.watch, json.loads(args.state))


if __name__ == "__main__":
    main()
