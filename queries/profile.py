"""A country's profile and the timeline of its arrangements, read from the store.

`country_profile` gathers, for one country, the arrangements it is party to (as host and as deporting
state) with their dated status history, the people moved and their nationalities; the money it paid
and received (with USD totals); the officials and agencies involved; and the court rulings on its
arrangements — each line with the number of articles behind it. `timeline` lists the dated steps of
a country's (or one agreement's) arrangements, oldest first, each with the articles that report it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from deportgraph.errors import QueryError
from deportgraph.graph.knowledge import knowledge_graph, match_node
from deportgraph.graph.merge import SAME_DATE_ORDER, event_date
from deportgraph.graph.store import Store
from deportgraph.loaders.gazetteer import load_gazetteer
from deportgraph.vocabulary import EdgeType, Label

__all__ = ["PROFILE_SECTIONS", "country_profile", "resolve_country", "timeline"]

PROFILE_SECTIONS = ("arrangements", "payments", "officials", "agencies", "court_rulings")


def resolve_country(g: nx.MultiDiGraph, name: str) -> str:
    """The ISO3 code of a country given by code, name or alias (the graph's, then the gazetteer's)."""
    countries = g.subgraph(n for n, d in g.nodes(data=True) if d.get("label") == Label.COUNTRY)
    try:
        return match_node(countries, name)
    except QueryError:
        pass
    folded = name.strip().casefold()
    gaz = load_gazetteer()
    for iso3, country in gaz.countries.items():
        if folded in {country.name.casefold(), *(a.casefold() for a in country.aliases)}:
            if iso3 in g:
                return iso3
            raise QueryError(f"{country.name} ({iso3}) is in no fact of this store")
    raise QueryError(f"no country called {name!r}; give its name, an alias or its ISO3 code (e.g. UZB)")


def _name(g: nx.MultiDiGraph, node: str) -> str:
    return str(g.nodes[node].get("name") or node) if node in g else node


def country_profile(store: Store, country: str) -> dict[str, Any]:
    """Everything the store says about one country, section by section (see `PROFILE_SECTIONS`)."""
    g = knowledge_graph(store, include_sources=False)
    iso3 = resolve_country(g, country)
    out: dict[str, Any] = {"country": _name(g, iso3), "iso3": iso3}
    arrangements = []
    for host, deporter, data in sorted(_edges(g, EdgeType.ACCEPTS_DEPORTEES_FROM), key=lambda e: (e[0], e[1])):
        if iso3 not in (host, deporter):
            continue
        history = [f"{d or 'undated'} {s}" for d, s in zip(data.get("status_dates") or [],
                                                             data.get("status_history") or [], strict=False)]
        arrangements.append({
            "role": "host" if host == iso3 else "deporting state",
            "partner": _name(g, deporter if host == iso3 else host),
            "status": data.get("status"), "history": history, "people": data.get("count"),
            "nationalities": data.get("nationalities") or [], "third_country": bool(data.get("third_country")),
            "sources": data.get("n_sources") or 0,
        })
    out["arrangements"] = arrangements
    payments = []
    totals = {"paid_usd": 0.0, "received_usd": 0.0}
    for payer, payee, data in sorted(_edges(g, EdgeType.PAID), key=lambda e: (e[0], e[1])):
        if iso3 not in (payer, payee):
            continue
        way = "paid" if payer == iso3 else "received"
        usd = data.get("amount_usd")
        if usd is not None:
            totals[f"{way}_usd"] += float(usd)
        payments.append({"direction": way, "partner": _name(g, payee if way == "paid" else payer),
                         "amount": data.get("amount"), "currency": data.get("currency"), "usd": usd,
                         "purpose": data.get("purpose"), "sources": data.get("n_sources") or 0})
    out["payments"] = payments
    out["totals"] = totals
    agencies = {a for a, c, _ in _edges(g, EdgeType.PART_OF) if c == iso3}
    officials = []
    for person, office, data in sorted(_edges(g, EdgeType.HOLDS_OFFICE), key=lambda e: (e[0], e[1])):
        if office == iso3 or office in agencies:
            officials.append({"name": _name(g, person), "title": data.get("title") or g.nodes[person].get("title"),
                              "office": _name(g, office), "sources": data.get("n_sources") or 0})
    out["officials"] = officials
    mine = {a for a, data in g.nodes(data=True) if data.get("label") == Label.AGREEMENT
            and iso3 in (data.get("parties") or [])}
    acting: dict[str, list[str]] = defaultdict(list)
    backing: dict[str, int] = defaultdict(int)
    for agency, agreement, data in _edges(g, EdgeType.ACTED_IN):
        if agreement in mine:
            acting[agency].append(f"{data.get('role')} {agreement}")
            backing[agency] = max(backing[agency], data.get("n_sources") or 0)
    out["agencies"] = [{"agency": _name(g, a), "acts": sorted(acting.get(a, [])),
                        "sources": backing.get(a) or g.nodes[a].get("n_sources") or 0}
                       for a in sorted(agencies | set(acting), key=lambda a: _name(g, a))]
    rulings = []
    for kind in (EdgeType.BLOCKED_BY, EdgeType.ALLOWED_BY):
        for agreement, court, data in sorted(_edges(g, kind), key=lambda e: (e[0], e[1])):
            if agreement in mine:
                rulings.append({"agreement": agreement, "court": _name(g, court), "ruling": data.get("ruling"),
                                "reported": data.get("first_seen"), "sources": data.get("n_sources") or 0})
    out["court_rulings"] = rulings
    return out


def _edges(g: nx.MultiDiGraph, edge_type: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [(u, v, d) for u, v, d in g.edges(data=True) if d.get("type") == edge_type]


def timeline(store: Store, target: str | None = None) -> list[dict[str, Any]]:
    """The dated steps of the arrangements of a country (name or ISO3), of one agreement (its id), or of
    all: one row per (date, agreement, status), oldest first, with the articles that report it. A step
    takes the date its sentence gives, else its article's publication date."""
    g = knowledge_graph(store, include_sources=False)
    if target is None:
        agreements = {a for a, d in g.nodes(data=True) if d.get("label") == Label.AGREEMENT}
    elif target in g and g.nodes[target].get("label") == Label.AGREEMENT:
        agreements = {target}
    else:
        iso3 = resolve_country(g, target)
        agreements = {a for a, d in g.nodes(data=True) if d.get("label") == Label.AGREEMENT
                      and iso3 in (d.get("parties") or [])}
    facts = [f for f in store.facts(agreements) if f["type"] == Label.AGREEMENT and f["values"].get("status")]
    sources = {s["id"]: s for s in store.sources({f["source_id"] for f in facts})}
    steps: dict[tuple[str, str, str], dict[str, Any]] = {}
    for fact in facts:
        status = fact["values"]["status"]
        source = sources.get(fact["source_id"], {})
        when, dated = event_date(fact["values"], source.get("published"))
        key = (when, fact["target"], status)
        step = steps.setdefault(key, {"date": when or None, "agreement": fact["target"], "status": status,
                                      "dated_in_text": dated, "sources": [], "quote": fact["quote"]})
        cite = source.get("url") or source.get("title") or source.get("path") or fact["source_id"]
        if cite not in step["sources"]:
            step["sources"].append(cite)
    order = {str(status): rank for status, rank in SAME_DATE_ORDER.items()}
    return [steps[k] for k in sorted(steps, key=lambda k: (k[0] or "9999", k[1], order.get(k[2], 9)))]
