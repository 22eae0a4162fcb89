"""Claims: what extraction reads in one article, in a compact form that pickles cheaply.

An `ArticleClaims` holds the article's source record, the nodes its facts touch (with their
static properties) and the facts themselves. A `Fact` is one statement read from one sentence:
about a node (``object_id`` is None) or an edge between two nodes, with the sentence as quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ArticleClaims", "Fact", "NodeRef"]


@dataclass(frozen=True, slots=True)
class NodeRef:
    """A node a fact refers to: label, id and the properties known without any article."""

    label: str
    id: str
    props: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement from one sentence, with its provenance."""

    type: str  # a node label for node facts, an edge type for edge facts
    subject: str
    object: str | None
    values: tuple[tuple[str, Any], ...]
    quote: str
    extractor: str
    confidence: float

    @property
    def is_edge(self) -> bool:
        return self.object is not None


@dataclass(slots=True)
class ArticleClaims:
    """Everything read from one article."""

    source: dict[str, Any]
    nodes: dict[str, NodeRef] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    relevant: bool = False
    _seen: set[Fact] = field(default_factory=set, repr=False)

    def node(self, ref: NodeRef) -> str:
        """Register a node the facts refer to and give back its id."""
        self.nodes.setdefault(ref.id, ref)
        return ref.id

    def add(self, fact: Fact) -> None:
        """Add a fact, once: the same statement read twice from one sentence counts once."""
        if fact not in self._seen:
            self._seen.add(fact)
            self.facts.append(fact)
