"""Every named question returns the expected rows on every engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deportgraph.errors import QueryError
from deportgraph.graph.ingest import ingest
from deportgraph.graph.merge import MAX_SOURCES
from deportgraph.graph.store import Store
from deportgraph.queries.backends import CypherBackend
from deportgraph.queries.engine import open_store_engine
from deportgraph.queries.named import load_named_queries, run_named

from ..conftest import write_article


def _check(rows: list[dict[str, Any]], name: str, expected: list[dict[str, Any]]) -> None:
    columns = list(load_named_queries()[name].columns)
    assert all(list(row) == columns for row in rows)
    assert rows == expected


def test_third_countries(backend: CypherBackend) -> None:
    _check(
        run_named(backend, "third-countries"),
        "third-countries",
        [
            {
                "country": "Costa Rica",
                "iso3": "CRI",
                "accepts_from": ["USA"],
                "nationalities": ["CHN", "UZB"],
                "status": "agreed",
                "sources": 1,
            },
            {
                "country": "El Salvador",
                "iso3": "SLV",
                "accepts_from": ["USA"],
                "nationalities": ["VEN"],
                "status": "implemented",
                "sources": 2,
            },
            {
                "country": "Rwanda",
                "iso3": "RWA",
                "accepts_from": ["GBR", "USA"],
                "nationalities": ["AFG", "CHN"],
                "status": "negotiating",
                "sources": 2,
            },
        ],
    )


def test_accepts(backend: CypherBackend) -> None:
    rows = run_named(backend, "accepts")
    assert [(r["host_iso3"], r["from_iso3"]) for r in rows] == [
        ("CRI", "USA"),
        ("MEX", "USA"),
        ("RWA", "GBR"),
        ("RWA", "USA"),
        ("SLV", "USA"),
        ("VEN", "USA"),
    ]
    _check(
        rows[:1] + rows[2:3],
        "accepts",
        [
            {
                "host": "Costa Rica",
                "host_iso3": "CRI",
                "from": "United States",
                "from_iso3": "USA",
                "nationalities": ["UZB", "CHN"],
                "count": 200,
                "status": "agreed",
                "third_country": True,
                "sources": 1,
            },
            {
                "host": "Rwanda",
                "host_iso3": "RWA",
                "from": "United Kingdom",
                "from_iso3": "GBR",
                "nationalities": None,
                "count": None,
                "status": "blocked",
                "third_country": True,
                "sources": 1,
            },
        ],
    )
    assert [r["third_country"] for r in rows] == [True, False, True, True, True, False]
    assert rows[-1]["count"] is None


def test_payments(backend: CypherBackend) -> None:
    _check(
        run_named(backend, "payments"),
        "payments",
        [
            {
                "payer": "United Kingdom",
                "payer_id": "GBR",
                "payee": "Rwanda",
                "payee_id": "RWA",
                "amount": None,
                "currency": None,
                "amount_usd": None,
                "purpose": "economic development",
                "sources": 1,
            },
            {
                "payer": "United States",
                "payer_id": "USA",
                "payee": "El Salvador",
                "payee_id": "SLV",
                "amount": 6000000.0,
                "currency": "USD",
                "amount_usd": 6000000.0,
                "purpose": "detention of deportees",
                "sources": 1,
            },
        ],
    )


def test_funding(backend: CypherBackend) -> None:
    _check(
        run_named(backend, "funding"),
        "funding",
        [
            {
                "agreement": "agr-slv-usa-third_country",
                "funder": "United States",
                "funder_id": "USA",
                "sources": 2,
            },
            {
                "agreement": "agr-slv-usa-third_country",
                "funder": "Department of Homeland Security",
                "funder_id": "usa-dhs",
                "sources": 1,
            },
        ],
    )


def test_officials(backend: CypherBackend) -> None:
    _check(
        run_named(backend, "officials"),
        "officials",
        [
            {
                "name": "Kristi Noem",
                "title": "Secretary of Homeland Security",
                "iso3": "USA",
                "agency": "Department of Homeland Security",
                "sources": 2,
            },
            {"name": "Nayib Bukele", "title": "President", "iso3": "SLV", "agency": None, "sources": 1},
        ],
    )


def test_agreements(backend: CypherBackend) -> None:
    _check(
        run_named(backend, "agreements"),
        "agreements",
        [
            {
                "id": "agr-gbr-rwa-third_country",
                "kind": "third_country",
                "parties": ["GBR", "RWA"],
                "status": "blocked",
                "dates": ["2022-04-14"],
                "sources": 1,
            },
            {
                "id": "agr-slv-usa-third_country",
                "kind": "third_country",
                "parties": ["SLV", "USA"],
                "status": "implemented",
                "dates": ["2025-02-03", "2025-03-15"],
                "sources": 2,
            },
        ],
    )


def test_evidence_of_edge(backend: CypherBackend, nasty: str) -> None:
    src1 = {
        "source_id": "src-1",
        "url": "https://example.org/a",
        "title": "El Salvador takes deportees",
        "published": "2025-03-16",
        "path": "in/el-salvador.txt",
    }
    src2 = {
        "source_id": "src-2",
        "url": "https://example.org/b",
        "title": "Costa Rica agrees",
        "published": "2025-02-20",
        "path": None,
    }
    _check(
        run_named(backend, "evidence", {"id": "ACCEPTS_DEPORTEES_FROM:SLV->USA"}),
        "evidence",
        [
            {**src2, "quote": "q-b"},
            {**src1, "quote": nasty},
            {**src1, "quote": "q-a"},
        ],
    )


def test_evidence_of_node(backend: CypherBackend, nasty: str) -> None:
    rows = run_named(backend, "evidence", {"id": "kristi-noem"})
    assert [(r["source_id"], r["quote"]) for r in rows] == [
        ("src-2", "Noem visited CECOT."),
        ("src-1", nasty),
    ]


@pytest.mark.parametrize("unknown", ["no-such-id", "USA", "src-1", "x'}) MATCH (n) DETACH DELETE n //"])
def test_evidence_of_unknown_or_bare_nodes_is_empty(backend: CypherBackend, unknown: str) -> None:
    assert run_named(backend, "evidence", {"id": unknown}) == []
    assert len(run_named(backend, "agreements")) == 2


def test_run_named_checks_names_and_params(backend: CypherBackend) -> None:
    with pytest.raises(QueryError, match=r"unknown named question 'nope'; available: accepts, agreements"):
        run_named(backend, "nope")
    with pytest.raises(QueryError, match="missing parameter\\(s\\): id"):
        run_named(backend, "evidence")
    with pytest.raises(QueryError, match="unexpected parameter\\(s\\): x"):
        run_named(backend, "accepts", {"x": 1})


@pytest.mark.parametrize("name", sorted(set(load_named_queries()) - {"evidence"}))
def test_pages_are_slices_of_the_whole_answer(backend: CypherBackend, name: str) -> None:
    rows = run_named(backend, name)
    assert len(rows) >= 2, "the test graph must give every question at least two rows"
    assert run_named(backend, name, limit=1) == rows[:1]
    assert run_named(backend, name, skip=1, limit=1) == rows[1:2]
    assert run_named(backend, name, skip=1) == rows[1:]
    assert run_named(backend, name, skip=len(rows)) == []
    with pytest.raises(QueryError, match="must not be negative"):
        run_named(backend, name, limit=-1)


def test_source_counts_stay_exact_past_the_listed_sources(tmp_path: Path) -> None:
    """An edge lists at most MAX_SOURCES source ids; the questions count every source all the same."""
    folder = tmp_path / "many"
    folder.mkdir()
    n = MAX_SOURCES + 7
    for i in range(n):
        text = f"Report {i}: Uganda accepted {i + 2} Eritrean deportees from the United States."
        write_article(folder, f"{i}.txt", text)
    with Store.open(tmp_path / "g.db") as store:
        ingest(store, [str(folder)])
        with open_store_engine(store) as db:
            [accepts] = run_named(db, "accepts")
            [third] = run_named(db, "third-countries")
            [agreement] = run_named(db, "agreements")
    assert accepts["third_country"] is True and accepts["sources"] == n
    assert third["iso3"] == "UGA" and third["sources"] == n
    assert agreement["sources"] == n


def test_a_page_marker_puts_the_page_clause_before_the_costly_part() -> None:
    from deportgraph.queries.named import PAGE_CLAUSE, PAGE_MARKER, paged

    text = load_named_queries()["officials"].text
    assert text.count(PAGE_MARKER + "\n") == 1
    page = paged(text)
    assert PAGE_MARKER + "\n" not in page and page.count(PAGE_CLAUSE) == 1
    assert page.index(PAGE_CLAUSE) < page.index("OPTIONAL MATCH") < page.index("RETURN")
    assert paged(text, limited=False).count("SKIP $skip_rows\n") == 1


def test_payments_starts_from_the_paid_id_index(examples_store: Store) -> None:
    """The embedded engine indexes PAID ids and payments uses that index, not a scan of every node."""
    with open_store_engine(examples_store) as db:
        indexes = db.run("CALL db.indexes() YIELD label, entitytype RETURN label, entitytype")
        assert {"label": "PAID", "entitytype": "RELATIONSHIP"} in indexes
        plan = db.backend.execute_command("GRAPH.EXPLAIN", db.backend.graph_name,
                                          load_named_queries()["payments"].text)
    steps = [line.decode() if isinstance(line, bytes) else str(line) for line in plan]
    assert any("Edge By Index Scan" in step and "PAID" in step for step in steps), steps
    assert not any("All Node Scan" in step for step in steps), steps


@pytest.mark.parametrize("name", ["accepts", "payments", "funding", "officials", "agreements"])
def test_a_date_range_keeps_what_was_reported_in_it(backend: CypherBackend, name: str) -> None:
    everything = run_named(backend, name)
    assert everything  # the sample facts were reported from 2025-03-01 to 2025-04-01
    assert run_named(backend, name, since="2025-03-15") == everything
    assert run_named(backend, name, until="2025-03") == everything
    assert run_named(backend, name, since="2025-03-15", until="2025-03-20") == everything
    assert run_named(backend, name, since="2025-04-02") == []
    assert run_named(backend, name, until="2025-02-28") == []
    assert run_named(backend, name, since="2025-03-15", limit=1) == everything[:1]


def test_questions_without_dates_refuse_a_range(backend: CypherBackend) -> None:
    with pytest.raises(QueryError, match="no date range"):
        run_named(backend, "third-countries", since="2025")
