"""The data model as pydantic records: what a node or an edge of each kind may hold.

The store keeps properties as JSON; these models are the contract at its edges. `validate_node`
and `validate_edge` check a stored record against its model (unknown properties are refused), and
exports and engine loads go through them, so a malformed record is caught before it leaves.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from deportgraph.errors import StoreError
from deportgraph.vocabulary import AgreementKind, EdgeType, Label, Status

__all__ = [
    "EDGE_CHOICES",
    "EDGE_ENDPOINTS",
    "EDGE_MODELS",
    "EDGE_SENTENCES",
    "NODE_KEYS",
    "NODE_MODELS",
    "Agency",
    "Agreement",
    "Country",
    "Evidence",
    "Official",
    "Source",
    "edge_sentence",
    "graph_names",
    "validate_edge",
    "validate_node",
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(_Record):
    """Where a node or an edge comes from: its sources, their sentences, the rules that read them."""

    sources: list[str] = Field(default_factory=list)
    n_sources: int = 0
    n_evidence: int = 0
    evidence_sources: list[str] = Field(default_factory=list)
    quotes: list[str] = Field(default_factory=list)
    extractor: list[str] = Field(default_factory=list)
    confidence: float | None = Field(default=None, ge=0, le=1)
    first_seen: str | None = None
    last_seen: str | None = None


class Evidence(_Record):
    """One sentence behind a fact, with its article."""

    source_id: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    quote: str
    extractor: str
    confidence: float = Field(ge=0, le=1)


class Source(_Record):
    """An article; ``path`` is its file (or archive record) as given to ingest."""

    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    path: str | None = None


class Country(_Record):
    """A country (ISO 3166-1; Kosovo as XKX). The ``third_country_*`` summary is computed when the graph
    is built from the store (`third_countries.summarize_third_countries`), for hosts of non-citizens."""

    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    iso2: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    third_country_from: list[str] = Field(default_factory=list)
    third_country_nationalities: list[str] = Field(default_factory=list)
    third_country_status: Status | None = None
    third_country_sources: int | None = None


class Agency(Provenance):
    """A government body, court or international organisation."""

    name: str
    acronym: str | None = None
    country_iso3: str | None = None
    kind: str


class Official(Provenance):
    """A person holding an office."""

    name: str
    title: str | None = None
    titles: list[str] = Field(default_factory=list)
    country_iso3: str | None = None
    agency: str | None = None
    roles: list[str] = Field(default_factory=list)


class Agreement(Provenance):
    """An arrangement between two countries about removals (or their funding)."""

    name: str
    kind: AgreementKind
    parties: list[str]
    host: str | None = None
    deporter: str | None = None
    status: Status | None = None
    statuses: list[Status] = Field(default_factory=list)
    status_dates: list[str] = Field(default_factory=list)  # parallel to status_history; "" for undated
    status_history: list[Status] = Field(default_factory=list)
    dates: list[str] = Field(default_factory=list)


class AcceptsDeporteesFrom(Provenance):
    """The host accepts people removed by the other country."""

    nationalities: list[str] = Field(default_factory=list)
    count: int | None = None
    count_text: str | None = None
    count_approximate: bool | None = None
    counts: list[str] = Field(default_factory=list)
    status: Status | None = None
    statuses: list[Status] = Field(default_factory=list)
    status_dates: list[str] = Field(default_factory=list)  # parallel to status_history; "" for undated
    status_history: list[Status] = Field(default_factory=list)
    third_country: bool = False
    dates: list[str] = Field(default_factory=list)


class Paid(Provenance):
    """A payment, with the amount as reported and in USD."""

    amount: float | None = None
    currency: str | None = None
    amount_usd: float | None = None
    amounts: list[float] = Field(default_factory=list)
    amount_texts: list[str] = Field(default_factory=list)
    purpose: str | None = None
    payer_agency: str | None = None  # the agency that paid for its country, where the text names one
    payee_agency: str | None = None


class HoldsOffice(Provenance):
    """An official's office."""

    title: str | None = None


