"""Push the store into Neo4j or a FalkorDB server: schema first, then nodes and edges in batches.

Every batch is one ``UNWIND $rows … MERGE`` in one transaction, retried with backoff when the
engine reports a transient failure (Neo4j ``TransientError``/``ServiceUnavailable``, a dropped
Redis connection or a timeout). MERGE on ``id`` makes the push idempotent: pushing the same store
twice changes nothing. ``wipe=True`` deletes every node of the schema's labels first.

Into a FalkorDB graph that is absent or empty (also after a wipe that left nothing), the push
creates the graph with ``GRAPH.BULK`` instead (:mod:`deportgraph.queries.bulk`): the same nodes,
edges and properties, several times faster. ``bulk=False`` always uses ``MERGE``.

>>> from deportgraph.queries.backends import EmbeddedFalkorDB
>>> from deportgraph.graph.store import Store
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp, Store.open(pathlib.Path(tmp) / "g.db") as store, \\
...         EmbeddedFalkorDB() as db:
...     report = push(store, db)
>>> (report.nodes, report.edges)
(0, 0)
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from deportgraph.errors import DeportgraphError
from deportgraph.graph.store import Store

from .backends import (
    NODE_LABELS,
    CypherBackend,
    Dialect,
    EmbeddedFalkorDB,
    FalkorDBBackend,
    ensure_index,
    load_batches,
    load_statements,
    run_batch,
    schema_statements,
)
from .bulk import DEFAULT_BUFFER_BYTES, bulk_load, graph_is_empty

__all__ = [
    "PushReport",
    "PushStep",
    "is_transient",
    "push",
    "push_statements",
    "wipe_graph",
    "wipe_statement",
]

Stage = Literal["schema", "wipe", "nodes", "edges"]


@dataclass(frozen=True)
class PushReport:
    """What a push did: rows merged, nodes wiped first, wall time, and where it went."""

    nodes: int
    edges: int
    seconds: float
    wiped: int = 0
    target: str = ""


@dataclass(frozen=True)
class PushStep:
    """Progress: ``done`` of ``total`` node and edge rows sent, in ``stage``."""

    stage: Stage
    done: int
    total: int


def wipe_statement(label: str) -> str:
    """The statement that deletes up to ``$limit`` nodes of ``label`` (and their edges).

    >>> wipe_statement("Country")
    'MATCH (n:Country) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted'
    """
    if label not in NODE_LABELS:
        raise ValueError(f"unknown label {label!r}")
    return f"MATCH (n:{label}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"


def push_statements(dialect: Dialect) -> Iterator[tuple[str, str]]:
    """Yield ``(name, text)`` for every statement :func:`push` may send (for linting)."""
    for i, statement in enumerate(schema_statements(dialect, index_edges=True)):
        yield f"schema {i:02d}", statement
    for label in NODE_LABELS:
        yield f"wipe {label}", wipe_statement(label)
    for name, statement in load_statements(dialect):
        if name.startswith(("merge ", "dangling ")):
            yield name, statement


def _transient_types() -> tuple[type[BaseException], ...]:
    from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (TransientError, ServiceUnavailable, SessionExpired, RedisConnectionError, RedisTimeoutError)


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a failure worth retrying: the same batch may then succeed.

    >>> from redis.exceptions import ConnectionError
    >>> from deportgraph.errors import BackendError
    >>> try:
    ...     raise BackendError("lost connection") from ConnectionError("reset by peer")
    ... except BackendError as exc:
    ...     is_transient(exc)
    True
    >>> is_transient(BackendError("cannot reach FalkorDB"))
    False
    """
    transient = _transient_types()
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, transient):
            return True
        seen = seen.__cause__
    return False


