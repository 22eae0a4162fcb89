"""Exports for the Neo4j toolchain: a Cypher script for ``cypher-shell -f`` and CSVs for
``neo4j-admin database import``, plus the one entry point for every export kind."""

from __future__ import annotations

import csv
import math
import os
import re
import shlex
import shutil
import tempfile
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel

from deportgraph.errors import QueryError, StoreError
from deportgraph.graph.dated import rows_in_range
from deportgraph.graph.export import write_graphml, write_json
from deportgraph.graph.schema import EDGE_MODELS, NODE_MODELS
from deportgraph.graph.store import Store
from deportgraph.vocabulary import EdgeType, Status

from .backends import EDGE_ENDPOINTS, NODE_LABELS, Dialect, schema_statements

__all__ = [
    "CYPHER_DIALECTS",
    "EXPORT_KINDS",
    "STATEMENT_END",
    "csv_files",
    "csv_header",
    "csv_properties",
    "cypher_literal",
    "cypher_script",
    "delimiter_name",
    "export_cypher",
    "neo4j_admin_command",
    "parse_delimiter",
    "split_cypher_script",
    "write_csv",
    "write_export",
]


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
        with _replaced_when_done(Path(out)) as partial, open(partial, "w", encoding="utf-8", newline="\n") as handle:
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


# --------------------------------------------------------------------------- CSV for neo4j-admin

_CSV_TYPES: dict[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}


