"""Benchmark: the public endpoint under hostile queries — normal-query latency and server memory.

Starts ``ogi serve`` on an archive (by default the demo's, built first into a
temporary directory), then for each phase runs a normal client (127.0.0.4)
that loads the home page, searches and runs a saved query every 0.2 s, while
in the hostile phase eight threads from four other addresses (two each, so
the per-address limit alone cannot stop them) send, over and over: one
``instr`` over megabyte strings (one SQLite step of ~23 s, which the progress
handler never interrupts), a 450 MB ``zeroblob``, 100 rows of 3 MB random
blobs, and a triple cross join that runs until the time limit; in the last
phase, all eight send the ``instr`` step only (issue 27's attack). Prints the
normal client's latency (median, 95th percentile, worst), its failures, what
the hostile queries got, and the server's peak resident memory (its query
processes included). Targets (issues 13, 27): a normal page answers in < 1 s
(95th percentile) while hostile queries run; memory stays bounded.

    python bench/serve_hostile.py [--db archive.db --store store] [--seconds 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from simulate.redisserver import free_port

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "select instr(printf('%.*c', 2000000, 'a'), printf('%.*c', 1000000, 'a') || 'b')",
    "select zeroblob(450000000)",
    "with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) select randomblob(3000000) from n",
    "select count(*) from fetches a, fetches b, fetches c",
]
#: The hostile clients' addresses (last byte, in 127.0.0.0/8).
ATTACKERS = (3, 5, 6, 7)


def _get(port: int, source: str, path: str, timeout: float = 30) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    start = time.monotonic()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - start
    except OSError:
        return 0, time.monotonic() - start
    finally:
        conn.close()


def _rss_kib(pid: int) -> int:
    """The resident memory of a process and all its descendants (the server's query processes)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for member in tree:
        try:
            status = Path(f"/proc/{member}/status").read_text().splitlines()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
    return total


def phase(port: int, pid: int, db: str, seconds: float, hostile: list[str]) -> dict[str, object]:
    stop = threading.Event()
    outcomes: Counter[int] = Counter()
    peak = [_rss_kib(pid)]

    def attacker(i: int) -> None:
        while not stop.is_set():
            sql = hostile[i % len(hostile)]
            status, _ = _get(port, f"127.0.0.{ATTACKERS[i % len(ATTACKERS)]}", f"/{db}.json?" + urlencode({"sql": sql}))
            outcomes[status] += 1
            i += 1

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _rss_kib(pid))
            time.sleep(0.1)

    threads = [threading.Thread(target=watch)]
    if hostile:
        threads += [threading.Thread(target=attacker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    latencies, failures = [], 0
    normal = ["/", f"/{db}/reports.json?_search=" + "%E5%A4%8D%E8%AE%AE", f"/{db}/most_requests.json"]
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        status, took = _get(port, "127.0.0.4", normal[i % len(normal)])
        i += 1
        latencies.append(took)
        failures += status != 200
        time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "normal_queries": len(latencies),
        "normal_failed": failures,
        "median_ms": round(statistics.median(latencies) * 1000),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000),
        "worst_ms": round(latencies[-1] * 1000),
        "hostile_statuses": dict(outcomes),
        "server_peak_rss_mb": peak[0] // 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an archive (default: the demo's, built now)")
    parser.add_argument("--store", help="its raw store")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, store = args.db, args.store
        if db is None:
            folder = Path(tmp) / "demo"
            subprocess.run([sys.executable, "-m", "ogi", "demo", "--no-serve", "--dir", str(folder)], check=True)
            db, store = str(folder / "archive.db"), str(folder / "store")
        port = free_port()
        cmd = [sys.executable, "-m", "ogi", "serve", "--db", db, "--port", str(port)]
        server = subprocess.Popen(cmd + (["--store", store] if store else []), cwd=ROOT)
        try:
            for _ in range(100):
                if _get(port, "127.0.0.4", "/-/versions.json", timeout=1)[0] == 200:
                    break
                time.sleep(0.2)
            name = Path(db).stem
            phases = (("quiet", []), ("under attack", HOSTILE), ("one long step x8", HOSTILE[:1]))
            for label, hostile in phases:
                print(label, json.dumps(phase(port, server.pid, name, args.seconds, hostile)), flush=True)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
