"""One renderer for rows in every output format: table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return " ".join(str(value).split())


def render(rows: Sequence[dict[str, Any]], fmt: str = "table", columns: Sequence[str] | None = None,
           max_width: int = 60) -> str:
    """Rows as text. JSON is one array of objects; CSV joins lists with ``;``.

    >>> print(render([{"iso3": "UZB", "accepts_from": ["USA"]}], "csv"), end="")
    iso3,accepts_from
    UZB,USA
    >>> print(render([{"iso3": "UZB", "n": 3}]))
    iso3  n
    ----  -
    UZB   3
    """
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow([_spreadsheet_safe(";".join(map(str, v))) if isinstance(v, (list, tuple)) else
                             "" if v is None else _spreadsheet_safe(v) for v in (r.get(c) for c in cols)])
        return buf.getvalue()
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if not rows:
        return "(no rows)\n"
    whole = [[_cell(r.get(c)) for c in cols] for r in rows]
    cells = [[_clip(v, max_width) for v in row] for row in whole]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    if any(len(v) > max_width for row in whole for v in row):
        lines.append(f"(cells over {max_width} characters are cut with …; --format json or csv gives them whole)")
    return "\n".join(lines) + "\n"


def _spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first)
    gets a leading apostrophe; numbers stay numbers. (The neo4j-admin CSVs of ``export csv`` keep their
    exact values: they are for Neo4j, not for a spreadsheet.)

    >>> _spreadsheet_safe("=HYPERLINK(1)"), _spreadsheet_safe(-5), _spreadsheet_safe("Rwanda")
    ("'=HYPERLINK(1)", -5, 'Rwanda')
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
