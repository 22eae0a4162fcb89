"""Named questions: one ``.cypher`` file each in this package, with a header that states them.

Each file starts with comment lines::

    // name: third-countries
    // question: Which third countries accept deportees who are not their own nationals?
    // params: (none)
    // columns: country, iso3, accepts_from, nationalities, status, sources

The header is checked against the text: declared params must be exactly the ``$params`` used, and
declared columns exactly the aliases of the last ``RETURN``.

>>> sorted(load_named_queries())[:3]
['accepts', 'agreements', 'evidence']
>>> load_named_queries()["evidence"].params
('id',)
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from deportgraph.errors import QueryError
from deportgraph.queries.backends import CypherBackend

__all__ = [
    "PAGE_CLAUSE",
    "NamedQuery",
    "load_named_queries",
    "paged",
    "parse_named_query",
    "read_named_query",
    "return_columns",
    "run_named",
    "unknown_names",
    "used_params",
    "with_date_range",
]

_HEADER_KEYS = ("name", "question", "params", "columns")
_HEADER_LINE = re.compile(r"^//\s*(name|question|params|columns|dated)\s*:\s*(.*?)\s*$")
_IDENTIFIER = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)$")
# Comments and string literals, removed before looking for parameters and RETURN items.
_NOISE = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_PARAM = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]+)`)")
_RETURN = re.compile(r"\bRETURN\b", re.IGNORECASE)
_RETURN_END = re.compile(r"\b(?:ORDER\s+BY|SKIP|LIMIT|UNION)\b|;", re.IGNORECASE)
_ALIAS = re.compile(r"\s+AS\s+([A-Za-z_][A-Za-z0-9_]*|`[^`]+`)\s*$", re.IGNORECASE | re.DOTALL)


class NamedQuery(BaseModel):
    """A named question: its header fields and the Cypher text (header included)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    question: str
    params: tuple[str, ...]
    columns: tuple[str, ...]
    text: str
    dated: str | None = None  # the variable whose first_seen/last_seen a --since/--until range applies to


def _blank(match: re.Match[str]) -> str:
    """Replace a comment or string literal by a same-shaped placeholder without keywords or ``$``."""
    token = match.group(0)
    return " " if token.startswith(("//", "/*")) else "''"


def _split_top_level(text: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items]


def _unquote(identifier: str) -> str:
    return identifier[1:-1] if identifier.startswith("`") else identifier


def return_columns(text: str) -> list[str]:
    """The column names of the last ``RETURN`` clause of ``text``.

    >>> return_columns("MATCH (c:Country) RETURN c.name AS name, c.iso3 AS iso3 ORDER BY iso3")
    ['name', 'iso3']
    """
    code = _NOISE.sub(_blank, text)
    starts = list(_RETURN.finditer(code))
    if not starts:
        raise QueryError("no RETURN clause")
    body = code[starts[-1].end() :]
    if end := _RETURN_END.search(body):
        body = body[: end.start()]
    body = re.sub(r"^\s*DISTINCT\b", "", body, flags=re.IGNORECASE)
    columns = []
    for item in _split_top_level(body):
        if alias := _ALIAS.search(item):
            columns.append(_unquote(alias.group(1)))
        elif _IDENTIFIER.match(item):
            columns.append(_unquote(item))
        else:
            raise QueryError(f"RETURN item {item!r} needs an alias (… AS name)")
    return columns


def used_params(text: str) -> list[str]:
    """The ``$parameters`` used in ``text``, sorted, ignoring comments and strings.

    >>> used_params("MATCH (n {id: $id}) WHERE n.name <> '$not' RETURN n // $nor")
    ['id']
    """
    code = _NOISE.sub(_blank, text)
    return sorted({a or b for a, b in _PARAM.findall(code)})


_LABEL_USE = re.compile(r"[(\[|]\s*(?:[A-Za-z_]\w*\s*)?:\s*([A-Za-z_]\w*)|\|\s*:?\s*([A-Za-z_]\w*)")
_PROPERTY_USE = re.compile(r"\b[A-Za-z_]\w*\.([A-Za-z_]\w*)|\{\s*([A-Za-z_]\w*)\s*:|,\s*([A-Za-z_]\w*)\s*:(?!:)")


