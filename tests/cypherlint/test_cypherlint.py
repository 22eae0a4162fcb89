"""Every statement deportgraph sends passes Neo4j's own Cypher linter (no Neo4j server needed).

Needs Node and ``npm ci --prefix tests/cypherlint``; skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store
from deportgraph.outputs.cypher_script import cypher_script
from deportgraph.queries.backends import EDGE_ENDPOINTS, NODE_LABELS, load_statements
from deportgraph.queries.named import load_named_queries, paged, read_named_query, with_date_range
from deportgraph.queries.push import push_statements

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
COOKBOOK = sorted((ROOT / "queries" / "cookbook").glob("*.cypher"))
CANARY = "canary: unknown label and a FalkorDB-only function"
CANARY_QUERY = "MATCH (n:Countryy {id: $id}) RETURN toJSON(n) AS j"
# An article whose front matter and sentences are full of quotes, backslashes and ``})``.
NASTY_ARTICLE = (
    "---\ntitle: O'Brien's \"deal\" \\ })\npublisher: Back\\slash 'Times' })\n---\n"
    "Kosovo agreed to accept fifty deportees from the United States, O'Brien said: \"we'll take them\" \\ }) //.\n"
)


def _statements() -> list[dict[str, str]]:
    named = load_named_queries().items()
    statements = [{"name": f"{name}.cypher", "query": q.text} for name, q in named]
    statements += [{"name": f"{name}.cypher (paged)", "query": paged(q.text)} for name, q in named]
    statements += [{"name": f"{name}.cypher (skip)", "query": paged(q.text, limited=False)} for name, q in named]
    statements += [{"name": f"{name}.cypher (date range)", "query": paged(with_date_range(q))}
                   for name, q in named if q.dated]
    for dialect in ("falkordb", "neo4j"):
        statements += [{"name": f"load_rows/{dialect}: {n}", "query": t} for n, t in load_statements(dialect)]
        statements += [{"name": f"push/{dialect}: {n}", "query": t} for n, t in push_statements(dialect)]
    statements += [{"name": f"cookbook/{p.name}", "query": read_named_query(p).text} for p in COOKBOOK]
    return statements


@pytest.fixture(scope="module")
def export_statements(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    """Every statement of ``export cypher`` (both dialects) for the examples plus an article full of quotes."""
    folder = tmp_path_factory.mktemp("lint-export")
    (folder / "nasty.md").write_text(NASTY_ARTICLE, encoding="utf-8")
    with Store.open(folder / "g.db") as store:
        assert not ingest(store, [str(ROOT / "examples" / "articles"), str(folder / "nasty.md")]).errors
        return [
            {"name": f"export/{dialect}: {i:04d}", "query": statement}
            for dialect in ("neo4j", "falkordb")
            for i, statement in enumerate(cypher_script(store, dialect))
        ]


@pytest.fixture(scope="module")
def lint_results(export_statements: list[dict[str, str]]) -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (HERE / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.skip("tests/cypherlint/node_modules is missing; run: npm ci --prefix tests/cypherlint")
    queries = [*_statements(), *export_statements, {"name": CANARY, "query": CANARY_QUERY}]
    # The linter takes ~0.1-0.5 s a statement: lint each distinct text once, in a few processes at a time.
    texts = sorted({q["query"] for q in queries})
    jobs = max(1, min(4, os.cpu_count() or 1))
    schema = {"labels": list(NODE_LABELS), "relationshipTypes": list(EDGE_ENDPOINTS)}

    def lint(chunk: list[str]) -> list[dict[str, Any]]:
        payload = {"schema": schema, "queries": [{"name": str(i), "query": t} for i, t in enumerate(chunk)]}
        done = subprocess.run(
            [node, str(HERE / "lint.mjs")],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
        return [item["diagnostics"] for item in json.loads(done.stdout)]

    chunks = [texts[i::jobs] for i in range(jobs)]
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lint, chunks))
    by_text = {text: found for chunk, diags in zip(chunks, results, strict=True)
               for text, found in zip(chunk, diags, strict=True)}
    return {q["name"]: by_text[q["query"]] for q in queries}


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


def test_cookbook_and_push_statements_are_linted() -> None:
    names = [s["name"] for s in _statements()]
    assert COOKBOOK and sum(n.startswith("cookbook/") for n in names) == len(COOKBOOK)
    assert any(n.startswith("push/neo4j: schema") for n in names)
    assert any(n.startswith("push/falkordb: wipe") for n in names)


def test_export_statements_pass_neo4j_linter(
    lint_results: dict[str, list[dict[str, Any]]], export_statements: list[dict[str, str]]
) -> None:
    assert len(export_statements) > 20
    problems = {
        s["name"]: [f"{d['line']}:{d['column']}: {d['message']}" for d in lint_results[s["name"]]]
        for s in export_statements
        if lint_results[s["name"]]
    }
    assert problems == {}
