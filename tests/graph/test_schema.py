"""Every record the pipeline stores fits the schema; malformed records are caught with their name."""

from __future__ import annotations

from pathlib import Path

import pytest

from deportgraph.errors import StoreError
from deportgraph.graph.ingest import ingest
from deportgraph.graph.schema import validate_edge, validate_node
from deportgraph.graph.store import Store

from ..conftest import EXAMPLES, SEEDS


def test_stored_records_fit_the_schema(tmp_path: Path) -> None:
    with Store.open(tmp_path / "g.db") as store:
        ingest(store, [str(EXAMPLES)] + ([str(SEEDS)] if SEEDS.is_dir() else []))
        nodes, edges = store.graph_rows()
    assert sum(map(len, nodes.values())) > 40 and sum(map(len, edges.values())) > 40


def test_edges_between_the_wrong_labels_are_refused() -> None:
    with pytest.raises(StoreError, match="cannot join Official to Country"):
        validate_edge("x", "ACCEPTS_DEPORTEES_FROM", "Official", "Country", {})


def test_bad_values_are_named() -> None:
    with pytest.raises(StoreError, match="status"):
        validate_node("agr-A-B", "Agreement", {"name": "x", "kind": "third_country", "parties": ["A"],
                                              "status": "maybe"})
    with pytest.raises(StoreError, match="iso3"):
        validate_node("U", "Country", {"iso3": "usa", "iso2": "US", "name": "United States"})


def test_every_edge_type_reads_as_a_sentence() -> None:
    from deportgraph.graph.schema import EDGE_SENTENCES, edge_sentence
    from deportgraph.vocabulary import EdgeType

    assert set(EDGE_SENTENCES) == {str(t) for t in EdgeType}
    assert all("{src}" in s and "{dst}" in s for s in EDGE_SENTENCES.values())
    assert edge_sentence("PAID", "United States", "El Salvador") == "United States paid El Salvador"
