"""Building facts: node references, rule ids and the agreement a pair of countries is party to."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from deportgraph.vocabulary import EdgeType, Label

from ..claims import ArticleClaims, Fact, NodeRef

if TYPE_CHECKING:
    from .context import Context


RULES_VERSION = "1"

def agreement_id(party_a: str, party_b: str) -> str:
    """The id of the removals agreement between two countries, whatever order they come in.

    >>> agreement_id("UZB", "USA")
    'agr-USA-UZB'
    """
    a, b = sorted((party_a, party_b))
    return f"agr-{a}-{b}"


def official_id(name: str) -> str:
    """A person's id: the slug of their name.

    >>> official_id("Shavkat Mirziyoyev")
    'shavkat-mirziyoyev'
    >>> official_id("José Raúl Mulino")
    'jose-raul-mulino'
    >>> official_id("Peter O’Neill") == official_id("Peter O'Neill")
    True
    """
    ascii_name = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")



def _country(ctx: Context, claims: ArticleClaims, iso3: str) -> str:
    c = ctx.gazetteer.countries[iso3]
    return claims.node(NodeRef(Label.COUNTRY, iso3, (
        ("iso3", c.iso3), ("iso2", c.iso2), ("name", c.name), ("aliases", c.aliases))))


def _agency(ctx: Context, claims: ArticleClaims, agency_id: str, quote: str) -> str:
    a = ctx.gazetteer.agencies[agency_id]
    props: tuple[tuple[str, Any], ...] = (
        ("name", a.name), ("acronym", a.acronym), ("country_iso3", a.country), ("kind", a.kind))
    claims.node(NodeRef(Label.AGENCY, a.id, props))
    if a.country:
        _country(ctx, claims, a.country)
        claims.add(Fact(EdgeType.PART_OF, a.id, a.country, (), quote, _rule("gazetteer/agency-country"), 0.95))
    return a.id


def _rule(name: str) -> str:
    return f"{name}@{RULES_VERSION}"



def _part_of(ctx: Context, territory: str, country: str) -> bool:
    """A territory of the deporting state is not a host ("Christmas Island" for Australia)."""
    return ctx.gazetteer.part_of.get(territory) == country


def _agreement(ctx: Context, claims: ArticleClaims, host: str, deporter: str, status: str | None, third: bool,
               quote: str, extractor: str, confidence: float, dates: tuple[str, ...] = ()) -> str:
    agreement = claims.node(NodeRef(Label.AGREEMENT, agreement_id(host, deporter)))
    values = (("parties", tuple(sorted((host, deporter)))), ("status", status), ("third_country", third),
              ("host", host), ("deporter", deporter), ("dates", dates))
    claims.add(Fact(Label.AGREEMENT, agreement, None, values, quote, extractor, confidence))
    return agreement  # the store derives each party's PARTY_TO edge from this fact


