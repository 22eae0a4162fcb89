"""The third-country summary kept on host Country nodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deportgraph.graph.ingest import ingest
from deportgraph.graph.merge import MAX_SOURCES
from deportgraph.graph.store import Store
from deportgraph.graph.third_countries import SUMMARY_PROPERTIES, summarize_third_countries

from ..conftest import write_article

KEY = ("ACCEPTS_DEPORTEES_FROM", "Country", "Country")


def _country(iso3: str) -> dict[str, Any]:
    return {"id": iso3, "iso3": iso3, "iso2": iso3[:2], "name": iso3.title()}


def _accepts(host: str, deporter: str, third: bool, status: str | None, nationalities: list[str],
             sources: list[str], n_sources: int | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"id": f"ACCEPTS_DEPORTEES_FROM:{host}->{deporter}", "src": host, "dst": deporter,
                           "third_country": third, "nationalities": nationalities, "sources": sources,
                           "n_sources": len(sources) if n_sources is None else n_sources}
    if status is not None:
        row["status"] = status
    return row


def test_a_host_sums_up_its_third_country_edges_only() -> None:
    nodes = {"Country": [_country(c) for c in ("CRI", "GBR", "PAN", "RWA", "USA")]}
    edges = {KEY: [
        _accepts("RWA", "USA", True, "requested", ["CHN"], ["a", "b"]),
        _accepts("RWA", "GBR", True, "agreed", ["AFG", "CHN"], ["b", "c"]),
        _accepts("PAN", "USA", False, "implemented", ["VEN"], ["d"]),  # not a third-country edge
        _accepts("CRI", "USA", True, "someday", [], ["e"], n_sources=300),  # an unknown status; a long tail
        _accepts("CRI", "PAN", True, None, ["VEN"], ["e", "f"]),
    ]}
    assert summarize_third_countries(nodes, edges) == 2
    by_id = {row["id"]: row for row in nodes["Country"]}
    assert {k: by_id["RWA"][k] for k in SUMMARY_PROPERTIES} == {
        "third_country_from": ["GBR", "USA"], "third_country_nationalities": ["AFG", "CHN"],
        "third_country_status": "agreed", "third_country_sources": 3}
    assert "third_country_status" not in by_id["CRI"] and by_id["CRI"]["third_country_sources"] == 300
    assert by_id["CRI"]["third_country_from"] == ["PAN", "USA"]
    assert not set(SUMMARY_PROPERTIES) & set(by_id["PAN"]) and not set(SUMMARY_PROPERTIES) & set(by_id["USA"])
    asked: list[list[str]] = []
    summarize_third_countries(nodes, edges, count_sources=lambda ids: asked.append(list(ids)) or 301)
    assert asked == [["ACCEPTS_DEPORTEES_FROM:CRI->PAN", "ACCEPTS_DEPORTEES_FROM:CRI->USA"]], \
        "only a host with a cut-short list needs counting"
    assert by_id["RWA"]["third_country_sources"] == 3 and by_id["CRI"]["third_country_sources"] == 301


def test_the_store_counts_every_source_of_a_host_past_the_listed_ones(tmp_path: Path) -> None:
    """Each of a host's two edges lists MAX_SOURCES of its articles; the host's count is their exact union."""
    folder = tmp_path / "articles"
    folder.mkdir()
    per_edge = MAX_SOURCES + 5
    for i in range(2 * per_edge):
        deporter = "the United States" if i % 2 else "the United Kingdom"
        write_article(folder, f"{i}.txt", f"Report {i}: Uganda accepted {i + 2} Eritrean deportees from {deporter}.")
    with Store.open(tmp_path / "g.db") as store:
        assert not ingest(store, [str(folder)]).errors
        nodes, edges = store.graph_rows()
    [uganda] = [row for row in nodes["Country"] if row["id"] == "UGA"]
    assert uganda["third_country_from"] == ["GBR", "USA"]
    assert uganda["third_country_sources"] == 2 * per_edge
    summarize_third_countries(nodes, edges)  # from the capped lists alone: a floor
    assert uganda["third_country_sources"] == 2 * MAX_SOURCES


def test_under_a_date_range_the_summary_describes_the_range() -> None:
    from deportgraph.graph.dated import rows_in_range

    nodes = {"Country": [_country(c) for c in ("GBR", "RWA", "USA")]}
    old = {**_accepts("RWA", "GBR", True, "agreed", ["AFG"], ["a"]), "first_seen": "2022-04-14",
           "last_seen": "2022-06-15"}
    new = {**_accepts("RWA", "USA", True, "implemented", ["CHN"], ["b"]), "first_seen": "2025-08-05",
           "last_seen": "2025-08-20"}
    edges = {KEY: [old, new]}
    summarize_third_countries(nodes, edges)
    assert nodes["Country"][1]["third_country_from"] == ["GBR", "USA"]  # the whole store
    kept_nodes, _ = rows_in_range(nodes, edges, "2025", None)
    rwanda = next(r for r in kept_nodes["Country"] if r["id"] == "RWA")
    assert rwanda["third_country_from"] == ["USA"] and rwanda["third_country_nationalities"] == ["CHN"]
    assert rwanda["third_country_status"] == "implemented" and rwanda["third_country_sources"] == 1
    assert nodes["Country"][1]["third_country_from"] == ["GBR", "USA"]  # the store's rows are left as they were
    kept_nodes, _ = rows_in_range(nodes, edges, "2023", "2024")
    assert "Country" not in kept_nodes  # nothing was reported then