class _Sender:
    """Runs statements as write transactions, retrying transient failures with exponential backoff."""

    def __init__(
        self, backend: CypherBackend, retries: int, backoff: float, sleep: Callable[[float], None]
    ) -> None:
        self.backend, self.retries, self.backoff, self.sleep = backend, retries, backoff, sleep

    def retry(self, work: Callable[[], Any]) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return work()
            except DeportgraphError as exc:
                if attempt >= self.retries or not is_transient(exc):
                    raise
                self.sleep(min(self.backoff * 2**attempt, 30.0))
        raise AssertionError("unreachable")  # pragma: no cover

    def run(self, statement: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.retry(lambda: self.backend.run(statement, params, write=True))
        return rows


def wipe_graph(
    backend: CypherBackend,
    batch_size: int = 5000,
    *,
    retries: int = 5,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Delete every node of the schema's labels (and their edges) in batches; return how many."""
    sender = _Sender(backend, retries, backoff, sleep)
    deleted = 0
    for label in NODE_LABELS:
        statement = wipe_statement(label)
        while count := int(sender.run(statement, {"limit": batch_size})[0]["deleted"]):
            deleted += count
    return deleted


def push(
    store: Store,
    backend: CypherBackend,
    *,
    wipe: bool = False,
    batch_size: int = 5000,
    progress: Callable[[PushStep], None] | None = None,
    retries: int = 5,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    bulk: bool = True,
    bulk_buffer_bytes: int = DEFAULT_BUFFER_BYTES,
) -> PushReport:
    """Sync ``store`` into ``backend``: (``wipe``), schema, then nodes and edges by ``batch_size``.

    ``progress`` is called after each step with the rows sent so far. A batch that fails with a
    transient error is retried up to ``retries`` times, waiting ``backoff``, 2×, 4×… seconds.
    With ``bulk`` an absent or empty FalkorDB graph is created in one ``GRAPH.BULK`` pass, in calls
    of at most ``bulk_buffer_bytes``; it is not retried (a failed bulk load leaves an empty graph).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.monotonic()
    nodes, edges = store.graph_rows()
    batches = load_batches(nodes, edges, batch_size)
    total = sum(map(len, nodes.values())) + sum(map(len, edges.values()))
    report = progress or (lambda step: None)
    sender = _Sender(backend, retries, backoff, sleep)

    wiped = 0
    if wipe:
        wiped = wipe_graph(backend, batch_size, retries=retries, backoff=backoff, sleep=sleep)
        report(PushStep("wipe", 0, total))
    counts = {"nodes": 0, "edges": 0}
    location = getattr(backend, "location", None)
    target = f"{backend.name} at {location}" if location else backend.name
    try:
        _send(backend, sender, nodes, edges, batches, total, counts, report, bulk, bulk_buffer_bytes)
    except DeportgraphError as exc:
        raise type(exc)(_stopped(target, counts, exc)) from exc
    return PushReport(
        nodes=counts["nodes"],
        edges=counts["edges"],
        seconds=time.monotonic() - started,
        wiped=wiped,
        target=target,
    )


def _stopped(target: str, counts: Mapping[str, int], exc: DeportgraphError) -> str:
    """Why a push stopped, what it had sent, and what to do (a push merges, so pushing again completes it)."""
    return (f"push to {target} stopped after {counts['nodes']} nodes and {counts['edges']} edges: {exc}; "
            "each batch is kept whole or not at all, and pushing again completes it")


def _send(backend: CypherBackend, sender: _Sender, nodes: Any, edges: Any, batches: Any, total: int,
          counts: dict[str, int], report: Callable[[PushStep], None], bulk: bool, bulk_buffer_bytes: int) -> None:
    """The schema and every row, in one bulk pass into an empty FalkorDB graph or in MERGE batches."""
    falkordb = _falkordb_server(backend) if bulk else None
    if falkordb is not None and sender.retry(lambda: graph_is_empty(falkordb)):

        def sent(kind: str, rows: int) -> None:
            counts[kind] += rows
            report(PushStep("nodes" if kind == "nodes" else "edges", counts["nodes"] + counts["edges"], total))

        bulk_load(falkordb, nodes, edges, index_edges=True, buffer_bytes=bulk_buffer_bytes, progress=sent)
        report(PushStep("schema", total, total))
    else:
        for statement in schema_statements(backend.dialect, index_edges=True):
            sender.retry(functools.partial(ensure_index, backend, statement))
        report(PushStep("schema", 0, total))
        for batch in batches:
            counts[batch.kind] += sender.retry(functools.partial(run_batch, backend, batch))
            report(PushStep(batch.kind, counts["nodes"] + counts["edges"], total))


def _falkordb_server(backend: CypherBackend) -> FalkorDBBackend | None:
    """The FalkorDB connection behind ``backend``, if it is one (bulk loads go through it)."""
    if isinstance(backend, EmbeddedFalkorDB):
        return backend.backend
    return backend if isinstance(backend, FalkorDBBackend) else None
