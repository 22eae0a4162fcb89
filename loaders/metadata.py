"""A metadata sidecar: url, title, publisher and date for articles whose files carry none.

``deportgraph ingest --metadata META.csv|.jsonl`` reads one row per article, keyed by ``file`` (a file
name, or its path as given to ingest) or by ``id`` (the source id deportgraph gives the article), with
any of ``url``, ``title``, ``publisher``, ``published``. What a row gives replaces what was read from
the file itself.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deportgraph.errors import LoaderError

from .article import Article
from .dates import iso_date

__all__ = ["FIELDS", "Metadata", "read_metadata"]

FIELDS = ("url", "title", "publisher", "published")
_KEYS = ("file", "id")


@dataclass(frozen=True)
class Metadata:
    """Rows of a sidecar, by file name or path and by source id."""

    by_file: dict[str, dict[str, str]] = field(default_factory=dict)
    by_id: dict[str, dict[str, str]] = field(default_factory=dict)

    def for_file(self, path: str) -> dict[str, str] | None:
        """The row of a file: its path as given, else its name."""
        return self.by_file.get(path) or self.by_file.get(Path(path).name)

    def apply(self, article: Article) -> Article:
        """The article with what its row gives (by id first, then by file)."""
        row = self.by_id.get(article.id) or self.for_file(article.path)
        if not row:
            return article
        changes: dict[str, Any] = {k: v for k, v in row.items() if k in FIELDS and v}
        if "published" in changes:
            changes["published"] = iso_date(changes["published"])
        return replace(article, **{k: v for k, v in changes.items() if v})


def read_metadata(path: str | Path) -> Metadata:
    """Read a sidecar (.csv with a header, or .jsonl); a bad row is an error naming the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LoaderError(str(path), f"cannot read the metadata file ({exc.strerror or exc})") from None
    rows: list[tuple[int, dict[str, Any]]] = []
    if path.suffix.lower() == ".jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise LoaderError(f"{path}:{lineno}", f"is not valid JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise LoaderError(f"{path}:{lineno}", "is not a JSON object")
                rows.append((lineno, row))
    elif path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        rows = [(lineno, dict(row)) for lineno, row in enumerate(reader, 2)]
        if not any(k in (reader.fieldnames or ()) for k in _KEYS):
            raise LoaderError(str(path), f"needs a 'file' or an 'id' column (has {', '.join(reader.fieldnames or [])})")
    else:
        raise LoaderError(str(path), "metadata must be a .csv or a .jsonl file")
    meta = Metadata()
    for lineno, row in rows:
        values = {k: str(row[k]).strip() for k in FIELDS if row.get(k) not in (None, "")}
        if "published" in values and iso_date(values["published"]) is None:
            raise LoaderError(f"{path}:{lineno}", f"has a date deportgraph cannot read: {values['published']!r}")
        if row.get("file"):
            meta.by_file[str(row["file"]).strip()] = values
        elif row.get("id"):
            meta.by_id[str(row["id"]).strip()] = values
        else:
            raise LoaderError(f"{path}:{lineno}", "names no 'file' and no 'id'")
    return meta
