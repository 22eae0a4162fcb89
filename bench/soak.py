"""Soak: one long ingest while several clients keep asking the same store questions; not a test.

    python bench/soak.py [--minutes 10] [--clients 4] [--relevant 0.3] [--keep DIR]

An archive of synthetic articles (``bench/corpus.py``: a graph that grows with it) sized to keep
`ingest` busy for most of the run is written first; then, for ``--minutes``:

- one ``deportgraph ingest`` of it (the CLI, two worker processes);
- ``--clients`` processes, each looping over the named questions (``deportgraph query``), a ``cypher``
  read that counts nodes and edges, the evidence of an edge, and now and then ``export html``;
- one thread in this process reading a country's profile through the Python API.

Every command runs against the store's kept engine (the default), with ``DEPORTGRAPH_ENGINE_TIMEOUT``
set low enough that a stuck engine shows as an error within the run. At the end it prints how many
questions were answered, their latency (p50, p95, max), the errors by kind, and these checks: no
error, no stuck engine, the counts a client saw never went down, ``PRAGMA integrity_check`` is ok, and
ingesting the archive again adds nothing. Exit code 0 only when every check holds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from corpus import GROWING_CHUNK, growing_chunk  # bench/ is on sys.path when this script runs

QUESTIONS = ["third-countries", "accepts", "payments", "funding", "officials", "agreements"]
COUNT = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS edges"
ENGINE_TIMEOUT_S = 180  # a reply slower than this is a stuck engine, reported as an error
COMMAND_TIMEOUT_S = 600


@dataclass
class Tally:
    """What one client saw."""

    answered: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    counts: list[tuple[int, int]] = field(default_factory=list)
    examples: dict[str, str] = field(default_factory=dict)


def _kind(text: str) -> str:
    """A short name for an error, from the first line the command printed."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "no output")
    for key in ("gave no answer", "stuck", "locked", "Traceback", "timed out", "Connection", "snapshot"):
        if key.lower() in text.lower():
            return key
    return line[:60]


def _run(command: list[str], env: dict[str, str], tally: Tally) -> str | None:
    start = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=COMMAND_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        tally.errors["command timed out"] += 1
        return None
    tally.latencies.append(time.monotonic() - start)
    if done.returncode != 0:
        kind = _kind(done.stderr + done.stdout)
        tally.errors[kind] += 1
        tally.examples.setdefault(kind, (done.stderr or done.stdout).strip()[-400:])
        return None
    tally.answered += 1
    return done.stdout


def client(number: int, store: Path, until: float, out: Path, env: dict[str, str]) -> None:
    """One client process's loop; its tally is written to ``out`` as JSON."""
    rng = random.Random(number)
    tally = Tally()
    base = [sys.executable, "-m", "deportgraph"]
    s = ["--store", str(store)]
    while time.monotonic() < until:
        roll = rng.random()
        if roll < 0.55:
            _run([*base, "query", rng.choice(QUESTIONS), "--limit", "50", *s], env, tally)
        elif roll < 0.8:
            text = _run([*base, "cypher", COUNT, "--format", "json", *s], env, tally)
            if text:
                row = json.loads(text)[0]
                tally.counts.append((int(row["nodes"]), int(row["edges"])))
        elif roll < 0.95:
            text = _run([*base, "query", "accepts", "--limit", "1", "--format", "json", *s], env, tally)
            if text and json.loads(text):
                edge = json.loads(text)[0]
                _run([*base, "query", "evidence", "-p",
                      f"id=ACCEPTS_DEPORTEES_FROM:{edge['host_iso3']}->{edge['from_iso3']}", *s], env, tally)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                _run([*base, "export", "html", str(Path(tmp) / "g.html"), *s], env, tally)
    out.write_text(json.dumps({"answered": tally.answered, "latencies": tally.latencies,
                               "errors": dict(tally.errors), "counts": tally.counts,
                               "examples": tally.examples}), encoding="utf-8")


def profile_reader(store: Path, until: float, tally: Tally) -> None:
    """The Python API beside the CLI: a country's profile, again and again."""
    from deportgraph.errors import DeportgraphError
    from deportgraph.graph.store import Store
    from deportgraph.queries.profile import country_profile

    while time.monotonic() < until:
        start = time.monotonic()
        try:
            with Store.open(store) as s:
                country_profile(s, "USA")
        except DeportgraphError as exc:
            kind = _kind(str(exc))
            tally.errors[kind] += 1
            tally.examples.setdefault(kind, str(exc)[-400:])
        else:
            tally.answered += 1
            tally.latencies.append(time.monotonic() - start)
        time.sleep(1.0)


