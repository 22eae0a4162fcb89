"""Merging: the facts several articles state about one node or edge become its properties.

Evidence lists grow with every source; conflicting values (131 vs "over 100") are all kept,
with the best-supported one shown as the headline value. Every function here is pure and
gives the same result whatever order the facts arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from deportgraph.graph.schema import EDGE_CHOICES
from deportgraph.vocabulary import STATUS_RANK, AgreementKind, EdgeType, Label, Status

__all__ = [
    "MAX_QUOTES", "MAX_SOURCES", "SAME_DATE_ORDER", "FactRow", "event_date", "lifecycle_status", "merge_edge",
    "merge_node", "officials_to_join", "party_edges", "provenance", "status_history",
]

# A node or edge reported by thousands of articles lists the first of them (oldest first);
# the counts stay exact and the store keeps every sentence (`Store.evidence`).
MAX_QUOTES = 25
MAX_SOURCES = 200


class FactRow(NamedTuple):
    """One stored fact, as merging needs it (a tuple: millions are made when a big store settles)."""

    source_id: str
    published: str | None
    quote: str
    extractor: str
    confidence: float
    values: dict[str, Any]


def _ordered(rows: Iterable[FactRow]) -> list[FactRow]:
    return sorted(rows, key=lambda r: (r.published or "", r.source_id, r.quote, r.extractor))


def provenance(rows: list[FactRow]) -> dict[str, Any]:
    """Sources, aligned evidence lists, extractors, combined confidence and first/last seen.

    Confidence combines the best reading of each independent source: 1 - prod(1 - c).
    Lists are capped (`MAX_SOURCES`, `MAX_QUOTES`); ``n_sources`` and ``n_evidence`` stay exact.

    >>> rows = [FactRow("s1", "2025-05-01", "q1", "r@1", 0.8, {}), FactRow("s2", None, "q2", "r@1", 0.5, {})]
    >>> p = provenance(rows)
    >>> p["sources"], p["n_sources"], p["confidence"], p["first_seen"]
    (['s1', 's2'], 2, 0.9, '2025-05-01')
    """
    rows = _ordered(rows)
    best: dict[str, float] = {}
    for r in rows:
        best[r.source_id] = max(best.get(r.source_id, 0.0), r.confidence)
    remaining = 1.0
    for c in best.values():
        remaining *= 1.0 - c
    evidence = list(dict.fromkeys((r.source_id, r.quote) for r in rows))
    dates = sorted({r.published for r in rows if r.published})
    return {
        "sources": sorted(best)[:MAX_SOURCES],
        "n_sources": len(best),
        "n_evidence": len(evidence),
        "evidence_sources": [s for s, _ in evidence[:MAX_QUOTES]],
        "quotes": [q for _, q in evidence[:MAX_QUOTES]],
        "extractor": sorted({r.extractor for r in rows}),
        "confidence": round(1.0 - remaining, 4),
        "first_seen": dates[0] if dates else None,
        "last_seen": dates[-1] if dates else None,
    }


def _by_support(rows: list[FactRow], key: str) -> list[Any]:
    """Distinct values of ``key``, most sources first, then by value."""
    support: dict[Any, set[str]] = {}
    for r in rows:
        v = r.values.get(key)
        if v is not None and v != "" and v != []:
            support.setdefault(v if not isinstance(v, list) else tuple(v), set()).add(r.source_id)
    return [v for v, _ in sorted(support.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))]


def _union(rows: list[FactRow], key: str) -> list[Any]:
    return sorted({x for r in rows for x in (r.values.get(key) or [])})


# Where several statuses share one date (one article, no dates in its sentences), they are put in the
# order an arrangement usually goes: a request, talks, a deal, a refusal or a court block; removals
# carried out come after a block (they are reported as done); an end closes everything.
SAME_DATE_ORDER = _SAME_DATE_ORDER = {
    Status.REQUESTED: 0, Status.NEGOTIATING: 1, Status.AGREED: 2, Status.REFUSED: 3, Status.BLOCKED: 4,
    Status.IMPLEMENTED: 5, Status.ENDED: 6,
}
_TERMINAL = {Status.BLOCKED, Status.REFUSED, Status.ENDED}


def event_date(values: dict[str, Any], published: str | None) -> tuple[str, bool]:
    """When a stated fact happened, and whether its sentence says so: the latest date the sentence
    gives, else the article's publication date ("" when neither is known).

    >>> event_date({"dates": ["2025-03", "2025-04-02"]}, "2025-06-01")
    ('2025-04-02', True)
    >>> event_date({}, None)
    ('', False)
    """
    stated = [d for d in (values.get("dates") or ()) if d]
    return (max(stated), True) if stated else (published or "", False)


def status_history(rows: list[FactRow]) -> list[tuple[str, str, bool]]:
    """Each status mention as (event date, status, dated in its sentence), in the order of events.

    The event date is the latest date the sentence gives, else the article's publication date; an
    article with no publication date was written no earlier than the latest date it gives, so its
    undated mentions take that date ("" when it gives none: such mentions come first).
    """
    latest: dict[str, str] = {}
    for r in rows:
        if r.published is None:
            when, stated = event_date(r.values, None)
            if stated and when > latest.get(r.source_id, ""):
                latest[r.source_id] = when
    entries = set()
    for r in rows:
        status = r.values.get("status")
        if status not in _SAME_DATE_ORDER:
            continue
        when, stated = event_date(r.values, r.published or latest.get(r.source_id))
        entries.add((when, str(status), stated))
    return sorted(entries, key=lambda e: (e[0], _SAME_DATE_ORDER[Status(e[1])], not e[2]))


def lifecycle_status(history: list[tuple[str, str, bool]]) -> str | None:
    """The status an arrangement stands at after its dated history.

    A later refusal, court block or end wins over a request or a deal; after one of them, only
    removals carried out or a status dated in its own sentence (a new request, a deal revived) move
    it on; otherwise a status that is only reported later does not undo one further along.

    >>> lifecycle_status([("2025-03", "requested", True), ("2025-04", "refused", True)])
    'refused'
    >>> lifecycle_status([("2025-03", "implemented", False), ("2025-05", "agreed", False)])
    'implemented'
    >>> lifecycle_status([("2025-04", "blocked", True), ("2025-06-23", "implemented", True)])
    'implemented'
    >>> lifecycle_status([("", "agreed", False), ("", "refused", False)])
    'refused'
    """
    current: str | None = None
    for _, status, dated in history:
        if current is None or status in _TERMINAL:
            current = status
        elif current in _TERMINAL:
            if dated or status == Status.IMPLEMENTED:
                current = status
        elif dated or STATUS_RANK[status] > STATUS_RANK[current]:
            current = status
    return current


def _statuses(rows: list[FactRow]) -> dict[str, Any]:
    history = status_history(rows)
    statuses = sorted({status for _, status, _ in history})
    return {"status": lifecycle_status(history), "statuses": statuses,
            "status_dates": [d for d, _, _ in history], "status_history": [s for _, s, _ in history]}


def _count(rows: list[FactRow]) -> dict[str, Any]:
    """The head count shown: an exact figure if any source gives one, the best supported first."""
    readings: dict[tuple[int, str, str | None], set[str]] = {}
    for r in rows:
        if r.values.get("count") is not None:
            key = (int(r.values["count"]), r.values.get("count_text") or str(r.values["count"]),
                   r.values.get("count_hedge"))
            readings.setdefault(key, set()).add(r.source_id)
    if not readings:
        return {}
    ranked = sorted(readings.items(), key=lambda kv: (kv[0][2] is not None, -len(kv[1]), -kv[0][0], kv[0][1]))
    (value, text, hedge), _ = ranked[0]
    return {
        "count": value,
        "count_text": text,
        "count_approximate": hedge is not None,
        "counts": sorted({t for (_, t, _) in readings}, key=lambda t: (t.lower())),
    }


def merge_edge(edge_type: str, rows: list[FactRow]) -> dict[str, Any]:
    """The properties of an edge from all the facts about it."""
    props = provenance(rows)
    if edge_type == EdgeType.ACCEPTS_DEPORTEES_FROM:
        props.update(_statuses(rows))
        props.update(_count(rows))
        props["nationalities"] = _union(rows, "nationalities")
        props["third_country"] = any(r.values.get("third_country") for r in rows)
        props["dates"] = _union(rows, "dates")
    elif edge_type == EdgeType.PAID:
        amounts = _by_support(rows, "amount")
        if amounts:
            chosen = next(r for r in _ordered(rows) if r.values.get("amount") == amounts[0])
            props.update({k: chosen.values.get(k) for k in ("amount", "currency", "amount_usd")})
            props["amounts"] = sorted({float(a) for a in amounts})
            props["amount_texts"] = _union_text(rows, "amount_text")
    for key, plural in EDGE_CHOICES.get(edge_type, {}).items():
        values = _by_support(rows, key)
        props[key] = values[0] if values else None
        if plural:
            props[plural] = sorted(values)
    return _clean(props)


def _union_text(rows: list[FactRow], key: str) -> list[str]:
    return sorted({str(r.values[key]) for r in rows if r.values.get(key)})


def merge_node(label: str, static: dict[str, Any], rows: list[FactRow]) -> dict[str, Any]:
    """The properties of a node: what is known without articles, plus what the facts say."""
    props = dict(static)
    if not rows:
        return _clean(props)
    props.update(provenance(rows))
    if label == Label.OFFICIAL:
        names = _by_support(rows, "name")
        props["name"] = max(names, key=lambda n: (len(n.split()), len(n), n)) if names else None
        titles = _by_support(rows, "title")
        props["titles"] = titles
        props["title"] = titles[0] if titles else None
        countries = _by_support(rows, "country_iso3")
        props["country_iso3"] = countries[0] if countries else None
        agencies = _by_support(rows, "agency")
        props["agency"] = agencies[0] if agencies else None
        props["roles"] = sorted({f"{r.values['title']} ({r.values.get('agency') or r.values.get('country_iso3')})"
                                 for r in rows if r.values.get("title")
                                 and (r.values.get("agency") or r.values.get("country_iso3"))})
    elif label == Label.AGREEMENT:
        props.update(_statuses(rows))
        props["parties"] = _union(rows, "parties")
        hosts = _by_support(rows, "host")
        deporters = _by_support(rows, "deporter")
        props["host"] = hosts[0] if hosts else None
        props["deporter"] = deporters[0] if deporters else None
        has_removals = any(r.values.get("status") for r in rows)
        if any(r.values.get("third_country") for r in rows):
            props["kind"] = AgreementKind.THIRD_COUNTRY.value
        elif has_removals:
            props["kind"] = AgreementKind.READMISSION.value
        else:
            props["kind"] = AgreementKind.FUNDING.value
        props["dates"] = _union(rows, "dates")
        if props.get("host") and props.get("deporter"):
            props["name"] = f"{props['host']} accepts deportees from {props['deporter']}"
        else:
            props["name"] = "Agreement " + "–".join(props["parties"])
    return _clean(props)


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """No nulls: both Cypher engines treat a missing property as null anyway."""
    out = {}
    for k, v in props.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            v = [x for x in v if x is not None]
        if hasattr(v, "value") and not isinstance(v, (int, float, str, bool)):
            v = v.value
        out[k] = v
    return out


def officials_to_join(official_ids: Iterable[str]) -> list[tuple[str, str]]:
    """One node per person: an official known only by a surname ("Secretary Noem": id ``noem``) joins the
    one official whose full name ends with it (``kristi-noem``), whichever article came first.

    >>> officials_to_join(["noem", "kristi-noem", "smith", "ana-smith", "bo-smith"])
    [('noem', 'kristi-noem')]
    """
    ids = list(official_ids)
    by_surname: dict[str, list[str]] = {}
    for node_id in ids:
        if "-" in node_id:
            by_surname.setdefault(node_id.rsplit("-", 1)[1], []).append(node_id)
    return [(short, by_surname[short][0]) for short in ids
            if "-" not in short and len(by_surname.get(short, [])) == 1]


def party_edges(rows: list[FactRow]) -> list[tuple[str, dict[str, Any]]]:
    """Each party of an agreement and the properties of its PARTY_TO edge, from the agreement's facts.

    Every sentence that states an agreement states its parties, so the edge from a party stands on the
    agreement's facts that name it (as `evidence` reads them); storing those facts again would be half
    the facts of a large archive.
    """
    parties = sorted({p for r in rows for p in r.values.get("parties") or ()})
    plain = [r._replace(values={}) for r in rows]
    whole: dict[str, Any] | None = None  # the merge of all the facts: every party's, as a rule
    out = []
    for party in parties:
        named = [p for p, r in zip(plain, rows, strict=True) if party in (r.values.get("parties") or ())]
        if len(named) == len(plain):
            whole = whole if whole is not None else merge_edge(EdgeType.PARTY_TO, plain)
            out.append((party, whole))
        else:
            out.append((party, merge_edge(EdgeType.PARTY_TO, named)))
    return out
