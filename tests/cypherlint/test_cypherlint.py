"""Every statement deportgraph sends passes Neo4j's own Cypher linter (no Neo4j server needed).

Needs Node and ``npm ci --prefix tests/cypherlint``; skipped otherwise.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from deportgraph.queries.backends import EDGE_ENDPOINTS, NODE_LABELS, load_statements
from deportgraph.queries.named import load_named_queries

HERE = Path(__file__).parent
CANARY = "canary: unknown label and a FalkorDB-only function"
CANARY_QUERY = "MATCH (n:Countryy {id: $id}) RETURN toJSON(n) AS j"


def _statements() -> list[dict[str, str]]:
    statements = [{"name": f"{name}.cypher", "query": q.text} for name, q in load_named_queries().items()]
    for dialect in ("falkordb", "neo4j"):
        statements += [{"name": f"load_rows/{dialect}: {n}", "query": t} for n, t in load_statements(dialect)]
    return statements


@pytest.fixture(scope="module")
def lint_results() -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (HERE / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.skip("tests/cypherlint/node_modules is missing; run: npm ci --prefix tests/cypherlint")
    payload = {
        "schema": {"labels": list(NODE_LABELS), "relationshipTypes": list(EDGE_ENDPOINTS)},
        "queries": [*_statements(), {"name": CANARY, "query": CANARY_QUERY}],
    }
    done = subprocess.run(
        [node, str(HERE / "lint.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return {item["name"]: item["diagnostics"] for item in json.loads(done.stdout)}


def test_linter_reports_problems_but_not_undeclared_parameters(
    lint_results: dict[str, list[dict[str, Any]]],
) -> None:
    messages = [d["message"] for d in lint_results[CANARY]]
    assert any("Label Countryy is not present" in m for m in messages)
    assert any("Function toJSON is not present" in m for m in messages)
    assert not any("Parameter" in m for m in messages)


@pytest.mark.parametrize("name", [s["name"] for s in _statements()])
def test_statement_passes_neo4j_linter(lint_results: dict[str, list[dict[str, Any]]], name: str) -> None:
    problems = [f"{d['line']}:{d['column']}: {d['severity']}: {d['message']}" for d in lint_results[name]]
    assert problems == []
