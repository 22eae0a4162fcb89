"""Benchmark: the named questions on the embedded FalkorDB engine over a large store.

    python bench/query.py [--store PATH | --n 1000000] [--runs 30] [--page 100] [--keep DIR]

Uses the store at PATH, or builds one from ``--n`` articles of the growing synthetic corpus
(``bench/scale.py``; 1,000,000 articles give ~104,000 nodes: the 50,000 relevant articles as
sources, 46,000 officials, 8,000 agreements). Then measures, with the engine's snapshot in a
temporary folder (the store's own snapshot is left alone):

* the first load: ``open_store_engine`` with no snapshot (read the store, bulk-load, SAVE);
* a start from the snapshot: ``open_store_engine`` again with the snapshot in place (3 times);
* p50 / p95 over ``--runs`` runs (after one warm-up) of each named question through ``run_named``,
  client time: the query, the transfer and the conversion of the rows into Python. ``evidence``
  runs with a real edge id (the edge with the most sources) and with an agreement node id;
* p50 / p95 of the first page of each (``run_named(..., limit=PAGE)``, as ``query --limit``);
* the whole command as a user types it, ``deportgraph query agreements --limit 20`` in a new process
  (Python start, snapshot start, question, output), with ``--keep-engine 0`` and as by default (the
  resident engine: the first command starts it, the next ones connect to it).

Prints a table with rows returned, the size of the rows as JSON and the execution time FalkorDB
itself reports (median), since a question that returns every official or every edge is slow for
its output (the transfer and its parsing in the client), not its matching. Not a test: numbers go
into the README, never into assertions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scale import add_store_arguments, machine, tree_rss_bytes, with_store  # bench/ is on sys.path

from deportgraph.graph.store import Store
from deportgraph.queries.backends import EmbeddedFalkorDB
from deportgraph.queries.engine import open_store_engine, snapshot_dir_for
from deportgraph.queries.named import load_named_queries, run_named
from deportgraph.queries.resident import stop_resident


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between the closest ranks.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def busiest_edge(store: Store) -> str:
    """The id of the accepts edge (else any edge) with the most distinct sources: a real, well-evidenced edge."""
    row = None
    for where in ("WHERE e.type = 'ACCEPTS_DEPORTEES_FROM'", ""):
        row = row or store.conn.execute(
            f"SELECT f.target FROM facts f JOIN edges e ON e.id = f.target {where} "
            "GROUP BY f.target ORDER BY COUNT(DISTINCT f.source_id) DESC, f.target LIMIT 1").fetchone()
    if row is None:
        raise SystemExit("the store has no edges: ingest something about deportation first")
    return str(row[0])


def busiest_agreement(store: Store) -> str | None:
    row = store.conn.execute(
        "SELECT f.target FROM facts f JOIN nodes n ON n.id = f.target WHERE n.label = 'Agreement' "
        "GROUP BY f.target ORDER BY COUNT(DISTINCT f.source_id) DESC, f.target LIMIT 1").fetchone()
    return str(row[0]) if row else None


def engine_ms(engine: EmbeddedFalkorDB, text: str, params: dict[str, Any], runs: int) -> float:
    """Median of the execution time FalkorDB itself reports for a query (no transfer, no parsing)."""
    from falkordb import FalkorDB

    db = FalkorDB(unix_socket_path=str(engine.socket_path))
    try:
        graph = db.select_graph("deportgraph")
        return statistics.median(float(graph.ro_query(text, params or None).run_time_ms) for _ in range(runs))
    finally:
        db.connection.close()


def bench_questions(engine: EmbeddedFalkorDB, cases: list[tuple[str, str, dict[str, Any]]],
                    runs: int, page: int) -> list[dict[str, Any]]:
    """Time each (label, name, params) case ``runs`` times after one warm-up run."""
    queries = load_named_queries()
    out = []
    for label, name, params in cases:
        rows = run_named(engine, name, params)  # warm-up (and the rows for the table)
        times = []
        for _ in range(runs):
            seconds, _rows = timed(lambda name=name, params=params: run_named(engine, name, params))
            times.append(seconds * 1000)
        paged = []
        for _ in range(runs):
            seconds, _rows = timed(lambda name=name, params=params: run_named(engine, name, params, limit=page))
            paged.append(seconds * 1000)
        out.append({"question": label, "rows": len(rows), "json_kb": len(json.dumps(rows, default=str)) / 1000,
                    "p50": percentile(times, 50), "p95": percentile(times, 95), "min": min(times),
                    "engine": engine_ms(engine, queries[name].text, params, max(3, runs // 3)),
                    "page_p50": percentile(paged, 50), "page_p95": percentile(paged, 95)})
    return out


def print_table(results: list[dict[str, Any]], page: int) -> None:
    header = (f"{'question':<28} {'rows':>8} {'rows as JSON':>13} {'p50 ms':>9} {'p95 ms':>9} {'min ms':>9} "
              f"{'engine ms':>10} {'page p50':>9} {'page p95':>9}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['question']:<28} {r['rows']:>8,} {r['json_kb']:>10,.0f} kB {r['p50']:>9.1f} {r['p95']:>9.1f} "
              f"{r['min']:>9.1f} {r['engine']:>10.1f} {r['page_p50']:>9.1f} {r['page_p95']:>9.1f}")
    print("p50/p95/min: run_named as the CLI calls it (query, transfer, parsing into Python rows); engine ms: the "
          f"median execution time FalkorDB reports for the query itself; page: the first {page} rows (--limit {page}).")


def bench_cli(store: Store, runs: int = 5) -> None:
    """Wall time of whole CLI commands, a new process each, with and without the resident engine."""
    command = [sys.executable, "-m", "deportgraph", "query", "agreements", "--limit", "20", "--store", str(store.path)]

    def once(*extra: str) -> float:
        seconds, done = timed(lambda: subprocess.run([*command, *extra], capture_output=True, check=False))
        if done.returncode:
            raise SystemExit(done.stderr.decode(errors="replace"))
        return seconds

    once("--keep-engine", "0")  # make sure the store's own snapshot exists
    plain = [once("--keep-engine", "0") for _ in range(runs)]
    try:
        first = once()  # the default keeps the engine
        kept = [once() for _ in range(runs)]
    finally:
        stop_resident(snapshot_dir_for(store))  # the store's own snapshot folder, as the CLI uses it
    print(f"'deportgraph query agreements --limit 20', a new process each: with --keep-engine 0 "
          f"{statistics.median(plain):.2f} s (median of {runs}, engine started from its snapshot each time); "
          f"as by default (the engine kept): the first {first:.2f} s, then {statistics.median(kept):.2f} s "
          f"(median of {runs})")


def run(store_path: Path, runs: int, page: int) -> None:
    with Store.open(store_path) as store:
        stats = store.stats()
        nodes, edges = sum(stats["nodes"].values()), sum(stats["edges"].values())
        print(f"machine: {machine()}")
        print(f"store: {store_path} — {nodes:,} nodes {stats['nodes']}, {edges:,} edges")
        edge_id, agreement_id = busiest_edge(store), busiest_agreement(store)
        read_s, _ = timed(store.graph_rows)
        print(f"reading the graph rows from SQLite (part of the first load): {read_s:.2f} s")
        with tempfile.TemporaryDirectory(prefix="deportgraph-query-bench-") as tmp:
            snapshot = Path(tmp) / "snapshot"
            first_s, engine = timed(lambda: open_store_engine(store, snapshot))
            engine.close()
            dump_mb = (snapshot / "dump.rdb").stat().st_size / 1e6
            print(f"first load (no snapshot: read, bulk-load, SAVE): {first_s:.2f} s; snapshot {dump_mb:.0f} MB")
            starts = []
            for _ in range(3):
                seconds, engine = timed(lambda: open_store_engine(store, snapshot))
                starts.append(seconds)
                engine.close()
            print(f"start from the snapshot: median {statistics.median(starts):.2f} s "
                  f"(runs: {', '.join(f'{s:.2f}' for s in starts)})")
            engine = open_store_engine(store, snapshot)
            try:
                rss, processes = tree_rss_bytes()
                print(f"RSS of this process and the embedded server, graph loaded: {rss / 1e6:,.0f} MB "
                      f"({processes} processes)")
                cases: list[tuple[str, str, dict[str, Any]]] = []
                for name, query in load_named_queries().items():
                    if query.params == ("id",):
                        cases.append((f"{name} (edge)", name, {"id": edge_id}))
                        if agreement_id:
                            cases.append((f"{name} (agreement node)", name, {"id": agreement_id}))
                    else:
                        cases.append((name, name, {}))
                print(f"evidence ids: edge {edge_id!r}, agreement {agreement_id!r}; {runs} runs each after a warm-up")
                print()
                print_table(bench_questions(engine, cases, runs, page), page)
            finally:
                engine.close()
        print()
        bench_cli(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_store_arguments(parser, n=1_000_000, relevant=0.05)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per question")
    parser.add_argument("--page", type=int, default=100, help="rows of the first page timed for each question")
    args = parser.parse_args()
    with_store(args, lambda store: run(store, args.runs, args.page))


if __name__ == "__main__":
    main()
