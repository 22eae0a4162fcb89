"""Third countries: each host's summary of its third-country accepts edges, kept on its Country node.

A host is a third country when at least one of its ``ACCEPTS_DEPORTEES_FROM`` edges is marked
``third_country``. Answering that from the edges means reading every such edge's lists (nationalities,
sources) on each question: ~0.4 s on a graph of 7,000 third-country edges. So the graph given to the
Cypher engines carries the answer on the host node, computed once whenever the graph is built:

- ``third_country_from`` — iso3 codes of the countries it accepts deportees from (sorted);
- ``third_country_nationalities`` — the nationalities named on those edges (sorted);
- ``third_country_status`` — the most advanced status among them (``vocabulary.STATUS_RANK``);
- ``third_country_sources`` — the distinct articles behind them.

``queries/cookbook/11-third-country-hosts.cypher`` derives the same from the edges in Cypher, for a
graph changed by hand after it was loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from deportgraph.vocabulary import EdgeType, Label, best_status

__all__ = ["SUMMARY_PROPERTIES", "summarize_third_countries"]

SUMMARY_PROPERTIES = ("third_country_from", "third_country_nationalities", "third_country_status",
                      "third_country_sources")

NodeRows = Mapping[str, list[dict[str, Any]]]
EdgeRows = Mapping[tuple[str, str, str], list[dict[str, Any]]]


def summarize_third_countries(
    nodes: NodeRows, edges: EdgeRows, count_sources: Callable[[Sequence[str]], int] | None = None
) -> int:
    """Set the summary properties on every host Country row in ``nodes`` (in place); returns how many.

    An edge lists at most ``MAX_SOURCES`` of its sources (``n_sources`` counts them all). While no
    edge of a host is cut short, the union of the lists is the exact count; otherwise
    ``count_sources`` (edge ids → distinct articles, from a store, which knows every source) gives it
    (a host with one edge has that edge's ``n_sources``).
    Without it the count is a floor: never below the best-supported edge's ``n_sources``.
    """
    hosts: dict[str, dict[str, Any]] = {}
    for (edge_type, src_label, dst_label), rows in edges.items():
        if edge_type != EdgeType.ACCEPTS_DEPORTEES_FROM or src_label != Label.COUNTRY or dst_label != Label.COUNTRY:
            continue
        for row in rows:
            if row.get("third_country") is not True:
                continue
            host = hosts.setdefault(row["src"], {"from": set(), "nationalities": set(), "statuses": [],
                                                 "sources": set(), "most": 0, "edges": [], "cut": False})
            host["from"].add(row["dst"])
            host["nationalities"].update(row.get("nationalities") or ())
            host["statuses"].append(row.get("status"))
            host["sources"].update(row.get("sources") or ())
            host["most"] = max(host["most"], row.get("n_sources") or 0)
            host["edges"].append(row["id"])
            host["cut"] = host["cut"] or (row.get("n_sources") or 0) > len(row.get("sources") or ())
    countries = {row["id"]: row for row in nodes.get(Label.COUNTRY, ())}
    done = 0
    for host_id, host in hosts.items():
        found = countries.get(host_id)
        if found is None:
            continue
        row = found
        for key in SUMMARY_PROPERTIES:
            row.pop(key, None)
        row["third_country_from"] = sorted(countries[c]["iso3"] if c in countries else c for c in host["from"])
        row["third_country_nationalities"] = sorted(host["nationalities"])
        status = best_status([s for s in host["statuses"] if isinstance(s, str)])
        if status is not None:
            row["third_country_status"] = status
        if host["cut"] and len(host["edges"]) > 1 and count_sources is not None:
            row["third_country_sources"] = count_sources(sorted(host["edges"]))
        else:
            row["third_country_sources"] = max(len(host["sources"]), host["most"])
        done += 1
    return done
