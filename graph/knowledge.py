"""The knowledge graph in memory: a networkx MultiDiGraph built from the store.

Plain functions over ``nx.MultiDiGraph`` (no subclass): nodes carry ``label`` and their
properties, edges are keyed by their id and carry ``type`` and their properties.
"""

from __future__ import annotations

import networkx as nx

from .store import Store

__all__ = ["knowledge_graph", "neighbourhood"]


def knowledge_graph(store: Store, include_sources: bool = True) -> nx.MultiDiGraph:
    """Build the graph of a store, nodes and edges added in sorted order (deterministic)."""
    g = nx.MultiDiGraph()
    for nid, label, props in store.nodes():
        if label == "Source" and not include_sources:
            continue
        g.add_node(nid, label=label, **props)
    for eid, etype, src, dst, props in store.edges():
        if src in g and dst in g:
            g.add_edge(src, dst, key=eid, type=etype, **props)
    return g


def neighbourhood(g: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph within ``radius`` hops of ``node``, edges in either direction."""
    nodes = nx.ego_graph(g.to_undirected(as_view=True), node, radius=radius).nodes
    return g.subgraph(sorted(nodes)).copy()
