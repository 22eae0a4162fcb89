"""The knowledge graph in memory: a networkx MultiDiGraph built from the store.

Plain functions over ``nx.MultiDiGraph`` (no subclass): nodes carry ``label`` and their
properties, edges are keyed by their id and carry ``type`` and their properties.
"""

from __future__ import annotations

import networkx as nx

from .dated import kept_in_range
from .store import Store

__all__ = ["knowledge_graph", "neighbourhood"]


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
