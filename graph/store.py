"""The canonical store: one SQLite file with sources, facts, nodes and edges.

Facts are what articles said, one row per statement and sentence; nodes and edges are the
merge of their facts. A batch of articles is one transaction that adds sources and facts and
marks what they touch as *dirty*; `Store.settle` re-merges the dirty nodes and edges (at the
end of an ingest, and before anything reads them), so a hot edge reported by thousands of
articles is merged once per run, not once per batch. An interrupted run (even ``kill -9``)
leaves the store as of its last committed batch, its dirty marks included.
The Cypher engines are derived from this file, keyed by its change counter.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deportgraph.collector import collector_paused
from deportgraph.errors import StoreError
from deportgraph.loaders.claims import ArticleClaims
from deportgraph.vocabulary import EdgeType, Label

from .merge import FactRow, merge_edge, merge_node, officials_to_join, party_edges
from .third_countries import summarize_third_countries

__all__ = ["SCHEMA_VERSION", "ArticleCounts", "BatchResult", "GraphChanges", "Store", "edge_id", "stored_sources"]

SCHEMA_VERSION = 5
# Each step upgrades a store from the version it is keyed by to the next one.
_MIGRATIONS: dict[int, str] = {
    1: """CREATE TABLE IF NOT EXISTS dirty (target TEXT PRIMARY KEY, kind TEXT NOT NULL, type TEXT NOT NULL,
                                            src TEXT, dst TEXT);""",
    # v3: facts carry their article's date (merging reads no join); PARTY_TO edges are derived
    # from their agreement's facts, so their own copies go and every agreement is merged again.
    2: """ALTER TABLE facts ADD COLUMN published TEXT;
          UPDATE facts SET published = (SELECT s.published FROM sources AS s WHERE s.id = facts.source_id);
          DELETE FROM facts WHERE type = 'PARTY_TO';
          DELETE FROM dirty WHERE type = 'PARTY_TO';
          INSERT OR IGNORE INTO dirty SELECT id, 'node', label, NULL, NULL FROM nodes WHERE label = 'Agreement';
          UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'changes'""",
    # v4: nodes, edges and sources record the change (the `changes` counter) that last wrote them,
    # and `removed` the nodes and edges deleted, so an engine's older snapshot can be brought up to date.
    3: """ALTER TABLE nodes ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE edges ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE sources ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
          CREATE TABLE IF NOT EXISTS removed (id TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL, src TEXT,
                                              changed INTEGER NOT NULL);
          CREATE INDEX IF NOT EXISTS nodes_changed ON nodes(changed);
          CREATE INDEX IF NOT EXISTS edges_changed ON edges(changed);
          CREATE INDEX IF NOT EXISTS sources_changed ON sources(changed);
          CREATE INDEX IF NOT EXISTS removed_changed ON removed(changed)""",
    # v5: an arrangement's status is the end of its dated history (`merge.lifecycle_status`), kept as
    # `status_dates`/`status_history`; payments keep the agencies that paid, court blocks their ruling:
    # every node and edge is merged again by the new rules (PARTY_TO edges with their agreements).
    4: """INSERT OR IGNORE INTO dirty SELECT id, 'node', label, NULL, NULL FROM nodes;
          INSERT OR IGNORE INTO dirty SELECT id, 'edge', type, src, dst FROM edges WHERE type != 'PARTY_TO';
          UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'changes'""",
}

# A Source node's columns (``s``: the sources table) and its properties from them.
_SOURCE_COLUMNS = "s.id, s.url, s.title, s.publisher, s.published, s.path"


def _source_props(row: tuple[Any, ...]) -> dict[str, Any]:
    return {k: v for k, v in zip(("url", "title", "publisher", "published", "path"), row[1:], strict=True)
            if v is not None}


# The counter of the change being made (a write batch adds one to it when it commits).
_CHANGE = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'changes')"

# Every deleted node and edge is recorded with the change that deleted it (statements of their own:
# a trigger's body holds semicolons).
_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS nodes_removed AFTER DELETE ON nodes BEGIN
          INSERT INTO removed (id, kind, type, src, changed) VALUES (OLD.id, 'node', OLD.label, NULL, {_CHANGE});
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS edges_removed AFTER DELETE ON edges BEGIN
          INSERT INTO removed (id, kind, type, src, changed) VALUES (OLD.id, 'edge', OLD.type, OLD.src, {_CHANGE});
        END""",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, url TEXT, title TEXT, publisher TEXT, published TEXT, path TEXT,
    chars INTEGER, relevant INTEGER NOT NULL DEFAULT 0, ingested_at TEXT NOT NULL,
    changed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sources_changed ON sources(changed);
CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, static TEXT NOT NULL,
                                  props TEXT NOT NULL, changed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS nodes_label ON nodes(label);
CREATE INDEX IF NOT EXISTS nodes_changed ON nodes(changed);
CREATE TABLE IF NOT EXISTS edges (id TEXT PRIMARY KEY, type TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL,
                                  props TEXT NOT NULL, changed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS edges_type ON edges(type);
CREATE INDEX IF NOT EXISTS edges_changed ON edges(changed);
CREATE TABLE IF NOT EXISTS removed (id TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL, src TEXT,
                                    changed INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS removed_changed ON removed(changed);
CREATE TABLE IF NOT EXISTS facts (
    key TEXT PRIMARY KEY, target TEXT NOT NULL, source_id TEXT NOT NULL, type TEXT NOT NULL,
    quote TEXT NOT NULL, extractor TEXT NOT NULL, confidence REAL NOT NULL, vals TEXT NOT NULL, published TEXT
);
CREATE INDEX IF NOT EXISTS facts_target ON facts(target);
CREATE INDEX IF NOT EXISTS facts_source ON facts(source_id);
CREATE TABLE IF NOT EXISTS dirty (target TEXT PRIMARY KEY, kind TEXT NOT NULL, type TEXT NOT NULL, src TEXT,
                                  dst TEXT);
"""


# An edge whose merged properties did not change keeps the change that last wrote it.
_UPSERT_EDGE = (f"INSERT INTO edges (id, type, src, dst, props, changed) VALUES (?, ?, ?, ?, ?, {_CHANGE}) "
                "ON CONFLICT(id) DO UPDATE SET props = excluded.props, changed = excluded.changed "
                "WHERE edges.props IS NOT excluded.props")


def _switch_to_wal(conn: sqlite3.Connection, within_s: float) -> None:
    """Put a store in WAL mode. Two processes creating one store at once can see the switch refused
    with "database is locked" at once (SQLite does not wait on its busy handler there): try again
    until the other has finished, within the busy timeout."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def edge_id(edge_type: str, src: str, dst: str) -> str:
    """The id of the one edge of a type between two nodes.

    >>> edge_id("ACCEPTS_DEPORTEES_FROM", "UZB", "USA")
    'ACCEPTS_DEPORTEES_FROM:UZB->USA'
    """
    return f"{edge_type}:{src}->{dst}"


def stored_sources(conn: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    """Which of these source ids a store (any connection to it, read-only ones too) already holds."""
    ids = list(ids)
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        found.update(r[0] for r in conn.execute(
            f"SELECT id FROM sources WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return found


def _fact_key(target: str, source_id: str, extractor: str, quote: str, values: str) -> str:
    """The identity of a fact: the same statement from the same sentence is stored once."""
    return hashlib.sha1("\x1f".join((target, source_id, extractor, quote, values)).encode()).hexdigest()[:24]


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


NodeRows = dict[str, list[dict[str, Any]]]
EdgeRows = dict[tuple[str, str, str], list[dict[str, Any]]]


@dataclass
class GraphChanges:
    """The graph's changes since an earlier state: what to delete, then what to write (whole records)."""

    removed_nodes: list[tuple[str, str]] = field(default_factory=list)  # (id, label)
    removed_edges: list[tuple[str, str, str]] = field(default_factory=list)  # (id, type, source node id)
    nodes: NodeRows = field(default_factory=lambda: defaultdict(list))
    edges: EdgeRows = field(default_factory=lambda: defaultdict(list))


@dataclass
class ArticleCounts:
    """How many articles were about deportation (passed the relevance gate), how many gave facts, and
    how many facts: what a batch adds, and what an ingest run sums up."""

    relevant: int = 0
    with_facts: int = 0
    facts: int = 0


@dataclass
class BatchResult(ArticleCounts):
    """What one committed batch added."""

    articles: int = 0
    duplicates: int = 0
    touched_nodes: int = 0
    touched_edges: int = 0
    duplicate_ids: list[str] = field(default_factory=list)


class Store:
    """The SQLite store. Open with `Store.open(path)`; use as a context manager."""

    def __init__(self, path: Path, conn: sqlite3.Connection, busy_timeout_s: float = 600.0) -> None:
        self.path = path
        self.conn = conn
        self.busy_timeout_ms = int(busy_timeout_s * 1000)

    @classmethod
    def open(cls, path: str | Path, busy_timeout_s: float = 600.0) -> Store:
        """Open (creating if needed) a store; refuses files that are not deportgraph stores."""
        path = Path(path)
        if path.exists() and path.is_dir():
            raise StoreError(f"{path}: is a folder, not a store file")
        if not path.exists() and not path.parent.is_dir():
            raise StoreError(f"{path}: the folder {path.parent} does not exist (create it first)")
        try:
            conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
            _switch_to_wal(conn, busy_timeout_s)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
            version = cls._version(conn)
            if version is None:
                conn.execute("BEGIN IMMEDIATE")
                if cls._version(conn) is None:  # nobody created it while we waited
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    for trigger in _TRIGGERS:
                        conn.execute(trigger)
                    conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                    conn.execute("INSERT OR IGNORE INTO meta VALUES ('changes', '0')")
                    conn.execute("INSERT OR IGNORE INTO meta VALUES ('store_id', ?)", (uuid.uuid4().hex,))
                conn.execute("COMMIT")
            elif version > SCHEMA_VERSION:
                conn.close()
                raise StoreError(
                    f"{path}: store schema version {version} is newer than this deportgraph "
                    f"(knows version {SCHEMA_VERSION}); upgrade deportgraph to open it")
            elif version < SCHEMA_VERSION:
                cls._migrate(conn, version)
        except sqlite3.OperationalError as err:  # the disk, not the file: full, unreadable, locked
            raise StoreError(f"{path}: cannot open the store ({err})") from None
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{path}: not a deportgraph store ({err})") from None
        return cls(path, conn, busy_timeout_s)

    @staticmethod
    def _migrate(conn: sqlite3.Connection, version: int) -> None:
        """Upgrade an older store in place, one version at a time, in one transaction."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = Store._version(conn) or version
            while current < SCHEMA_VERSION:
                for statement in _MIGRATIONS[current].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                current += 1
            for trigger in _TRIGGERS:
                conn.execute(trigger)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(current),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _version(conn: sqlite3.Connection) -> int | None:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "meta" not in tables:
            raise StoreError("the file is an SQLite database but not a deportgraph store")
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- an ingest at work ----------------------------------------------------------------------

    @property
    def _ingest_lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".ingest.lock")

    @contextmanager
    def ingesting(self) -> Iterator[None]:
        """Mark the store as being ingested into for the block (a shared lock: several ingests may run)."""
        with open(self._ingest_lock_path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def being_ingested(self) -> bool:
        """Whether another process is ingesting into this store now."""
        try:
            handle = open(self._ingest_lock_path, "rb")  # noqa: SIM115 - closed below, whatever happens
        except OSError:
            return False
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    # --- reading -----------------------------------------------------------------------------

    @property
    def changes(self) -> int:
        """A counter that grows with every committed batch: the key of derived indexes."""
        return int(self.conn.execute("SELECT value FROM meta WHERE key='changes'").fetchone()[0])

    @property
    def state_token(self) -> str:
        """Names this store's content: a derived index built for one token is valid for no other."""
        return f"{self._store_id or 'store'}:{self.changes}:schema{SCHEMA_VERSION}"

    @property
    def _store_id(self) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
        return str(row[0]) if row else None

    def nodes(self, label: str | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(id, label, props) of every node, sorted by id.

        Sources that back at least one fact come as `Source` nodes; the articles that gave no fact
        (most of an archive) stay in the ``sources`` table only, counted by ``stats``.
        """
        self.settle()
        if label in (None, Label.SOURCE):
            for row in self.conn.execute(
                    f"SELECT {_SOURCE_COLUMNS} "
                    "FROM (SELECT DISTINCT source_id AS id FROM facts) AS f JOIN sources AS s ON s.id = f.id "
                    "ORDER BY s.id"):
                yield row[0], Label.SOURCE.value, _source_props(row)
        if label == Label.SOURCE:
            return
        q = "SELECT id, label, props FROM nodes" + (" WHERE label=?" if label else "") + " ORDER BY id"
        for node_id, node_label, props in self.conn.execute(q, (label,) if label else ()):
            yield node_id, node_label, json.loads(props)

    def edges(self, edge_type: str | None = None) -> Iterator[tuple[str, str, str, str, dict[str, Any]]]:
        """(id, type, src, dst, props) of every edge, sorted by id."""
        self.settle()
        q = "SELECT id, type, src, dst, props FROM edges" + (" WHERE type=?" if edge_type else "") + " ORDER BY id"
        for eid, etype, src, dst, props in self.conn.execute(q, (edge_type,) if edge_type else ()):
            yield eid, etype, src, dst, json.loads(props)

    def evidence(self, target: str) -> list[dict[str, Any]]:
        """Every sentence behind a node or an edge, with its source, oldest first."""
        party = self.conn.execute("SELECT src, dst FROM edges WHERE id = ? AND type = ?",
                                  (target, EdgeType.PARTY_TO.value)).fetchone()
        # A PARTY_TO edge stands on its agreement's facts that name the party.
        where, params = (("f.target = ? AND EXISTS (SELECT 1 FROM json_each(f.vals, '$.parties') WHERE value = ?)",
                          (party[1], party[0])) if party else ("f.target = ?", (target,)))
        rows = self.conn.execute(
            f"""SELECT DISTINCT f.source_id, s.url, s.title, s.publisher, s.published, s.path, f.quote, f.extractor,
                       f.confidence
               FROM facts f JOIN sources s ON s.id = f.source_id WHERE {where}
               ORDER BY COALESCE(s.published, ''), f.source_id, f.quote, f.extractor""", params)
        keys = ("source_id", "url", "title", "publisher", "published", "path", "quote", "extractor", "confidence")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def explain(self, target: str) -> list[dict[str, Any]]:
        """`evidence` for a node or edge id, refusing ids the store does not hold (with examples of ids).

        A node no fact is about by itself (a country) is explained by its edges' sentences, each row
        saying which edge (``about``) it supports.
        """
        self.settle()
        rows = self.evidence(target)
        if rows:
            return rows
        known = self.conn.execute("SELECT 1 FROM nodes WHERE id = ? UNION SELECT 1 FROM edges WHERE id = ?",
                                  (target, target)).fetchone()
        if known:
            edges = [r[0] for r in self.conn.execute(
                "SELECT id FROM edges WHERE (src = ? OR dst = ?) AND type != ? ORDER BY id",
                (target, target, EdgeType.PARTY_TO.value))]
            out = [{"about": edge, **row} for edge in edges for row in self.evidence(edge)]
            return sorted(out, key=lambda r: (r["published"] or "", r["about"], r["source_id"], r["quote"]))
        examples = [r[0] for r in self.conn.execute(
            "SELECT id FROM (SELECT id FROM nodes ORDER BY id LIMIT 2) UNION ALL "
            "SELECT id FROM (SELECT id FROM edges ORDER BY id LIMIT 2)")]
        raise StoreError(f"no node or edge with id {target!r} in {self.path}; ids look like "
                         f"{', '.join(examples) or 'UZB or ACCEPTS_DEPORTEES_FROM:UZB->USA'}")

    def edge_sentence(self, edge_id: str) -> str | None:
        """An edge as a sentence with its ends' names ("Rwanda accepts deportees from United Kingdom"), or
        None when the id is no edge."""
        from .schema import edge_sentence

        row = self.conn.execute("SELECT type, src, dst FROM edges WHERE id = ?", (edge_id,)).fetchone()
        if row is None:
            return None
        names = []
        for node in row[1:]:
            props = self.conn.execute("SELECT props FROM nodes WHERE id = ?", (node,)).fetchone()
            name = json.loads(props[0]).get("name") if props else None
            names.append(str(name or node))
        return edge_sentence(row[0], *names)

    def facts(self, targets: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """Every stored fact (or those about these node or edge ids), in a stable order."""
        q = "SELECT target, source_id, type, quote, extractor, confidence, vals FROM facts{} ORDER BY target, " \
            "source_id, extractor, quote, vals"
        for target, source_id, ftype, quote, extractor, confidence, vals in self._rows_of(q, "target", targets):
            yield {"target": target, "source_id": source_id, "type": ftype, "quote": quote,
                   "extractor": extractor, "confidence": confidence, "values": json.loads(vals)}

    def sources(self, ids: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """Every stored source (or those with these ids), sorted by id."""
        cols = ("id", "url", "title", "publisher", "published", "path", "chars", "relevant")
        for row in self._rows_of(f"SELECT {', '.join(cols)} FROM sources{{}} ORDER BY id", "id", ids):
            yield dict(zip(cols, row, strict=True))

    def _rows_of(self, query: str, column: str, keys: Iterable[str] | None) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query`` (its ``{}`` the place of a WHERE), all or those whose ``column`` is one of
        ``keys``: asked 500 keys at a time, in sorted order, so a query ordered by ``column`` first comes
        out in the same order as unfiltered."""
        if keys is None:
            yield from self.conn.execute(query.format(""))
            return
        wanted = sorted(set(keys))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            yield from self.conn.execute(query.format(f" WHERE {column} IN ({','.join('?' * len(chunk))})"), chunk)

    def stats(self) -> dict[str, Any]:
        """Counts by label and type, sources read, relevant and with facts, last ingest."""
        self.settle()
        c = self.conn
        labels = dict(c.execute("SELECT label, COUNT(*) FROM nodes GROUP BY label ORDER BY label"))
        sources = c.execute("SELECT COUNT(*), COALESCE(SUM(relevant), 0) FROM sources").fetchone()
        with_facts = c.execute("SELECT COUNT(DISTINCT source_id) FROM facts").fetchone()[0]
        labels[Label.SOURCE.value] = with_facts  # Source nodes are the articles that back a fact
        last = c.execute("SELECT value FROM meta WHERE key='last_ingest'").fetchone()
        return {
            "nodes": dict(sorted(labels.items())),
            "edges": dict(c.execute("SELECT type, COUNT(*) FROM edges GROUP BY type ORDER BY type")),
            "articles": {"read": sources[0], "relevant": sources[1], "with_facts": with_facts},
            "facts": c.execute("SELECT COUNT(*) FROM facts").fetchone()[0],
            "last_ingest": last[0] if last else None,
            "schema_version": SCHEMA_VERSION,
            "changes": self.changes,
        }

    # --- writing -----------------------------------------------------------------------------

    def _begin(self, on_wait: Callable[[str], None] | None = None) -> None:
        """BEGIN IMMEDIATE: take the write lock, saying so when another writer holds it."""
        c = self.conn
        c.execute("PRAGMA busy_timeout=250")
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise
            if on_wait:
                on_wait(f"{self.path}: another process is writing to this store; waiting for it to finish")
            c.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
            c.execute("BEGIN IMMEDIATE")
        finally:
            c.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")

    def write_batch(self, batch: list[ArticleClaims], on_wait: Callable[[str], None] | None = None) -> BatchResult:
        """Store a batch of articles' claims in one transaction; what they touch is marked for `settle`."""
        result = BatchResult()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction("write a batch", on_wait) as c:
            dirty: dict[str, tuple[str, str, str | None, str | None]] = {}
            for claims in batch:
                src = claims.source
                cur = c.execute(
                    "INSERT OR IGNORE INTO sources (id, url, title, publisher, published, path, chars, relevant, "
                    f"ingested_at, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, {_CHANGE} + 1)",
                    (src["id"], src.get("url"), src.get("title"), src.get("publisher"), src.get("published"),
                     src.get("path"), src.get("chars"), int(claims.relevant), now))
                if cur.rowcount == 0:
                    result.duplicates += 1
                    result.duplicate_ids.append(src["id"])
                    continue
                result.articles += 1
                result.relevant += int(claims.relevant)
                result.with_facts += int(bool(claims.facts))
                for ref in claims.nodes.values():
                    static = _dumps({k: list(v) if isinstance(v, tuple) else v for k, v in ref.props
                                     if v is not None})
                    if c.execute("INSERT OR IGNORE INTO nodes (id, label, static, props, changed) "
                                 f"VALUES (?, ?, ?, ?, {_CHANGE} + 1)",
                                 (ref.id, str(ref.label), static, static)).rowcount:
                        dirty[ref.id] = ("node", str(ref.label), None, None)
                rows = []
                for f in claims.facts:
                    vals = {k: list(v) if isinstance(v, tuple) else v for k, v in f.values if v is not None}
                    if f.object is not None:
                        target = edge_id(f.type, f.subject, f.object)
                        dirty[target] = ("edge", str(f.type), f.subject, f.object)
                    else:
                        target = f.subject
                        dirty[target] = ("node", str(f.type), None, None)
                    dumped = _dumps(vals)
                    rows.append((_fact_key(target, src["id"], f.extractor, f.quote, dumped), target, src["id"],
                                 str(f.type), f.quote, f.extractor, f.confidence, dumped, src.get("published")))
                before = c.total_changes
                c.executemany("INSERT OR IGNORE INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                result.facts += c.total_changes - before
            c.executemany("INSERT OR IGNORE INTO dirty VALUES (?, ?, ?, ?, ?)",
                          [(t, *v) for t, v in dirty.items()])
            result.touched_nodes = sum(1 for v in dirty.values() if v[0] == "node")
            result.touched_edges = len(dirty) - result.touched_nodes
            if result.articles:
                c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='changes'")
                c.execute("INSERT OR REPLACE INTO meta VALUES ('last_ingest', ?)", (now,))
        return result

    def settle(self, chunk: int = 2000, on_wait: Callable[[str], None] | None = None) -> int:
        """Merge the facts of every dirty node and edge into its properties; returns how many.

        Works in transactions of ``chunk`` targets, so an interruption keeps what was settled and
        leaves the rest dirty for the next call.
        """
        c = self.conn
        if c.in_transaction or c.execute("SELECT 1 FROM dirty LIMIT 1").fetchone() is None:
            return 0
        # The merge makes no cyclic garbage; paused, the collector no longer takes a third of its time.
        with collector_paused():
            return self._settle(chunk, on_wait)

    def _settle(self, chunk: int, on_wait: Callable[[str], None] | None) -> int:
        c = self.conn
        with self._transaction("merge facts", on_wait):
            touched_nodes: set[str] = set()
            touched_edges: dict[str, tuple[str, str, str]] = {}
            if c.execute("SELECT 1 FROM dirty WHERE kind='node' AND type=? LIMIT 1",
                         (Label.OFFICIAL.value,)).fetchone():
                self._resolve_officials(touched_nodes, touched_edges)
            self._mark_dirty(touched_nodes, touched_edges)
        done = 0
        while True:
            with self._transaction("merge facts", on_wait):
                rows = c.execute("SELECT target, kind, type, src, dst FROM dirty ORDER BY target LIMIT ?",
                                 (chunk,)).fetchall()
                nodes = {t for t, kind, *_ in rows if kind == "node"}
                edges = {t: (typ, src, dst) for t, kind, typ, src, dst in rows if kind == "edge"}
                self._remerge(nodes, edges)
                c.executemany("DELETE FROM dirty WHERE target = ?", [(r[0],) for r in rows])
            if not rows:
                return done
            done += len(rows)

    @contextmanager
    def _transaction(self, what: str, on_wait: Callable[[str], None] | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed at the end, rolled back on any error (named in a StoreError)."""
        c = self.conn
        try:
            self._begin(on_wait)
            yield c
            c.execute("COMMIT")
        except sqlite3.Error as err:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise StoreError(f"{self.path}: could not {what} ({err})") from None
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise

    def _mark_dirty(self, nodes: set[str], edges: dict[str, tuple[str, str, str]]) -> None:
        labels = dict(self.conn.execute(
            f"SELECT id, label FROM nodes WHERE id IN ({','.join('?' * len(nodes))})", sorted(nodes))) if nodes else {}
        self.conn.executemany("INSERT OR IGNORE INTO dirty VALUES (?, 'node', ?, NULL, NULL)",
                              [(n, labels[n]) for n in sorted(nodes) if n in labels])
        self.conn.executemany("INSERT OR IGNORE INTO dirty VALUES (?, 'edge', ?, ?, ?)",
                              [(e, *v) for e, v in sorted(edges.items())])

    def _resolve_officials(self, touched_nodes: set[str], touched_edges: dict[str, tuple[str, str, str]]) -> None:
        """One node per person: the moves `merge.officials_to_join` gives, carried out."""
        ids = [r[0] for r in self.conn.execute("SELECT id FROM nodes WHERE label = ?", (Label.OFFICIAL.value,))]
        for short, full in officials_to_join(ids):
            self._move_node(short, full, touched_nodes, touched_edges)

    def _move_node(self, old: str, new: str, touched_nodes: set[str],
                   touched_edges: dict[str, tuple[str, str, str]]) -> None:
        """Re-point every fact about node ``old`` (and its edges) to node ``new``, then drop ``old``."""
        c = self.conn
        moves = [(old, new)]
        known = c.execute("SELECT id, type, src, dst FROM edges WHERE src = ? OR dst = ? UNION "
                          "SELECT target, type, src, dst FROM dirty WHERE kind = 'edge' AND (src = ? OR dst = ?)",
                          (old, old, old, old)).fetchall()
        for eid, etype, src, dst in known:
            nsrc, ndst = (new if src == old else src), (new if dst == old else dst)
            moves.append((eid, edge_id(etype, nsrc, ndst)))
            touched_edges.pop(eid, None)
            touched_edges[edge_id(etype, nsrc, ndst)] = (etype, nsrc, ndst)
            c.execute("DELETE FROM edges WHERE id = ?", (eid,))
        for before, after in dict.fromkeys(moves):
            rows = c.execute("SELECT source_id, type, quote, extractor, confidence, vals, published FROM facts "
                             "WHERE target = ?", (before,)).fetchall()
            c.execute("DELETE FROM facts WHERE target = ?", (before,))
            c.executemany("INSERT OR IGNORE INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                (_fact_key(after, sid, extractor, quote, vals), after, sid, ftype, quote, extractor, conf, vals, day)
                for sid, ftype, quote, extractor, conf, vals, day in rows])
        c.execute("DELETE FROM nodes WHERE id = ?", (old,))
        touched_nodes.discard(old)
        touched_nodes.add(new)

    def _fact_rows(self, targets: list[str]) -> dict[str, list[FactRow]]:
        """The facts of these targets. Equal ``vals`` share one parsed dict (the merge only reads them):
        a hot agreement's hundreds of facts mostly state the same values, and parsing each again was a
        quarter of a merge."""
        out: dict[str, list[FactRow]] = defaultdict(list)
        parsed: dict[str, dict[str, Any]] = {"{}": {}}  # most edges carry provenance only
        for i in range(0, len(targets), 500):
            chunk = targets[i:i + 500]
            q = (f"SELECT target, source_id, published, quote, extractor, confidence, vals "
                 f"FROM facts WHERE target IN ({','.join('?' * len(chunk))})")
            for target, sid, published, quote, extractor, confidence, vals in self.conn.execute(q, chunk):
                values = parsed.get(vals)
                if values is None:
                    values = parsed[vals] = json.loads(vals)
                out[target].append(FactRow(sid, published, quote, extractor, confidence, values))
        return out

    def _remerge(self, nodes: set[str], edges: dict[str, tuple[str, str, str]]) -> None:
        c = self.conn
        node_ids = sorted(nodes)
        facts = self._fact_rows(node_ids)
        for i in range(0, len(node_ids), 500):
            chunk = node_ids[i:i + 500]
            rows = c.execute(f"SELECT id, label, static FROM nodes WHERE id IN ({','.join('?' * len(chunk))})",
                             chunk).fetchall()
            c.executemany(f"UPDATE nodes SET props = ?1, changed = {_CHANGE} WHERE id = ?2 AND props IS NOT ?1", [
                (_dumps(merge_node(label, json.loads(static), facts.get(nid, []))), nid)
                for nid, label, static in rows])
            self._derive_party_edges(
                [nid for nid, label, _ in rows if label == Label.AGREEMENT.value], facts)
        edge_ids = sorted(edges)
        facts = self._fact_rows(edge_ids)
        c.executemany(_UPSERT_EDGE, [(eid, *edges[eid], _dumps(merge_edge(edges[eid][0], facts[eid])))
                                     for eid in edge_ids if eid in facts])
        c.executemany("DELETE FROM edges WHERE id = ?", [(eid,) for eid in edge_ids if eid not in facts])

    def _derive_party_edges(self, agreements: list[str], facts: dict[str, list[FactRow]]) -> None:
        """Store the PARTY_TO edges `merge.party_edges` gives these agreements, and drop the stale ones."""
        party_to = EdgeType.PARTY_TO.value
        upserts, kept = [], set()
        for agreement in agreements:
            for party, props in party_edges(facts.get(agreement, [])):
                eid = edge_id(party_to, party, agreement)
                kept.add(eid)
                upserts.append((eid, party_to, party, agreement, _dumps(props)))
        c = self.conn
        c.executemany(_UPSERT_EDGE, upserts)
        for i in range(0, len(agreements), 500):
            chunk = agreements[i:i + 500]
            stale = [(r[0],) for r in c.execute(
                f"SELECT id FROM edges WHERE type = ? AND dst IN ({','.join('?' * len(chunk))})", (party_to, *chunk))
                if r[0] not in kept]
            c.executemany("DELETE FROM edges WHERE id = ?", stale)

    # --- for the Cypher engines --------------------------------------------------------------

    @contextmanager
    def _one_state(self) -> Iterator[None]:
        """Settle, then read in one transaction: every query inside sees the same state of the store,
        whatever another process commits meanwhile."""
        self.settle()
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def graph_rows(self) -> tuple[NodeRows, EdgeRows]:
        """Nodes by label and edges by (type, source label, target label), as engine loaders take them.

        Every record is checked against the schema on the way out; all are read from one state of the store.
        """
        with self._one_state(), collector_paused():
            return self._graph_rows()

    def _graph_rows(self) -> tuple[NodeRows, EdgeRows]:
        from .schema import validate_edge, validate_node  # pydantic: imported only where records are checked

        nodes: NodeRows = defaultdict(list)
        labels: dict[str, str] = {}
        for nid, label, props in self.nodes():
            validate_node(nid, label, props)
            labels[nid] = label
            nodes[label].append({"id": nid, **props})
        edges: EdgeRows = defaultdict(list)
        for eid, etype, src, dst, props in self.edges():
            if src in labels and dst in labels:
                validate_edge(eid, etype, labels[src], labels[dst], props)
                edges[(etype, labels[src], labels[dst])].append({"id": eid, "src": src, "dst": dst, **props})
        summarize_third_countries(nodes, edges, self.distinct_sources)
        return dict(nodes), dict(edges)

    def graph_changes(self, token: str) -> GraphChanges | None:
        """What changed in the graph since the state ``token`` names (an earlier `state_token` of this store).

        None when the token is not an earlier state of this store (another store, another schema
        version, or a later state): then only the whole graph (`graph_rows`) will do. The rows are
        shaped and checked as `graph_rows` gives them; every Country comes, with its third-country
        summary, since the summary depends on edges that may have changed.
        """
        since = self._earlier_change(token)
        if since is None:
            return None
        with self._one_state(), collector_paused():
            return self._graph_changes(since)

    def _graph_changes(self, since: int) -> GraphChanges:
        from .schema import validate_edge, validate_node

        c = self.conn
        changes = GraphChanges()
        current = "SELECT 1 FROM {table} AS t WHERE t.id = r.id"  # deleted, then made again: an upsert, not a removal
        for rid, kind, rtype, src in c.execute(
                "SELECT DISTINCT r.id, r.kind, r.type, r.src FROM removed AS r WHERE r.changed > ? "
                f"AND NOT EXISTS ({current.format(table='nodes')}) AND NOT EXISTS ({current.format(table='edges')}) "
                "ORDER BY r.kind, r.id", (since,)):
            if kind == "node":
                changes.removed_nodes.append((rid, rtype))
            else:
                changes.removed_edges.append((rid, rtype, src))
        # Sorted here, not by SQL: an ORDER BY id would walk the whole table by id instead of the changed rows.
        for row in sorted(c.execute(
                f"SELECT {_SOURCE_COLUMNS} FROM sources AS s WHERE s.changed > ? "
                "AND EXISTS (SELECT 1 FROM facts AS f WHERE f.source_id = s.id)", (since,))):
            props = _source_props(row)
            validate_node(row[0], Label.SOURCE.value, props)
            changes.nodes[Label.SOURCE.value].append({"id": row[0], **props})
        for nid, label, props in sorted(c.execute(
                "SELECT id, label, props FROM nodes WHERE changed > ? UNION ALL "
                "SELECT id, label, props FROM nodes WHERE label = ? AND changed <= ?",
                (since, Label.COUNTRY.value, since))):
            loaded = json.loads(props)
            validate_node(nid, label, loaded)
            changes.nodes[label].append({"id": nid, **loaded})
        endpoints = ("SELECT e.id, e.type, e.src, e.dst, e.props, a.label, b.label FROM edges AS e "
                     "JOIN nodes AS a ON a.id = e.src JOIN nodes AS b ON b.id = e.dst WHERE {where}")
        for eid, etype, src, dst, props, src_label, dst_label in sorted(c.execute(
                endpoints.format(where="e.changed > ?"), (since,))):
            loaded = json.loads(props)
            validate_edge(eid, etype, src_label, dst_label, loaded)
            changes.edges[(etype, src_label, dst_label)].append({"id": eid, "src": src, "dst": dst, **loaded})
        accepts: EdgeRows = defaultdict(list)
        for eid, etype, src, dst, props, src_label, dst_label in sorted(c.execute(
                endpoints.format(where="e.type = ?"), (EdgeType.ACCEPTS_DEPORTEES_FROM.value,))):
            accepts[(etype, src_label, dst_label)].append({"id": eid, "src": src, "dst": dst, **json.loads(props)})
        summarize_third_countries(changes.nodes, accepts, self.distinct_sources)
        changes.nodes, changes.edges = dict(changes.nodes), dict(changes.edges)
        return changes

    def _earlier_change(self, token: str) -> int | None:
        """The change counter in ``token`` if it names an earlier (or this) state of this store."""
        store_id, _, rest = token.partition(":")
        counter, _, schema = rest.partition(":")
        if store_id != self._store_id or schema != f"schema{SCHEMA_VERSION}" or not counter.isdigit():
            return None
        return int(counter) if int(counter) <= self.changes else None

    def distinct_sources(self, targets: Sequence[str]) -> int:
        """How many distinct articles back any of these nodes or edges (every one, not only the listed ones)."""
        marks = ",".join("?" * len(targets))
        return int(self.conn.execute(
            f"SELECT COUNT(DISTINCT source_id) FROM facts WHERE target IN ({marks})", list(targets)).fetchone()[0])
