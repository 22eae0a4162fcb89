"""Backends: rows, read-only enforcement, parameters, errors, loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from deportgraph.errors import BackendError, QueryError
from deportgraph.queries.backends import (
    EDGE_ENDPOINTS,
    NODE_LABELS,
    CypherBackend,
    EmbeddedFalkorDB,
    FalkorDBBackend,
    Neo4jBackend,
    load_rows,
    load_statements,
)

from .conftest import COUNT_ALL

WRITES = [
    "CREATE (:Country {id: 'ZZZ', iso3: 'ZZZ'})",
    "MERGE (:Country {id: 'ZZZ'})",
    "MATCH (c:Country {id: 'USA'}) SET c.name = 'changed'",
    "MATCH (c:Country {id: 'USA'}) REMOVE c.name",
    "MATCH (c:Country {id: 'MEX'}) DETACH DELETE c",
    "MATCH ()-[r:PAID]->() DELETE r",
]


def test_backend_satisfies_protocol(backend: CypherBackend) -> None:
    assert isinstance(backend, CypherBackend)
    assert backend.dialect in ("falkordb", "neo4j")


def test_rows_are_plain_dicts(backend: CypherBackend) -> None:
    rows = backend.run(
        "MATCH (c:Country {id: $id})-[r:PAID]->(d) RETURN c, r, d.iso3 AS payee ORDER BY payee", {"id": "USA"}
    )
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == ["c", "r", "payee"]
    assert row["c"] == {
        "id": "USA",
        "iso3": "USA",
        "iso2": "US",
        "name": "United States",
        "aliases": ["US", "America"],
    }
    assert row["r"]["amount"] == 6000000.0 and row["r"]["sources"] == ["src-1"]
    assert row["payee"] == "SLV"


@pytest.mark.parametrize("statement", WRITES)
def test_read_only_is_enforced(backend: CypherBackend, statement: str) -> None:
    before = backend.run(COUNT_ALL)
    with pytest.raises(QueryError):
        backend.run(statement)
    assert backend.run(COUNT_ALL) == before
    assert backend.run("MATCH (c:Country {id: 'USA'}) RETURN c.name AS name") == [{"name": "United States"}]


NASTY = 'He said "we\'ll take them" \\ C:\\path\\n {x}) }) // not a comment\nsecond line'


@pytest.mark.parametrize(
    "value",
    [
        NASTY,
        "'",
        '"',
        "\\",
        "\\'",
        "})",
        "${x}",
        "é漢字🙂",
        "",
        "MATCH (n) DETACH DELETE n",
        1.5,
        1e-7,
        -3,
        True,
        ["a", "b\\", "c'}"],
        {"k": 'v"})'},
    ],
)
def test_parameters_round_trip(backend: CypherBackend, value: object) -> None:
    assert backend.run("RETURN $value AS value", {"value": value}) == [{"value": value}]


def test_syntax_error_carries_engine_message(backend: CypherBackend) -> None:
    with pytest.raises(QueryError) as info:
        backend.run("MATCH (n:Country RETURN n")
    message = str(info.value)
    assert message and "Invalid input" in message


def test_unusable_parameter_is_explained() -> None:
    with EmbeddedFalkorDB() as db, pytest.raises(QueryError, match="NUL character"):
        db.run("RETURN $v AS v", {"v": "a\x00b"})


def test_load_rows_round_trips_nasty_values_and_is_idempotent() -> None:
    nodes = {
        "Source": [{"id": "s'}) //", "url": "https://x/?a=1&b='2'", "title": NASTY, "publisher": None}],
        "Agreement": [
            {
                "id": "agr\\1",
                "kind": "other",
                "parties": ['A"B', "C})"],
                "dates": [],
                "quotes": [NASTY],
                "evidence_sources": ["s'}) //"],
                "confidence": 0.5,
            }
        ],
    }
    edges = {("TRANSIT_VIA", "Agreement", "Country"): [{"id": 't"1', "src": "agr\\1", "dst": "MEX", "n": 3}]}
    nodes["Country"] = [{"id": "MEX", "iso3": "MEX", "name": "Mexico"}]
    with EmbeddedFalkorDB() as db:
        assert load_rows(db, nodes, edges).edges == 1
        stats = load_rows(db, nodes, edges, batch_size=1)
        assert (stats.nodes, stats.edges) == (3, 1)
        assert db.run(COUNT_ALL) == [{"nodes": 3, "edges": 1}]
        assert db.run("MATCH (s:Source) RETURN s") == [
            {"s": {"id": "s'}) //", "url": "https://x/?a=1&b='2'", "title": NASTY}}
        ]
        agreement = db.run("MATCH (a:Agreement)-[t:TRANSIT_VIA {id: $id}]->(c) RETURN a, t", {"id": 't"1'})
        assert agreement[0]["a"]["parties"] == ['A"B', "C})"] and agreement[0]["a"]["quotes"] == [NASTY]
        assert agreement[0]["t"] == {"id": 't"1', "n": 3}
        assert run_evidence(db, "agr\\1") == [("s'}) //", NASTY)]


def run_evidence(db: CypherBackend, node_id: str) -> list[tuple[str, str]]:
    from deportgraph.queries.named import run_named

    return [(r["source_id"], r["quote"]) for r in run_named(db, "evidence", {"id": node_id})]


@pytest.mark.parametrize(
    ("nodes", "edges", "message"),
    [
        ({"Country) DETACH DELETE (n": []}, {}, "unknown node label"),
        ({}, {("PAID", "Country", "Official"): []}, "PAID cannot connect Country->Official"),
        ({}, {("KNOWS", "Country", "Country"): []}, "unknown relationship type"),
        ({"Country": [{"id": "X", "m": {"a": 1}}]}, {}, "is a map"),
        ({"Country": [{"id": "X", "l": ["a", None]}]}, {}, "without nulls"),
    ],
)
def test_load_rows_rejects_names_outside_the_schema(nodes: dict, edges: dict, message: str) -> None:
    with EmbeddedFalkorDB() as db:
        with pytest.raises(QueryError, match=message):
            load_rows(db, nodes, edges)
        assert db.run(COUNT_ALL) == [{"nodes": 0, "edges": 0}]


def test_load_rows_reports_edges_without_endpoints() -> None:
    with EmbeddedFalkorDB() as db:
        nodes = {"Country": [{"id": "USA", "iso3": "USA"}]}
        edges = {("PAID", "Country", "Country"): [{"id": "p1", "src": "USA", "dst": "NOPE"}]}
        with pytest.raises(
            QueryError, match=r"1 PAID edge\(s\) Country->Country have no endpoint node.*'p1'"
        ):
            load_rows(db, nodes, edges)


def test_load_statements_cover_the_schema() -> None:
    names = [name for name, _ in load_statements()]
    assert len(names) == len(set(names))
    assert "merge PAID Agency->Country" in names and "index Source" in names
    texts = [text for _, text in load_statements("neo4j")]
    assert any("IF NOT EXISTS" in text for text in texts)


def test_embedded_server_stops_and_cleans_up() -> None:
    db = EmbeddedFalkorDB()
    proc, socket_path = db._proc, db.socket_path
    assert proc is not None and socket_path.exists()
    db.close()
    db.close()
    assert proc.poll() is not None
    assert not socket_path.parent.exists()
    with pytest.raises(BackendError, match="closed"):
        db.run("RETURN 1 AS one")


def test_embedded_start_failure_shows_server_log(tmp_path: Path) -> None:
    (tmp_path / "dump.rdb").write_bytes(b"REDIS0011 this is not a snapshot")
    with pytest.raises(BackendError, match=r"(?s)exited with code 1 while starting:.*(?i:rdb)"):
        EmbeddedFalkorDB(tmp_path, startup_timeout=10)


def test_unreachable_server_is_a_backend_error(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="cannot reach FalkorDB"):
        FalkorDBBackend(str(tmp_path / "missing.sock"))


def test_indexes_on_every_label_and_optionally_every_type() -> None:
    query = "CALL db.indexes() YIELD label, entitytype RETURN entitytype, label ORDER BY entitytype, label"
    with EmbeddedFalkorDB() as db:
        load_rows(db, {}, {})
        assert db.run(query) == [{"entitytype": "NODE", "label": label} for label in sorted(NODE_LABELS)]
        load_rows(db, {}, {}, index_edges=True)
        relationships = [row["label"] for row in db.run(query) if row["entitytype"] == "RELATIONSHIP"]
        assert relationships == sorted(EDGE_ENDPOINTS)


def test_unreachable_neo4j_is_a_backend_error() -> None:
    with pytest.raises(BackendError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"):
        Neo4jBackend("bolt://127.0.0.1:1", "neo4j", "wrong")
