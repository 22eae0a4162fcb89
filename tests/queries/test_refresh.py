"""An older snapshot is brought up to date with what changed in the store, not loaded again whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store
from deportgraph.queries import engine as engine_module
from deportgraph.queries.backends import CypherBackend
from deportgraph.queries.engine import open_store_engine
from deportgraph.queries.named import load_named_queries, run_named

from ..conftest import EXAMPLES, write_article

FIRST = {
    "reina.txt": "Honduras to receive flights\n\nHonduran Foreign Minister Reina said Honduras agreed to accept "
                 "deportees from the United States who are not Honduran citizens.",
}
LATER = {
    # The full name arrives: the official known by a surname joins it, and the surname node goes.
    "eduardo-reina.txt": "Honduras deal signed\n\nHonduran Foreign Minister Eduardo Enrique Reina said Honduras "
                         "has accepted 70 deportees from the United States, most of them from Venezuela.",
}
ALL_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id"
ALL_EDGES = ("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS src, b.id AS dst, properties(r) AS props "
             "ORDER BY r.id")


def whole_graph(engine: CypherBackend) -> dict[str, Any]:
    return {"nodes": engine.run(ALL_NODES), "edges": engine.run(ALL_EDGES)}


def answers(engine: CypherBackend) -> dict[str, Any]:
    return {name: run_named(engine, name) for name, q in load_named_queries().items() if not q.params}


def write(folder: Path, articles: dict[str, str]) -> list[str]:
    folder.mkdir(exist_ok=True)
    return [str(write_article(folder, name, text)) for name, text in articles.items()]



def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the snapshot was loaded whole instead of brought up to date")


def test_a_refreshed_snapshot_holds_exactly_what_a_whole_load_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot, fresh = tmp_path / "snapshot", tmp_path / "fresh"
    examples = sorted(EXAMPLES.iterdir())
    with Store.open(tmp_path / "g.db") as store:
        ingest(store, [str(p) for p in examples[:4]] + write(tmp_path / "a", FIRST))
        with open_store_engine(store, snapshot) as engine:
            before, token = whole_graph(engine), store.state_token
        assert any(n["props"]["id"] == "reina" for n in before["nodes"])
        ingest(store, [str(p) for p in examples[4:]] + write(tmp_path / "b", LATER))
        changes = store.graph_changes(token)
        assert changes is not None and ("reina", "Official") in changes.removed_nodes
        with monkeypatch.context() as patched:
            patched.setattr(engine_module, "bulk_load", _refuse)
            with open_store_engine(store, snapshot) as engine:
                refreshed, refreshed_answers = whole_graph(engine), answers(engine)
        with open_store_engine(store, fresh) as engine:
            whole, whole_answers = whole_graph(engine), answers(engine)
    assert refreshed == whole and refreshed != before
    assert refreshed_answers == whole_answers
    assert not any(n["props"]["id"] == "reina" for n in refreshed["nodes"])
    assert any(n["props"]["id"] == "eduardo-enrique-reina" for n in refreshed["nodes"])



def test_changes_are_only_read_against_an_earlier_state_of_the_same_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store, Store.open(tmp_path / "b.db") as other:
        ingest(store, [str(EXAMPLES / "05-rwanda-250.md")])
        ingest(other, [str(EXAMPLES / "05-rwanda-250.md")])
        token = store.state_token
        unchanged = store.graph_changes(token)
        assert unchanged is not None and not unchanged.removed_nodes and not unchanged.removed_edges
        assert set(unchanged.nodes) == {"Country"} and not unchanged.edges  # the summary is always sent
        assert other.graph_changes(token) is None  # another store
        store_id, counter, schema = token.split(":")
        assert store.graph_changes(f"{store_id}:{int(counter) + 1}:{schema}") is None  # a later state
        assert store.graph_changes(f"{store_id}:{counter}:schema1") is None  # another schema version
        assert store.graph_changes("nonsense") is None
        ingest(store, [str(EXAMPLES / "01-us-uzbekistan-flight.md")])
        changes = store.graph_changes(token)
        assert changes is not None and changes.nodes.get("Source") and changes.edges


def test_a_snapshot_of_another_store_is_loaded_whole(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    with Store.open(tmp_path / "a.db") as first, Store.open(tmp_path / "b.db") as second:
        ingest(first, [str(EXAMPLES / "05-rwanda-250.md")])
        ingest(second, [str(EXAMPLES / "01-us-uzbekistan-flight.md")])
        with open_store_engine(first, snapshot) as engine:
            assert engine.run("MATCH (c:Country {iso3: 'RWA'}) RETURN count(c) AS n") == [{"n": 1}]
        with open_store_engine(second, snapshot) as engine:
            assert whole_graph(engine)["nodes"]
            assert engine.run("MATCH (c:Country {iso3: 'RWA'}) RETURN count(c) AS n") == [{"n": 0}]
