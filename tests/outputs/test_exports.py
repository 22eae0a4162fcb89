"""Exports: the Cypher script (literals, order, loading it back) and the CSVs for neo4j-admin."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from deportgraph.cli import cli
from deportgraph.errors import QueryError
from deportgraph.graph.ingest import ingest
from deportgraph.graph.schema import EDGE_MODELS, NODE_MODELS
from deportgraph.graph.store import Store
from deportgraph.outputs import write_export
from deportgraph.outputs.csv_admin import csv_files, csv_header, neo4j_admin_command, write_csv
from deportgraph.outputs.cypher_script import cypher_literal, export_cypher, split_cypher_script
from deportgraph.queries.backends import EmbeddedFalkorDB, schema_statements

from ..conftest import ROOT
from ..queries.conftest import COUNT_ALL, store_counts

NASTY = 'He said "we\'ll take them" \\ C:\\path\\n {x}) }) // not a comment\nsecond line\r\n\tend'


@pytest.fixture(scope="module")
def store(examples_store: Store) -> Store:
    return examples_store


@pytest.fixture(scope="module")
def db() -> Iterator[EmbeddedFalkorDB]:
    with EmbeddedFalkorDB() as server:
        yield server



@pytest.mark.parametrize(
    "value",
    [
        NASTY, "'", '"', "\\", "\\'", "'\\", "})", "${x}", "é漢字🙂\u2028\x85", "", "a\x01\x1fb\x0b\x0c\x08",
        "MATCH (n) DETACH DELETE n", 1.5, 1e-7, 1e16, -2.5e-300, 6000000.0, 0.975, -3, 2**63 - 1, True, False,
        [], ["a", "b\\", "c'})"], [1.0, 2.5], [True, False], {"k": 'v"})', "count": 1, "weird key": [1]},
    ],
)
def test_literals_read_back_exactly(db: EmbeddedFalkorDB, value: Any) -> None:
    assert db.run(f"RETURN {cypher_literal(value)} AS value") == [{"value": value}]


@pytest.mark.parametrize(
    ("value", "message"),
    [(float("nan"), "finite"), (float("inf"), "finite"), ("a\x00b", "NUL"), (2**63, "64-bit"),
     ({"a`b": 1}, "cannot be written"), (object(), "cannot write")],
)
def test_literals_refuse_what_cypher_cannot_hold(value: Any, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        cypher_literal(value)


def test_script_is_schema_first_parameter_free_and_stable(store: Store, tmp_path: Path) -> None:
    out = io.StringIO()
    count = export_cypher(store, out, batch_size=10)
    text = out.getvalue()
    statements = split_cypher_script(text)
    assert len(statements) == count and text.endswith("\n;\n")
    schema = schema_statements("neo4j", index_edges=True)
    assert [s.splitlines()[-1] for s in statements[: len(schema)]] == schema
    assert all(s.startswith("UNWIND [") for s in statements[len(schema):])
    assert statements[0].startswith("// deportgraph Cypher export (neo4j)")
    assert sum("REQUIRE n.id IS UNIQUE" in s for s in statements) == len(NODE_MODELS)
    nodes_done = False
    for statement in statements[len(schema):]:  # nodes, then edges
        is_edge = "MERGE (a)-[r:" in statement
        assert not (nodes_done and not is_edge)
        nodes_done = nodes_done or is_edge
    assert "$" not in text.replace("$6 million", "")
    again = tmp_path / "again.cypher"
    export_cypher(store, again, batch_size=10)
    assert again.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("dialect", "batch_size"), [("falkordb", 50), ("falkordb", 1), ("neo4j", 7)])
def test_script_loads_into_falkordb_statement_by_statement(store: Store, dialect: str, batch_size: int) -> None:
    out = io.StringIO()
    export_cypher(store, out, dialect, batch_size)  # type: ignore[arg-type]
    with EmbeddedFalkorDB() as fresh:
        for statement in split_cypher_script(out.getvalue()):
            if dialect == "neo4j" and statement.splitlines()[-1].startswith("CREATE "):
                continue  # Neo4j's schema syntax, which FalkorDB rejects
            fresh.run(statement, write=True)
        assert fresh.run(COUNT_ALL) == [store_counts(store)]
        nodes, _ = store.graph_rows()
        uzb = fresh.run("MATCH (c:Country {id: 'UZB'}) RETURN c AS c")[0]["c"]
        assert uzb == {k: v for k, v in next(r for r in nodes["Country"] if r["id"] == "UZB").items()}
        paid = fresh.run("MATCH (:Country {id: 'USA'})-[p:PAID]->(:Country {id: 'SLV'}) RETURN p AS p")[0]["p"]
        assert paid["amount_usd"] == 6000000.0 and paid["id"] == "PAID:USA->SLV"


def test_split_refuses_an_unterminated_script() -> None:
    with pytest.raises(QueryError, match="does not end"):
        split_cypher_script("RETURN 1\n;\nRETURN 2\n")


# --------------------------------------------------------------------------- CSV


@pytest.fixture(scope="module")
def csv_dir(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv") / "out"
    paths, delimiter = write_csv(store, out, array_delimiter=";")
    assert paths == csv_files(out) and all(p.is_file() for p in paths) and delimiter == ";"
    return out


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_csv_headers_are_what_neo4j_admin_expects(csv_dir: Path) -> None:
    for label in NODE_MODELS:
        header, _ = read_csv(csv_dir / f"nodes-{label}.csv")
        assert header[:2] == ["id:ID", ":LABEL"] and header == csv_header(label)
    for rel_type in EDGE_MODELS:
        header, _ = read_csv(csv_dir / f"relationships-{rel_type}.csv")
        assert header[:4] == [":START_ID", ":END_ID", ":TYPE", "id"] and header == csv_header(rel_type)
    accepts = csv_header("ACCEPTS_DEPORTEES_FROM")
    for column in ("nationalities:string[]", "count:long", "third_country:boolean", "status", "quotes:string[]",
                   "confidence:double", "first_seen"):
        assert column in accepts
    assert {"amount:double", "amount_usd:double", "amounts:double[]", "currency"} <= set(csv_header("PAID"))
    assert csv_header("Country") == ["id:ID", ":LABEL", "iso3", "iso2", "name", "aliases:string[]",
                                     "third_country_from:string[]", "third_country_nationalities:string[]",
                                     "third_country_status", "third_country_sources:long"]
    allowed = {"string", "long", "double", "boolean"}
    for name in [*NODE_MODELS, *EDGE_MODELS]:
        for column in csv_header(name):
            if ":" in column and not column.startswith(":") and not column.endswith(":ID"):
                assert column.split(":")[1].removesuffix("[]") in allowed, column


def test_csv_rows_match_the_store_and_every_edge_has_its_nodes(csv_dir: Path, store: Store) -> None:
    ids: dict[str, str] = {}
    for label in NODE_MODELS:
        _, rows = read_csv(csv_dir / f"nodes-{label}.csv")
        assert all(row[1] == label for row in rows)
        ids.update((row[0], label) for row in rows)
    edges = 0
    for rel_type in EDGE_MODELS:
        _, rows = read_csv(csv_dir / f"relationships-{rel_type}.csv")
        edges += len(rows)
        for start, end, kind, *_ in rows:
            assert kind == rel_type and start in ids and end in ids, (rel_type, start, end)
    assert {"nodes": len(ids), "edges": edges} == store_counts(store)


def test_csv_carries_the_third_country_summary_as_the_cypher_export_does(csv_dir: Path) -> None:
    header, rows = read_csv(csv_dir / "nodes-Country.csv")
    uzb = dict(zip(header, next(r for r in rows if r[0] == "UZB"), strict=True))
    assert uzb["third_country_from:string[]"] == "USA" and uzb["third_country_status"] == "implemented"
    assert int(uzb["third_country_sources:long"]) >= 1


def test_csv_values_are_typed_and_lists_use_the_delimiter(csv_dir: Path) -> None:
    header, rows = read_csv(csv_dir / "relationships-ACCEPTS_DEPORTEES_FROM.csv")
    uzb = dict(zip(header, next(r for r in rows if r[0] == "UZB"), strict=True))
    assert uzb["nationalities:string[]"] == "KAZ;KGZ;UZB"
    assert uzb["count:long"] == "131" and uzb["third_country:boolean"] == "true"
    assert float(uzb["confidence:double"]) == json.loads(uzb["confidence:double"])
    header, rows = read_csv(csv_dir / "relationships-PAID.csv")
    slv = dict(zip(header, next(r for r in rows if r[1] == "SLV"), strict=True))
    assert slv["amount:double"] == "6000000.0" and slv["currency"] == "USD"


def test_csv_picks_a_delimiter_no_item_holds_and_a_failed_export_changes_nothing(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: t\n---\nKosovo agreed to accept fifty deportees from the United States; "
                       "officials confirmed it | and said so.\n", encoding="utf-8")
    with Store.open(tmp_path / "g.db") as store:
        ingest(store, [str(article)])
        quotes = [p.get("quotes", []) for *_, p in store.edges()]
        assert any(";" in q and "|" in q for qs in quotes for q in qs)
        (tmp_path / "semi").mkdir()
        (tmp_path / "semi" / "keep.txt").write_text("mine", encoding="utf-8")
        with pytest.raises(QueryError, match=r"array delimiter.*U\+001F"):
            write_csv(store, tmp_path / "semi", array_delimiter=";")
        assert [p.name for p in (tmp_path / "semi").iterdir()] == ["keep.txt"]  # no half-written files
        assert not [p for p in tmp_path.iterdir() if "partial" in p.name]
        paths, delimiter = write_csv(store, tmp_path / "auto")
        assert delimiter == "U+001F" and len(paths) == len(csv_files(tmp_path / "auto"))
        header, rows = read_csv(tmp_path / "auto" / "relationships-ACCEPTS_DEPORTEES_FROM.csv")
        quote = dict(zip(header, rows[0], strict=True))["quotes:string[]"].split("\x1f")
        assert any(";" in q and "|" in q for q in quote)
        assert "--array-delimiter=U+001F" in write_export(store, "csv", tmp_path / "again")


def test_the_neo4j_page_has_the_exact_import_command() -> None:
    readme = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    command = neo4j_admin_command("deportgraph-csv")
    assert command.startswith("neo4j-admin database import full neo4j ")
    assert "--array-delimiter=';'" in command and command.count("--nodes=") == len(NODE_MODELS)
    assert command.count("--relationships=") == len(EDGE_MODELS)
    assert command in readme


def test_cli_exports_csv_and_cypher(store: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "csv", str(tmp_path / "csv"), "--store", str(store.path)])
    assert result.exit_code == 0, result.output
    assert f"wrote {len(NODE_MODELS) + len(EDGE_MODELS)} CSV files" in result.output
    assert "neo4j-admin database import full neo4j" in result.output
    result = runner.invoke(cli, ["export", "cypher", str(tmp_path / "g.cypher"), "--store", str(store.path)])
    assert result.exit_code == 0 and "cypher-shell -f" in result.output
    assert (tmp_path / "g.cypher").read_text(encoding="utf-8").count("\n;\n") >= 20
    result = runner.invoke(cli, ["export", "csv", str(tmp_path / "x"), "--array-delimiter", "ab",
                                 "--store", str(store.path)])
    assert result.exit_code == 1 and "one character" in result.output
    result = runner.invoke(cli, ["export", "cypher", str(tmp_path), "--store", str(store.path)])
    assert result.exit_code == 1 and "cannot write the cypher export" in result.output
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.parent.glob(f".{tmp_path.name}.partial*"))


def test_exports_get_the_usual_file_permissions(store: Store, tmp_path: Path) -> None:
    import stat

    for kind, name in (("json", "g.json"), ("graphml", "g.graphml"), ("cypher", "g.cypher"), ("html", "g.html")):
        write_export(store, kind, tmp_path / name)
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) & 0o044, kind  # group and others may read it


def _export_with_a_full_disk(db: Path, kind: str, out: Path, limit: int = 16_000) -> Any:
    """Run ``deportgraph export`` in a process that can write no file past ``limit`` bytes: each write
    past it fails as on a full disk (EFBIG, the SIGXFSZ signal ignored)."""
    import resource
    import signal
    import subprocess
    import sys

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "deportgraph", "export", kind, str(out), "--store", str(db)],
                          preexec_fn=full_disk, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind", ["json", "graphml", "cypher", "csv", "html"])
def test_an_export_that_cannot_be_written_whole_leaves_what_was_there(store: Store, tmp_path: Path,
                                                                      kind: str) -> None:
    import sqlite3

    db = tmp_path / "g.db"
    with sqlite3.connect(store.path) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    with Store.open(db) as copied:
        before = (store_counts(copied), copied.graph_rows())
    keep = sqlite3.connect(db)  # holds the store's shared-memory file open, so the child never grows it
    keep.execute("PRAGMA journal_mode=WAL").fetchall()
    try:
        out = tmp_path / ("out" if kind == "csv" else f"out.{kind}")
        if kind == "csv":
            out.mkdir()
            (out / "nodes-Country.csv").write_text("what was there\n", encoding="utf-8")
        else:
            out.write_text("what was there\n", encoding="utf-8")
        result = _export_with_a_full_disk(db, kind, out)
    finally:
        keep.close()
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot write the {kind} export" in lines[0] and "File too large" in lines[0]
    kept = out / "nodes-Country.csv" if kind == "csv" else out
    assert kept.read_text(encoding="utf-8") == "what was there\n"
    if kind == "csv":
        assert [p.name for p in out.iterdir()] == ["nodes-Country.csv"]
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]
    with Store.open(db) as copied:
        assert (store_counts(copied), copied.graph_rows()) == before
        assert copied.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_csv_cells_keep_tabs_newlines_and_delimiters_as_neo4j_admin_reads_them(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Kosovo agreed to accept fifty deportees from the United States; officials said so | twice.\n",
        encoding="utf-8")
    title = 'Line one\nline two,\twith a tab; a "quote" | and a bar'
    (tmp_path / "meta.jsonl").write_text(json.dumps({"file": "a.txt", "title": title}) + "\n", encoding="utf-8")
    runner = CliRunner()
    store = ["--store", str(tmp_path / "g.db")]
    result = runner.invoke(cli, ["ingest", "-q", *store, "--metadata", str(tmp_path / "meta.jsonl"),
                                 str(tmp_path / "in")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["export", "csv", str(tmp_path / "csv"), *store])
    assert result.exit_code == 0 and "--array-delimiter=U+001F" in result.output  # ";" and "|" are in quotes
    # neo4j-admin reads RFC 4180 fields ("…" quoted, "" inside) and, with --multiline-fields=true, newlines
    header, rows = read_csv(tmp_path / "csv" / "nodes-Source.csv")
    assert header == csv_header("Source")
    [source] = [dict(zip(header, row, strict=True)) for row in rows]
    assert source["title"] == title
    header, rows = read_csv(tmp_path / "csv" / "relationships-ACCEPTS_DEPORTEES_FROM.csv")
    [edge] = [dict(zip(header, row, strict=True)) for row in rows]
    assert [q for q in edge["quotes:string[]"].split("\x1f") if ";" in q and "|" in q]


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", "data:text/html,<script>alert(1)</script>",
                                 "file:///etc/passwd", "JaVaScRiPt:alert(1)"])
def test_no_export_carries_a_link_that_is_not_http(tmp_path: Path, url: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(f"---\ntitle: t\nurl: {url}\n---\n"
                                          "Kosovo agreed to accept fifty deportees from the United States.\n",
                                          encoding="utf-8")
    store = ["--store", str(tmp_path / "g.db")]
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "-q", *store, str(tmp_path / "in")]).exit_code == 0
    scheme = url.split(":")[0].lower() + ":"
    for kind in ("json", "graphml", "cypher", "csv", "html"):
        out = tmp_path / f"out-{kind}"
        result = runner.invoke(cli, ["export", kind, str(out), *store])
        assert result.exit_code == 0, result.output
        texts = [f.read_text(encoding="utf-8") for f in (sorted(out.iterdir()) if out.is_dir() else [out])]
        if kind == "html":  # the page's data (its scripts are the page's own code)
            texts = [texts[0].split('<script id="dg-data" type="application/json">', 1)[1].split("</script>", 1)[0]]
        assert not [t for t in texts if scheme in t.lower()], (kind, url)
    result = runner.invoke(cli, ["query", "evidence", "-p", "id=ACCEPTS_DEPORTEES_FROM:XKX->USA", "--format", "json",
                                 *store])
    assert json.loads(result.output)[0]["url"] is None  # the article is still there, without the link