def write_archive(path: Path, articles: int, relevant: float) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for chunk in range(0, articles, GROWING_CHUNK):
            f.write(growing_chunk(chunk // GROWING_CHUNK, articles, 7, relevant))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--relevant", type=float, default=0.3, help="share of articles about deportation")
    parser.add_argument("--rate", type=float, default=350.0,
                        help="articles/s the ingest is expected to reach here (sizes the archive)")
    parser.add_argument("--keep", type=Path, help="keep the archive and the store in this folder")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="deportgraph-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    archive, store = work / "archive.jsonl", work / "soak.db"
    articles = int(args.rate * args.minutes * 60 * 0.8)
    started = time.monotonic()
    write_archive(archive, articles, args.relevant)
    print(f"archive: {articles:,} articles ({archive.stat().st_size / 1e6:.0f} MB) in "
          f"{time.monotonic() - started:.0f} s; store {store}", flush=True)
    env = {**os.environ, "DEPORTGRAPH_ENGINE_TIMEOUT": str(ENGINE_TIMEOUT_S), "DEPORTGRAPH_KEEP_ENGINE": "600"}
    base = [sys.executable, "-m", "deportgraph"]
    # a first small ingest, so that the clients have a store to ask from the start
    subprocess.run([*base, "ingest", "-q", "--store", str(store), str(Path(__file__).parents[1] / "examples")],
                   check=True, env=env, capture_output=True)

    until = time.monotonic() + args.minutes * 60
    ingest = subprocess.Popen([*base, "ingest", "-q", "--jobs", "2", "--store", str(store), str(archive)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outs = [work / f"client-{i}.json" for i in range(args.clients)]
    clients = [subprocess.Popen([sys.executable, __file__, "--client", str(i), str(store), str(until), str(out)],
                                env=env) for i, out in enumerate(outs)]
    api = Tally()
    reader = threading.Thread(target=profile_reader, args=(store, until, api), daemon=True)
    reader.start()
    for proc in clients:
        proc.wait()
    reader.join()
    _, ingest_err = ingest.communicate()
    ingest_ok = ingest.returncode == 0

    tallies = [json.loads(out.read_text(encoding="utf-8")) for out in outs]
    latencies = sorted(x for t in tallies for x in t["latencies"]) + sorted(api.latencies)
    errors: Counter[str] = Counter()
    examples: dict[str, str] = dict(api.examples)
    for t in tallies:
        errors.update(t["errors"])
        examples.update(t["examples"])
    errors.update(api.errors)
    monotone = all(all(b[0] >= a[0] and b[1] >= a[1] for a, b in zip(t["counts"], t["counts"][1:], strict=False))
                   for t in tallies)
    with sqlite3.connect(store) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    again = subprocess.run([*base, "ingest", "--store", str(store), str(archive)], env=env,
                           capture_output=True, text=True)
    rerun_adds_nothing = again.returncode == 0 and " 0 added" in (again.stdout + again.stderr)
    from deportgraph.queries.resident import stop_resident

    stop_resident(store.with_name(store.name + ".falkordb"))  # the kept engine, which would otherwise idle on

    answered = sum(t["answered"] for t in tallies) + api.answered
    q = statistics.quantiles(latencies, n=20) if len(latencies) >= 20 else [float("nan")] * 19
    print(f"{args.minutes:g} min, {args.clients} clients: {answered:,} answered; latency p50 "
          f"{statistics.median(latencies) if latencies else float('nan'):.2f} s, p95 {q[18]:.2f} s, "
          f"max {max(latencies, default=float('nan')):.2f} s")
    print(f"ingest: {'ok' if ingest_ok else 'FAILED'} {ingest_err.strip().splitlines()[-1:] if ingest_err else ''}")
    print(f"errors: {dict(errors) or 'none'}")
    for kind, text in examples.items():
        print(f"  {kind}: {text}")
    checks = {"no error": not errors and ingest_ok, "no stuck engine": not any("answer" in k for k in errors),
              "counts never went down": monotone, "integrity_check ok": integrity == "ok",
              "a rerun of the ingest adds nothing": rerun_adds_nothing}
    for name, ok in checks.items():
        print(f"check: {name}: {'yes' if ok else 'NO'}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        _, _, number, store_arg, until_arg, out_arg = sys.argv
        # the parent's monotonic deadline, carried over as seconds left (clocks are the same on one machine)
        client(int(number), Path(store_arg), float(until_arg), Path(out_arg), dict(os.environ))
        sys.exit(0)
    sys.exit(main())
