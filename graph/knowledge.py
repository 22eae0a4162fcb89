"""The knowledge graph in memory: a networkx MultiDiGraph built from the store.

Plain functions over ``nx.MultiDiGraph`` (no subclass): nodes carry ``label`` and their
properties, edges are keyed by their id and carry ``type`` and their properties.
"""

from __future__ import annotations

import networkx as nx

from .dated import in_range
from .store import Store

__all__ = ["knowledge_graph", "neighbourhood"]


def knowledge_graph(store: Store, include_sources: bool = True, since: str | None = None,
                    until: str | None = None) -> nx.MultiDiGraph:
    """Build the graph of a store, nodes and edges added in sorted order (deterministic); ``since`` and
    ``until`` keep the part reported in that range (`dated.in_range`: edges in it, their ends, nodes in
    it, and the articles they cite)."""
    g = nx.MultiDiGraph()
    for nid, label, props in store.nodes():
        if label == "Source" and not include_sources:
            continue
        g.add_node(nid, label=label, **props)
    for eid, etype, src, dst, props in store.edges():
        if src in g and dst in g and ((since is None and until is None) or in_range(props, since, until)):
            g.add_edge(src, dst, key=eid, type=etype, **props)
    if since is None and until is None:
        return g
    ends = {n for u, v in g.edges() for n in (u, v)}
    keep = {n for n, d in g.nodes(data=True) if d.get("label") != "Source" and (n in ends or in_range(d, since, until))}
    cited = {s for n in keep for s in g.nodes[n].get("sources") or []}
    cited |= {s for _, _, d in g.edges(data=True) for s in d.get("sources") or []}
    keep |= {n for n, d in g.nodes(data=True) if d.get("label") == "Source" and n in cited}
    return g.subgraph(sorted(keep)).copy()


def neighbourhood(g: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph within ``radius`` hops of ``node``, edges in either direction."""
    nodes = nx.ego_graph(g.to_undirected(as_view=True), node, radius=radius).nodes
    return g.subgraph(sorted(nodes)).copy()
