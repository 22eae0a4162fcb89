"""The interactive HTML export: checks of the file in Python, then the page in real headless Chromium.

The browser tests drive Debian's ``/usr/bin/chromium`` with Playwright's Python package
(``executable_path``; no browser download) and are skipped, with the reason, when either is missing.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from deportgraph.errors import QueryError
from deportgraph.graph.ingest import ingest
from deportgraph.graph.knowledge import knowledge_graph
from deportgraph.graph.store import Store
from deportgraph.outputs.html import render_html, select_focus, write_html

from ..conftest import EXAMPLES, write_article

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
HOSTILE_SENTENCE = ("Rwanda agreed to accept deportees from the United States <img src=x onerror=window.__pwned=1> "
                    "<script>window.__pwned=2</script>.")
HOSTILE_TITLE = "<script>window.__pwned=3</script>Rwanda deal <b>bold</b>"
XKX_EDGE = "ACCEPTS_DEPORTEES_FROM:XKX->USA"
XKX_QUOTE = "Kosovo has agreed to temporarily take in as many as 50 people deported from the United States"


def _graph_of(folder: Path, db: Path) -> nx.MultiDiGraph:
    with Store.open(db) as store:
        ingest(store, [str(folder)])
        return knowledge_graph(store)


@pytest.fixture(scope="module")
def examples_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    return _graph_of(EXAMPLES, tmp_path_factory.mktemp("examples") / "store.db")


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    folder = tmp_path_factory.mktemp("hostile")
    write_article(folder, "hostile.md", HOSTILE_SENTENCE + "\n", title=HOSTILE_TITLE,
                  url="javascript:window.__pwned=4", publisher="Evil & Co <i>", published="2025-09-01")
    g = _graph_of(folder, folder / "store.db")
    assert any(HOSTILE_SENTENCE in q for *_, d in g.edges(data=True) for q in d.get("quotes", []))
    return g


def payload(page: str) -> dict[str, Any]:
    """The graph data a page carries."""
    m = re.search(r'<script id="dg-data" type="application/json">(.*?)</script>', page, re.S)
    assert m, "no data block in the page"
    return json.loads(m.group(1))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


# ---- the file ----------------------------------------------------------------------------------------


def test_page_is_self_contained(examples_graph: nx.MultiDiGraph) -> None:
    parser = _Tags()
    parser.feed(render_html(examples_graph))
    names = [t for t, _ in parser.tags]
    assert names.count("script") == 3 and names.count("style") == 2
    for tag, attrs in parser.tags:
        assert "src" not in attrs, f"<{tag}> loads {attrs['src']}"
        if tag == "link":
            assert attrs.get("href") == "data:,", f"<link> loads {attrs.get('href')}"
    css = "".join(parser.styles)
    assert "@import" not in css
    assert all(u.startswith(("data:", '"data:', "'data:")) for u in re.findall(r"url\(\s*([^)]*)\)", css))
    csp = next(a["content"] for t, a in parser.tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in (csp or "") and "unsafe-inline" not in (csp or "").split("style-src")[0]


def test_same_graph_same_bytes(examples_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    shuffled = nx.MultiDiGraph()
    for n, d in reversed(list(examples_graph.nodes(data=True))):
        shuffled.add_node(n, **dict(reversed(list(d.items()))))
    for u, v, k, d in reversed(list(examples_graph.edges(keys=True, data=True))):
        shuffled.add_edge(u, v, key=k, **d)
    one, two = tmp_path / "one.html", tmp_path / "two.html"
    summary = write_html(examples_graph, one)
    write_html(shuffled, two)
    assert one.read_bytes() == two.read_bytes()
    assert summary["nodes"] == examples_graph.number_of_nodes()
    assert summary["edges"] == examples_graph.number_of_edges()
    assert summary["layout"] == "physics" and summary["seconds"] >= 0


def test_article_text_is_escaped(hostile_graph: nx.MultiDiGraph) -> None:
    page = render_html(hostile_graph, title="<b>title</b>")
    for raw in ("<img src=x", "<script>window", "<b>bold", "<b>title", "Evil & Co"):
        assert raw not in page
    assert "&lt;b&gt;title&lt;/b&gt;" in page
    data = payload(page)
    quotes = [q for e in data["edges"] for q in e["props"].get("quotes", [])]
    assert HOSTILE_SENTENCE in quotes
    assert HOSTILE_TITLE in [s["title"] for s in data["sources"].values()]


def test_select_focus(examples_graph: nx.MultiDiGraph) -> None:
    rwanda = select_focus(examples_graph, "Rwanda")
    assert {"RWA", "USA", "agr-RWA-USA"} <= rwanda
    assert select_focus(examples_graph, "rwa") == rwanda == select_focus(examples_graph, "  RWANDA ")
    assert "UZB" not in rwanda and "UZB" in select_focus(examples_graph, "Rwanda", radius=2)
    assert select_focus(examples_graph, "America") == select_focus(examples_graph, "USA")  # an alias
    with pytest.raises(QueryError, match=r"Rwanda \(RWA\)"):
        select_focus(examples_graph, "Rwnda")
    with pytest.raises(QueryError, match="give a node id"):
        select_focus(examples_graph, "zzzzzz")


def test_focus_and_node_ids(examples_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    summary = write_html(examples_graph, out, focus="kosovo")
    data = payload(out.read_text(encoding="utf-8"))
    ids = {n["id"] for n in data["nodes"]}
    assert data["focus"] == "XKX" and ids == select_focus(examples_graph, "XKX")
    assert summary["nodes"] == len(ids)
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])

    keep = {"RWA", "USA", "agr-RWA-USA", "not-a-node"}
    data = payload(render_html(examples_graph, node_ids=keep))
    assert {n["id"] for n in data["nodes"]} == keep - {"not-a-node"}
    assert {e["id"] for e in data["edges"]} == {
        k for u, v, k in examples_graph.edges(keys=True) if u in keep and v in keep}
    assert set(data["sources"]) == {s for e in data["edges"] for s in e["props"]["evidence_sources"]}
    data = payload(render_html(examples_graph, node_ids=keep, focus="Kosovo"))
    assert {n["id"] for n in data["nodes"]} == {"USA"}


def test_layout_threshold(examples_graph: nx.MultiDiGraph) -> None:
    assert payload(render_html(examples_graph))["layout"] == "physics"
    data = payload(render_html(examples_graph, layout_threshold=10))
    assert data["layout"] == "fixed"
    positions = [(n["x"], n["y"]) for n in data["nodes"]]
    assert all(isinstance(c, int) for p in positions for c in p)
    assert len(set(positions)) == len(positions)


# ---- the page in Chromium ----------------------------------------------------------------------------


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Debian chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright; no browser download needed)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Opened:
    """A page opened from file://, with what it logged and the dialogs it tried to open."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def panel(self) -> str:
        return self.page.inner_text("#dg-panel")


