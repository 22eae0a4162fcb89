"""The digest of every export of one fixed store, so a change to the output code that changes a byte shows.

    python tests/export_digests.py          # print them
    python tests/export_digests.py --write  # rewrite tests/fixtures/export-digests.json after a deliberate change

`tests/test_export_digests.py` compares the exports with the file. The store is `tests/fixtures/store-v5.db`
(copied before use), so the digests depend on the export code only, not on extraction.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from deportgraph.graph.store import Store
from deportgraph.outputs import write_export

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "export-digests.json"
STORE = ROOT / "tests" / "fixtures" / "store-v5.db"
# (name, kind, options): every export the CLI offers, in each of its forms
EXPORTS = [
    ("json", "json", {}),
    ("graphml", "graphml", {}),
    ("cypher-neo4j", "cypher", {"dialect": "neo4j"}),
    ("cypher-falkordb", "cypher", {"dialect": "falkordb"}),
    ("csv", "csv", {}),
    ("html", "html", {}),
    ("html-focus", "html", {"focus": "Panama"}),
    ("html-third-countries", "html", {"query": "third-countries"}),
    ("graphml-since", "graphml", {"since": "2025-06"}),
    ("csv-since", "csv", {"since": "2025-06"}),
]


def digests() -> dict[str, str]:
    """The sha256 of each export of the fixture store (a folder's files in name order, each named)."""
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "g.db"
        shutil.copyfile(STORE, store_path)
        with Store.open(store_path) as store:
            for name, kind, options in EXPORTS:
                target = Path(tmp) / name
                write_export(store, kind, target, **options)
                h = hashlib.sha256()
                for path in sorted(target.iterdir()) if target.is_dir() else [target]:
                    h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
                out[name] = h.hexdigest()
    return out


if __name__ == "__main__":
    found = digests()
    if "--write" in sys.argv:
        FIXTURE.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(found, indent=1, sort_keys=True))