class PlainEdge(Provenance):
    """An edge with nothing but provenance."""


class CourtRuling(Provenance):
    """A court ruled on an arrangement: against it (``BLOCKED_BY``: blocked, ruled unlawful, ordered return)
    or for it (``ALLOWED_BY``: allowed)."""

    ruling: str | None = None
    rulings: list[str] = Field(default_factory=list)


class ActedIn(Provenance):
    """An agency took part in an arrangement: it carried out the removals or announced them."""

    role: str | None = None
    roles: list[str] = Field(default_factory=list)


NODE_MODELS: dict[str, type[_Record]] = {
    Label.COUNTRY: Country, Label.AGENCY: Agency, Label.OFFICIAL: Official, Label.AGREEMENT: Agreement,
    Label.SOURCE: Source,
}
EDGE_MODELS: dict[str, type[_Record]] = {
    EdgeType.ACCEPTS_DEPORTEES_FROM: AcceptsDeporteesFrom, EdgeType.PAID: Paid, EdgeType.HOLDS_OFFICE: HoldsOffice,
    EdgeType.FUNDED_BY: PlainEdge, EdgeType.PARTY_TO: PlainEdge, EdgeType.NEGOTIATED: PlainEdge,
    EdgeType.TRANSIT_VIA: PlainEdge, EdgeType.PART_OF: PlainEdge, EdgeType.BLOCKED_BY: CourtRuling,
    EdgeType.ALLOWED_BY: CourtRuling, EdgeType.ACTED_IN: ActedIn,
}
# What a node's id is, by label.
NODE_KEYS: dict[str, str] = {
    Label.COUNTRY: "ISO 3166-1 alpha-3 code (Kosovo `XKX`)",
    Label.AGENCY: "slug with its country's code (`usa-dhs`)",
    Label.OFFICIAL: "slug of the name (`kristi-noem`)",
    Label.AGREEMENT: "`agr-<ISO3>-<ISO3>` (the two parties, sorted)",
    Label.SOURCE: "hash of the article's normalized text",
}
# Which labels each edge type may join, source side and target side.
EDGE_ENDPOINTS: dict[str, tuple[set[str], set[str]]] = {
    EdgeType.ACCEPTS_DEPORTEES_FROM: ({Label.COUNTRY}, {Label.COUNTRY}),
    EdgeType.FUNDED_BY: ({Label.AGREEMENT}, {Label.COUNTRY, Label.AGENCY}),
    EdgeType.PAID: ({Label.COUNTRY, Label.AGENCY}, {Label.COUNTRY, Label.AGENCY}),
    EdgeType.PARTY_TO: ({Label.COUNTRY}, {Label.AGREEMENT}),
    EdgeType.NEGOTIATED: ({Label.OFFICIAL}, {Label.AGREEMENT}),
    EdgeType.TRANSIT_VIA: ({Label.AGREEMENT}, {Label.COUNTRY}),
    EdgeType.HOLDS_OFFICE: ({Label.OFFICIAL}, {Label.AGENCY, Label.COUNTRY}),
    EdgeType.PART_OF: ({Label.AGENCY}, {Label.COUNTRY}),
    EdgeType.BLOCKED_BY: ({Label.AGREEMENT}, {Label.AGENCY}),
    EdgeType.ALLOWED_BY: ({Label.AGREEMENT}, {Label.AGENCY}),
    EdgeType.ACTED_IN: ({Label.AGENCY}, {Label.AGREEMENT}),
}

# The merge policy of an edge's plain properties (graph.merge): each key takes the value the most sources
# give; where a plural key is named, it also keeps every value given, sorted. Statuses, counts and amounts
# have rules of their own in graph.merge.
EDGE_CHOICES: dict[str, dict[str, str | None]] = {
    EdgeType.PAID: {"purpose": None, "payer_agency": None, "payee_agency": None},
    EdgeType.BLOCKED_BY: {"ruling": "rulings"},
    EdgeType.ALLOWED_BY: {"ruling": "rulings"},
    EdgeType.ACTED_IN: {"role": "roles"},
    EdgeType.HOLDS_OFFICE: {"title": None},
}


