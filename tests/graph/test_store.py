"""The store: idempotent ingest, merged evidence, kept conflicts, versioning, crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from deportgraph.errors import StoreError
from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import SCHEMA_VERSION, Store, edge_id
from deportgraph.outputs.json_dump import dump_json

from ..conftest import stored_sources, write_article


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "g.db")
    yield s
    s.close()


def test_ingesting_the_same_articles_twice_adds_nothing(tmp_path: Path, store: Store, examples_dir: Path) -> None:
    first = ingest(store, [str(examples_dir)])
    before = dump_json(store)
    again = ingest(store, [str(examples_dir)])
    assert first.added == 10 and again.added == 0 and again.already_stored == 10
    assert dump_json(store) == before


def test_evidence_grows_and_conflicting_counts_are_kept(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path, "a.txt", "The United States deported 131 migrants to Uzbekistan.",
                  published="2025-04-30", url="https://example.org/a")
    write_article(tmp_path, "b.txt", "Over 100 people were deported from the United States to Uzbekistan.",
                  published="2025-05-02", url="https://example.org/b")
    ingest(store, [str(tmp_path / "a.txt")])
    ingest(store, [str(tmp_path / "b.txt")])
    [(_, _, src, dst, props)] = list(store.edges("ACCEPTS_DEPORTEES_FROM"))
    assert (src, dst) == ("UZB", "USA")
    assert props["n_sources"] == 2 and len(props["quotes"]) == 2
    assert props["count"] == 131 and props["counts"] == ["131", "Over 100"]
    assert props["first_seen"] == "2025-04-30" and props["last_seen"] == "2025-05-02"
    evidence = store.evidence(edge_id("ACCEPTS_DEPORTEES_FROM", "UZB", "USA"))
    assert [e["url"] for e in evidence] == ["https://example.org/a", "https://example.org/b"]


def test_order_of_ingest_does_not_change_the_store(tmp_path: Path, examples_dir: Path) -> None:
    files = sorted(str(p) for p in examples_dir.iterdir())
    with Store.open(tmp_path / "one.db") as one, Store.open(tmp_path / "two.db") as two:
        ingest(one, files, batch_size=3)
        ingest(two, list(reversed(files)), batch_size=1)
        a, b = dump_json(one), dump_json(two)
    for d in (a, b):
        for s in d["sources"]:
            s.pop("path", None)
    assert a["nodes"] == b["nodes"] and a["edges"] == b["edges"] and a["facts"] == b["facts"]


def test_a_newer_store_is_refused_with_the_version(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match=f"version {SCHEMA_VERSION + 1} is newer"):
        Store.open(path)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database", encoding="utf-8")
    with pytest.raises(StoreError, match="not a deportgraph store"):
        Store.open(path)


def test_sigkill_mid_ingest_leaves_a_usable_store_and_a_rerun_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hosts = ["Uzbekistan", "Rwanda", "Kosovo", "Costa Rica", "Panama", "Eswatini", "Ghana", "Honduras"]
    for i in range(3000):
        write_article(corpus, f"{i:05d}.txt",
                      f"Report {i}: the United States deported {i % 250 + 2} migrants to {hosts[i % len(hosts)]} "
                      f"on flight number {i}. Officials said the operation went as planned.")
    db = tmp_path / "g.db"
    code = ("import sys; from deportgraph.graph.store import Store; from deportgraph.graph.ingest import ingest;"
            "s = Store.open(sys.argv[1]); ingest(s, [sys.argv[2]], batch_size=50, task_size=50, jobs=2)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(corpus)])
    deadline = time.time() + 60
    while time.time() < deadline and stored_sources(db) < 200:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Store.open(db) as s:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = s.stats()["articles"]["read"]
        assert 0 < stored < 3000
        facts_sources = s.conn.execute("SELECT COUNT(DISTINCT source_id) FROM facts").fetchone()[0]
        assert facts_sources == stored, "every committed article has its facts"
        report = ingest(s, [str(corpus)], batch_size=50)
        assert report.already_stored == stored and report.added == 3000 - stored
    with Store.open(tmp_path / "clean.db") as clean, Store.open(db) as resumed:
        ingest(clean, [str(corpus)], batch_size=500)
        a, b = dump_json(clean), dump_json(resumed)
    assert a["edges"] == b["edges"] and a["nodes"] == b["nodes"]


def test_export_json_is_byte_identical_for_the_same_store(tmp_path: Path, store: Store, examples_dir: Path) -> None:
    from deportgraph.outputs.json_dump import write_json

    ingest(store, [str(examples_dir)])
    write_json(store, tmp_path / "a.json")
    write_json(store, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    data = json.loads((tmp_path / "a.json").read_text())
    assert {"schema_version", "sources", "nodes", "edges", "facts"} <= set(data)
    assert os.path.getsize(tmp_path / "a.json") > 1000


@pytest.mark.parametrize("order", [("full", "short"), ("short", "full")])
def test_an_official_named_by_surname_joins_the_full_name_in_any_order(tmp_path: Path, order: tuple[str, ...]) -> None:
    texts = {
        "full": "Polish Interior Minister Ana Kowalczyk said Poland would accept deportees from Germany.",
        "short": "Polish Minister Kowalczyk confirmed that Poland received 40 people deported from Germany.",
    }
    with Store.open(tmp_path / "g.db") as store:
        for name in order:
            ingest(store, [str(write_article(tmp_path, f"{name}.txt", texts[name]))])
        officials = {nid: props for nid, _, props in store.nodes("Official")}
        assert set(officials) == {"ana-kowalczyk"}
        assert officials["ana-kowalczyk"]["n_sources"] == 2
        holds = [e for e in store.edges("HOLDS_OFFICE")]
        assert [e[2] for e in holds] == ["ana-kowalczyk"] * len(holds) and holds


def test_a_store_made_by_schema_version_1_is_migrated_on_open(tmp_path: Path, examples_dir: Path) -> None:
    """tests/fixtures/store-v1.db was written by deportgraph with schema version 1; keep it as it is."""
    import shutil

    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "store-v1.db", path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "1"
    with Store.open(path) as store:
        assert store.stats()["schema_version"] == SCHEMA_VERSION
        accepts = {(s, d) for _, _, s, d, _ in store.edges("ACCEPTS_DEPORTEES_FROM")}
        assert accepts == {("UZB", "USA"), ("IRN", "USA")}
        report = ingest(store, [str(examples_dir)])
        assert report.already_stored == 2 and report.added == 8
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


V2_ARTICLES = ("02-us-el-salvador-cecot.md", "03-costa-rica-panama-third-country.md", "07-judge-south-sudan-libya.md")


def test_a_store_made_by_schema_version_2_migrates_to_the_graph_a_fresh_ingest_gives(
    tmp_path: Path, examples_dir: Path
) -> None:
    """tests/fixtures/store-v2.db: schema version 2, written by ingesting V2_ARTICLES; keep it as it is.

    Version 3 derives PARTY_TO edges from agreement facts and dates facts, and later versions merge
    facts by newer rules: the migrated store must hold the nodes and edges that merging all its facts
    again gives (what an ingest of the same facts would give), and a PARTY_TO edge the same evidence
    as before.
    """
    import shutil

    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "store-v2.db", path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "2"
        party_to = sorted(conn.execute(
            "SELECT target, source_id, quote, extractor FROM facts WHERE type = 'PARTY_TO'").fetchall())
    assert party_to
    with Store.open(path) as migrated:
        assert migrated.stats()["schema_version"] == SCHEMA_VERSION
        nodes, edges = list(migrated.nodes()), list(migrated.edges())
    shutil.copy(path, tmp_path / "remerged.db")
    with sqlite3.connect(tmp_path / "remerged.db") as conn:
        conn.execute("INSERT OR IGNORE INTO dirty SELECT id, 'node', label, NULL, NULL FROM nodes")
        conn.execute("INSERT OR IGNORE INTO dirty SELECT id, 'edge', type, src, dst FROM edges")
    with Store.open(tmp_path / "remerged.db") as remerged, Store.open(path) as migrated:
        remerged.settle()
        assert list(remerged.nodes()) == nodes and nodes
        assert list(remerged.edges()) == edges and edges
        evidence = sorted((target, e["source_id"], e["quote"], e["extractor"])
                          for target in {row[0] for row in party_to} for e in migrated.explain(target))
        assert evidence == party_to
        assert migrated.conn.execute("SELECT COUNT(*) FROM facts WHERE published IS NULL").fetchone()[0] == 0


def test_settle_merges_hot_edges_once_and_leaves_nothing_dirty(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(60):
        write_article(corpus, f"{i}.txt", f"Story {i}: the United States deported {i + 2} people to Honduras.")
    with Store.open(tmp_path / "g.db") as store:
        ingest(store, [str(corpus)], batch_size=7)
        assert store.conn.execute("SELECT COUNT(*) FROM dirty").fetchone()[0] == 0
        [(_, _, _, _, props)] = list(store.edges("ACCEPTS_DEPORTEES_FROM"))
        assert props["n_sources"] == 60 and props["n_evidence"] == 60
        assert len(props["quotes"]) == 25 and len(props["sources"]) == 60



def test_facts_and_sources_asked_by_id_are_the_matching_rows_in_the_same_order(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(30):
        country = ("Honduras", "Guatemala", "El Salvador")[i % 3]
        write_article(corpus, f"{i}.txt", f"Story {i}: the United States deported {i + 2} people to {country}.")
    with Store.open(tmp_path / "g.db") as store:
        ingest(store, [str(corpus)])
        facts, sources = list(store.facts()), list(store.sources())
        targets = {f["target"] for f in facts[::4]}
        # more ids than one query asks at a time, most of them unknown
        asked = targets | {f"edge-{i}" for i in range(700)}
        assert list(store.facts(asked)) == [f for f in facts if f["target"] in targets] != []
        ids = {s["id"] for s in sources[::3]} | {f"src-{i}" for i in range(700)}
        assert list(store.sources(ids)) == [s for s in sources if s["id"] in ids] != []
        assert list(store.facts(set())) == [] and list(store.sources([])) == []

@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_every_fixture_store_opens_and_keeps_its_articles(tmp_path: Path, version: int) -> None:
    """tests/fixtures/store-vN.db: a store written by schema version N (add one for each new version)."""
    import shutil

    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / f"store-v{version}.db", path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(version)
        sources = sorted(r[0] for r in conn.execute("SELECT id FROM sources"))
    with Store.open(path) as store:
        assert store.stats()["schema_version"] == SCHEMA_VERSION
        assert sorted(s["id"] for s in store.sources()) == sources
        assert list(store.edges("ACCEPTS_DEPORTEES_FROM")) and store.conn.execute(
            "SELECT COUNT(*) FROM dirty").fetchone()[0] == 0
    assert (Path(__file__).parents[1] / "fixtures" / f"store-v{SCHEMA_VERSION}.db").is_file()


def test_graph_changes_read_one_state_while_another_process_writes(
    tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ingest that commits while the changes are being read is in none of them, or in all."""
    from deportgraph.graph import schema

    path = tmp_path / "g.db"
    with Store.open(path) as store:
        ingest(store, [str(examples_dir / "05-rwanda-250.md")])
        token = store.state_token
        ingest(store, [str(examples_dir / "03-costa-rica-panama-third-country.md")])
        checking, written = schema.validate_node, []

        def write_then_check(*args: Any) -> None:  # the first check comes after the sources are read
            if not written:
                written.append(True)
                with Store.open(path) as other:
                    ingest(other, [str(examples_dir / "01-us-uzbekistan-flight.md")])
            checking(*args)

        monkeypatch.setattr(schema, "validate_node", write_then_check)
        changes = store.graph_changes(token)
        monkeypatch.undo()
        assert written and changes is not None
        sources = {row["id"] for row in changes.nodes["Source"]}
        countries_with_edges = {row["src"] for rows in changes.edges.values() for row in rows}
        assert len(sources) == 1 and "UZB" not in countries_with_edges
        later = store.graph_changes(token)
        assert later is not None and len(later.nodes["Source"]) == 2
        assert "UZB" in {row["src"] for rows in later.edges.values() for row in rows}
