"""Interactive HTML export: one self-contained vis-network page to explore the graph offline.

The page inlines the vis-network library that ships inside the pyvis package, the page's own CSS and
JavaScript (``html_assets/``) and the graph as JSON in a ``<script type="application/json">`` block,
with ``<``, ``>`` and ``&`` escaped; the page builds its DOM with ``textContent`` only. A
Content-Security-Policy allows exactly the two inlined scripts (by hash) and no network access.

Under ``layout_threshold`` non-source nodes the browser runs physics until the layout stabilizes,
then stops it; above it the positions computed here (a balloon layout over BFS trees, in pure Python
on networkx) are drawn as they are, without physics. The same graph always gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from deportgraph.errors import DeportgraphError
from deportgraph.graph.knowledge import match_node
from deportgraph.graph.schema import EDGE_SENTENCES
from deportgraph.vocabulary import EdgeType, Label, Status

__all__ = ["render_html", "select_focus", "write_html"]

NO_STATUS = "(none)"
# Past this many nodes (sources aside) a whole-graph page opens on countries and agreements only.
CROWDED = 120

_KINDS: dict[str, dict[str, Any]] = {
    Label.COUNTRY: {"color": "#4a90d9", "border": "#1e4e79", "shape": "dot", "swatch": "dot",
                    "one": "Country", "many": "Countries"},
    Label.AGENCY: {"color": "#48bb78", "border": "#22643f", "shape": "square", "swatch": "square",
                   "one": "Agency", "many": "Agencies"},
    Label.OFFICIAL: {"color": "#a78bfa", "border": "#5b3e9c", "shape": "triangle", "swatch": "triangle",
                     "one": "Official", "many": "Officials"},
    Label.AGREEMENT: {"color": "#f6c177", "border": "#b7791f", "shape": "diamond", "swatch": "diamond",
                      "one": "Agreement", "many": "Agreements"},
    Label.SOURCE: {"color": "#cbd5e0", "border": "#718096", "shape": "dot", "swatch": "dot",
                   "one": "Article", "many": "Articles (sources)", "hidden": True},
    "Other": {"color": "#e2e8f0", "border": "#718096", "shape": "dot", "swatch": "dot",
              "one": "Other", "many": "Other"},
}
_STATUSES: dict[str, dict[str, str]] = {
    Status.REQUESTED: {"color": "#d69e2e", "text": "requested"},
    Status.NEGOTIATING: {"color": "#0ea5b7", "text": "negotiating"},
    Status.AGREED: {"color": "#68b34f", "text": "agreed"},
    Status.IMPLEMENTED: {"color": "#1f7a3a", "text": "implemented"},
    Status.BLOCKED: {"color": "#e03131", "text": "blocked"},
    Status.REFUSED: {"color": "#b3186d", "text": "refused"},
    Status.ENDED: {"color": "#5f6b7a", "text": "ended"},
    NO_STATUS: {"color": "#a7b0be", "text": "no status"},
}
_SOURCE_SIZE = 7.0
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                 ("\u2029", "\\u2029"))


def select_focus(g: nx.MultiDiGraph, name_or_iso3: str, radius: int = 1) -> set[str]:
    """The ids of the nodes within ``radius`` hops (either direction) of the node a name designates.

    The node is matched by id, then ISO3 code, name or alias (case-insensitive); countries win ties.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("RWA", label="Country", name="Rwanda", iso3="RWA")
    >>> g.add_node("USA", label="Country", name="United States", iso3="USA")
    >>> _ = g.add_edge("RWA", "USA", key="e1", type="ACCEPTS_DEPORTEES_FROM")
    >>> sorted(select_focus(g, "rwanda"))
    ['RWA', 'USA']
    """
    node = match_node(g, name_or_iso3)
    und = g.to_undirected(as_view=True)
    return set(nx.single_source_shortest_path_length(und, node, cutoff=radius))


def write_html(g: nx.MultiDiGraph, out: Path, *, title: str = "deportgraph", focus: str | None = None,
               node_ids: set[str] | None = None, layout_threshold: int = 2000) -> dict[str, Any]:
    """Write the interactive page to ``out``; returns ``{"nodes", "edges", "layout", "bytes", "seconds"}``.

    ``focus`` (an id, ISO3 code or name) keeps the neighbourhood of one node and selects it when the
    page opens; ``node_ids`` keeps only those nodes (unknown ids are ignored); given both, the
    intersection is kept. Edges are kept when both ends are.
    """
    start = time.perf_counter()
    page, info = _render(g, title=title, focus=focus, node_ids=node_ids, layout_threshold=layout_threshold)
    data = page.encode("utf-8")
    Path(out).write_bytes(data)
    return {**info, "bytes": len(data), "seconds": round(time.perf_counter() - start, 3)}


def render_html(g: nx.MultiDiGraph, *, title: str = "deportgraph", focus: str | None = None,
                node_ids: set[str] | None = None, layout_threshold: int = 2000) -> str:
    """The page `write_html` writes, as a string."""
    return _render(g, title=title, focus=focus, node_ids=node_ids, layout_threshold=layout_threshold)[0]


# ---- selection ---------------------------------------------------------------------------------------


def _chosen(g: nx.MultiDiGraph, focus: str | None, node_ids: set[str] | None) -> tuple[list[str], str | None]:
    keep = set(g.nodes)
    if node_ids is not None:
        keep &= set(node_ids)
    focus_id = None
    if focus is not None:
        focus_id = match_node(g, focus)
        keep &= select_focus(g, focus_id)
    return sorted(keep, key=str), focus_id


# ---- the payload -------------------------------------------------------------------------------------


def _render(g: nx.MultiDiGraph, *, title: str, focus: str | None, node_ids: set[str] | None,
            layout_threshold: int) -> tuple[str, dict[str, Any]]:
    nodes, focus_id = _chosen(g, focus, node_ids)
    keep = set(nodes)
    edges = sorted(((str(k), u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if u in keep and v in keep),
                   key=lambda e: (e[0], str(e[1]), str(e[2])))
    degree: dict[str, int] = defaultdict(int)
    for _, u, v, _ in edges:
        degree[u] += 1
        degree[v] += 1
    node_recs = [_node_record(n, g.nodes[n], degree[n]) for n in nodes]
    edge_recs = [_edge_record(k, u, v, d) for k, u, v, d in edges]
    _curve_parallel(edge_recs)

    radius = {r["id"]: r["size"] + 14.0 for r in node_recs}
    pos = _balloon_layout(nodes, [(u, v) for _, u, v, _ in edges], radius)
    for r in node_recs:
        r["x"], r["y"] = pos[r["id"]]
    drawn = sum(1 for r in node_recs if r["kind"] != Label.SOURCE)
    layout = "physics" if drawn <= layout_threshold else "fixed"
    if layout == "physics":
        _place_hubs(node_recs, edges)

    spans = [(r["d0"], r["d1"]) for r in [*node_recs, *edge_recs] if "d0" in r]
    payload = {
        "title": title,
        "layout": layout,
        "focus": focus_id,
        "dates": [min(s[0] for s in spans), max(s[1] for s in spans)] if spans else None,
        "style": _style(node_recs, edge_recs, crowded=focus_id is None and drawn > CROWDED),
        "nodes": node_recs,
        "edges": edge_recs,
        "sources": _sources(g, nodes, node_recs, edge_recs),
    }
    page = _fill(title, _script_json(payload))
    return page, {"nodes": len(node_recs), "edges": len(edge_recs),
                  "layout": "physics" if layout == "physics" else "python"}


def _place_hubs(node_recs: list[dict[str, Any]], edges: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Mark the deporting hubs (countries that send deportees to at least two hosts, more than they take)
    and place them on a small circle in the middle, where the page holds them while the layout settles:
    their hosts then gather around them, apart from the other hubs."""
    sends: dict[str, int] = defaultdict(int)
    takes: dict[str, int] = defaultdict(int)
    for _, host, deporter, data in edges:
        if data.get("type") == EdgeType.ACCEPTS_DEPORTEES_FROM:
            sends[str(deporter)] += 1
            takes[str(host)] += 1
    hubs = [r for r in node_recs if r["kind"] == Label.COUNTRY and sends[r["id"]] >= 2
            and sends[r["id"]] > takes[r["id"]]]
    ring = 0.0 if len(hubs) == 1 else 90.0 * math.sqrt(len(hubs))
    for i, r in enumerate(sorted(hubs, key=lambda r: (-sends[r["id"]], r["id"]))):
        angle = 2 * math.pi * i / max(1, len(hubs))
        r["hub"] = True
        r["x"], r["y"] = round(ring * math.cos(angle)), round(ring * math.sin(angle))


