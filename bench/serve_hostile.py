"""Benchmark: the public endpoint under hostile queries — normal-query latency and server memory.

Starts ``ogi serve`` on an archive (by default the demo's, built first into a
temporary directory), then for each phase runs a normal client (127.0.0.4)
that searches and runs a saved query every 0.2 s, while in the hostile phase
eight threads from another address (127.0.0.3) send, over and over: a
450 MB ``zeroblob``, 100 rows of 3 MB random blobs, and a triple cross join
that runs until the time limit. Prints the normal client's latency
(median, 95th percentile, worst), its failures, what the hostile queries got,
and the server's peak resident memory. Target (issue 13): a normal query
answers in < 1 s while hostile queries run; memory stays bounded.

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
    "select zeroblob(450000000)",
    "with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) select randomblob(3000000) from n",
    "select count(*) from fetches a, fetches b, fetches c",
]


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
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def phase(port: int, pid: int, db: str, seconds: float, hostile: bool) -> dict[str, object]:
    stop = threading.Event()
    outcomes: Counter[int] = Counter()
    peak = [_rss_kib(pid)]

    def attacker(i: int) -> None:
        while not stop.is_set():
            sql = HOSTILE[i % len(HOSTILE)]
            status, _ = _get(port, "127.0.0.3", f"/{db}.json?" + urlencode({"sql": sql}))
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
    normal = [f"/{db}/reports.json?_search=" + "%E5%A4%8D%E8%AE%AE", f"/{db}/most_requests.json"]
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        status, took = _get(port, "127.0.0.4", normal[i % 2])
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
            for label, hostile in (("quiet", False), ("under attack", True)):
                print(label, json.dumps(phase(port, server.pid, name, args.seconds, hostile)), flush=True)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