# How each edge reads as a sentence, its source first: the HTML panel, its tooltips and `explain` say it
# so ("Rwanda accepts deportees from United Kingdom"), never as an arrow that could be read as the
# flow of people.
EDGE_SENTENCES: dict[str, str] = {
    EdgeType.ACCEPTS_DEPORTEES_FROM: "{src} accepts deportees from {dst}",
    EdgeType.PAID: "{src} paid {dst}",
    EdgeType.FUNDED_BY: "{src} is funded by {dst}",
    EdgeType.PARTY_TO: "{src} is party to {dst}",
    EdgeType.NEGOTIATED: "{src} negotiated {dst}",
    EdgeType.TRANSIT_VIA: "{src} goes through {dst}",
    EdgeType.HOLDS_OFFICE: "{src} holds office in {dst}",
    EdgeType.PART_OF: "{src} is part of {dst}",
    EdgeType.BLOCKED_BY: "{src} was blocked by {dst}",
    EdgeType.ALLOWED_BY: "{src} was allowed by {dst}",
    EdgeType.ACTED_IN: "{src} acted in {dst}",
}


def edge_sentence(edge_type: str, src: str, dst: str) -> str:
    """An edge as a sentence.

    >>> edge_sentence("ACCEPTS_DEPORTEES_FROM", "Rwanda", "United Kingdom")
    'Rwanda accepts deportees from United Kingdom'
    """
    return EDGE_SENTENCES.get(edge_type, "{src} " + edge_type.lower().replace("_", " ") + " {dst}").format(
        src=src, dst=dst)


def graph_names() -> tuple[set[str], set[str]]:
    """Every label and relationship type of the graph, and every property key a node or edge may hold."""
    labels = {str(k) for k in NODE_MODELS} | {str(k) for k in EDGE_MODELS}
    properties = {"id", "label", "type"} | {f for m in (*NODE_MODELS.values(), *EDGE_MODELS.values())
                                            for f in m.model_fields}
    return labels, properties


def validate_node(node_id: str, label: str, props: dict[str, Any]) -> None:
    """Check a node against its model; raises `StoreError` naming the node and the problem.

    >>> validate_node("UZB", "Country", {"iso3": "UZB", "iso2": "UZ", "name": "Uzbekistan"})
    >>> validate_node("UZB", "Country", {"iso3": "UZB", "iso2": "UZ", "name": "Uzbekistan", "colour": "blue"})
    Traceback (most recent call last):
    ...
    deportgraph.errors.StoreError: node 'UZB' (Country): colour: Extra inputs are not permitted
    """
    model = NODE_MODELS.get(label)
    if model is None:
        raise StoreError(f"node {node_id!r}: unknown label {label!r}")
    _check(model, props, f"node {node_id!r} ({label})")


def validate_edge(edge_id: str, edge_type: str, src_label: str, dst_label: str, props: dict[str, Any]) -> None:
    """Check an edge against its model and its endpoint labels."""
    model = EDGE_MODELS.get(edge_type)
    if model is None:
        raise StoreError(f"edge {edge_id!r}: unknown type {edge_type!r}")
    sources, targets = EDGE_ENDPOINTS[edge_type]
    if src_label not in sources or dst_label not in targets:
        raise StoreError(f"edge {edge_id!r}: {edge_type} cannot join {src_label} to {dst_label}")
    _check(model, props, f"edge {edge_id!r} ({edge_type})")


def _check(model: type[_Record], props: dict[str, Any], what: str) -> None:
    try:
        model.model_validate(props)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise StoreError(f"{what}: {problems}") from None