def _node_record(nid: str, data: dict[str, Any], degree: int) -> dict[str, Any]:
    label = str(data.get("label") or "")
    kind = label if label in _KINDS and label != "Other" else "Other"
    props = {k: v for k, v in data.items() if k != "label"}
    if kind == "Other" and label:
        props["label"] = label
    name = str(props.get("name") or props.get("title") or nid)
    size = _SOURCE_SIZE if kind == Label.SOURCE else round(min(48.0, 9.0 + 4.0 * math.sqrt(degree)), 1)
    rec: dict[str, Any] = {"id": str(nid), "kind": kind, "name": name, "label": _short_label(kind, nid, props),
                           "size": size, "degree": degree, "props": props}
    status = props.get("status")
    if isinstance(status, str) and status in _STATUSES and status != NO_STATUS:
        rec["status"] = status
    rec.update(_date_span(props))
    return rec


def _edge_record(key: str, u: str, v: str, data: dict[str, Any]) -> dict[str, Any]:
    props = {k: val for k, val in data.items() if k != "type"}
    n = props.get("n_sources")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        srcs = props.get("sources") or props.get("evidence_sources") or []
        n = max(1, len(set(map(str, srcs)))) if isinstance(srcs, list) else 1
    rec: dict[str, Any] = {"id": key, "from": str(u), "to": str(v), "type": str(data.get("type") or "RELATED"),
                           "n": n, "width": round(min(8.0, 1.0 + 1.5 * (n - 1)), 2), "props": props}
    status = props.get("status")
    if isinstance(status, str) and status in _STATUSES and status != NO_STATUS:
        rec["status"] = status
    rec.update(_date_span(props))
    return rec