@pytest.fixture
def examples_page(browser: Any, examples_graph: nx.MultiDiGraph, tmp_path: Path) -> Iterator[Opened]:
    out = tmp_path / "examples.html"
    write_html(examples_graph, out)
    opened = Opened(browser, out)
    yield opened
    opened.page.close()


def test_nodes_and_edges_are_drawn(examples_page: Opened, examples_graph: nx.MultiDiGraph) -> None:
    counts = examples_page.js("""[deportgraph.nodes.length, deportgraph.nodesView.length, deportgraph.edgesView.length,
        deportgraph.network.body.nodeIndices.length, deportgraph.network.body.edgeIndices.length]""")
    sources = sum(1 for _, d in examples_graph.nodes(data=True) if d["label"] == "Source")
    assert counts[0] == examples_graph.number_of_nodes()
    assert counts[1] == counts[3] == examples_graph.number_of_nodes() - sources  # sources hidden by default
    assert counts[2] == counts[4] == examples_graph.number_of_edges()
    painted = examples_page.js("""() => {
        const c = document.querySelector('#dg-net canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
    }""")
    assert painted > 5000, "the canvas is blank"
    assert examples_page.js("deportgraph.physics") is True
    assert examples_page.js("deportgraph.network.physics.options.enabled") is False  # stabilized, then stopped
    assert examples_page.errors == [] and examples_page.dialogs == []
    assert all(u.startswith(("file:", "data:")) for u in examples_page.requests)


