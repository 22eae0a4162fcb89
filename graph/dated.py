"""The part of the graph reported in a date range: what `--since` and `--until` keep in an export.

An edge (or a node with provenance) is in the range when its facts were first or last reported in it:
``last_seen >= since`` and ``first_seen <= until`` (ISO dates compared as text, so "2025-07" covers
the whole month); one with no date is in no range. A node is kept when it is in the range itself or
is an end of a kept edge; an article when a kept node or edge cites it. Summaries computed over the
whole store (a country's ``third_country_*``) are left as they are.
"""

from __future__ import annotations

from typing import Any

from deportgraph.vocabulary import Label

__all__ = ["in_range", "rows_in_range"]

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


def rows_in_range(nodes: NodeRows, edges: EdgeRows, since: str | None, until: str | None) -> tuple[NodeRows,
                                                                                                   EdgeRows]:
    """The rows of `Store.graph_rows` that the range keeps (see the module's rules)."""
    if since is None and until is None:
        return nodes, edges
    kept_edges = {key: [r for r in rows if in_range(r, since, until)] for key, rows in edges.items()}
    kept_edges = {key: rows for key, rows in kept_edges.items() if rows}
    ends = {r[end] for rows in kept_edges.values() for r in rows for end in ("src", "dst")}
    kept_nodes = {label: [r for r in rows if label != Label.SOURCE and (r["id"] in ends or in_range(r, since, until))]
                  for label, rows in nodes.items()}
    cited = {s for rows in [*kept_nodes.values(), *kept_edges.values()] for r in rows
             for s in (r.get("sources") or [])}
    kept_nodes[Label.SOURCE] = [r for r in nodes.get(Label.SOURCE, []) if r["id"] in cited]
    return {label: rows for label, rows in kept_nodes.items() if rows}, kept_edges