def _short_label(kind: str, nid: str, props: dict[str, Any]) -> str:
    if kind == Label.AGENCY and props.get("acronym"):
        return str(props["acronym"])
    if kind == Label.AGREEMENT and isinstance(props.get("parties"), list) and props["parties"]:
        return "–".join(map(str, props["parties"]))
    if kind == Label.SOURCE:
        text = str(props.get("title") or nid)
        return text if len(text) <= 40 else text[:39] + "…"
    return str(props.get("name") or nid)


def _date_span(props: dict[str, Any]) -> dict[str, str]:
    found: list[str] = []
    for key in ("first_seen", "last_seen", "published", "dates"):
        value = props.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _DATE.match(item):
                found.append(item[:10])
    return {"d0": min(found), "d1": max(found)} if found else {}


def _curve_parallel(edges: list[dict[str, Any]]) -> None:
    """Bend edges that share their two ends so that each stays visible and clickable."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in edges:
        groups[(min(e["from"], e["to"]), max(e["from"], e["to"]))].append(e)
    for group in groups.values():
        if len(group) > 1 and group[0]["from"] != group[0]["to"]:
            for i, e in enumerate(group):
                e["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 + 0.15 * i, 2)}


def _sources(g: nx.MultiDiGraph, nodes: list[str], node_recs: list[dict[str, Any]],
             edge_recs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    wanted = {r["id"] for r in node_recs if r["kind"] == Label.SOURCE}
    for r in [*node_recs, *edge_recs]:
        for key in ("evidence_sources", "sources"):
            value = r["props"].get(key)
            if isinstance(value, list):
                wanted.update(map(str, value))
    out: dict[str, dict[str, Any]] = {}
    for sid in sorted(wanted):
        data = g.nodes[sid] if sid in g else None
        if data is not None and data.get("label") == Label.SOURCE:
            out[sid] = {k: data.get(k) for k in ("title", "url", "publisher", "published", "path")}
    return out


def _style(node_recs: list[dict[str, Any]], edge_recs: list[dict[str, Any]], crowded: bool = False) -> dict[str, Any]:
    """How the page draws and filters; on a crowded page officials and agencies start hidden (one click
    on their checkbox shows them) so that countries and agreements can be read."""
    known = [str(t) for t in EdgeType]
    types = sorted({e["type"] for e in edge_recs}, key=lambda t: (known.index(t) if t in known else len(known), t))
    kinds = {str(k): dict(v) for k, v in _KINDS.items()}
    if crowded:
        for kind in (Label.OFFICIAL, Label.AGENCY):
            kinds[str(kind)]["hidden"] = True
    return {
        "kinds": kinds,
        "kind_order": [str(k) for k in _KINDS],
        "statuses": {str(k): v for k, v in _STATUSES.items()},
        "status_order": [str(k) for k in _STATUSES],
        "no_status": NO_STATUS,
        "edge_types": {t: t.lower().replace("_", " ") for t in types},
        "edge_sentences": {t: EDGE_SENTENCES.get(t, "{src} " + t.lower().replace("_", " ") + " {dst}") for t in types},
        "type_order": types,
    }


def _clean(value: Any) -> Any:
    """JSON-safe copy: non-finite floats become None, sets sorted lists, other objects strings."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_clean(v) for v in value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _script_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left.

    >>> _script_json({"q": "<script>&</script>"})
    '{"q":"\\\\u003cscript\\\\u003e\\\\u0026\\\\u003c/script\\\\u003e"}'
    """
    try:
        text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False,
                          default=_json_default)
    except ValueError:  # NaN or infinity somewhere: clean a copy (the slow path)
        text = json.dumps(_clean(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return text


def _json_default(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    return str(value)


# ---- layout ------------------------------------------------------------------------------------------


def _balloon_layout(nodes: list[str], edges: Iterable[tuple[str, str]], radius: dict[str, float],
                    gap: float = 10.0) -> dict[str, tuple[int, int]]:
    """Deterministic positions: each connected component as a balloon tree around its best-connected
    node (children on a circle around their parent, circles sized to hold their own subtrees), the
    components packed in rows, largest first. Near-linear in the size of the graph."""
    ug = nx.Graph()
    ug.add_nodes_from(nodes)
    ug.add_edges_from(sorted({(min(u, v), max(u, v)) for u, v in edges if u != v}))
    deg = dict(ug.degree())

    def key(n: str) -> tuple[int, str]:
        return (-deg[n], n)

    comps = sorted((sorted(c) for c in nx.connected_components(ug)), key=lambda c: (-len(c), c[0]))
    balloons: list[tuple[float, str, dict[str, tuple[float, float]]]] = []
    for comp in comps:
        root = min(comp, key=key)
        order, children = _shortest_path_tree(ug, root, deg)
        outer, ring = _balloon_radii(order, children, radius, gap)
        balloons.append((outer[root], root, _balloon_place(order, children, outer, ring, gap)))
    return _pack(balloons, gap)


def _shortest_path_tree(ug: nx.Graph, root: str, deg: dict[str, int]) -> tuple[list[str], dict[str, list[str]]]:
    """A BFS tree (shallow, so balloons stay small) in which each node hangs from its least connected
    neighbour one level up, and siblings that are linked sit side by side (an agreement next to its host)."""
    depth = nx.single_source_shortest_path_length(ug, root)
    order = sorted(depth, key=lambda n: (depth[n], n))
    children: dict[str, list[str]] = {n: [] for n in order}
    parent: dict[str, str] = {}
    for n in order[1:]:
        parent[n] = min((w for w in ug[n] if depth[w] == depth[n] - 1), key=lambda w: (deg[w], w))
        children[parent[n]].append(n)
    for kids in children.values():
        if len(kids) > 1:
            anchor = {c: min([c, *(w for w in ug[c] if parent.get(w) == parent[c])]) for c in kids}
            kids.sort(key=lambda c: (anchor[c], c != anchor[c], c))
    return order, children


def _balloon_radii(order: list[str], children: dict[str, list[str]], radius: dict[str, float],
                   gap: float) -> tuple[dict[str, float], dict[str, float]]:
    outer: dict[str, float] = {}
    ring: dict[str, float] = {}
    for v in reversed(order):
        kids = children[v]
        if not kids:
            outer[v] = radius[v]
            continue
        need = [outer[c] + gap for c in kids]
        big = max(need)
        rho = max(radius[v] + big, sum(need) / math.pi)
        while sum(2.0 * math.asin(min(1.0, n / rho)) for n in need) > 2.0 * math.pi:
            rho *= 1.08
        ring[v] = rho
        outer[v] = rho + big
    return outer, ring


def _balloon_place(order: list[str], children: dict[str, list[str]], outer: dict[str, float],
                   ring: dict[str, float], gap: float) -> dict[str, tuple[float, float]]:
    pos = {order[0]: (0.0, 0.0)}
    heading = {order[0]: math.pi / 2}
    for v in order:
        kids = children[v]
        if not kids:
            continue
        rho = ring[v]
        widths = [2.0 * math.asin(min(1.0, (outer[c] + gap) / rho)) for c in kids]
        spare = max(0.0, 2.0 * math.pi - sum(widths)) / len(kids)
        cursor = heading[v] + math.pi + spare / 2.0
        x, y = pos[v]
        for c, w in zip(kids, widths, strict=True):
            theta = cursor + w / 2.0
            pos[c] = (x + rho * math.cos(theta), y + rho * math.sin(theta))
            heading[c] = theta
            cursor += w + spare
    return pos


def _pack(balloons: list[tuple[float, str, dict[str, tuple[float, float]]]],
          gap: float) -> dict[str, tuple[int, int]]:
    """Shelf-pack the component balloons, largest first, into a roughly square block."""
    balloons = sorted(balloons, key=lambda b: (-b[0], b[1]))
    width = max([2 * b[0] for b in balloons] + [math.sqrt(sum((2 * b[0] + gap) ** 2 for b in balloons)) * 1.1])
    out: dict[str, tuple[int, int]] = {}
    x = y = row = 0.0
    for r, _, local in balloons:
        if x > 0 and x + 2 * r > width:
            x, y, row = 0.0, y + row + gap, 0.0
        row = max(row, 2 * r)
        cx, cy = x + r, y + r
        for n, (px, py) in local.items():
            out[n] = (round(cx + px), round(cy + py))
        x += 2 * r + gap
    return out


# ---- the page ----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    here = resources.files("deportgraph.outputs") / "html_assets"
    libs = resources.files("pyvis") / "lib"
    versions = sorted((p for p in libs.iterdir() if p.name.startswith("vis-")),
                      key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)))
    if not versions:
        raise DeportgraphError("the pyvis package ships no vis-network library; reinstall pyvis>=0.3.2")
    vis = versions[-1]
    assets = {
        "template": (here / "page.html").read_text(encoding="utf-8"),
        "PAGE_CSS": (here / "page.css").read_text(encoding="utf-8"),
        "PAGE_JS": (here / "page.js").read_text(encoding="utf-8"),
        "VIS_CSS": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "VIS_JS": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
    }
    assets = {k: v.replace("\r\n", "\n") for k, v in assets.items()}
    for name in ("PAGE_JS", "VIS_JS", "PAGE_CSS", "VIS_CSS"):
        low = assets[name].lower()
        if "</script" in low or "</style" in low or "<!--" in low:
            raise DeportgraphError(f"cannot inline {name}: it contains a closing tag or comment opener")
    return assets


def _csp(scripts: list[str]) -> str:
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()}'"
                      for s in scripts)
    return ("default-src 'none'; " f"script-src {hashes}; "
            "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'")


def _fill(title: str, data_json: str) -> str:
    a = _assets()
    parts = {
        "TITLE": html.escape(title),
        "CSP": _csp([a["VIS_JS"], a["PAGE_JS"]]),
        "VIS_CSS": a["VIS_CSS"],
        "PAGE_CSS": a["PAGE_CSS"],
        "VIS_JS": a["VIS_JS"],
        "PAGE_JS": a["PAGE_JS"],
        "DATA": data_json,
    }
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], a["template"])
