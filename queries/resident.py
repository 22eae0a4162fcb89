"""A resident embedded engine: the FalkorDB server stays up between commands, for a session of queries.

Starting the embedded engine from its snapshot takes about a second and a half on a store of a
million articles, far more than most questions take to answer. With ``keep_alive`` (CLI:
``--keep-engine SECONDS`` or ``DEPORTGRAPH_KEEP_ENGINE``) the first command leaves its server
running and records it in ``server.json`` beside the snapshot; later commands on the same store
state connect to it in milliseconds. A small watchdog process stops the server once no question
has reached it for ``keep_alive`` seconds. When the store has changed (another state token) the
running server is brought up to date with what changed and saves the snapshot; a server that
cannot be (or a dead one) is retired, as :func:`stop_resident` retires one; a lock file serializes
commands that would start or change one at the same time. A question running while the server is
brought up to date may see part of the change.

The resident graph is only ever read: ``cypher --write`` keeps using a private, throw-away server.
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
    TOKEN_FILE,
    EmbeddedFalkorDB,
    _pid_alive,
    capture_stacks,
    embedded_reply_timeout,
    redis_once,
)
from .falkordb import FalkorDBBackend
from .snapshots import open_embedded, refresh_and_save, snapshot_stamp, write_atomically

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

    A running server of an older state is brought up to date by ``refresh`` where it runs (and its
    snapshot saved), or, ``as_is`` (while an ingest writes to the store), answers as it is, its
    backend's ``lagging`` set; otherwise it is retired and a new one started from the snapshot,
    refreshed or loaded by ``load`` (as for ``open_embedded``).
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
                backend = None
                if state.get("token") == token or as_is:
                    with contextlib.suppress(BackendError):
                        backend = _connect(state, snapshot_dir)
                    if backend is not None and state.get("token") != token:
                        backend.lagging = True  # the store moves on under an ingest; asked again, it catches up
                elif refresh is not None and isinstance(state.get("token"), str):
                    backend = _refreshed_in_place(snapshot_dir, state, token, refresh)
                if backend is not None:
                    watchdog = int(state.get("watchdog") or 0)
                    if watchdog <= 0 or not _pid_alive(watchdog):  # killed: the server needs a new one
                        state["watchdog"] = _start_watchdog(snapshot_dir, state)
                        _write_state(snapshot_dir, state)
                    return backend
            _retire_recorded(snapshot_dir, state)
        server = open_embedded(snapshot_dir, token, load, graph=graph, resident=True, refresh=refresh)
        state = {"pid": server.pid, "socket": str(server.socket_path), "folder": str(server.folder),
                 "token": token, "graph": graph, "keep_alive": keep_alive}
        _write_state(snapshot_dir, state)
        state["watchdog"] = _start_watchdog(snapshot_dir, state)
        _write_state(snapshot_dir, state)
        return server.release()


def _refreshed_in_place(snapshot_dir: Path, state: dict[str, Any], token: str,
                        refresh: Callable[[FalkorDBBackend, str], bool]) -> FalkorDBBackend | None:
    """A connection to the running server, its graph brought from its recorded state to ``token`` and
    saved as the snapshot; None when that cannot be done (the caller retires the server, whose graph
    may be half changed: its snapshot on disk is still the older one)."""
    graph = str(state["graph"])
    try:
        backend = _connect(state, snapshot_dir)
    except BackendError:
        return None
    if not refresh_and_save(backend, str(state["token"]), refresh, snapshot_dir):
        backend.close()
        return None
    write_atomically(snapshot_dir / TOKEN_FILE, snapshot_stamp(token, graph))
    state["token"] = token
    _write_state(snapshot_dir, state)
    return backend


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


def _graph_calls(socket_path: str) -> int | None:
    """How many GRAPH.* commands the server has run (the watchdog's own INFO calls do not count)."""
    from redis.exceptions import RedisError

    client = redis_once(unix_socket_path=socket_path, socket_timeout=5)
    try:
        stats = client.info("commandstats")
    except (RedisError, OSError):
        return None
    finally:
        client.close()
    return sum(int(v.get("calls", 0)) for k, v in stats.items() if k.lower().startswith("cmdstat_graph."))


def watch(snapshot_dir: Path, mine: dict[str, Any], poll: float = 1.0) -> None:
    """Stop the server ``mine`` describes once it has answered nothing for its ``keep_alive`` seconds.

    The server is stopped too when ``server.json`` no longer names it (deleted, or replaced by a
    command that could not read it), so that no server outlives its record.
    """
    pid = int(mine["pid"])
    keep_alive = float(mine.get("keep_alive", 0))
    last_calls: int | None = None
    last_change = time.monotonic()
    while _pid_alive(pid):
        state = resident_state(snapshot_dir)
        if state is None or state["pid"] != pid:
            _retire(mine)
            return
        calls = _graph_calls(str(mine["socket"]))
        now = time.monotonic()
        if calls != last_calls:
            last_calls, last_change = calls, now
        elif now - last_change >= keep_alive:
            break
        time.sleep(min(poll, max(0.05, keep_alive / 4)))
    with _locked(snapshot_dir):
        state = resident_state(snapshot_dir)
        if state is not None and state["pid"] == pid:
            _retire_recorded(snapshot_dir, state)
        else:
            _retire(mine)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The watchdog of a resident deportgraph engine.")
    parser.add_argument("--watch", type=Path, required=True, help="the snapshot folder holding server.json")
    parser.add_argument("--state", required=True, help="the server's record, as written to server.json")
    args = parser.parse_args(argv)
    watch(args.watch, json.loads(args.state))


if __name__ == "__main__":
    main()
