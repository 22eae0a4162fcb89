"""The one entry point for every export kind: each a writer in this package over a read-only view of the
store (`write_export`), the interactive page of a question's answer included."""

from __future__ import annotations

import shlex
import typing
from pathlib import Path
from typing import Any

from deportgraph.errors import QueryError, StoreError
from deportgraph.files import replaced_when_done
from deportgraph.graph.store import Store
from deportgraph.queries.backends import Dialect
from deportgraph.vocabulary import EdgeType, Status

from .csv_admin import neo4j_admin_command, write_csv
from .cypher_script import export_cypher
from .graphml import write_graphml
from .json_dump import write_json

__all__ = ["CYPHER_DIALECTS", "EXPORT_KINDS", "export_html", "query_node_ids", "write_export"]


EXPORT_KINDS = ("json", "graphml", "cypher", "csv", "html")
CYPHER_DIALECTS = ("neo4j", "falkordb")


def query_node_ids(store: Store, name: str) -> set[str]:
    """The nodes a named question's rows name: its id, iso3, ``*_id``/``*_iso3`` columns and iso3 lists."""
    from deportgraph.queries.engine import open_store_engine
    from deportgraph.queries.named import run_named

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
    from deportgraph.graph.knowledge import knowledge_graph

    from .html import write_html

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
        with replaced_when_done(out) as partial:
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
