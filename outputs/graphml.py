"""GraphML for Gephi and networkx, with each node's name as its label and its kind apart."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from deportgraph.graph.knowledge import knowledge_graph
from deportgraph.graph.store import Store

__all__ = ["write_graphml"]


def write_graphml(store: Store, out: Path, since: str | None = None, until: str | None = None) -> None:
    """GraphML for Gephi and networkx: a node's ``label`` is its name (its kind is ``kind``), and a list
    value is a JSON array in a string (GraphML has no list type; quotes may hold any separator)."""
    g = knowledge_graph(store, since=since, until=until)
    flat = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        attrs = {k: _flat(v) for k, v in data.items() if k != "label"}
        attrs["kind"] = data.get("label")
        attrs["label"] = data.get("name") or data.get("title") or n
        flat.add_node(n, **{k: v for k, v in attrs.items() if v is not None})
    for u, v, k, data in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **{a: _flat(b) for a, b in data.items() if b is not None})
    # Built in memory, then written: lxml's streaming writer, interrupted by a failed write (a full disk),
    # leaves objects that crash the interpreter when collected.
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer)
    Path(out).write_bytes(buffer.getvalue())


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
