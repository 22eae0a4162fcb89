"""A Cypher script that ``cypher-shell -f`` loads into an empty Neo4j (or FalkorDB, one statement a call):
schema statements, then ``UNWIND [literal rows] AS row MERGE …`` batches, every value a quoted literal."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from deportgraph.errors import QueryError
from deportgraph.files import replaced_when_done
from deportgraph.graph.dated import rows_in_range
from deportgraph.graph.store import Store
from deportgraph.queries.backends import EDGE_ENDPOINTS, NODE_LABELS, Dialect, schema_statements

__all__ = ["STATEMENT_END", "cypher_literal", "cypher_script", "export_cypher", "split_cypher_script"]


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                                 "\b": "\\b", "\f": "\\f"})
_INT64 = (-(2**63), 2**63 - 1)
STATEMENT_END = ";"


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a primitive, a list or a map, that Neo4j and FalkorDB both read back exactly.

    Strings are single-quoted with backslash escapes, so quotes, backslashes, newlines and ``})``
    stay inside the literal; other characters (unicode included) are written as they are.

    >>> print(cypher_literal({"title": "O'Brien's \\"deal\\" \\\\ })", "n": [1, 2.5, True], "x": None}))
    {title: 'O\\'Brien\\'s "deal" \\\\ })', n: [1, 2.5, true], x: null}
    >>> cypher_literal(1e16), cypher_literal("line\\nbreak")
    ('1e16', "'line\\\\nbreak'")
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise QueryError(f"{value} does not fit a 64-bit integer; Cypher cannot store it")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"{value!r} is not a finite number; Cypher cannot store it")
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        if "\x00" in value:
            raise QueryError(f"{value[:40]!r}… contains a NUL character; Cypher strings cannot hold it")
        return "'" + value.translate(_STRING_ESCAPES) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_cypher_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise QueryError(f"cannot write a {type(value).__name__} as a Cypher literal")


def _cypher_key(key: str) -> str:
    if _IDENTIFIER.match(key):
        return key
    if not key or "`" in key:
        raise QueryError(f"property name {key!r} cannot be written in Cypher")
    return f"`{key}`"


def _literal_rows(rows: list[dict[str, Any]]) -> str:
    return "[\n" + ",\n".join(f"  {cypher_literal(row)}" for row in rows) + "\n]"


def cypher_script(store: Store, dialect: Dialect = "neo4j", batch_size: int = 50) -> Iterator[str]:
    """The statements of :func:`export_cypher`, without their ``;``: schema, then nodes, then edges.

    Each statement is parameter-free: every value is a literal (:func:`cypher_literal`), and the
    only names written into the text are the schema's labels and relationship types.
    """
    nodes, edges = store.graph_rows()
    return _script(nodes, edges, dialect, batch_size)


def _script(
    nodes: dict[str, list[dict[str, Any]]],
    edges: dict[tuple[str, str, str], list[dict[str, Any]]],
    dialect: Dialect,
    batch_size: int,
) -> Iterator[str]:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    yield from schema_statements(dialect, index_edges=True)
    for label in sorted(nodes):
        _check_name(label, NODE_LABELS)
        for start in range(0, len(nodes[label]), batch_size):
            rows = [{"id": r["id"], "props": _set_props(r, ("id",))} for r in nodes[label][start:start + batch_size]]
            yield (f"UNWIND {_literal_rows(rows)} AS row\n"
                   f"MERGE (n:{label} {{id: row.id}}) SET n += row.props")
    for rel_type, src, dst in sorted(edges):
        _check_name(rel_type, EDGE_ENDPOINTS)
        _check_name(src, NODE_LABELS)
        _check_name(dst, NODE_LABELS)
        group = edges[(rel_type, src, dst)]
        for start in range(0, len(group), batch_size):
            rows = [{"id": r["id"], "src": r["src"], "dst": r["dst"], "props": _set_props(r, ("id", "src", "dst"))}
                    for r in group[start:start + batch_size]]
            yield (f"UNWIND {_literal_rows(rows)} AS row\n"
                   f"MATCH (a:{src} {{id: row.src}}) MATCH (b:{dst} {{id: row.dst}})\n"
                   f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b) SET r += row.props")


def _check_name(name: str, allowed: Any) -> None:
    if name not in allowed:
        raise QueryError(f"{name!r} is not a label or relationship type of the schema")


def _set_props(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in sorted(row.items()) if k not in keys and v is not None}


def export_cypher(store: Store, out: Path | TextIO, dialect: Dialect = "neo4j", batch_size: int = 50,
                  since: str | None = None, until: str | None = None) -> int:
    """Write a Cypher script that ``cypher-shell -f`` loads into an empty Neo4j; return its statement count.

    Schema statements come first (``dialect`` picks Neo4j's constraints or FalkorDB's indexes), then
    MERGE statements for nodes and edges, ``batch_size`` rows each. Every statement is followed by
    a line holding only ``;``. The same store gives the same bytes.
    """
    if isinstance(out, Path | str):
        with replaced_when_done(Path(out)) as partial, open(partial, "w", encoding="utf-8", newline="\n") as handle:
            return export_cypher(store, handle, dialect, batch_size, since, until)
    nodes, edges = rows_in_range(*store.graph_rows(), since, until, store.distinct_sources)
    n_nodes, n_edges = sum(map(len, nodes.values())), sum(map(len, edges.values()))
    how = ("cypher-shell -f FILE" if dialect == "neo4j" else "one GRAPH.QUERY per statement")
    out.write(f"// deportgraph Cypher export ({dialect}): {n_nodes} nodes, {n_edges} edges.\n"
              f"// Load into an empty database with {how}; each statement ends with a ';' line.\n")
    count = 0
    for statement in _script(nodes, edges, dialect, batch_size):
        out.write(statement + "\n" + STATEMENT_END + "\n")
        count += 1
    return count


def split_cypher_script(text: str) -> list[str]:
    """The statements of a script written by :func:`export_cypher` (split at its ``;`` lines).

    >>> split_cypher_script("// head\\nRETURN 1\\n;\\nRETURN ';'\\n;\\n")
    ['// head\\nRETURN 1', "RETURN ';'"]
    """
    statements: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line == STATEMENT_END:
            statements.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if "\n".join(current).strip():
        raise QueryError("the script does not end with a ';' line")
    return statements
