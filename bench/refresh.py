"""Benchmark: bringing the embedded engine's snapshot up to date after an ingest, against loading it whole.

    python bench/refresh.py [--store PATH | --n 1000000] [--add 10000] [--jobs 2]

Works on a copy of the store (``--store`` is left unchanged) in a temporary folder:

1. the first load of the engine (no snapshot: read the store, bulk-load, SAVE);
2. an ingest of ``--add`` new articles of the growing synthetic corpus (another seed: new
   articles, officials drawn from the same names, so existing nodes and edges change too);
3. the next start: from the older snapshot, with what changed since written into it, then SAVE;
4. for comparison, a whole load of the same store into a second, empty snapshot folder.

Prints each time, the rows changed and whether both engines hold the same graph (node and edge
counts). Not a test: numbers go into the README, never into assertions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from scale import add_store_arguments, machine, with_store, write_archive  # bench/ is on sys.path

from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store
from deportgraph.queries.backends import TOKEN_FILE
from deportgraph.queries.engine import open_store_engine

COUNTS = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS edges"


def copy_store(source: Path, target: Path) -> None:
    """A consistent copy of a store, even one open in WAL mode elsewhere (SQLite's backup API)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def run(store_path: Path, add: int, jobs: int, seed: int) -> None:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="deportgraph-refresh-") as tmp:
        folder = Path(tmp)
        db = folder / "copy.db"
        start = time.perf_counter()
        copy_store(store_path, db)
        print(f"copied {store_path} in {time.perf_counter() - start:.1f} s")
        with Store.open(db) as store:  # an older store is migrated here, before anything is timed
            snapshot = folder / "snapshot"
            start = time.perf_counter()
            open_store_engine(store, snapshot).close()
            print(f"first load (no snapshot): {time.perf_counter() - start:.2f} s")
            archive = folder / "more.jsonl"
            write_archive(archive, add, seed=seed + 1000, jobs=jobs)
            start = time.perf_counter()
            report = ingest(store, [str(archive)], jobs=jobs)
            print(f"ingest of {add:,} more articles: {time.perf_counter() - start:.1f} s "
                  f"({report.added:,} added)")
            token = json.loads((snapshot / TOKEN_FILE).read_text(encoding="utf-8"))["token"]
            start = time.perf_counter()
            changes = store.graph_changes(token)
            read_s = time.perf_counter() - start
            assert changes is not None, "the snapshot's state is not an earlier state of this store"
            nodes = sum(len(rows) for rows in changes.nodes.values())
            edges = sum(len(rows) for rows in changes.edges.values())
            print(f"changes since the snapshot: {nodes:,} nodes and {edges:,} edges to write, "
                  f"{len(changes.removed_nodes):,} nodes and {len(changes.removed_edges):,} edges to delete "
                  f"(read and checked in {read_s:.2f} s)")
            start = time.perf_counter()
            with open_store_engine(store, snapshot) as engine:
                refresh_s = time.perf_counter() - start
                refreshed = engine.run(COUNTS)
            print(f"next start, the older snapshot brought up to date and saved: {refresh_s:.2f} s")
            start = time.perf_counter()
            with open_store_engine(store, folder / "whole") as engine:
                whole_s = time.perf_counter() - start
                whole = engine.run(COUNTS)
            print(f"the same store loaded whole instead: {whole_s:.2f} s")
            print(f"graphs: refreshed {refreshed[0]}, whole {whole[0]}: {'same' if refreshed == whole else 'DIFFER'}")
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_store_arguments(parser, n=100_000, relevant=0.05)
    parser.add_argument("--add", type=int, default=10_000, help="articles ingested after the first load")
    args = parser.parse_args()
    with_store(args, lambda store: run(store, args.add, args.jobs, args.seed))


if __name__ == "__main__":
    main()
