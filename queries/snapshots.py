"""The embedded engine's snapshot beside the store: started from when its token matches the store's
state, brought up to date when it is older, rebuilt when it is unreadable; its token written last."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

from deportgraph.errors import BackendError, EngineTimeoutError, QueryError
from deportgraph.files import write_atomically

from .embedded import LOAD_ATTEMPTS, SNAPSHOT_FILE, TOKEN_FILE, EmbeddedFalkorDB, save_snapshot
from .falkordb import FalkorDBBackend


def snapshot_stamp(token: str, graph: str) -> str:
    """What ``dump.token`` holds: the graph and the store state a snapshot was saved at."""
    return json.dumps({"graph": graph, "token": token}, sort_keys=True)


def _refreshed(snapshot_dir: Path, recorded: str, graph: str, refresh: Callable[[FalkorDBBackend, str], bool],
               startup_timeout: float, resident: bool) -> EmbeddedFalkorDB | None:
    """A server started from an older snapshot and brought up to date by ``refresh``, saved; or None."""
    try:
        previous = json.loads(recorded)
    except ValueError:
        return None
    if not isinstance(previous, dict) or previous.get("graph") != graph or not isinstance(previous.get("token"), str):
        return None
    try:
        server = EmbeddedFalkorDB(snapshot_dir, graph=graph, startup_timeout=startup_timeout, resident=resident)
    except BackendError:
        return None
    try:
        refreshed = refresh_and_save(server.backend, previous["token"], refresh, snapshot_dir)
    except BaseException:
        server.stop()
        raise
    if refreshed:
        return server
    server.stop()  # loaded whole instead
    return None


def refresh_and_save(backend: FalkorDBBackend, token: str, refresh: Callable[[FalkorDBBackend, str], bool],
                     folder: Path) -> bool:
    """Bring the graph a server holds from store state ``token`` up to date with ``refresh``, then SAVE it
    to ``folder``.

    False when that cannot be done; the graph may then be half changed (its snapshot on disk is not).
    """
    try:
        if not refresh(backend, token):
            return False
        save_snapshot(backend, folder)
    except (BackendError, QueryError):
        return False
    return True


def open_embedded(
    snapshot_dir: Path,
    token: str,
    load: Callable[[EmbeddedFalkorDB], None],
    *,
    graph: str = "deportgraph",
    startup_timeout: float = 30.0,
    resident: bool = False,
    refresh: Callable[[FalkorDBBackend, str], bool] | None = None,
) -> EmbeddedFalkorDB:
    """Start an embedded FalkorDB from the snapshot in ``snapshot_dir`` if its token matches.

    If the snapshot holds an older state, ``refresh(backend, its_token)`` may bring the server
    started from it up to date (returning False when it cannot). Otherwise start empty and call
    ``load(backend)``. Either way ``SAVE``, and only then record ``token`` beside ``dump.rdb``
    (atomic rename), so an interrupted load never leaves a valid-looking snapshot.
    A ``resident`` server outlives its starter (see :mod:`deportgraph.queries.resident`).
    """
    snapshot_dir = Path(snapshot_dir)
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    dump, stamp_file = snapshot_dir / SNAPSHOT_FILE, snapshot_dir / TOKEN_FILE
    stamp = snapshot_stamp(token, graph)
    recorded = None
    with contextlib.suppress(OSError):
        recorded = stamp_file.read_text(encoding="utf-8")
    if recorded == stamp and dump.is_file():
        try:
            return EmbeddedFalkorDB(snapshot_dir, graph=graph, startup_timeout=startup_timeout, resident=resident)
        except BackendError:
            pass  # an unreadable snapshot is rebuilt below, like a stale one
    elif refresh is not None and recorded is not None and dump.is_file():
        server = _refreshed(snapshot_dir, recorded, graph, refresh, startup_timeout, resident)
        if server is not None:
            write_atomically(stamp_file, stamp)
            return server
    stamp_file.unlink(missing_ok=True)
    dump.unlink(missing_ok=True)
    for attempt in range(1, LOAD_ATTEMPTS + 1):
        server = EmbeddedFalkorDB(snapshot_dir, graph=graph, startup_timeout=startup_timeout, resident=resident)
        try:
            load(server)
            server.save()
            write_atomically(stamp_file, stamp)
        except EngineTimeoutError:
            server.stop()  # a stuck server: a new one gets the load once more
            dump.unlink(missing_ok=True)
            if attempt == LOAD_ATTEMPTS:
                raise
        except BaseException:
            server.stop()
            raise
        else:
            return server
    raise AssertionError("unreachable")  # pragma: no cover
