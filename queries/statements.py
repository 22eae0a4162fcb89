"""What every Cypher backend runs and how the graph is loaded into one: the schema's names (the only ones
ever written into Cypher text), the `CypherBackend` interface, the index, MERGE and delete statements,
and loading rows in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, Self, runtime_checkable

from deportgraph.errors import QueryError
from deportgraph.graph.schema import EDGE_ENDPOINTS as SCHEMA_ENDPOINTS
from deportgraph.vocabulary import Label

Dialect = Literal["falkordb", "neo4j"]
Row = dict[str, Any]

# The schema's labels and relationship types (with the endpoint label pairs each type may connect), from
# the one registry in deportgraph.graph.schema.
NODE_LABELS: tuple[str, ...] = tuple(sorted(label.value for label in Label))
EDGE_ENDPOINTS: dict[str, frozenset[tuple[str, str]]] = {
    str(edge_type): frozenset((str(src), str(dst)) for src in sources for dst in targets)
    for edge_type, (sources, targets) in sorted(SCHEMA_ENDPOINTS.items())
}


@runtime_checkable
class CypherBackend(Protocol):
    """What every Cypher engine offers: run a statement and get rows back."""

    name: str
    dialect: Dialect

    def run(self, query: str, params: Mapping[str, Any] | None = None, write: bool = False) -> list[Row]:
        """Run ``query`` with ``params``; read-only unless ``write`` (enforced by the engine)."""
        ...

    def close(self) -> None:
        """Release connections (and stop the server if the backend owns one)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


@dataclass(frozen=True)
class LoadStats:
    """How many node and edge rows :func:`load_rows` merged."""

    nodes: int
    edges: int


def _check_label(label: str) -> str:
    if label not in NODE_LABELS:
        raise QueryError(f"unknown node label {label!r}; expected one of {', '.join(NODE_LABELS)}")
    return label


def _check_rel_type(rel_type: str) -> Collection[tuple[str, str]]:
    """The (source, target) label pairs ``rel_type`` may join; a QueryError for a type outside the schema."""
    allowed = EDGE_ENDPOINTS.get(rel_type)
    if allowed is None:
        raise QueryError(
            f"unknown relationship type {rel_type!r}; expected one of {', '.join(EDGE_ENDPOINTS)}"
        )
    return allowed


def _check_edge(key: tuple[str, str, str]) -> tuple[str, str, str]:
    rel_type, src, dst = key
    allowed = _check_rel_type(rel_type)
    if (src, dst) not in allowed:
        pairs = ", ".join(f"{a}->{b}" for a, b in sorted(allowed))
        raise QueryError(f"{rel_type} cannot connect {src}->{dst}; allowed: {pairs}")
    return key


def node_index_statement(dialect: Dialect, label: str) -> str:
    """The statement that indexes ``id`` on nodes of ``label``."""
    _check_label(label)
    if dialect == "neo4j":
        return f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    return f"CREATE INDEX FOR (n:{label}) ON (n.id)"


def edge_index_statement(dialect: Dialect, rel_type: str) -> str:
    """The statement that indexes ``id`` on relationships of ``rel_type``."""
    _check_rel_type(rel_type)
    if dialect == "neo4j":
        return f"CREATE INDEX IF NOT EXISTS FOR ()-[r:{rel_type}]-() ON (r.id)"
    return f"CREATE INDEX FOR ()-[r:{rel_type}]-() ON (r.id)"


def node_merge_statement(label: str, *, replace: bool = False) -> str:
    """The batched MERGE for nodes of ``label`` (rows: ``{id, props}``).

    Properties are added to what a node holds (what users added to a pushed graph stays), or with
    ``replace`` become all it holds (a derived graph brought up to date).
    """
    _check_label(label)
    update = "n = row.props, n.id = row.id" if replace else "n += row.props"
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET {update} RETURN count(n) AS merged"


def edge_merge_statement(rel_type: str, src: str, dst: str, *, replace: bool = False) -> str:
    """The batched MERGE for ``(src)-[rel_type]->(dst)`` edges (rows: ``{id, src, dst, props}``); see
    :func:`node_merge_statement` for ``replace``."""
    _check_edge((rel_type, src, dst))
    update = "r = row.props, r.id = row.id" if replace else "r += row.props"
    return (
        f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}}) "
        f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b) SET {update} RETURN count(r) AS merged"
    )


def node_delete_statement(label: str) -> str:
    """Delete nodes of ``label`` by id, with their edges (rows: ids)."""
    _check_label(label)
    return f"UNWIND $rows AS node_id MATCH (n:{label} {{id: node_id}}) DETACH DELETE n RETURN count(*) AS deleted"


def edge_delete_statement(rel_type: str, src: str) -> str:
    """Delete ``rel_type`` edges leaving ``src`` nodes, by id (rows: ``{id, src}``)."""
    _check_label(src)
    _check_rel_type(rel_type)
    return (f"UNWIND $rows AS row MATCH (a:{src} {{id: row.src}})-[r:{rel_type}]->() WHERE r.id = row.id "
            "DELETE r RETURN count(*) AS deleted")


