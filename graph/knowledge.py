"""The knowledge graph in memory: a networkx MultiDiGraph built from the store.

Plain functions over ``nx.MultiDiGraph`` (no subclass): nodes carry ``label`` and their
properties, edges are keyed by their id and carry ``type`` and their properties.
"""

from __future__ import annotations

import difflib

import networkx as nx

from deportgraph.errors import QueryError
from deportgraph.vocabulary import Label

from .dated import kept_in_range
from .store import Store

__all__ = ["knowledge_graph", "match_node", "neighbourhood"]

# Which kind of node a name means first when several share it.
_LABEL_ORDER = (Label.COUNTRY, Label.AGENCY, Label.OFFICIAL, Label.AGREEMENT, Label.SOURCE)


def knowledge_graph(store: Store, include_sources: bool = True, since: str | None = None,
                    until: str | None = None) -> nx.MultiDiGraph:
    """Build the graph of a store, nodes and edges added in sorted order (deterministic); ``since`` and
    ``until`` keep the part reported in that range (`dated.in_range`: edges in it, their ends, nodes in
    it, and the articles they cite)."""
    nodes = [n for n in store.nodes() if include_sources or n[1] != "Source"]
    edges = list(store.edges())
    if since is not None or until is not None:
        node_ids, edge_ids = kept_in_range(nodes, ((eid, src, dst, props) for eid, _, src, dst, props in edges),
                                           since, until)
        nodes = [n for n in nodes if n[0] in node_ids]
        edges = [e for e in edges if e[0] in edge_ids]
    g = nx.MultiDiGraph()
    for nid, label, props in nodes:
        g.add_node(nid, label=label, **props)
    for eid, etype, src, dst, props in edges:
        if src in g and dst in g:
            g.add_edge(src, dst, key=eid, type=etype, **props)
    return g


def neighbourhood(g: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph within ``radius`` hops of ``node``, edges in either direction."""
    nodes = nx.ego_graph(g.to_undirected(as_view=True), node, radius=radius).nodes
    return g.subgraph(sorted(nodes)).copy()


def match_node(g: nx.MultiDiGraph, query: str) -> str:
    """The node a query designates: its id, then an ISO3 code, a name or an alias (case-insensitive);
    countries win ties, then agencies, officials, agreements. Raises `QueryError` with close names."""
    q = (query or "").strip()
    if not q:
        raise QueryError("give a node id, ISO3 code or name to focus on")
    if q in g:
        return q
    low = q.casefold()
    rank = {k: i for i, k in enumerate(_LABEL_ORDER)}
    hits: list[tuple[int, int, str]] = []
    for nid, data in g.nodes(data=True):
        names = [str(data.get("name") or "").casefold()]
        aliases = data.get("aliases") or []
        aliases = [str(a).casefold() for a in (aliases if isinstance(aliases, list) else [aliases])]
        if str(nid).casefold() == low or str(data.get("iso3") or "").casefold() == low:
            score = 0
        elif low in names:
            score = 1
        elif low in aliases:
            score = 2
        else:
            continue
        hits.append((score, rank.get(data.get("label"), len(rank)), str(nid)))
    if hits:
        return min(hits)[2]
    raise QueryError(_no_match_message(g, q))


def _no_match_message(g: nx.MultiDiGraph, q: str) -> str:
    if g.number_of_nodes() == 0:
        return f"no node matches {q!r}: the graph is empty (ingest some articles first)"
    shown: dict[str, str] = {}
    for nid, data in sorted(g.nodes(data=True)):
        if data.get("label") == Label.SOURCE:
            continue
        name = str(data.get("name") or nid)
        shown.setdefault(name.casefold(), f"{name} ({nid})")
        shown.setdefault(str(nid).casefold(), f"{name} ({nid})")
    close = difflib.get_close_matches(q.casefold(), sorted(shown), n=5, cutoff=0.6)
    names = list(dict.fromkeys(shown[c] for c in close))
    if names:
        return f"no node matches {q!r}; did you mean: {', '.join(names)}?"
    countries = sorted(str(d.get("name") or n) for n, d in g.nodes(data=True) if d.get("label") == Label.COUNTRY)
    hint = f" (countries include {', '.join(countries[:5])})" if countries else ""
    return f"no node matches {q!r}; give a node id, an ISO3 code or a name{hint}"