def test_search_selects_a_country(examples_page: Opened) -> None:
    page = examples_page.page
    page.fill("#dg-search", "rwanda")
    page.press("#dg-search", "Enter")
    assert examples_page.js("deportgraph.network.getSelectedNodes()") == ["RWA"]
    assert page.inner_text("#dg-panel h2") == "Rwanda"
    page.fill("#dg-search", "SLV")
    page.click("#dg-search-go")
    assert examples_page.js("deportgraph.network.getSelectedNodes()") == ["SLV"]
    assert page.inner_text("#dg-panel h2") == "El Salvador"
    assert examples_page.errors == []


def test_clicking_an_edge_shows_its_quote(examples_page: Opened) -> None:
    point = examples_page.js("""(id) => {
        const net = deportgraph.network;
        const box = document.getElementById('dg-net').getBoundingClientRect();
        const edge = net.body.edges[id];
        for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75]) {
            const p = net.canvasToDOM(edge.edgeType.getPoint(t));
            if (net.getNodeAt(p) === undefined && net.getEdgeAt(p) === id) return [p.x + box.left, p.y + box.top];
        }
        return null;
    }""", XKX_EDGE)
    assert point, "no free point on the edge to click"
    examples_page.page.mouse.click(*point)
    assert examples_page.js("deportgraph.network.getSelectedEdges()") == [XKX_EDGE]
    text = examples_page.panel()
    assert examples_page.page.inner_text("#dg-panel h2") == "Kosovo accepts deportees from United States"
    assert "→" not in text and XKX_QUOTE in text
    link = examples_page.page.locator("#dg-panel a")
    assert link.first.inner_text() == "Kosovo to host up to fifty people expelled from America"
    assert link.first.get_attribute("href") == "https://example.org/deportgraph/04-kosovo-fifty"
    assert "2025-06-13" in text and "deportgraph examples" in text
    assert examples_page.errors == []


def test_filters(examples_page: Opened) -> None:
    page = examples_page.page
    before = examples_page.js("[deportgraph.nodesView.length, deportgraph.edgesView.length]")
    page.uncheck("#dg-kinds input[data-value=Official]")
    after = examples_page.js("[deportgraph.nodesView.length, deportgraph.edgesView.length]")
    assert after[0] < before[0] and after[1] < before[1]
    assert examples_page.js("deportgraph.nodesView.get().filter(n => n.shape === 'triangle').length") == 0
    page.uncheck("#dg-statuses input[data-value=implemented]")
    assert examples_page.js("""deportgraph.edgesView.getIds().filter(
        id => deportgraph.data.edges.find(e => e.id === id).status === 'implemented').length""") == 0
    page.fill("#dg-from", "2025-07-01")
    page.dispatch_event("#dg-from", "change")
    assert examples_page.js("""deportgraph.edgesView.getIds().every(
        id => { const e = deportgraph.data.edges.find(x => x.id === id); return !e.d1 || e.d1 >= '2025-07-01'; })""")
    page.click("#dg-reset")
    assert examples_page.js("[deportgraph.nodesView.length, deportgraph.edgesView.length]") == before
    page.check("#dg-kinds input[data-value=Source]")
    assert examples_page.js("deportgraph.nodesView.length") > before[0]
    assert examples_page.errors == []


