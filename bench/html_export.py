"""Benchmark: export a synthetic graph of N nodes to interactive HTML, then open it in headless Chromium.

    python bench/html_export.py --n 5000 [--seed 7] [--threshold 2000] [--out graph.html] [--no-browser]
    python bench/html_export.py --screenshot docs/screenshot.png   # the examples graph, 1400x900

The graph is built directly as an ``nx.MultiDiGraph`` with the attribute shapes of the real one
(countries, agencies, officials, agreements with provenance, plus N/10 hidden Source nodes). Prints
the export time and the time from opening the file until the network is drawn (and, under the
threshold, until physics has stabilized and stopped). Chromium is Debian's ``/usr/bin/chromium``
driven by Playwright (``pip install playwright``; no browser download). Not a test: numbers go into
the README, never into assertions.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from deportgraph.outputs.html import write_html

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
STATUSES = ["requested", "negotiating", "agreed", "implemented", "implemented", "blocked", "refused", "ended"]
WORDS = ["deportees", "flight", "government", "agreement", "migrants", "removal", "officials", "ministry", "court",
         "accepted", "paid", "nationals", "transfer", "detention", "weekly", "charter", "confirmed", "statement"]


def synthetic_graph(n: int, seed: int = 7) -> nx.MultiDiGraph:
    """A graph of ``n`` drawn nodes (plus n/10 Source nodes) shaped like `knowledge_graph`'s."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    n_sources = max(10, n // 10)
    sources = [f"src{i:06d}" for i in range(n_sources)]
    for i, sid in enumerate(sources):
        g.add_node(sid, label="Source", url=f"https://example.org/news/{i}", title=f"Synthetic article {i}",
                   publisher=f"Publisher {i % 17}", published=_date(rng))
    n_countries = min(250, max(10, n // 20))
    rest = n - n_countries
    n_agreements, n_agencies = int(rest * 0.35), int(rest * 0.2)
    n_officials = rest - n_agreements - n_agencies
    countries = [f"C{i:03d}" for i in range(n_countries)]
    for c in countries:
        g.add_node(c, label="Country", iso3=c, iso2=c[:2], name=f"Country {c}", aliases=[])
    hubs = countries[: max(3, n_countries // 25)]

    def prov() -> dict[str, object]:
        k = rng.randint(1, 3)
        ev = [rng.choice(sources) for _ in range(k)]
        d = sorted(_date(rng) for _ in range(k))
        return {"evidence_sources": ev, "quotes": [_sentence(rng) for _ in ev], "sources": sorted(set(ev)),
                "n_sources": len(set(ev)), "first_seen": d[0], "last_seen": d[-1], "dates": d,
                "confidence": 0.75, "extractor": ["synthetic@1"]}

    def edge(u: str, v: str, etype: str, **extra: object) -> None:
        g.add_edge(u, v, key=f"{etype}:{u}->{v}", type=etype, **prov(), **extra)

    agencies = [f"agency-{i:05d}" for i in range(n_agencies)]
    by_country: dict[str, list[str]] = {c: [] for c in countries}
    for a in agencies:
        c = rng.choice(countries)
        by_country[c].append(a)
        g.add_node(a, label="Agency", name=f"Agency {a[-5:]}", acronym=f"A{a[-5:]}", country_iso3=c,
                   kind=rng.choice(["ministry", "police", "court"]), **prov())
        edge(a, c, "PART_OF")
    officials: dict[str, list[str]] = {c: [] for c in countries}
    for i in range(n_officials):
        o, c = f"official-{i:05d}", rng.choice(countries)
        officials[c].append(o)
        g.add_node(o, label="Official", name=f"Official {i}", title="Minister", titles=["Minister"], roles=[],
                   country_iso3=c, **prov())
        edge(o, rng.choice(by_country[c]) if by_country[c] and rng.random() < 0.7 else c, "HOLDS_OFFICE",
             title="Minister")
    for i in range(n_agreements):
        host, deporter = rng.choice(countries), rng.choice(hubs)
        if host == deporter:
            host = countries[(countries.index(host) + 1) % n_countries]
        a = f"agr-{i:05d}"
        status = rng.choice(STATUSES)
        g.add_node(a, label="Agreement", name=f"{host} accepts deportees from {deporter}", kind="third_country",
                   parties=sorted([host, deporter]), host=host, deporter=deporter, status=status,
                   statuses=[status], **prov())
        edge(host, a, "PARTY_TO")
        edge(deporter, a, "PARTY_TO")
        if not g.has_edge(host, deporter, key=f"ACCEPTS_DEPORTEES_FROM:{host}->{deporter}"):
            edge(host, deporter, "ACCEPTS_DEPORTEES_FROM", status=status, statuses=[status], nationalities=[],
                 third_country=rng.random() < 0.5)
        roll = rng.random()
        if roll < 0.1:
            edge(a, rng.choice([host, deporter]), "FUNDED_BY")
        elif roll < 0.15:
            edge(a, rng.choice(countries), "TRANSIT_VIA")
        elif roll < 0.2 and by_country[deporter]:
            edge(a, rng.choice(by_country[deporter]), "BLOCKED_BY")
        elif roll < 0.25:
            edge(deporter, host, "PAID", amount=rng.randint(1, 90) * 100_000, currency="USD")
        negotiators = officials[host] + officials[deporter]
        if negotiators and rng.random() < 0.3:
            edge(rng.choice(negotiators), a, "NEGOTIATED")
    return g


def _date(rng: random.Random) -> str:
    return f"{rng.choice([2024, 2025])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(18, 35))).capitalize() + "."


def open_in_browser(page_file: Path, screenshot: Path | None = None,
                    select_edge: str | None = None) -> dict[str, float]:
    """Open the page in headless Chromium; seconds until loaded and until the network is drawn and settled."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            start = time.perf_counter()
            page.goto(page_file.resolve().as_uri(), wait_until="load", timeout=300_000)
            loaded = time.perf_counter() - start
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=300_000)
            settled = time.perf_counter() - start
            shown = page.evaluate("[deportgraph.nodesView.length, deportgraph.edgesView.length, deportgraph.physics]")
            if select_edge:
                page.evaluate("(id) => deportgraph.selectEdge(id)", select_edge)
            if screenshot:
                page.wait_for_timeout(400)
                page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    if errors:
        raise SystemExit(f"the page reported errors: {errors[:3]}")
    return {"loaded": loaded, "settled": settled, "nodes_shown": shown[0], "edges_shown": shown[1],
            "physics": shown[2]}


def screenshot_examples(out: Path, articles: Path) -> None:
    """Ingest the example articles into a temporary store, export them and take a 1400x900 screenshot."""
    from deportgraph.graph.ingest import ingest
    from deportgraph.graph.knowledge import knowledge_graph
    from deportgraph.graph.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "examples.db") as store:
            ingest(store, [str(articles)])
            g = knowledge_graph(store)
        page_file = Path(tmp) / "examples.html"
        write_html(g, page_file, title="deportgraph — examples")
        edge = "ACCEPTS_DEPORTEES_FROM:XKX->USA"
        keys = {k for *_, k in g.edges(keys=True)}
        times = open_in_browser(page_file, screenshot=out, select_edge=edge if edge in keys else None)
    print(f"wrote {out} (settled in {times['settled']:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="number of drawn nodes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=int, default=2000, help="layout_threshold passed to write_html")
    parser.add_argument("--out", type=Path, help="keep the page here (default: a temporary file)")
    parser.add_argument("--no-browser", action="store_true", help="only time the export")
    parser.add_argument("--screenshot", type=Path, help="screenshot the examples graph to this PNG instead")
    parser.add_argument("--examples", type=Path, default=Path(__file__).resolve().parents[1] / "examples" / "articles")
    args = parser.parse_args()
    if args.screenshot:
        screenshot_examples(args.screenshot, args.examples)
        return
    g = synthetic_graph(args.n, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "bench.html"
        summary = write_html(g, out, title=f"deportgraph bench ({args.n:,} nodes)", layout_threshold=args.threshold)
        print(f"graph: {g.number_of_nodes():,} nodes ({args.n:,} drawn + sources), {g.number_of_edges():,} edges")
        print(f"export: {summary['seconds']:.2f} s, {summary['bytes'] / 1e6:.1f} MB, layout: {summary['layout']}")
        if not args.no_browser:
            t = open_in_browser(out)
            print(f"browser: loaded in {t['loaded']:.2f} s, drawn and settled in {t['settled']:.2f} s "
                  f"({t['nodes_shown']:,} nodes, {t['edges_shown']:,} edges shown, physics: {t['physics']})")


if __name__ == "__main__":
    main()
