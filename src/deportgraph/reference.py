"""The reference tables the README shows, built from the schema registry and the named questions' headers.

``tests/refresh_readme.py`` writes them into the README and ``tests/test_readme.py`` checks that the README
holds them as built here, so the schema and the questions are described in one place: their code.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from deportgraph.graph.schema import EDGE_ENDPOINTS, EDGE_MODELS, NODE_KEYS, NODE_MODELS, Provenance, edge_sentence
from deportgraph.queries.named import load_named_queries

__all__ = ["GENERATED", "TABLES", "edge_table", "fill_generated", "node_table", "provenance_fields", "question_table"]


def _code(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def provenance_fields() -> list[str]:
    """The properties every node and edge read from articles carries."""
    return list(Provenance.model_fields)


def _own_fields(model: type) -> list[str]:
    fields = getattr(model, "model_fields", {})
    return [f for f in fields if f not in Provenance.model_fields]


def node_table() -> str:
    """Node labels, their key and their own properties (besides the provenance ones)."""
    lines = ["| label | id | properties |", "|---|---|---|"]
    for label, model in sorted(NODE_MODELS.items()):
        lines.append(f"| `{label}` | {NODE_KEYS[label]} | {_code(_own_fields(model))} |")
    return "\n".join(lines) + "\n"


def edge_table() -> str:
    """Edge types, the labels they join, how each reads, and their own properties."""
    lines = ["| type | from → to | reads as | properties |", "|---|---|---|---|"]
    for edge_type, model in sorted(EDGE_MODELS.items()):
        sources, targets = EDGE_ENDPOINTS[edge_type]
        src, dst = " or ".join(sorted(sources)), " or ".join(sorted(targets))
        lines.append(f"| `{edge_type}` | {src} → {dst} | {edge_sentence(edge_type, src, dst)} "
                     f"| {_code(_own_fields(model)) or '—'} |")
    return "\n".join(lines) + "\n"


def question_table() -> str:
    """Every named question, with its parameters and the keys of its rows in order."""
    lines = ["| name | question | params | row keys |", "|---|---|---|---|"]
    for name, query in sorted(load_named_queries().items()):
        lines.append(f"| `{name}` | {query.question} | {_code(query.params) or '—'} | {_code(query.columns)} |")
    return "\n".join(lines) + "\n"


# The generated parts of the README, by the name their markers give them.
TABLES: dict[str, Callable[[], str]] = {
    "nodes": lambda: "\n" + node_table(),
    "edges": lambda: "\n" + edge_table(),
    "named-questions": lambda: "\n" + question_table(),
    "provenance": lambda: _code(provenance_fields()),
}
GENERATED = re.compile(r"(<!-- generated: ([a-z-]+) -->)(.*?)(<!-- /generated -->)", re.S)


def fill_generated(text: str) -> str:
    """The text with every ``<!-- generated: NAME -->`` part rebuilt from the code."""
    return GENERATED.sub(lambda m: m.group(1) + TABLES[m.group(2)]() + m.group(4), text)
