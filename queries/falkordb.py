"""The FalkorDB client: statements over the Redis protocol (a server's URL or an embedded server's socket),
replies turned into plain rows, the engine's errors into one-line messages."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Self

from deportgraph.collector import collector_paused
from deportgraph.errors import BackendError, EngineTimeoutError, QueryError

from .statements import Dialect, Row

# The variable that sets how long a client waits for an embedded server's reply (see `embedded`).
REPLY_TIMEOUT_ENV = "DEPORTGRAPH_ENGINE_TIMEOUT"


_SCALARS = (str, int, float, bool, type(None))


def _falkor_converter() -> Callable[[Any], Any]:
    """A function that turns values parsed by the falkordb client into plain Python."""
    from falkordb import Edge, Node
    from falkordb import Path as FalkorPath

    def convert(value: Any) -> Any:
        if type(value) in _SCALARS:
            return value
        if isinstance(value, Node | Edge):
            return {k: convert(v) for k, v in value.properties.items()}
        if isinstance(value, FalkorPath):
            return {
                "nodes": [convert(n) for n in value.nodes()],
                "edges": [convert(e) for e in value.edges()],
            }
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    return convert


MAX_PARAM_DEPTH = 64  # lists and maps inside each other; deeper, the client's encoder runs out of stack


def _too_deep(params: Mapping[str, Any]) -> str | None:
    """Name a parameter nested deeper than `MAX_PARAM_DEPTH`, without recursing into it."""
    for name, value in params.items():
        stack: list[tuple[Any, int]] = [(value, 1)]
        while stack:
            item, depth = stack.pop()
            if isinstance(item, list | tuple | Mapping):
                if depth > MAX_PARAM_DEPTH:
                    return f"parameter {name!r} holds lists or maps nested more than {MAX_PARAM_DEPTH} deep"
                children = item.values() if isinstance(item, Mapping) else item
                stack.extend((child, depth + 1) for child in children if isinstance(child, list | tuple | Mapping))
    return None


def _bad_param(value: Any, where: str) -> str | None:
    """Describe a parameter value FalkorDB cannot take, or return None if all are fine."""
    if isinstance(value, str):
        return f"{where} contains a NUL character" if "\x00" in value else None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where} is {value!r}; only finite numbers can be stored"
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if (found := _bad_param(item, f"{where}[{i}]")) is not None:
                return found
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str) or not key or "`" in key:
                return f"{where} has an unusable key {key!r}"
            if (found := _bad_param(item, f"{where}.{key}")) is not None:
                return found
    return None


_FALKOR_SYNTAX = re.compile(
    r"^errMsg: (?P<msg>.*?) line: (?P<line>\d+), column: (?P<column>\d+), offset: \d+ "
    r"errCtx: (?P<ctx>.*?) errCtxOffset: (?P<at>\d+)$",
    re.DOTALL,
)
_READ_ONLY_HINT = "the query would change the graph, but it runs read-only; allow writes with --write"


def falkordb_error_message(message: str) -> str:
    """FalkorDB's error text made readable: a syntax error keeps its message and position, plus a caret.

    >>> print(falkordb_error_message(
    ...     "errMsg: Invalid input 'R': expected RETURN line: 1, column: 11, offset: 10 "
    ...     "errCtx: MATCH (n) RETRUN n errCtxOffset: 10"))
    Invalid input 'R': expected RETURN (line 1, column 11)
      MATCH (n) RETRUN n
                ^
    """
    found = _FALKOR_SYNTAX.match(message.strip())
    if found is None:
        if "executed only on read-only queries" in message:
            return f"{_READ_ONLY_HINT} ({message})"
        return message
    context = found["ctx"]
    at = len(context.encode("utf-8")[: int(found["at"])].decode("utf-8", errors="ignore"))  # a byte offset
    return (
        f"{found['msg']} (line {found['line']}, column {found['column']})\n"
        f"  {context}\n  {' ' * at}^"
    )


class FalkorDBBackend:
    """A FalkorDB server reached by URL (``redis://host:port``, ``unix:///path``) or socket path.

    Read-only statements go through ``GRAPH.RO_QUERY``, so the engine itself refuses writes.
    """

    dialect: Dialect = "falkordb"

    def __init__(
        self,
        url_or_unix_socket: str,
        graph: str = "deportgraph",
        *,
        timeout_ms: int | None = None,
        reply_timeout: float | None = None,
        name: str = "falkordb",
    ) -> None:
        from falkordb import FalkorDB
        from redis.exceptions import RedisError

        self.name = name
        self.location = url_or_unix_socket
        self.graph_name = graph
        self.timeout_ms = timeout_ms
        self.reply_timeout = reply_timeout
        target = url_or_unix_socket
        try:
            if "://" in target:
                self._db = FalkorDB.from_url(target, socket_timeout=reply_timeout)
            elif target.startswith(("/", ".")) or target.endswith(".sock"):
                self._db = FalkorDB(unix_socket_path=target, socket_timeout=reply_timeout)
            else:
                host, _, port = target.rpartition(":")
                self._db = FalkorDB(host=host or "localhost", port=int(port), socket_timeout=reply_timeout)
            self._db.connection.ping()
        except (RedisError, OSError, ValueError) as exc:
            raise self._failure("cannot reach", exc) from exc
        self._graph = self._db.select_graph(graph)
        # Called when a reply does not come in time; returns where it wrote what the server was doing.
        self.on_timeout: Callable[[], str | None] | None = None
        self.lagging = False  # True: the graph is of an earlier state of its store (an ingest is writing)

    @collector_paused()  # the reply is parsed inside the call, then converted
    def run(self, query: str, params: Mapping[str, Any] | None = None, write: bool = False) -> list[Row]:
        """Run one statement and return its rows as dicts."""
        from falkordb.exceptions import SchemaVersionMismatchException
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import RedisError, ResponseError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        call = self._graph.query if write else self._graph.ro_query
        args = dict(params) if params else None
        if args and (deep := _too_deep(args)) is not None:
            raise QueryError(deep)
        try:
            try:
                result = call(query, args, timeout=self.timeout_ms)
            except SchemaVersionMismatchException:
                result = call(query, args, timeout=self.timeout_ms)
        except ResponseError as exc:
            message = str(exc)
            if message.startswith("MISCONF"):
                raise self._failure("cannot write with", exc) from exc
            if "unknown command" in message.lower():
                raise BackendError(f"{self.location} has no FalkorDB module loaded: {message}") from exc
            if "empty key" in message:
                message = (
                    f"graph {self.graph_name!r} does not exist on {self.location}; load it first ({message})"
                )
            elif args and (bad := _bad_param(args, "parameter")) is not None:
                raise QueryError(f"{bad} ({message})") from exc
            raise QueryError(falkordb_error_message(message)) from exc
        except (RedisConnectionError, RedisTimeoutError) as exc:
            raise self._failure("lost connection to", exc) from exc
        except (ValueError, TypeError) as exc:  # the client rejects some parameter values itself
            raise QueryError(f"bad parameters: {exc}") from exc
        except RedisError as exc:
            raise BackendError(f"FalkorDB at {self.location} failed: {exc}") from exc
        columns = [column[1] for column in result.header]
        convert = _falkor_converter()
        return [dict(zip(columns, map(convert, record), strict=True)) for record in result.result_set]

    def ensure_graph(self) -> None:
        """Create the graph, empty, if the server does not hold it yet."""
        self.run("RETURN 1 AS created", write=True)

    def execute_command(self, *args: Any) -> Any:
        """Send a raw Redis command (e.g. ``SAVE``) to the server."""
        from redis.exceptions import RedisError

        try:
            return self._db.connection.execute_command(*args)
        except RedisError as exc:
            raise self._failure(f"{args[0]} failed on", exc) from exc

    def _failure(self, what: str, exc: Exception) -> BackendError:
        """The error to raise for a failed call: an :class:`EngineTimeoutError` when no reply came in time."""
        from redis.exceptions import TimeoutError as RedisTimeoutError

        if isinstance(exc, RedisTimeoutError | TimeoutError) and self.reply_timeout is not None:
            stacks = self.on_timeout() if self.on_timeout is not None else None
            return EngineTimeoutError(
                f"FalkorDB at {self.location} gave no answer within {self.reply_timeout:g} s "
                f"(stuck or overloaded; {REPLY_TIMEOUT_ENV} sets the limit for the embedded engine)"
                + (f"; the stacks of its threads are in {stacks}" if stacks else "")
            )
        if str(exc).startswith("MISCONF"):  # the server refuses writes (and PING) until it can persist again
            return BackendError(f"FalkorDB at {self.location} cannot write to its disk: {exc}")
        hint = ("; the embedded engine stopped (killed?) during the call: the next command starts another"
                if what == "lost connection to" and self.name == "falkordb-embedded" else "")
        return BackendError(f"{what} FalkorDB at {self.location}: {exc}{hint}")

    def close(self) -> None:
        """Close the connection pool."""
        from redis.exceptions import RedisError

        with contextlib.suppress(RedisError, OSError):  # closing a dead connection has nothing to report
            self._db.connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FalkorDBBackend({self.location!r}, graph={self.graph_name!r})"
