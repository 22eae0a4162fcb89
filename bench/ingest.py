"""Benchmark: ingest N synthetic articles end to end (read, extract, store) and report the rate.

    python bench/ingest.py --n 10000 [--relevant 0.05] [--seed 7]

Prints articles/s, wall time and the peak resident memory of the process. Not a test: numbers
go into the README, never into assertions.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from corpus import write_jsonl  # bench/ is on sys.path when this script runs

from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--relevant", type=float, default=0.05, help="share of articles about deportation")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1: extract in this process)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_jsonl(Path(tmp) / "corpus.jsonl", args.n, args.seed, args.relevant)
        size_mb = corpus.stat().st_size / 1e6
        start = time.perf_counter()
        with Store.open(Path(tmp) / "bench.db") as store:
            report = ingest(store, [str(corpus)], batch_size=1000, jobs=args.jobs)
            stats = store.stats()
        wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {report.read:,} ({size_mb:.0f} MB of JSONL), relevant {report.relevant:,}, "
          f"with facts {report.with_facts:,}, facts {report.facts:,}")
    print(f"nodes: {sum(stats['nodes'].values()):,}, edges: {sum(stats['edges'].values()):,}")
    print(f"wall: {wall:.2f} s, rate: {report.read / wall:,.0f} articles/s (jobs={args.jobs})")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
