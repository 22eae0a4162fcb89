"""The embedded engine for a store: FalkorDB loaded from the store, with its snapshot beside it.

The snapshot is keyed by the store's state token (its id and change counter), so the engine is
bulk-loaded once per store change and every later command starts from the snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deportgraph.errors import BackendError
from deportgraph.graph.store import Store
from deportgraph.vocabulary import EdgeType

from .backends import (
    CypherBackend,
    EmbeddedFalkorDB,
    FalkorDBBackend,
    Neo4jBackend,
    apply_changes,
    open_embedded,
)
from .bulk import bulk_load
from .resident import open_resident

__all__ = ["INDEXED_EDGE_TYPES", "open_backend", "open_resident_engine", "open_store_engine", "snapshot_dir_for"]

# Edge types whose ids the embedded engine indexes: `payments` starts from the PAID index. Indexing
# every type would add ~0.5 s to each start from the snapshot of a million-article store.
INDEXED_EDGE_TYPES: tuple[str, ...] = (EdgeType.PAID.value,)


def snapshot_dir_for(store: Store) -> Path:
    """Where the embedded engine keeps its snapshot: a folder beside the store file."""
    return store.path.with_name(store.path.name + ".falkordb")


def open_store_engine(store: Store, snapshot_dir: Path | None = None) -> EmbeddedFalkorDB:
    """An embedded FalkorDB holding the store's graph: from its snapshot, brought up to date with
    what changed in the store since it was saved (or loaded whole when that cannot be done)."""
    return open_embedded(snapshot_dir or snapshot_dir_for(store), store.state_token, _loader(store),
                         refresh=_refresher(store))


def open_resident_engine(store: Store, keep_alive: float, snapshot_dir: Path | None = None) -> FalkorDBBackend:
    """A connection to the store's resident engine, which stays up ``keep_alive`` seconds after its last use.

    While another process ingests into the store, a running engine answers as it is (its ``lagging``
    set) rather than merging and loading each batch the ingest commits: questions never queue behind
    an ingest, and the first one after it sees everything."""
    return open_resident(snapshot_dir or snapshot_dir_for(store), store.state_token, _loader(store), keep_alive,
                         refresh=_refresher(store), as_is=store.being_ingested())


def _loader(store: Store) -> Callable[[EmbeddedFalkorDB], None]:
    def load(server: EmbeddedFalkorDB) -> None:
        nodes, edges = store.graph_rows()
        bulk_load(server.backend, nodes, edges, index_edges=INDEXED_EDGE_TYPES)

    return load


def _refresher(store: Store) -> Callable[[FalkorDBBackend, str], bool]:
    def refresh(backend: FalkorDBBackend, token: str) -> bool:
        changes = store.graph_changes(token)
        if changes is None:
            return False
        apply_changes(backend, changes.removed_nodes, changes.removed_edges, changes.nodes, changes.edges)
        return True

    return refresh


def open_backend(
    kind: str, store: Store | None = None, url: str | None = None, keep_alive: float | None = None
) -> CypherBackend:
    """The engine a command asks: ``embedded`` (from ``store``), ``falkordb`` (``url``) or ``neo4j`` (env).

    With ``keep_alive`` (seconds) the embedded engine is the store's resident one.
    """
    if kind == "embedded":
        if store is None:
            raise BackendError("the embedded engine needs a store")
        if keep_alive:
            return open_resident_engine(store, keep_alive)
        return open_store_engine(store)
    if kind == "falkordb":
        if not url:
            raise BackendError("--backend falkordb needs --url redis://HOST:PORT (or a unix socket path)")
        return FalkorDBBackend(url)
    if kind == "neo4j":
        return Neo4jBackend.from_env()
    raise BackendError(f"unknown backend {kind!r}; choose embedded, falkordb or neo4j")
