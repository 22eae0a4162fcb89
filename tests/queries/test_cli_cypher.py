"""The ``cypher`` command end to end: read-only unless --write, the engine's syntax errors, and user
values that never enter Cypher text (they round-trip through parameters and through export cypher)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from deportgraph.cli import cli
from deportgraph.graph.store import Store
from deportgraph.outputs.cypher_script import split_cypher_script
from deportgraph.queries.backends import FalkorDBBackend
from deportgraph.queries.named import run_named

from .conftest import COUNT_ALL, EXAMPLES, store_counts

WRITES = {
    "CREATE": "CREATE (:Country {id: 'ZZZ', iso3: 'ZZZ'})",
    "MERGE": "MERGE (c:Country {id: 'ZZZ'}) RETURN c.id AS id",
    "SET": "MATCH (c:Country {iso3: 'UZB'}) SET c.name = 'changed' RETURN c.name AS name",
    "REMOVE": "MATCH (c:Country {iso3: 'UZB'}) REMOVE c.name",
    "DELETE": "MATCH ()-[r:PAID]->() DELETE r",
    "DETACH DELETE": "MATCH (c:Country {iso3: 'UZB'}) DETACH DELETE c",
}
TITLE = "O'Brien's \"deal\" \\ })"
PUBLISHER = "Back\\slash 'Times' })\t{x: $y}"
QUOTE = ("Kosovo agreed to accept fifty deportees from the United States, O'Brien said: "
         "\"we'll take them\" \\ }) // MATCH (n) DETACH DELETE n.")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-cypher")
    nasty = folder / "nasty.md"
    nasty.write_text(f"---\ntitle: {TITLE}\npublisher: {PUBLISHER}\n---\n{QUOTE}\n", encoding="utf-8")
    path = folder / "g.db"
    code, out = run("ingest", "-q", "--store", str(path), str(EXAMPLES), str(nasty))
    assert code == 0, out
    return path


@pytest.fixture(scope="module")
def server_url(empty_falkordb_server: str, store_path: Path) -> Iterator[str]:
    """The test FalkorDB server holding this store's graph (as 'deportgraph', the CLI's graph name)."""
    code, out = run("push", "-q", "--backend", "falkordb", "--url", empty_falkordb_server, "--store", str(store_path))
    assert code == 0, out
    try:
        yield empty_falkordb_server
    finally:
        with FalkorDBBackend(empty_falkordb_server) as server:
            server.execute_command("GRAPH.DELETE", "deportgraph")


@pytest.fixture(params=["embedded", "server"])
def engine_args(request: pytest.FixtureRequest, store_path: Path) -> list[str]:
    """The CLI arguments that pick an engine holding the store's graph."""
    if request.param == "embedded":
        return ["--store", str(store_path)]
    return ["--backend", "falkordb", "--url", request.getfixturevalue("server_url")]


def cypher_json(engine_args: list[str], *args: str) -> object:
    code, out = run("cypher", *args, *engine_args, "--format", "json")
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("kind", list(WRITES))
def test_cypher_without_write_cannot_change_the_graph(engine_args: list[str], kind: str) -> None:
    before = cypher_json(engine_args, COUNT_ALL)
    names = cypher_json(engine_args, "MATCH (c:Country) RETURN c.id AS id, c.name AS name ORDER BY id")
    code, out = run("cypher", WRITES[kind], *engine_args)
    assert code == 1 and "read-only" in out and "--write" in out and "Traceback" not in out
    assert cypher_json(engine_args, COUNT_ALL) == before
    assert cypher_json(engine_args, "MATCH (c:Country) RETURN c.id AS id, c.name AS name ORDER BY id") == names


def test_cypher_write_on_the_embedded_engine_is_refused_not_dropped(store_path: Path) -> None:
    args = ["--store", str(store_path)]
    before = cypher_json(args, COUNT_ALL)
    code, out = run("cypher", "--write", "CREATE (:Country {id: 'NEW', iso3: 'NEW'})", *args)
    assert code != 0 and "embedded" in out and "--backend falkordb" in out and "push" in out
    assert cypher_json(args, COUNT_ALL) == before


def test_cypher_with_write_changes_a_server_graph(server_url: str) -> None:
    args = ["--backend", "falkordb", "--url", server_url]
    code, out = run("cypher", "--write", WRITES["SET"], *args, "--format", "json")
    assert code == 0 and json.loads(out) == [{"name": "changed"}]
    # the next command, a read, finds the write
    assert cypher_json(args, "MATCH (c:Country {iso3: 'UZB'}) RETURN c.name AS name") == [{"name": "changed"}]
    code, out = run("cypher", "--write", "MATCH (c:Country {iso3: 'UZB'}) SET c.name = 'Uzbekistan'", *args)
    assert code == 0


