"""GRAPH.BULK loading on the real engine: the same graph as MERGE, whatever the values and buffer sizes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from deportgraph.errors import QueryError
from deportgraph.queries.backends import EmbeddedFalkorDB, load_rows
from deportgraph.queries.bulk import bulk_load, encode_value

from .conftest import COUNT_ALL

NASTY = "quote ' and \" and \\ and } ) // -- ; \n newline, émigré 🇺🇿, $param, {a: 1}, [1, 2]"
DUMP_NODES = "MATCH (n) RETURN labels(n) AS labels, n AS props ORDER BY n.id"
DUMP_EDGES = "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS src, b.id AS dst, r AS props ORDER BY r.id"


def rows() -> tuple[dict[str, list[dict[str, Any]]], dict[tuple[str, str, str], list[dict[str, Any]]]]:
    nodes: dict[str, list[dict[str, Any]]] = {
        "Country": [{"id": f"C{i:03d}", "iso3": f"C{i:03d}", "name": f"Country {i}", "aliases": [NASTY, "x"]}
                    for i in range(40)],
        "Source": [{"id": "2025", "url": "https://x/?a=1&b='2'", "title": NASTY, "published": None}],
        "Agreement": [{"id": "agr\\1", "kind": "other", "parties": ["C001", "C002"], "dates": [],
                       "quotes": [NASTY, "2025", "true", "1.5"], "evidence_sources": ["2025"],
                       "confidence": 0.5, "n_sources": 2**62, "third_country": False}],
    }
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {
        ("ACCEPTS_DEPORTEES_FROM", "Country", "Country"): [
            {"id": f"A:{i}", "src": f"C{i:03d}", "dst": f"C{(i + 1) % 40:03d}", "count": i, "amounts": [1.5, -2.0],
             "nationalities": ["C003"], "third_country": i % 2 == 0, "quotes": [NASTY * (i % 3)] if i % 3 else None}
            for i in range(40)
        ],
        ("TRANSIT_VIA", "Agreement", "Country"): [{"id": 't"1', "src": "agr\\1", "dst": "C005", "n": -3}],
    }
    return nodes, edges


def dump(db: EmbeddedFalkorDB) -> str:
    return json.dumps([db.run(DUMP_NODES), db.run(DUMP_EDGES)], sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("buffer_bytes", [1 << 20, 300, 1], ids=["one-call", "small-calls", "a-call-per-record"])
def test_bulk_load_builds_the_graph_merge_builds(buffer_bytes: int) -> None:
    nodes, edges = rows()
    calls: list[tuple[str, int]] = []
    with EmbeddedFalkorDB() as merged, EmbeddedFalkorDB() as bulk:
        load_rows(merged, nodes, edges)
        stats = bulk_load(bulk.backend, nodes, edges, buffer_bytes=buffer_bytes,
                          progress=lambda kind, n: calls.append((kind, n)))
        assert (stats.nodes, stats.edges) == (42, 41)
        assert dump(bulk) == dump(merged)
        assert sum(n for kind, n in calls if kind == "nodes") == 42
        assert sum(n for kind, n in calls if kind == "edges") == 41
        assert (len(calls) > 2) == (buffer_bytes < 1000)
        agreement = bulk.run("MATCH (a:Agreement {id: $id}) RETURN a", {"id": "agr\\1"})[0]["a"]
        assert agreement["quotes"] == [NASTY, "2025", "true", "1.5"] and agreement["n_sources"] == 2**62
        assert bulk.run("MATCH (s:Source) RETURN s.id AS id, s.published AS p") == [{"id": "2025", "p": None}]


def test_bulk_load_indexes_ids() -> None:
    query = "CALL db.indexes() YIELD label, entitytype RETURN entitytype, label ORDER BY entitytype, label"
    nodes, edges = rows()
    with EmbeddedFalkorDB() as db:
        bulk_load(db.backend, nodes, edges, index_edges=True)
        indexed = db.run(query)
        assert {"entitytype": "NODE", "label": "Country"} in indexed
        assert {"entitytype": "RELATIONSHIP", "label": "TRANSIT_VIA"} in indexed


def test_an_empty_load_still_gives_an_empty_graph() -> None:
    with EmbeddedFalkorDB() as db:
        assert bulk_load(db.backend, {}, {}).nodes == 0
        assert db.run(COUNT_ALL) == [{"nodes": 0, "edges": 0}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda n, e: e[("TRANSIT_VIA", "Agreement", "Country")].append(
            {"id": "t2", "src": "agr\\1", "dst": "NOPE"}),
         r"1 TRANSIT_VIA edge\(s\) Agreement->Country have no endpoint node, e.g. 't2'"),
        (lambda n, e: n["Country"].append({"id": "C001"}), "unique"),
        (lambda n, e: n["Country"][3].update(x=float("nan")),
         r"Country 'C003': property 'x': nan is not a finite number"),
        (lambda n, e: n["Country"][4].update(x=2**64), "does not fit in 64 bits"),
        (lambda n, e: n["Country"][5].update(x="a\x00b"), "NUL character"),
        (lambda n, e: n["Country"][6].update(x={"a": 1}), "is a map"),
        (lambda n, e: n["Country"][7].update(x=["a", None]), "without nulls"),
        (lambda n, e: n["Country"][8].update(x=[["a"]]), "without nulls"),
        (lambda n, e: n.update({"Country) DETACH DELETE (n": []}), "unknown node label"),
    ],
    ids=["dangling-edge", "duplicate-id", "nan", "huge-int", "nul", "map", "null-in-list", "nested-list", "label"],
)
def test_bad_rows_are_refused_before_anything_is_written(change: Any, message: str) -> None:
    nodes, edges = rows()
    change(nodes, edges)
    with EmbeddedFalkorDB() as db:
        with pytest.raises(QueryError, match=message):
            bulk_load(db.backend, nodes, edges, buffer_bytes=200)
        assert db.run(COUNT_ALL) == [{"nodes": 0, "edges": 0}]
        assert bulk_load(db.backend, *rows()).nodes == 42  # and the graph can be loaded afterwards


def test_a_graph_with_nodes_is_never_bulk_loaded_over() -> None:
    nodes, edges = rows()
    with EmbeddedFalkorDB() as db:
        db.run("CREATE (:Country {id: 'KEEP'})", write=True)
        with pytest.raises(QueryError, match="already holds nodes"):
            bulk_load(db.backend, nodes, edges)
        assert db.run("MATCH (n) RETURN n.id AS id") == [{"id": "KEEP"}]


def test_values_are_encoded_with_their_own_types() -> None:
    assert encode_value("1") != encode_value(1) != encode_value(1.0) != encode_value(True)
    assert encode_value(None) == b"\x00"
    with pytest.raises(ValueError, match="cannot be a property value"):
        encode_value(object())
