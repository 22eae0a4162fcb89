"""A diffable JSON dump of the whole store: sources, nodes, edges and facts, every list sorted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deportgraph.graph.store import SCHEMA_VERSION, Store

__all__ = ["dump_json", "write_json"]


def dump_json(store: Store) -> dict[str, Any]:
    """The whole store as one JSON-ready object, every list sorted: the same store, the same bytes."""
    return {
        "schema_version": SCHEMA_VERSION,
        "sources": list(store.sources()),
        "nodes": [{"id": i, "label": label, "properties": p} for i, label, p in store.nodes() if label != "Source"],
        "edges": [{"id": i, "type": t, "source": s, "target": d, "properties": p}
                  for i, t, s, d, p in store.edges()],
        "facts": list(store.facts()),
    }


def write_json(store: Store, out: Path) -> None:
    """Write `dump_json` to a file, keys sorted, one stable layout."""
    text = json.dumps(dump_json(store), ensure_ascii=False, indent=1, sort_keys=True)
    Path(out).write_text(text + "\n", encoding="utf-8")
