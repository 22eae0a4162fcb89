"""The part of the graph reported in a date range: what `--since` and `--until` keep in an export.

An edge (or a node with provenance) is in the range when its facts were first or last reported in it:
``last_seen >= since`` and ``first_seen <= until`` (ISO dates compared as text, so "2025-07" covers
the whole month); one with no date is in no range. A node is kept when it is in the range itself or
is an end of a kept edge; an article when a kept node or edge cites it. A country's ``third_country_*``
summary is computed again over the kept edges, so it describes the range, not the whole store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from deportgraph.vocabulary import Label

from .third_countries import SUMMARY_PROPERTIES, summarize_third_countries

__all__ = ["in_range", "kept_in_range", "rows_in_range"]

NodeRows = dict[str, list[dict[str, Any]]]
EdgeRows = dict[tuple[str, str, str], list[dict[str, Any]]]


def in_range(props: dict[str, Any], since: str | None, until: str | None) -> bool:
    """Were these facts first or last reported between ``since`` and ``until``?

    >>> in_range({"first_seen": "2025-03-01", "last_seen": "2025-05-01"}, "2025-04", None)
    True
    >>> in_range({"first_seen": "2025-03-01", "last_seen": "2025-05-01"}, None, "2025-02")
    False
    >>> in_range({}, "2025", None)
    False
    """
    first, last = props.get("first_seen"), props.get("last_seen")
    if not first or not last:
        return False
    return (since is None or str(last) >= since) and (until is None or str(first) <= until + "\uffff")


def kept_in_range(nodes: Iterable[tuple[str, str, dict[str, Any]]],
                  edges: Iterable[tuple[str, str, str, dict[str, Any]]], since: str | None,
                  until: str | None) -> tuple[set[str], set[str]]:
    """The ids of the nodes ``(id, label, props)`` and edges ``(id, src, dst, props)`` a range keeps
    (see the module's rules)."""
    nodes, edges = list(nodes), list(edges)
    kept_edges = [(eid, src, dst, props) for eid, src, dst, props in edges if in_range(props, since, until)]
    ends = {end for _, src, dst, _ in kept_edges for end in (src, dst)}
    kept_nodes = [(nid, props) for nid, label, props in nodes
                  if label != Label.SOURCE and (nid in ends or in_range(props, since, until))]
    cited = {s for _, props in kept_nodes for s in props.get("sources") or []}
    cited |= {s for *_, props in kept_edges for s in props.get("sources") or []}
    sources = {nid for nid, label, _ in nodes if label == Label.SOURCE and nid in cited}
    node_ids = {nid for nid, _ in kept_nodes} | sources
    return node_ids, {eid for eid, *_ in kept_edges}


def rows_in_range(nodes: NodeRows, edges: EdgeRows, since: str | None, until: str | None,
                  count_sources: Callable[[Sequence[str]], int] | None = None) -> tuple[NodeRows, EdgeRows]:
    """The rows of `Store.graph_rows` that the range keeps (see the module's rules), with each country's
    third-country summary computed over the kept edges (``count_sources`` as in
    `summarize_third_countries`)."""
    if since is None and until is None:
        return nodes, edges
    node_ids, edge_ids = kept_in_range(
        ((r["id"], label, r) for label, rows in nodes.items() for r in rows),
        ((r["id"], r["src"], r["dst"], r) for rows in edges.values() for r in rows), since, until)
    kept_nodes = {label: [r for r in rows if r["id"] in node_ids] for label, rows in nodes.items()}
    kept_edges = {key: [r for r in rows if r["id"] in edge_ids] for key, rows in edges.items()}
    kept_nodes[Label.COUNTRY] = [{k: v for k, v in r.items() if k not in SUMMARY_PROPERTIES}
                                 for r in kept_nodes.get(Label.COUNTRY, [])]
    summarize_third_countries(kept_nodes, kept_edges, count_sources)
    return ({label: rows for label, rows in kept_nodes.items() if rows},
            {key: rows for key, rows in kept_edges.items() if rows})