@pytest.mark.parametrize(
    ("statement", "position"),
    [
        ("MATCH (n:Country RETURN n", "(line 1, column 18)"),
        ("MATCH (n:Country)\nWHERE n.iso3 = 'UZB'\nRETRUN n", "(line 3, column 4)"),
    ],
)
def test_syntax_error_shows_the_engine_message_and_position(
    engine_args: list[str], statement: str, position: str
) -> None:
    code, out = run("cypher", statement, *engine_args)
    assert code == 1 and "Traceback" not in out
    assert "Invalid input 'R'" in out and position in out
    context, caret = out.rstrip("\n").splitlines()[-2:]
    assert caret.strip() == "^" and context[len(caret) - 1] == "R"


def test_user_values_round_trip_through_parameters(engine_args: list[str]) -> None:
    statement = "MATCH (s:Source {title: $title}) RETURN s.title AS title, s.publisher AS publisher"
    rows = cypher_json(engine_args, statement, "-p", f"title={TITLE}")
    assert rows == [{"title": TITLE, "publisher": PUBLISHER}]
    code, out = run("query", "evidence", "-p", "id=ACCEPTS_DEPORTEES_FROM:XKX->USA", *engine_args, "--format", "json")
    assert code == 0, out
    assert {(r["title"], r["quote"]) for r in json.loads(out)} >= {(TITLE, QUOTE)}


def test_user_values_round_trip_through_export_cypher(
    store_path: Path, empty_falkordb_server: str, tmp_path: Path
) -> None:
    script = tmp_path / "g.cypher"
    code, out = run("export", "cypher", str(script), "--dialect", "falkordb", "--store", str(store_path))
    assert code == 0 and "cypher-shell -f" in out
    text = script.read_text(encoding="utf-8")
    assert "$" not in text.replace("$6 million", "").replace("{x: $y}", "")  # no parameters, only literals
    with FalkorDBBackend(empty_falkordb_server, graph="export-round-trip") as db, Store.open(store_path) as store:
        try:
            for statement in split_cypher_script(text):
                db.run(statement, write=True)
            assert db.run(COUNT_ALL) == [store_counts(store)]
            rows = db.run("MATCH (s:Source {title: $title}) RETURN s.publisher AS publisher", {"title": TITLE})
            assert rows == [{"publisher": PUBLISHER}]
            evidence = run_named(db, "evidence", {"id": "ACCEPTS_DEPORTEES_FROM:XKX->USA"})
            assert {(r["title"], r["quote"]) for r in evidence} >= {(TITLE, QUOTE)}
        finally:
            db.execute_command("GRAPH.DELETE", "export-round-trip")


def test_parameters_of_any_size_or_nesting_get_a_result_or_a_clear_error(engine_args: list[str]) -> None:
    # -p takes what one command-line argument can hold (128 KiB on Linux)
    code, out = run("cypher", "RETURN size($s) AS n", "-p", "s=" + "x" * 120_000, *engine_args, "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": 120_000}]
    code, out = run("cypher", "RETURN size($xs) AS n", "-p", "xs=" + json.dumps(list(range(20_000))), *engine_args,
                    "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": 20_000}]
    code, out = run("cypher", "RETURN $x AS x", "-p", "x=" + "[" * 500 + "]" * 500, *engine_args)
    assert code == 1 and "nested more than 64 deep" in out and "Traceback" not in out
    code, out = run("cypher", "RETURN $x AS x", "-p", "x=" + "[" * 50_000 + "]" * 50_000, *engine_args)
    assert code == 2 and "nested too deep to read" in out
    assert cypher_json(engine_args, "RETURN 1 AS one") == [{"one": 1}]  # the engine goes on


def test_huge_parameters_through_the_api_reach_the_engine_or_fail_clearly() -> None:
    from deportgraph.errors import QueryError
    from deportgraph.queries.backends import EmbeddedFalkorDB

    deep: list[object] = []
    for _ in range(10_000):
        deep = [deep]
    with EmbeddedFalkorDB(reply_timeout=120) as db:
        assert db.run("RETURN size($s) AS n", {"s": "x" * 20_000_000}) == [{"n": 20_000_000}]
        assert db.run("RETURN size($xs) AS n", {"xs": list(range(500_000))}) == [{"n": 500_000}]
        with pytest.raises(QueryError, match="nested more than 64 deep"):
            db.run("RETURN $x AS x", {"x": deep})
        with pytest.raises(QueryError, match="NUL"):
            db.run("RETURN $x AS x", {"x": "a\x00b"})
        assert db.run("RETURN 1 AS one") == [{"one": 1}]