def _csv_type(annotation: Any) -> str:
    """The neo4j-admin column type of a model field: ``string``, ``long``, ``double``, ``boolean`` or ``…[]``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is list:
        return _csv_type(args[0]) + "[]"
    if args and origin is not None:  # X | None
        return _csv_type(args[0])
    if isinstance(annotation, type):
        for kind, name in _CSV_TYPES.items():
            if issubclass(annotation, kind) and not (kind is int and issubclass(annotation, bool)):
                return "boolean" if issubclass(annotation, bool) else name
    raise QueryError(f"no neo4j-admin type for {annotation!r}")


def csv_properties(model: type[BaseModel]) -> list[tuple[str, str]]:
    """``(property, neo4j-admin type)`` of every field of a schema model, in the model's order.

    >>> csv_properties(NODE_MODELS["Country"])[:4]
    [('iso3', 'string'), ('iso2', 'string'), ('name', 'string'), ('aliases', 'string[]')]
    """
    return [(name, _csv_type(field.annotation)) for name, field in model.model_fields.items()]


def csv_header(label_or_type: str) -> list[str]:
    """The header of a node CSV (for a label) or relationship CSV (for a type), as neo4j-admin reads it.

    >>> csv_header("Source")
    ['id:ID', ':LABEL', 'url', 'title', 'publisher', 'published', 'path']
    >>> csv_header("HOLDS_OFFICE")[:4]
    [':START_ID', ':END_ID', ':TYPE', 'id']
    """
    if label_or_type in NODE_MODELS:
        head, model = ["id:ID", ":LABEL"], NODE_MODELS[label_or_type]
    elif label_or_type in EDGE_MODELS:
        head, model = [":START_ID", ":END_ID", ":TYPE", "id"], EDGE_MODELS[label_or_type]
    else:
        raise QueryError(f"{label_or_type!r} is not a label or relationship type of the schema")
    return head + [name if kind == "string" else f"{name}:{kind}" for name, kind in csv_properties(model)]


def parse_delimiter(text: str) -> str:
    """One character, given as itself, as ``TAB``, or as ``U+XXXX`` (the spellings neo4j-admin takes).

    >>> parse_delimiter(";"), parse_delimiter("U+001F"), parse_delimiter("TAB")
    (';', '\\x1f', '\\t')
    """
    if text == "TAB":
        return "\t"
    if re.fullmatch(r"U\+[0-9A-Fa-f]{4,6}", text):
        return chr(int(text[2:], 16))
    if len(text) != 1:
        raise QueryError(f"the array delimiter must be one character, TAB or U+XXXX, not {text!r}")
    return text


def _csv_cell(value: Any, kind: str, delimiter: str, what: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        items = [_csv_cell(item, kind[:-2], delimiter, what) for item in value]
        if any(delimiter in item for item in items):
            raise QueryError(
                f"{what} holds {delimiter!r}, the array delimiter; export again with another one "
                f"(e.g. --array-delimiter U+001F) and give neo4j-admin the same")
        return delimiter.join(items)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def csv_files(out_dir: Path | str) -> list[Path]:
    """The files :func:`write_csv` writes: one node CSV per label, one relationship CSV per type.

    >>> [p.name for p in csv_files("out")][:2]
    ['nodes-Agency.csv', 'nodes-Agreement.csv']
    """
    out_dir = Path(out_dir)
    return ([out_dir / f"nodes-{label}.csv" for label in sorted(NODE_MODELS)]
            + [out_dir / f"relationships-{rel_type}.csv" for rel_type in sorted(EDGE_MODELS)])


# The array delimiters "auto" tries, in order: the first that no list item holds is used.
AUTO_DELIMITERS = (";", "|", "\x1f")


def delimiter_name(delimiter: str) -> str:
    """How to give a delimiter to neo4j-admin: itself if printable, else ``U+XXXX``.

    >>> delimiter_name(";"), delimiter_name("\\x1f"), delimiter_name("\\t")
    (';', 'U+001F', 'TAB')
    """
    if delimiter == "\t":
        return "TAB"
    return delimiter if delimiter.isprintable() and not delimiter.isspace() else f"U+{ord(delimiter):04X}"


def write_csv(store: Store, out_dir: Path | str, array_delimiter: str = "auto", since: str | None = None,
              until: str | None = None) -> tuple[list[Path], str]:
    """Write node and relationship CSVs for ``neo4j-admin database import full``; return their paths
    and the array delimiter used (as neo4j-admin takes it).

    Columns are typed from the schema models (``count:long``, ``third_country:boolean``,
    ``nationalities:string[]``…); list items are joined with ``array_delimiter`` ("auto": the first
    of ``;``, ``|`` and U+001F that no item holds). Every file is written, with its header, even when
    it has no rows, so the import command never changes. The files are written into a folder beside
    ``out_dir`` and moved into it only once all are complete: a failed export changes nothing.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise StoreError(f"{out_dir}: is a file; export csv needs a folder")
    nodes, edges = rows_in_range(*store.graph_rows(), since, until, store.distinct_sources)
    tables = []
    for path in csv_files(out_dir):
        kind, _, name = path.stem.partition("-")
        props = csv_properties(NODE_MODELS[name] if kind == "nodes" else EDGE_MODELS[name])
        tables.append((path, name, props, list(_csv_rows(nodes, edges, kind, name))))
    if array_delimiter == "auto":
        held = {c for _, _, props, rows in tables for _, row in rows for p, t in props if t.endswith("[]")
                for item in (row.get(p) or ()) for c in AUTO_DELIMITERS if c in str(item)}
        delimiter = next((c for c in AUTO_DELIMITERS if c not in held), AUTO_DELIMITERS[-1])
    else:
        delimiter = parse_delimiter(array_delimiter)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        for path, name, props, rows in tables:
            with open(partial / path.name, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(csv_header(name))
                for fixed, row in rows:
                    cells = [_csv_cell(row.get(p), t, delimiter, f"{row['id']!r}.{p}") for p, t in props]
                    writer.writerow(fixed + cells)
        out_dir.mkdir(exist_ok=True)
        for path, *_ in tables:
            os.replace(partial / path.name, path)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return [path for path, *_ in tables], delimiter_name(delimiter)


@contextmanager
def _replaced_when_done(out: Path) -> Iterator[Path]:
    """A path beside ``out`` to write an export to; it replaces ``out`` only when the writing ended
    without error. The writer creates the file, so it gets the usual permissions (a ``mkstemp`` file
    would be readable by its owner only)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        yield partial
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _csv_rows(
    nodes: dict[str, list[dict[str, Any]]],
    edges: dict[tuple[str, str, str], list[dict[str, Any]]],
    kind: str,
    name: str,
) -> Iterator[tuple[list[str], dict[str, Any]]]:
    """The fixed leading cells (ids, label or type) and the row, for one node label or edge type."""
    if kind == "nodes":
        for row in nodes.get(name, []):
            yield [row["id"], name], row
        return
    rows = [row for (rel_type, _, _), group in edges.items() if rel_type == name for row in group]
    for row in sorted(rows, key=lambda row: row["id"]):
        yield [row["src"], row["dst"], name, row["id"]], row


def neo4j_admin_command(out_dir: Path | str, array_delimiter: str = ";", database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command that loads :func:`write_csv`'s files.

    >>> print(neo4j_admin_command("csv").splitlines()[0])
    neo4j-admin database import full neo4j --overwrite-destination --array-delimiter=';' --multiline-fields=true \\
    """
    parse_delimiter(array_delimiter)
    options = [f"--array-delimiter={shlex.quote(array_delimiter)}", "--multiline-fields=true"]
    files = [f"--{'nodes' if p.name.startswith('nodes-') else 'relationships'}={shlex.quote(p.as_posix())}"
             for p in csv_files(out_dir)]
    head = f"neo4j-admin database import full {shlex.quote(database)} --overwrite-destination {' '.join(options)}"
    return " \\\n  ".join([head, *files])


EXPORT_KINDS = ("json", "graphml", "cypher", "csv", "html")
CYPHER_DIALECTS = ("neo4j", "falkordb")


def query_node_ids(store: Store, name: str) -> set[str]:
    """The nodes a named question's rows name: its id, iso3, ``*_id``/``*_iso3`` columns and iso3 lists."""
    from .engine import open_store_engine
    from .named import run_named

    with open_store_engine(store) as engine:
        rows = run_named(engine, name)
    ids: set[str] = set()
    for row in rows:
        for key, value in row.items():
            if not (key in ("id", "iso3", "agreement") or key.endswith(("_id", "_iso3")) or key in (
                    "accepts_from", "nationalities", "parties")):
                continue
            ids.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    return ids


# The edges a page of a named question shows, where its nodes alone would also draw others between them:
# third countries are shown by their third-country acceptances (no refusals, no own nationals' returns).
_QUERY_EDGES: dict[str, typing.Callable[[dict[str, Any]], bool]] = {
    "third-countries": lambda d: d.get("type") != EdgeType.ACCEPTS_DEPORTEES_FROM
    or (d.get("third_country") is True and d.get("status") != Status.REFUSED),
}


def export_html(store: Store, out: Path, *, focus: str | None = None, query: str | None = None,
                since: str | None = None, until: str | None = None) -> str:
    """The interactive page, of the whole graph, a node's neighbourhood (``focus``), or what a
    named question returns (``query``)."""
    from deportgraph.graph.html import write_html
    from deportgraph.graph.knowledge import knowledge_graph

    node_ids = query_node_ids(store, query) if query else None
    g = knowledge_graph(store, since=since, until=until)
    keep = _QUERY_EDGES.get(query or "")
    if keep is not None:
        g.remove_edges_from([(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if not keep(d)])
    summary = write_html(g, out, focus=focus, node_ids=node_ids,
                         title=f"deportgraph — {query}" if query else "deportgraph")
    return (f"wrote {out}: {summary['nodes']} nodes, {summary['edges']} edges "
            f"({summary['layout']} layout, {summary['seconds']:.1f} s); open it in any browser")


def write_export(store: Store, kind: str, out: Path | str, *, dialect: str = "neo4j",
                 array_delimiter: str = "auto", focus: str | None = None, query: str | None = None,
                 since: str | None = None, until: str | None = None) -> str:
    """Write one export of ``store`` to ``out``; return what was written and how to load it. ``since``
    and ``until`` keep the part of the graph reported in that range (`graph.dated`)."""
    out = Path(out)
    if kind == "json" and (since or until):
        raise QueryError("export json is a dump of the whole store; a date range goes with graphml, cypher, csv "
                         "or html")
    if kind not in EXPORT_KINDS:
        raise QueryError(f"unknown export {kind!r}; choose one of {', '.join(EXPORT_KINDS)}")
    if dialect not in CYPHER_DIALECTS:
        raise QueryError(f"unknown Cypher dialect {dialect!r}; choose one of {', '.join(CYPHER_DIALECTS)}")
    try:
        if kind == "cypher":
            count = export_cypher(store, out, typing.cast(Dialect, dialect), since=since, until=until)
            return (f"wrote {out}: {count} statements; load it into an empty Neo4j with: "
                    f"cypher-shell -f {shlex.quote(str(out))}")
        if kind == "csv":
            paths, delimiter = write_csv(store, out, array_delimiter, since, until)
            return (f"wrote {len(paths)} CSV files to {out}; import them into a stopped Neo4j with:\n"
                    + neo4j_admin_command(out, delimiter))
        if out.is_dir():
            raise StoreError(f"{out}: is a folder; export {kind} writes one file")
        with _replaced_when_done(out) as partial:
            if kind == "html":
                return export_html(store, partial, focus=focus, query=query, since=since,
                                   until=until).replace(str(partial), str(out))
            if kind == "json":
                write_json(store, partial)
            else:
                write_graphml(store, partial, since=since, until=until)
    except OSError as exc:
        raise StoreError(f"{out}: cannot write the {kind} export: {exc.strerror or exc}") from exc
    return f"wrote {out}"