def dangling_edges_statement(src: str, dst: str) -> str:
    """Find the ids of rows whose endpoints do not exist (used to explain a failed edge batch)."""
    _check_label(src)
    _check_label(dst)
    return (
        f"UNWIND $rows AS row OPTIONAL MATCH (a:{src} {{id: row.src}}) "
        f"OPTIONAL MATCH (b:{dst} {{id: row.dst}}) "
        "WITH row, a, b WHERE a IS NULL OR b IS NULL RETURN row.id AS id ORDER BY id LIMIT 5"
    )


def load_statements(dialect: Dialect = "falkordb") -> Iterator[tuple[str, str]]:
    """Yield ``(name, text)`` for every statement :func:`load_rows` may send (for linting)."""
    for label in NODE_LABELS:
        yield f"index {label}", node_index_statement(dialect, label)
        yield f"merge {label}", node_merge_statement(label)
        yield f"replace {label}", node_merge_statement(label, replace=True)
        yield f"delete {label}", node_delete_statement(label)
    for rel_type, pairs in EDGE_ENDPOINTS.items():
        yield f"index {rel_type}", edge_index_statement(dialect, rel_type)
        for src, dst in sorted(pairs):
            yield f"merge {rel_type} {src}->{dst}", edge_merge_statement(rel_type, src, dst)
            yield f"replace {rel_type} {src}->{dst}", edge_merge_statement(rel_type, src, dst, replace=True)
        for src in sorted({src for src, _ in pairs}):
            yield f"delete {rel_type} from {src}", edge_delete_statement(rel_type, src)
    for src, dst in sorted(set().union(*EDGE_ENDPOINTS.values())):
        yield f"dangling {src}->{dst}", dangling_edges_statement(src, dst)


def schema_statements(dialect: Dialect, *, index_edges: bool | Collection[str] = False) -> list[str]:
    """The schema statements sent before loading: an ``id`` index (Neo4j: uniqueness constraint) per label.

    ``index_edges`` adds an index on the ``id`` of every edge type (``True``) or of the types given.

    >>> schema_statements("neo4j")[0]
    'CREATE CONSTRAINT IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE'
    """
    statements = [node_index_statement(dialect, label) for label in NODE_LABELS]
    if index_edges:
        statements += [edge_index_statement(dialect, rel_type) for rel_type in EDGE_ENDPOINTS
                       if index_edges is True or rel_type in index_edges]
    return statements


def ensure_index(backend: CypherBackend, statement: str) -> None:
    """Run a schema statement, tolerating an index that already exists (FalkorDB has no IF NOT EXISTS)."""
    try:
        backend.run(statement, write=True)
    except QueryError as exc:
        text = str(exc).lower()
        if "already indexed" not in text and "already exists" not in text:
            raise


def _props(row: Mapping[str, Any], skip: frozenset[str], what: str) -> dict[str, Any]:
    """The row's properties without its keys and unset (None) values, checked for maps and nulls."""
    props = {key: value for key, value in row.items() if value is not None and key not in skip}
    for key, value in props.items():
        kind = type(value)
        if kind is dict:
            problem = "is a map; only primitives and lists are allowed"
        elif (kind is list or kind is tuple) and any(
            item is None or type(item) in (dict, list, tuple) for item in value
        ):
            problem = "must be a list of primitives without nulls"
        else:
            continue
        raise QueryError(f"{what} {row.get('id')!r}: property {key!r} {problem}")
    return props


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


_NODE_KEYS = frozenset({"id"})
_EDGE_KEYS = frozenset({"id", "src", "dst"})


@dataclass(frozen=True)
class LoadBatch:
    """One batched ``UNWIND $rows … MERGE``: its statement, its ``rows`` parameter, and what it holds."""

    kind: Literal["nodes", "edges"]
    key: tuple[str, ...]
    statement: str
    rows: list[dict[str, Any]]


