"""The named questions and the cookbook give identical rows on every engine.

The embedded FalkorDB is the reference; the FalkorDB server started by the tests, and Neo4j when
NEO4J_URI is set, must return the same rows, on the hand-built sample graph and on the examples.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deportgraph.graph.store import Store
from deportgraph.queries.backends import CypherBackend, EmbeddedFalkorDB, FalkorDBBackend
from deportgraph.queries.engine import open_store_engine
from deportgraph.queries.named import load_named_queries, read_named_query, run_named
from deportgraph.queries.push import push

from .conftest import COOKBOOK, cookbook_params

HEADER = re.compile(r"^//\s*(name|question|params|columns|example)\s*:")
SAMPLE_EVIDENCE = ["kristi-noem", "ACCEPTS_DEPORTEES_FROM:SLV->USA", "agr-gbr-rwa-third_country", "nope"]
EXAMPLE_EVIDENCE = ["PAID:USA->SLV", "ACCEPTS_DEPORTEES_FROM:UZB->USA", "kristi-noem", "agr-USA-UZB", "nope"]
SAMPLE_PARAMS = {"06-changed-since.cypher": {"since": "2025-03-15"}, "10-country-sources.cypher": {"iso3": "RWA"}}


def named_runs(evidence_ids: list[str]) -> list[tuple[str, dict[str, Any]]]:
    runs = [(name, {}) for name, q in load_named_queries().items() if not q.params]
    return runs + [("evidence", {"id": target}) for target in evidence_ids]


def answers(backend: CypherBackend, evidence_ids: list[str], params: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Every named question and cookbook query's rows on ``backend``."""
    rows: dict[str, Any] = {}
    for name, given in named_runs(evidence_ids):
        rows[f"{name} {given}"] = run_named(backend, name, given)
    for path in COOKBOOK:
        query = read_named_query(path)
        given = params.get(path.name, cookbook_params(path))
        assert sorted(given) == sorted(query.params), path.name
        result = backend.run(query.text, given or None)
        assert all(list(row) == list(query.columns) for row in result), path.name
        rows[path.name] = result
    return rows


@pytest.fixture(scope="module")
def sample_reference(embedded: EmbeddedFalkorDB) -> dict[str, Any]:
    return answers(embedded, SAMPLE_EVIDENCE, SAMPLE_PARAMS)


def test_sample_graph_rows_are_identical_on_every_engine(
    backend: CypherBackend, sample_reference: dict[str, Any]
) -> None:
    found = answers(backend, SAMPLE_EVIDENCE, SAMPLE_PARAMS)
    assert list(found) == list(sample_reference)
    for key, rows in sample_reference.items():
        assert found[key] == rows, key
    assert sum(not rows for rows in found.values()) <= 2  # the unknown id, and no pending agreement here


@pytest.fixture(scope="module")
def examples_reference(examples_store: Store) -> dict[str, Any]:
    with open_store_engine(examples_store) as engine:
        return answers(engine, EXAMPLE_EVIDENCE, {})


@pytest.fixture(scope="module")
def examples_on_server(empty_falkordb_server: str, examples_store: Store) -> Iterator[FalkorDBBackend]:
    server = FalkorDBBackend(empty_falkordb_server, graph=f"examples-{uuid.uuid4().hex[:8]}")
    try:
        push(examples_store, server)
        yield server
    finally:
        server.execute_command("GRAPH.DELETE", server.graph_name)
        server.close()


@pytest.fixture(params=["server", "neo4j"])
def examples_engine(request: pytest.FixtureRequest) -> CypherBackend:
    name = "examples_on_server" if request.param == "server" else "neo4j_with_examples"
    backend: CypherBackend = request.getfixturevalue(name)
    return backend


def test_examples_rows_are_identical_on_every_engine(
    examples_engine: CypherBackend, examples_reference: dict[str, Any]
) -> None:
    found = answers(examples_engine, EXAMPLE_EVIDENCE, {})
    for key, rows in examples_reference.items():
        assert found[key] == rows, key
    assert all(examples_reference[p.name] for p in COOKBOOK), "every cookbook query answers on the examples"


def test_the_third_country_summary_is_what_the_edges_give(
    sample_reference: dict[str, Any], examples_reference: dict[str, Any]
) -> None:
    """third-countries reads the summary on Country nodes; the cookbook derives it from the edges."""
    for reference in (sample_reference, examples_reference):
        named = reference["third-countries {}"]
        assert named, "the graph must hold a third country"
        assert reference["11-third-country-hosts.cypher"] == named


def test_cookbook_files_are_checked_named_queries() -> None:
    assert COOKBOOK, "the cookbook has queries"
    for number, path in enumerate(COOKBOOK, start=1):
        query = read_named_query(path)
        assert path.name.startswith(f"{number:02d}-") and query.question.endswith("?")
        assert sorted(cookbook_params(path)) == sorted(query.params), path.name


def test_cookbook_avoids_what_falkordb_or_neo4j_reject() -> None:
    rejected = ["COUNT {", "EXISTS {", "elementId(", "datetime(", "valueType(", "toJSON(", "shortestPath",
                "IN TRANSACTIONS", "USING INDEX", "EXPLAIN", "SHOW "]
    for path in COOKBOOK:
        text = read_named_query(Path(path)).text
        assert not [word for word in rejected if word.lower() in text.lower()], path.name


def test_the_cookbook_page_shows_each_query_and_a_tested_run() -> None:
    section = (COOKBOOK[0].parents[2] / "docs" / "cookbook.md").read_text(encoding="utf-8")
    for path in COOKBOOK:
        lines = path.read_text(encoding="utf-8").splitlines()
        body = "\n".join(line for line in lines if not HEADER.match(line)) + "\n"
        assert f"```cypher\n{body}```" in section, path.name
        examples = [line.removeprefix("// example:").strip() for line in lines if line.startswith("// example:")]
        example = examples[0] if examples else ""
        args = f"cypher -f queries/cookbook/{path.name}" + (f" {example}" if example else "")
        assert f"<!-- example: {args} -->\n```\n$ deportgraph {args}\n" in section, path.name
