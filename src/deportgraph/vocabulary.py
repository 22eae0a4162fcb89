"""The words of the data model, defined once: labels, edge types, statuses, agreement kinds.

Every layer (loaders, graph, queries, outputs) takes these names from here.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "STATUS_RANK",
    "AgreementKind",
    "EdgeType",
    "Label",
    "Status",
    "best_status",
]


class Label(StrEnum):
    """Node labels."""

    COUNTRY = "Country"
    AGENCY = "Agency"
    OFFICIAL = "Official"
    AGREEMENT = "Agreement"
    SOURCE = "Source"


class EdgeType(StrEnum):
    """Relationship types."""

    ACCEPTS_DEPORTEES_FROM = "ACCEPTS_DEPORTEES_FROM"
    FUNDED_BY = "FUNDED_BY"
    PAID = "PAID"
    PARTY_TO = "PARTY_TO"
    NEGOTIATED = "NEGOTIATED"
    TRANSIT_VIA = "TRANSIT_VIA"
    HOLDS_OFFICE = "HOLDS_OFFICE"
    PART_OF = "PART_OF"
    BLOCKED_BY = "BLOCKED_BY"
    ALLOWED_BY = "ALLOWED_BY"
    ACTED_IN = "ACTED_IN"


class Status(StrEnum):
    """Where an arrangement stands, as an article reports it."""

    REQUESTED = "requested"
    NEGOTIATING = "negotiating"
    AGREED = "agreed"
    IMPLEMENTED = "implemented"
    BLOCKED = "blocked"
    REFUSED = "refused"
    ENDED = "ended"


class AgreementKind(StrEnum):
    """What an agreement is about."""

    READMISSION = "readmission"
    THIRD_COUNTRY = "third_country"
    SAFE_THIRD_COUNTRY = "safe_third_country"
    FUNDING = "funding"
    OTHER = "other"


# How far along a status is. When sources disagree the most advanced one is shown; an ending,
# a court block or a refusal only when nothing got further. The named questions rank alike.
STATUS_RANK: dict[str, int] = {
    Status.REFUSED: 1,
    Status.BLOCKED: 2,
    Status.ENDED: 3,
    Status.REQUESTED: 4,
    Status.NEGOTIATING: 5,
    Status.AGREED: 6,
    Status.IMPLEMENTED: 7,
}


def best_status(statuses: list[str]) -> str | None:
    """The most advanced of several reported statuses.

    >>> best_status(["requested", "implemented", "blocked"])
    'implemented'
    >>> best_status([]) is None
    True
    """
    known = [s for s in statuses if s in STATUS_RANK]
    return max(known, key=lambda s: (STATUS_RANK[s], s)) if known else None