def load_batches(
    nodes: Mapping[str, Sequence[Mapping[str, Any]]],
    edges: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
    batch_size: int = 5000,
    *,
    replace: bool = False,
) -> Iterator[LoadBatch]:
    """The batches that MERGE these rows: nodes by label, then edges by key, both sorted.

    Labels and edge keys are checked against the schema before the first batch is made.

    >>> [(b.kind, b.key, len(b.rows)) for b in load_batches({"Country": [{"id": "RWA"}] * 3}, {}, 2)]
    [('nodes', ('Country',), 2), ('nodes', ('Country',), 1)]
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    check_schema_names(nodes, edges)
    return _make_batches(nodes, edges, batch_size, replace)


def check_schema_names(nodes: Mapping[str, Any], edges: Mapping[tuple[str, str, str], Any]) -> None:
    """Refuse (QueryError) a label or an edge key that is not in the schema, before anything is sent."""
    for label in nodes:
        _check_label(label)
    for key in edges:
        _check_edge(key)


def dangling_edges_message(count: int, key: tuple[str, str, str], ids: Sequence[str]) -> str:
    """What to say about ``count`` edges of ``key`` whose endpoint nodes do not exist (``ids``: examples).

    >>> dangling_edges_message(1, ("PAID", "Country", "Country"), ["p1"])
    "1 PAID edge(s) Country->Country have no endpoint node, e.g. 'p1'"
    """
    rel_type, src, dst = key
    examples = ", ".join(map(repr, ids)) or "(none found)"
    return f"{count} {rel_type} edge(s) {src}->{dst} have no endpoint node, e.g. {examples}"


def _make_batches(
    nodes: Mapping[str, Sequence[Mapping[str, Any]]],
    edges: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
    batch_size: int,
    replace: bool,
) -> Iterator[LoadBatch]:
    for label in sorted(nodes):
        statement = node_merge_statement(label, replace=replace)
        for batch in _batches(nodes[label], batch_size):
            payload = [{"id": r["id"], "props": _props(r, _NODE_KEYS, label)} for r in batch]
            yield LoadBatch("nodes", (label,), statement, payload)
    for key in sorted(edges):
        rel_type, src, dst = key
        statement = edge_merge_statement(rel_type, src, dst, replace=replace)
        for batch in _batches(edges[key], batch_size):
            payload = [
                {"id": r["id"], "src": r["src"], "dst": r["dst"], "props": _props(r, _EDGE_KEYS, rel_type)}
                for r in batch
            ]
            yield LoadBatch("edges", key, statement, payload)


def run_batch(backend: CypherBackend, batch: LoadBatch) -> int:
    """Send one batch (one transaction) and return how many rows it merged.

    Raises :class:`QueryError` naming some edges whose endpoint nodes do not exist.
    """
    merged = int(backend.run(batch.statement, {"rows": batch.rows}, write=True)[0]["merged"])
    if batch.kind == "edges" and merged != len(batch.rows):
        rel_type, src, dst = batch.key
        missing = [row["id"] for row in backend.run(dangling_edges_statement(src, dst), {"rows": batch.rows})]
        raise QueryError(dangling_edges_message(len(batch.rows) - merged, (rel_type, src, dst), missing))
    return merged


def apply_changes(
    backend: CypherBackend,
    removed_nodes: Sequence[tuple[str, str]],
    removed_edges: Sequence[tuple[str, str, str]],
    nodes: Mapping[str, Sequence[Mapping[str, Any]]],
    edges: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
    batch_size: int = 5000,
) -> LoadStats:
    """Bring a graph that a store's rows were loaded into up to date with what changed since.

    Deletes the removed edges (``(id, type, source node id)``) and nodes (``(id, label)``, with
    their edges), then writes the changed nodes and edges whole: their properties replace what the
    graph held. Returns what was written.
    """
    check_schema_names({label: () for _, label in removed_nodes}, {})
    gone: dict[str, list[dict[str, str]]] = defaultdict(list)
    for edge, rel_type, src in removed_edges:
        gone[rel_type].append({"id": edge, "src": src})
    for rel_type in sorted(gone):
        pairs = _check_rel_type(rel_type)
        for src_label in sorted({src for src, _ in pairs}):  # the source node's label is not recorded
            for batch in _batches(gone[rel_type], batch_size):
                backend.run(edge_delete_statement(rel_type, src_label), {"rows": list(batch)}, write=True)
    by_label: dict[str, list[str]] = defaultdict(list)
    for node, label in removed_nodes:
        by_label[label].append(node)
    for label in sorted(by_label):
        for batch in _batches(by_label[label], batch_size):
            backend.run(node_delete_statement(label), {"rows": list(batch)}, write=True)
    return _run_batches(backend, load_batches(nodes, edges, batch_size, replace=True))


def load_rows(
    backend: CypherBackend,
    nodes: Mapping[str, Sequence[Mapping[str, Any]]],
    edges: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
    batch_size: int = 5000,
    *,
    index_edges: bool = False,
) -> LoadStats:
    """MERGE nodes (keyed by label) and edges (keyed by ``(type, src_label, dst_label)``) by ``id``.

    Node rows hold ``id`` plus properties; edge rows hold ``id``, ``src``, ``dst`` plus properties.
    ``None`` values are left unset. Every label gets an ``id`` index first. ``index_edges`` also
    indexes ``id`` on every relationship type: lookups of one edge by id then take under a
    millisecond instead of a scan, but loading is ~40% slower and FalkorDB rebuilds those indexes
    each time it starts from a snapshot (~3 s at 500k edges, instead of ~0.7 s).
    Raises :class:`QueryError` for names outside the schema and for edges whose endpoint nodes do
    not exist.
    """
    batches = load_batches(nodes, edges, batch_size)
    for statement in schema_statements(backend.dialect, index_edges=index_edges):
        ensure_index(backend, statement)
    return _run_batches(backend, batches)


def _run_batches(backend: CypherBackend, batches: Iterable[LoadBatch]) -> LoadStats:
    counts = {"nodes": 0, "edges": 0}
    for batch in batches:
        counts[batch.kind] += run_batch(backend, batch)
    return LoadStats(nodes=counts["nodes"], edges=counts["edges"])
