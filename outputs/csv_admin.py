"""CSVs for ``neo4j-admin database import full``: one file per label and per relationship type, typed
columns from the schema, list items joined by a delimiter no item holds."""

from __future__ import annotations

import csv
import os
import re
import shlex
import shutil
import tempfile
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from deportgraph.errors import QueryError, StoreError
from deportgraph.graph.dated import rows_in_range
from deportgraph.graph.schema import EDGE_MODELS, NODE_MODELS
from deportgraph.graph.store import Store

__all__ = ["AUTO_DELIMITERS", "csv_files", "csv_header", "csv_properties", "delimiter_name", "neo4j_admin_command",
           "parse_delimiter", "write_csv"]


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
