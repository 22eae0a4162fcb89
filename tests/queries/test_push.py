"""push: schema first, batched MERGE, idempotent, --wipe, retries on transient errors; on real engines."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from redis.exceptions import ConnectionError as RedisConnectionError

from deportgraph.cli import cli
from deportgraph.errors import BackendError, QueryError
from deportgraph.graph.store import Store
from deportgraph.queries.backends import EDGE_ENDPOINTS, NODE_LABELS, CypherBackend, FalkorDBBackend, Neo4jBackend
from deportgraph.queries.push import PushStep, is_transient, push, push_statements, wipe_graph

from .conftest import COUNT_ALL, store_counts

NODES = "MATCH (n) RETURN labels(n)[0] AS label, n.id AS id, n AS props ORDER BY label, id"
EDGES = "MATCH (a)-[r]->(b) RETURN type(r) AS type, r.id AS id, a.id AS src, b.id AS dst, r AS props ORDER BY id"



def snapshot(backend: CypherBackend) -> str:
    """Every node and edge with all its properties, in a stable order, as one string."""
    rows = backend.run(NODES) + backend.run(EDGES)
    return json.dumps(rows, sort_keys=True)


@pytest.fixture
def graph(empty_falkordb_server: str) -> Iterator[FalkorDBBackend]:
    """A fresh, empty graph on the test FalkorDB server."""
    backend = FalkorDBBackend(empty_falkordb_server, graph=f"push-{uuid.uuid4().hex[:8]}")
    try:
        yield backend
    finally:
        backend.execute_command("GRAPH.DELETE", backend.graph_name)
        backend.close()


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "merge"])
def test_push_loads_the_store_and_a_second_push_changes_nothing(
    graph: FalkorDBBackend, examples_store: Store, bulk: bool
) -> None:
    steps: list[PushStep] = []
    report = push(examples_store, graph, batch_size=7, progress=steps.append, bulk=bulk)
    expected = store_counts(examples_store)
    assert (report.nodes, report.edges) == (expected["nodes"], expected["edges"])
    assert report.seconds > 0 and report.target.startswith("falkordb at redis://")
    assert graph.run(COUNT_ALL) == [expected]
    assert steps[-1].done == steps[-1].total == sum(expected.values())
    assert [s.done for s in steps] == sorted(s.done for s in steps)
    stages = [s.stage for s in steps]
    assert stages == (sorted(stages, key=["nodes", "edges", "schema"].index) if bulk
                      else sorted(stages, key=["schema", "nodes", "edges"].index))

    before = snapshot(graph)
    again = push(examples_store, graph, batch_size=1000)
    assert (again.nodes, again.edges) == (report.nodes, report.edges)
    assert graph.run(COUNT_ALL) == [expected]
    assert snapshot(graph) == before


def test_push_creates_the_indexes_first(graph: FalkorDBBackend, examples_store: Store) -> None:
    push(examples_store, graph)
    indexed = graph.run("CALL db.indexes() YIELD label, entitytype RETURN entitytype, label ORDER BY entitytype, label")
    assert [r["label"] for r in indexed if r["entitytype"] == "NODE"] == sorted(NODE_LABELS)
    assert len([r for r in indexed if r["entitytype"] == "RELATIONSHIP"]) == len(EDGE_ENDPOINTS)


def test_bulk_and_merge_build_the_same_graph(graph: FalkorDBBackend, examples_store: Store) -> None:
    push(examples_store, graph, bulk=True)
    with FalkorDBBackend(graph.location, graph=graph.graph_name + "-merge") as merged:
        try:
            push(examples_store, merged, bulk=False)
            assert snapshot(merged) == snapshot(graph)
        finally:
            merged.execute_command("GRAPH.DELETE", merged.graph_name)


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "merge"])
def test_push_properties_match_the_store(graph: FalkorDBBackend, examples_store: Store, bulk: bool) -> None:
    push(examples_store, graph, bulk=bulk)
    nodes, edges = examples_store.graph_rows()
    for label, rows in nodes.items():
        found = {r["id"]: r["props"] for r in graph.run(f"MATCH (n:{label}) RETURN n.id AS id, n AS props")}
        assert found == {r["id"]: {k: v for k, v in r.items() if v is not None} for r in rows}
    for (rel_type, _, _), rows in edges.items():
        found = {r["id"]: r["props"] for r in graph.run(f"MATCH ()-[r:{rel_type}]->() RETURN r.id AS id, r AS props")}
        for row in rows:
            assert found[row["id"]] == {k: v for k, v in row.items() if v is not None and k not in ("src", "dst")}
    uzb = graph.run("MATCH (:Country {id: 'UZB'})-[r:ACCEPTS_DEPORTEES_FROM]->(:Country {id: 'USA'}) RETURN r")
    assert uzb[0]["r"]["count"] == 131 and uzb[0]["r"]["third_country"] is True


def test_wipe_replaces_the_graph(graph: FalkorDBBackend, examples_store: Store) -> None:
    push(examples_store, graph)
    graph.run("CREATE (:Country {id: 'ZZZ', name: 'Stale'})-[:PAID {id: 'stale'}]->(:Agency {id: 'gone'})",
              write=True)
    graph.run("MATCH (c:Country {id: 'UZB'}) SET c.name = 'changed by hand'", write=True)
    expected = store_counts(examples_store)
    assert graph.run(COUNT_ALL) != [expected]
    report = push(examples_store, graph, wipe=True)
    assert report.wiped == expected["nodes"] + 2
    assert graph.run(COUNT_ALL) == [expected]
    assert graph.run("MATCH (c:Country {id: 'UZB'}) RETURN c.name AS name") == [{"name": "Uzbekistan"}]
    assert wipe_graph(graph, batch_size=10) == expected["nodes"]
    assert graph.run(COUNT_ALL) == [{"nodes": 0, "edges": 0}]


class Flaky:
    """The real backend, but the first ``failures`` writes fail as if the connection dropped."""

    def __init__(self, backend: CypherBackend, failures: int, error: Exception | None = None) -> None:
        self.backend, self.failures, self.error = backend, failures, error
        self.name, self.dialect = backend.name, backend.dialect
        self.calls = 0

    def run(self, query: str, params: Mapping[str, Any] | None = None, write: bool = False) -> list[dict[str, Any]]:
        self.calls += 1
        if write and query.startswith("UNWIND") and self.failures > 0:
            self.failures -= 1
            if self.error is not None:
                raise self.error
            raise BackendError("lost connection to FalkorDB") from RedisConnectionError("Connection reset by peer")
        return self.backend.run(query, params, write)

    def close(self) -> None:
        pass

    def __enter__(self) -> Flaky:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def test_transient_errors_are_retried_with_backoff(graph: FalkorDBBackend, examples_store: Store) -> None:
    waits: list[float] = []
    flaky = Flaky(graph, failures=3)
    report = push(examples_store, flaky, batch_size=20, sleep=waits.append, backoff=0.25)
    assert waits == [0.25, 0.5, 1.0]
    assert graph.run(COUNT_ALL) == [store_counts(examples_store)]
    assert (report.nodes, report.edges) == tuple(store_counts(examples_store).values())


def test_retries_give_up_and_other_errors_are_not_retried(graph: FalkorDBBackend, examples_store: Store) -> None:
    waits: list[float] = []
    with pytest.raises(BackendError, match="lost connection"):
        push(examples_store, Flaky(graph, failures=10), retries=2, sleep=waits.append)
    assert waits == [0.5, 1.0]
    waits.clear()
    with pytest.raises(QueryError, match="bad statement"):
        push(examples_store, Flaky(graph, failures=1, error=QueryError("bad statement")), sleep=waits.append)
    assert waits == []


def test_what_counts_as_transient() -> None:
    from neo4j.exceptions import ServiceUnavailable, TransientError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    for cause in (TransientError("deadlock"), ServiceUnavailable("gone"), RedisTimeoutError("slow")):
        try:
            raise QueryError("failed") from cause
        except QueryError as exc:
            assert is_transient(exc)
    assert not is_transient(QueryError("Invalid input"))


def test_push_statements_are_all_named() -> None:
    names = [name for name, _ in push_statements("neo4j")]
    assert len(names) == len(set(names)) and any(n.startswith("wipe ") for n in names)
    texts = [text for _, text in push_statements("neo4j")]
    assert all("$" not in t for t in texts if t.startswith("CREATE"))
    assert sum("REQUIRE n.id IS UNIQUE" in t for t in texts) == len(NODE_LABELS)


def test_cli_push_to_a_falkordb_server(empty_falkordb_server: str, tmp_path: Path) -> None:
    store_path = tmp_path / "g.db"
    runner = CliRunner()
    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    assert runner.invoke(cli, ["ingest", "-q", "--store", str(store_path), str(examples)]).exit_code == 0
    args = ["push", "--backend", "falkordb", "--url", empty_falkordb_server, "--store", str(store_path)]
    try:
        result = runner.invoke(cli, [*args, "--batch-size", "10"])
        assert result.exit_code == 0, result.output
        with Store.open(store_path) as store:
            expected = store_counts(store)
        line = result.stdout.strip()
        assert line.startswith(f"pushed {expected['nodes']} nodes and {expected['edges']} edges to falkordb at ")
        assert line.endswith(" s")
        again = runner.invoke(cli, [*args, "--wipe", "-q"])
        assert again.exit_code == 0 and f"(after deleting {expected['nodes']} nodes)" in again.stdout
        with FalkorDBBackend(empty_falkordb_server) as server:
            assert server.run(COUNT_ALL) == [expected]
    finally:
        with FalkorDBBackend(empty_falkordb_server) as server:
            server.execute_command("GRAPH.DELETE", "deportgraph")


def test_cli_push_explains_a_missing_server_or_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_path = tmp_path / "g.db"
    Store.open(store_path).close()
    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = CliRunner().invoke(cli, ["push", "--store", str(store_path)])
    assert result.exit_code == 1 and "NEO4J_URI is not set" in result.output
    result = CliRunner().invoke(cli, ["push", "--backend", "falkordb", "--store", str(store_path)])
    assert result.exit_code == 1 and "needs --url" in result.output


def test_push_to_neo4j_is_idempotent(neo4j_with_examples: Neo4jBackend, examples_store: Store) -> None:
    expected = store_counts(examples_store)
    assert neo4j_with_examples.run(COUNT_ALL) == [expected]
    before = snapshot(neo4j_with_examples)
    push(examples_store, neo4j_with_examples)
    assert neo4j_with_examples.run(COUNT_ALL) == [expected]
    assert snapshot(neo4j_with_examples) == before
    constraints = neo4j_with_examples.run("SHOW CONSTRAINTS YIELD labelsOrTypes RETURN labelsOrTypes")
    assert sorted(r["labelsOrTypes"][0] for r in constraints) == sorted(NODE_LABELS)