def test_hostile_article_runs_nothing(browser: Any, hostile_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    write_html(hostile_graph, out)
    opened = Opened(browser, out)
    try:
        assert opened.js("deportgraph.selectEdge('ACCEPTS_DEPORTEES_FROM:RWA->USA')") is True
        text = opened.panel()
        assert HOSTILE_SENTENCE in text and HOSTILE_TITLE in text and "Evil & Co <i>" in text
        assert opened.js("document.querySelectorAll('#dg-panel img, #dg-panel script, #dg-panel b').length") == 0
        assert opened.js("document.querySelectorAll('img').length") == 0
        assert opened.js("document.querySelectorAll('#dg-panel a').length") == 0  # a javascript: URL is no link
        # The Source node's tooltip is its hostile title, as plain text.
        opened.page.check("#dg-kinds input[data-value=Source]")
        sid = next(n for n, d in hostile_graph.nodes(data=True) if d["label"] == "Source")
        opened.js("(id) => deportgraph.selectNode(id)", sid)
        opened.page.wait_for_timeout(500)
        x, y = opened.js("""(id) => {
            const p = deportgraph.network.canvasToDOM(deportgraph.network.getPositions([id])[id]);
            const box = document.getElementById('dg-net').getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }""", sid)
        opened.page.mouse.move(x, y)
        tip = opened.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        assert HOSTILE_TITLE in tip.inner_text()
        assert tip.evaluate("el => [...el.children].every(c => c.tagName === 'BR')")  # line breaks only
        opened.page.wait_for_timeout(300)
        assert opened.js("window.__pwned === undefined") is True
        assert opened.dialogs == [] and opened.errors == []
        assert all(u.startswith(("file:", "data:")) for u in opened.requests)
    finally:
        opened.page.close()


def test_large_graph_is_drawn_without_physics(browser: Any, examples_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "fixed.html"
    write_html(examples_graph, out, layout_threshold=10, focus=None)
    opened = Opened(browser, out)
    try:
        assert opened.js("deportgraph.physics") is False
        expected = {n["id"]: (n["x"], n["y"]) for n in payload(out.read_text(encoding="utf-8"))["nodes"]}
        drawn = opened.js("deportgraph.network.getPositions(['USA', 'RWA'])")
        assert {k: (v["x"], v["y"]) for k, v in drawn.items()} == {k: expected[k] for k in ("USA", "RWA")}
        assert opened.errors == []
    finally:
        opened.page.close()


def test_focus_opens_selected(browser: Any, examples_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    write_html(examples_graph, out, focus="Uzbekistan")
    opened = Opened(browser, out)
    try:
        assert opened.js("deportgraph.network.getSelectedNodes()") == ["UZB"]
        assert opened.page.inner_text("#dg-panel h2") == "Uzbekistan"
        assert opened.errors == []
    finally:
        opened.page.close()


def _accepts(g: nx.MultiDiGraph, host: str, deporter: str, status: str) -> None:
    g.add_edge(host, deporter, key=f"ACCEPTS_DEPORTEES_FROM:{host}->{deporter}", type="ACCEPTS_DEPORTEES_FROM",
               status=status, n_sources=1)


@contextlib.contextmanager
def _opened(browser: Any, g: nx.MultiDiGraph, out: Path) -> Iterator[Opened]:
    """The page of ``g`` written to ``out`` and opened, closed afterwards."""
    write_html(g, out)
    opened = Opened(browser, out)
    try:
        yield opened
    finally:
        opened.page.close()


def _crowded_graph() -> nx.MultiDiGraph:
    """A whole graph past the crowded size: 60 hosts of one deporter, each with an official, and one
    official with no edge at all."""
    g = nx.MultiDiGraph()
    g.add_node("USA", label="Country", name="United States", iso3="USA")
    for i in range(60):
        host, person = f"H{i:02d}", f"official-{i}"
        g.add_node(host, label="Country", name=f"Host {i}", iso3=host)
        g.add_node(person, label="Official", name=f"Official {i}", title="Minister")
        _accepts(g, host, "USA", "agreed")
        g.add_edge(person, host, key=f"HOLDS_OFFICE:{person}->{host}", type="HOLDS_OFFICE", n_sources=1)
    g.add_node("loner", label="Official", name="Nobody Connected", title="Minister")
    return g


def test_a_crowded_page_opens_on_countries_and_hides_unconnected_nodes(browser: Any, tmp_path: Path) -> None:
    with _opened(browser, _crowded_graph(), tmp_path / "crowded.html") as opened:
        shown = opened.js("deportgraph.nodesView.get().map(n => n.id)")
        assert "USA" in shown and "H00" in shown and not [n for n in shown if n.startswith("official-")]
        opened.page.check("#dg-kinds input[data-value=Official]")
        shown = opened.js("deportgraph.nodesView.get().map(n => n.id)")
        assert "official-0" in shown and "loner" not in shown  # one click shows officials, not the unconnected
        opened.page.check("#dg-isolated")
        assert "loner" in opened.js("deportgraph.nodesView.get().map(n => n.id)")
        assert opened.errors == []


def test_a_country_panel_shows_its_profile(examples_page: Opened) -> None:
    assert examples_page.js("deportgraph.selectNode('SLV')") is True
    text = examples_page.panel()
    assert "profile" in text.lower() and "Accepts deportees from" in text and "United States · implemented" in text
    assert "received USD 6,000,000" in text
    assert examples_page.js("deportgraph.selectNode('USA')") is True
    text = examples_page.panel()
    assert "Sends deportees to" in text and "El Salvador" in text and "Paid USD 6,000,000" in text
    assert examples_page.errors == []


def _two_hubs_graph() -> nx.MultiDiGraph:
    """Two deporting states, each sending people to eight hosts of its own, and one host they share."""
    g = nx.MultiDiGraph()
    for hub, name in (("AAA", "Hub A"), ("BBB", "Hub B")):
        g.add_node(hub, label="Country", name=name, iso3=hub)
        for i in range(8):
            host = f"{hub[0]}{i:02d}"
            g.add_node(host, label="Country", name=f"Host {host}", iso3=host)
            _accepts(g, host, hub, "agreed")
        _accepts(g, "SHR", hub, "requested")
    g.add_node("SHR", label="Country", name="Shared Host", iso3="SHR")
    return g


def test_the_layout_sets_deporting_hubs_apart_from_their_hosts(browser: Any, tmp_path: Path) -> None:
    with _opened(browser, _two_hubs_graph(), tmp_path / "hubs.html") as opened:
        hubs = opened.js("deportgraph.data.nodes.filter(n => n.hub).map(n => n.id)")
        assert sorted(hubs) == ["AAA", "BBB"]  # hosts, even the one with two deporters, are no hubs
        pos = opened.js("deportgraph.network.getPositions()")

        def d(a: str, b: str) -> float:
            return float(((pos[a]["x"] - pos[b]["x"]) ** 2 + (pos[a]["y"] - pos[b]["y"]) ** 2) ** 0.5)

        for hub, other in (("AAA", "BBB"), ("BBB", "AAA")):
            hosts = [f"{hub[0]}{i:02d}" for i in range(8)]
            assert all(d(h, hub) < d(h, other) for h in hosts), hub  # each host beside its own hub
        assert opened.js("deportgraph.nodes.get('AAA').fixed") is False  # held only while the layout settled
        assert "deporting hub" in opened.page.inner_text("#dg-kinds")
        assert opened.errors == []


def test_a_click_beside_an_edge_opens_it(examples_page: Opened) -> None:
    # Zoomed out, vis-network's own reach around a line (in graph units) shrinks to a few pixels.
    examples_page.js("deportgraph.network.moveTo({ scale: 0.35 })")
    point = examples_page.js("""(id) => {
        const net = deportgraph.network;
        const box = document.getElementById('dg-net').getBoundingClientRect();
        const edge = net.body.edges[id];
        for (const t of [0.5, 0.4, 0.6, 0.3, 0.7]) {
            const a = net.canvasToDOM(edge.edgeType.getPoint(t));
            const b = net.canvasToDOM(edge.edgeType.getPoint(t + 0.01));
            const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
            for (const side of [1, -1]) {  // nine pixels off the line, at right angles to it
                const p = { x: a.x - side * 9 * (b.y - a.y) / len, y: a.y + side * 9 * (b.x - a.x) / len };
                if (net.getNodeAt(p) === undefined && net.getEdgeAt(p) === undefined
                    && deportgraph.nearestEdge(p) === id) return [p.x + box.left, p.y + box.top];
            }
        }
        return null;
    }""", XKX_EDGE)
    assert point, "no free point beside the edge"
    examples_page.page.mouse.click(*point)
    assert examples_page.js("deportgraph.network.getSelectedEdges()") == [XKX_EDGE]
    assert examples_page.page.inner_text("#dg-panel h2") == "Kosovo accepts deportees from United States"
    assert examples_page.errors == []
