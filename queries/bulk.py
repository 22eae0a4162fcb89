"""Build a FalkorDB graph in one pass with ``GRAPH.BULK``, the engine's binary bulk-insert command.

``UNWIND $rows … MERGE`` sends every value as Cypher text that the server parses again; an edge with
its quotes is about a kilobyte of it. ``GRAPH.BULK`` takes the same rows as typed binary records
(the format of FalkorDB's own ``falkordb-bulk-loader``), so a whole store goes in at tens of
thousands of edges a second. It can only create a graph, never update one: :func:`bulk_load` is used
for the embedded engine's first load and for a push into an absent (or wiped) graph; syncing into a
graph that already holds data stays with ``MERGE``.

The loader package itself reads CSV files and guesses each value's type from its text (an id
``"2025"`` would become an integer), so the records are encoded here from the typed rows.

>>> from deportgraph.queries.backends import EmbeddedFalkorDB
>>> with EmbeddedFalkorDB() as db:
...     stats = bulk_load(db.backend, {"Country": [{"id": "RWA", "name": "Rwanda"}]}, {})
...     db.run("MATCH (c:Country {id: 'RWA'}) RETURN c.name AS name")
[{'name': 'Rwanda'}]
"""

from __future__ import annotations

import contextlib
import math
import struct
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from deportgraph.errors import DeportgraphError, QueryError

from .backends import (
    FalkorDBBackend,
    LoadStats,
    check_schema_names,
    dangling_edges_message,
    ensure_index,
    schema_statements,
)

__all__ = ["DEFAULT_BUFFER_BYTES", "bulk_load", "encode_value", "graph_is_empty"]

# One GRAPH.BULK call carries at most this many bytes of records (the server's own limit on one
# argument is 512 MB; the loader package defaults to 64 MB). Measured on a 1M-article store:
# 4, 16 and 64 MB load at the same speed; 16 MB keeps the client's buffer small.
DEFAULT_BUFFER_BYTES = 16 << 20

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = 0, 1, 2, 3, 4, 5
_LONG_PACK = struct.Struct("=Bq").pack
_DOUBLE_PACK = struct.Struct("=Bd").pack
_IDS_PACK = struct.Struct("=QQ").pack
_COUNT_PACK = struct.Struct("=I").pack
_INT64 = (-(2**63), 2**63 - 1)


def encode_value(value: Any) -> bytes:
    """One property value as a typed binary record (``None`` leaves the property unset).

    >>> encode_value("RWA"), encode_value(True), len(encode_value([1, 2.5]))
    (b'\\x03RWA\\x00', b'\\x01\\x01', 27)
    """
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            raise ValueError("a string property may not hold a NUL character")
        return b"\x03" + value.encode("utf-8") + b"\x00"
    if kind is list or kind is tuple:
        parts = [_LONG_PACK(_ARRAY, len(value))]
        for item in value:
            if type(item) is str and "\x00" not in item:  # the common case, inline
                parts.append(b"\x03" + item.encode("utf-8") + b"\x00")
            elif item is None or type(item) in (list, tuple, dict):
                raise ValueError("a list property must hold primitives without nulls")
            else:
                parts.append(encode_value(item))
        return b"".join(parts)
    if kind is bool:
        return b"\x01\x01" if value else b"\x01\x00"
    if kind is int:
        if not _INT64[0] <= value <= _INT64[1]:
            raise ValueError(f"integer {value} does not fit in 64 bits")
        return _LONG_PACK(_LONG, value)
    if kind is float:
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
        return _DOUBLE_PACK(_DOUBLE, value)
    if value is None:
        return b"\x00"
    if kind is dict:
        raise ValueError("is a map; only primitives and lists are allowed")
    raise ValueError(f"a {kind.__name__} cannot be a property value")


def _header(name: str, keys: Sequence[str]) -> bytes:
    return b"".join([name.encode() + b"\x00", _COUNT_PACK(len(keys)), *(k.encode() + b"\x00" for k in keys)])


def _records(
    name: str, rows: Sequence[Mapping[str, Any]], skip: frozenset[str], prefix: Callable[[Mapping[str, Any]], bytes]
) -> Iterator[tuple[bytes, bytes]]:
    """``(header, record)`` per row; every row of one token shares the header's property keys."""
    keys = sorted({key for row in rows for key, value in row.items() if value is not None} - skip)
    header = _header(name, keys)
    for row in rows:
        try:
            body = b"".join([encode_value(row.get(key)) for key in keys])
        except ValueError as exc:
            bad = next(key for key in keys if _fails(row.get(key)))
            raise QueryError(f"{name} {row.get('id')!r}: property {bad!r}: {exc}") from exc
        yield header, prefix(row) + body


def _fails(value: Any) -> bool:
    try:
        encode_value(value)
    except ValueError:
        return True
    return False


def graph_is_empty(backend: FalkorDBBackend) -> bool:
    """Whether the backend's graph is absent or holds no node at all."""
    if not backend.execute_command("EXISTS", backend.graph_name):
        return True
    return int(backend.run("MATCH (n) RETURN count(n) AS n")[0]["n"]) == 0


