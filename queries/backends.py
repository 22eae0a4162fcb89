"""Cypher backends: embedded FalkorDB, a FalkorDB server, and Neo4j over Bolt.

All of them sit behind one small interface, :class:`CypherBackend`:

>>> with EmbeddedFalkorDB() as db:
...     stats = load_rows(db, {"Country": [{"id": "RWA", "iso3": "RWA", "name": "Rwanda"}]}, {})
...     db.run("MATCH (c:Country {iso3: $iso3}) RETURN c.name AS name", {"iso3": "RWA"})
[{'name': 'Rwanda'}]

Rows come back as plain dicts keyed by the ``RETURN`` column names; nodes and relationships are
turned into dicts of their properties. Values always travel as parameters; labels and relationship
types used by :func:`load_rows` come only from the fixed schema allow-list below.
"""

from __future__ import annotations

from .embedded import SNAPSHOT_FILE, TOKEN_FILE, EmbeddedFalkorDB, embedded_reply_timeout, stop_process
from .falkordb import FalkorDBBackend, falkordb_error_message
from .neo4j_backend import Neo4jBackend
from .snapshots import open_embedded, refresh_and_save, snapshot_stamp, write_atomically
from .statements import (
    EDGE_ENDPOINTS,
    NODE_LABELS,
    CypherBackend,
    Dialect,
    LoadBatch,
    LoadStats,
    Row,
    apply_changes,
    check_schema_names,
    dangling_edges_message,
    dangling_edges_statement,
    edge_delete_statement,
    edge_index_statement,
    edge_merge_statement,
    ensure_index,
    load_batches,
    load_rows,
    load_statements,
    node_delete_statement,
    node_index_statement,
    node_merge_statement,
    run_batch,
    schema_statements,
)

__all__ = [
    "EDGE_ENDPOINTS",
    "NODE_LABELS",
    "SNAPSHOT_FILE",
    "TOKEN_FILE",
    "CypherBackend",
    "Dialect",
    "EmbeddedFalkorDB",
    "FalkorDBBackend",
    "LoadBatch",
    "LoadStats",
    "Neo4jBackend",
    "Row",
    "apply_changes",
    "check_schema_names",
    "dangling_edges_message",
    "dangling_edges_statement",
    "edge_delete_statement",
    "edge_index_statement",
    "edge_merge_statement",
    "embedded_reply_timeout",
    "ensure_index",
    "falkordb_error_message",
    "load_batches",
    "load_rows",
    "load_statements",
    "node_delete_statement",
    "node_index_statement",
    "node_merge_statement",
    "open_embedded",
    "refresh_and_save",
    "run_batch",
    "schema_statements",
    "snapshot_stamp",
    "stop_process",
    "write_atomically",
]