def unknown_names(text: str, labels: set[str], properties: set[str]) -> list[str]:
    """Labels, relationship types and property keys a statement names that the schema does not have,
    each with a close known name when there is one: why a query may return no rows.

    >>> unknown_names("MATCH (c:Countri) WHERE c.nme = 'x' RETURN c", {"Country"}, {"name", "iso3"})
    ["label or type 'Countri' (did you mean 'Country'?)", "property 'nme' (did you mean 'name'?)"]
    """
    code = _NOISE.sub(_blank, text)
    out = []
    used_labels = {a or b for a, b in _LABEL_USE.findall(code)} - {""}
    for name in sorted(used_labels - labels):
        close = difflib.get_close_matches(name, sorted(labels), n=1)
        out.append(f"label or type {name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    used_props = {a or b or c for a, b, c in _PROPERTY_USE.findall(code)} - {""}
    for name in sorted(used_props - properties):
        close = difflib.get_close_matches(name, sorted(properties), n=1)
        out.append(f"property {name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return out


def _header_list(value: str) -> tuple[str, ...]:
    if value.strip().lower() in ("", "(none)", "none"):
        return ()
    return tuple(item.strip() for item in value.split(","))


def parse_named_query(text: str, origin: str) -> NamedQuery:
    """Parse and check one named question; ``origin`` (e.g. the file name) is used in errors."""
    header: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        if match := _HEADER_LINE.match(stripped):
            key, value = match.groups()
            if key in header:
                raise QueryError(f"{origin}: header line {key!r} appears twice")
            header[key] = value
    missing = [key for key in _HEADER_KEYS if key not in header]
    if missing:
        raise QueryError(f"{origin}: header is missing {', '.join(f'// {k}:' for k in missing)}")
    params, columns = _header_list(header["params"]), _header_list(header["columns"])
    used = used_params(text)
    if sorted(params) != used:
        raise QueryError(f"{origin}: header declares params {list(params)} but the query uses {used}")
    try:
        returned = return_columns(text)
    except QueryError as exc:
        raise QueryError(f"{origin}: {exc}") from exc
    if list(columns) != returned:
        raise QueryError(f"{origin}: header declares columns {list(columns)} but RETURN gives {returned}")
    if not header["question"]:
        raise QueryError(f"{origin}: the question is empty")
    dated = header.get("dated") or None
    if dated and not re.search(rf"^MATCH\b[^\n]*\b{re.escape(dated)}\b", text, re.MULTILINE):
        raise QueryError(f"{origin}: 'dated: {dated}' names no variable of the first MATCH")
    return NamedQuery(
        name=header["name"], question=header["question"], params=params, columns=columns, text=text, dated=dated
    )


def with_date_range(query: NamedQuery) -> str:
    """The question's text with its dated variable kept to facts reported between ``$range_from`` and
    ``$range_to`` (ISO dates; a node or edge with no date is in no range).

    >>> q = parse_named_query("// name: x\\n// question: X?\\n// params: (none)\\n// columns: n\\n// dated: g\\n"
    ...                       "MATCH (g:Agreement)\\nRETURN g.id AS n", "x")
    >>> print(with_date_range(q).splitlines()[-2])
    WHERE g.last_seen >= $range_from AND g.first_seen <= $range_to
    """
    if query.dated is None:
        raise QueryError(f"{query.name} has no date range; its rows carry no dates of their own")
    v = query.dated
    cond = f"{v}.last_seen >= $range_from AND {v}.first_seen <= $range_to"
    lines = query.text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("MATCH"))
    if at + 1 < len(lines) and lines[at + 1].startswith("WHERE "):
        lines[at + 1] = f"WHERE {cond} AND " + lines[at + 1][len("WHERE "):]
    else:
        lines.insert(at + 1, f"WHERE {cond}")
    return "\n".join(lines)


def read_named_query(path: Path) -> NamedQuery:
    """Read and check one ``.cypher`` file; its ``// name:`` must match the file name."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path.name}: cannot read: {exc}") from exc
    query = parse_named_query(text, path.name)
    if query.name != path.stem:
        raise QueryError(f"{path.name}: header names it {query.name!r}, but the file is {path.stem!r}")
    return query


@functools.cache
def _package_queries() -> tuple[NamedQuery, ...]:
    queries = []
    for entry in resources.files("deportgraph.queries").iterdir():
        if entry.name.endswith(".cypher") and entry.is_file():
            query = parse_named_query(entry.read_text(encoding="utf-8"), entry.name)
            if query.name != entry.name.removesuffix(".cypher"):
                raise QueryError(f"{entry.name}: header names it {query.name!r}")
            queries.append(query)
    return tuple(sorted(queries, key=lambda q: q.name))


def load_named_queries() -> dict[str, NamedQuery]:
    """All named questions shipped with the package, by name (sorted)."""
    return {query.name: query for query in _package_queries()}


SKIP_CLAUSE = "SKIP $skip_rows"
PAGE_CLAUSE = f"{SKIP_CLAUSE} LIMIT $limit_rows"
PAGE_MARKER = "// page"


def paged(text: str, limited: bool = True) -> str:
    """A named question's text that returns one page of its (ordered) rows.

    The page clause goes on the question's ``// page`` line, where the rows already stand in the
    answer's order and the costly part is still to come; without one, after the final
    ``RETURN … ORDER BY``. The engine then works on, and sends, only that page. ``limited=False``
    only skips.

    >>> paged("RETURN 1 AS one ORDER BY one")
    'RETURN 1 AS one ORDER BY one\\nSKIP $skip_rows LIMIT $limit_rows'
    """
    clause = PAGE_CLAUSE if limited else SKIP_CLAUSE
    lines = text.rstrip().splitlines()
    marked = [i for i, line in enumerate(lines) if line.strip() == PAGE_MARKER]
    if marked:
        lines[marked[0]] = clause
        return "\n".join(lines)
    return "\n".join([*lines, clause])


def run_named(
    backend: CypherBackend,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    skip: int = 0,
    limit: int | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """Run the named question ``name`` read-only on ``backend`` and return its rows.

    ``skip`` and ``limit`` page through the ordered rows (``limit=None``: every row); ``since`` and
    ``until`` (ISO dates) keep the rows whose facts were first or last reported in that range.
    """
    queries = load_named_queries()
    query = queries.get(name)
    if query is None:
        raise QueryError(f"unknown named question {name!r}; available: {', '.join(queries)}")
    given = dict(params or {})
    missing = [p for p in query.params if p not in given]
    extra = sorted(set(given) - set(query.params))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing parameter(s): {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected parameter(s): {', '.join(extra)}")
        expected = ", ".join(query.params) or "none"
        raise QueryError(f"{name}: {'; '.join(parts)} (expects: {expected})")
    if skip < 0 or (limit is not None and limit < 0):
        raise QueryError("skip and limit must not be negative")
    text = query.text
    if since or until:
        text = with_date_range(query)
        given = {**given, "range_from": since or "", "range_to": (until or "9999") + "\uffff"}
    if limit is not None:
        return backend.run(paged(text), {**given, "skip_rows": skip, "limit_rows": limit})
    if skip:
        return backend.run(paged(text, limited=False), {**given, "skip_rows": skip})
    return backend.run(text, given or None)