def _checked_ids(
    backend: FalkorDBBackend,
    nodes: Mapping[str, Sequence[Mapping[str, Any]]],
    edges: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
) -> dict[str, int]:
    """Each node id's bulk-load number, once the names, ids, every edge's endpoints and the target graph
    (absent or empty) are checked."""
    check_schema_names(nodes, edges)
    ids: dict[str, int] = {}
    for label in sorted(nodes):
        for row in nodes[label]:
            ids.setdefault(row["id"], len(ids))
    if len(ids) != sum(map(len, nodes.values())):
        raise QueryError("node ids must be unique across labels for a bulk load")
    for key in sorted(edges):
        missing = [row["id"] for row in edges[key] if row["src"] not in ids or row["dst"] not in ids]
        if missing:
            raise QueryError(dangling_edges_message(len(missing), key, missing[:5]))
    if not graph_is_empty(backend):
        raise QueryError(
            f"graph {backend.graph_name!r} on {backend.location} already holds nodes; a bulk load needs an empty graph"
        )
    return ids


def bulk_load(
    backend: FalkorDBBackend,
    nodes: Mapping[str, Sequence[Mapping[str, Any]]],
    edges: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
    *,
    index_edges: bool | Collection[str] = False,
    buffer_bytes: int = DEFAULT_BUFFER_BYTES,
    progress: Callable[[str, int], None] | None = None,
) -> LoadStats:
    """Create the backend's graph from node and edge rows (shaped as for ``load_rows``), then index ``id``.

    The graph must be absent or empty (an empty one is deleted first). Labels, edge keys and every
    edge's endpoints are checked before anything is sent; a value that cannot be stored (or a lost
    connection) part way deletes what was sent, so a failed load leaves no partial graph.
    ``progress(kind, rows)`` is called after each call with the rows it carried.
    """
    ids = _checked_ids(backend, nodes, edges)
    if backend.execute_command("EXISTS", backend.graph_name):
        backend.execute_command("GRAPH.DELETE", backend.graph_name)

    sender = _BulkSender(backend, buffer_bytes, progress or (lambda kind, rows: None))

    def no_prefix(row: Mapping[str, Any]) -> bytes:
        return b""

    def endpoints(row: Mapping[str, Any]) -> bytes:
        return _IDS_PACK(ids[row["src"]], ids[row["dst"]])

    try:
        for label in sorted(nodes):
            for header, record in _records(label, nodes[label], frozenset(), no_prefix):
                sender.add("nodes", header, record)
        for key in sorted(edges):
            for header, record in _records(key[0], edges[key], frozenset({"src", "dst"}), endpoints):
                sender.add("edges", header, record)
        sender.flush()
    except BaseException:
        # A value that cannot be stored, or a lost connection: drop the partial graph, leave an empty one.
        with contextlib.suppress(DeportgraphError):
            if sender.sent:
                backend.execute_command("GRAPH.DELETE", backend.graph_name)
            backend.ensure_graph()
        raise
    if sender.sent == 0:
        backend.ensure_graph()  # an empty store still gets its (empty) graph
    for statement in schema_statements(backend.dialect, index_edges=index_edges):
        ensure_index(backend, statement)
    return LoadStats(nodes=sender.counts["nodes"], edges=sender.counts["edges"])


class _BulkSender:
    """Groups records into tokens (one per label or type run) and tokens into GRAPH.BULK calls."""

    def __init__(self, backend: FalkorDBBackend, limit: int, progress: Callable[[str, int], None]) -> None:
        self.backend, self.limit, self.progress = backend, limit, progress
        self.counts = {"nodes": 0, "edges": 0}
        self.sent = 0
        self._tokens: dict[str, list[bytes]] = {"nodes": [], "edges": []}
        self._pending = {"nodes": 0, "edges": 0}
        self._header: bytes | None = None
        self._kind = "nodes"
        self._records: list[bytes] = []
        self._size = 0

    def add(self, kind: str, header: bytes, record: bytes) -> None:
        if header is not self._header or kind != self._kind:
            self._close_token()
            self._header, self._kind = header, kind
            self._size += len(header)
        if self._size + len(record) > self.limit and self._records:
            self._close_token()
            self.flush()
            self._size = len(header)
        self._records.append(record)
        self._size += len(record)

    def _close_token(self) -> None:
        if self._records and self._header is not None:
            self._tokens[self._kind].append(self._header + b"".join(self._records))
            self._pending[self._kind] += len(self._records)
        self._records = []

    def flush(self) -> None:
        self._close_token()
        nodes, edges = self._tokens["nodes"], self._tokens["edges"]
        if not nodes and not edges:
            return
        args: list[Any] = [self._pending["nodes"], self._pending["edges"], len(nodes), len(edges), *nodes, *edges]
        if self.sent == 0:
            args.insert(0, "BEGIN")
        self.backend.execute_command("GRAPH.BULK", self.backend.graph_name, *args)
        self.sent += 1
        for kind in ("nodes", "edges"):
            self.counts[kind] += self._pending[kind]
            if self._pending[kind]:
                self.progress(kind, self._pending[kind])
            self._pending[kind] = 0
        self._tokens = {"nodes": [], "edges": []}
        self._size = 0
