"""Benchmark: a distributed crawl with 1, 2, 4 and 8 workers on a farm slowed to real servers' latency.

Each answer of the farm takes 200–800 ms (``--latency``), as a county portal's does from far away.
Several farms run side by side (``--farms``: each on its own ports, so many hosts): a national crawl
has thousands of hosts, and one farm's dozen would make the per-host limit, not the workers, the bound.
Every worker is one ``ogi crawl --frontier`` process with its own store shard and a small share of
work at once (``--per-worker`` requests), the way a worker on a small machine would be set; all of
them share one Redis (started here, on loopback) and one limit per host (``--per-host`` requests at
once). Prints, for each number of workers: seconds, pages and files fetched per second (robots.txt
left out; the last column counts its reads, once per host when the workers share them), the speed-up
over one worker, the same for the steady pace (fetches per second between the 10th and 90th percentile
of their times: without the start and the last wave, fixed costs that a national crawl's hours make
small), and the most requests any farm host answered at once (never above ``--per-host``).
Target (issue 12): close to linear, politeness held.

    python bench/crawl_workers.py [--workers 1,2,4,8] [--farms 4] [--latency 0.2,0.8] [--per-worker 2]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from simulate.portals import Farm
from simulate.redisserver import redis_server

ROOT = Path(__file__).resolve().parent.parent


def crawl(
    seeds: Path, url: str, tmp: Path, workers: int, per_worker: int, per_host: int
) -> tuple[float, int, int, float]:
    """Run one distributed crawl of the farms; returns (seconds, fetches, robots.txt fetches, steady rate)."""
    run = f"bench{workers}"
    procs = []
    start = time.perf_counter()
    for i in range(workers):
        cmd = [sys.executable, "-m", "ogi", "crawl", "--profile", "farm", "--seeds", str(seeds)]
        cmd += ["--store", str(tmp / run / f"w{i}"), "--frontier", url, "--run", run, "--worker", f"w{i}"]
        cmd += ["-s", f"CONCURRENT_REQUESTS={per_worker}", "-s", f"OGI_HOST_CONCURRENCY={per_host}"]
        cmd += ["-s", "DOWNLOAD_TIMEOUT=5", "-s", "OGI_FRONTIER_TTL=10", "-s", "LOG_LEVEL=WARNING"]
        procs.append(subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    logs = [p.communicate(timeout=3600)[1] for p in procs]
    seconds = time.perf_counter() - start
    failed = [i for i, p in enumerate(procs) if p.returncode]
    if failed:
        print(f"workers {failed} failed:\n{logs[failed[0]][-2000:]}", file=sys.stderr)
    robots = 0
    times: list[float] = []
    for shard in (tmp / run).glob("w*"):
        db = sqlite3.connect(shard / "store.db")
        robots += db.execute("SELECT COUNT(*) FROM fetches WHERE url LIKE '%/robots.txt'").fetchone()[0]
        query = "SELECT fetched_at FROM fetches WHERE url NOT LIKE '%/robots.txt'"
        times += [datetime.fromisoformat(t).timestamp() for (t,) in db.execute(query)]
        db.close()
    return seconds, len(times), robots, steady_rate(times)


def steady_rate(times: list[float]) -> float:
    """Fetches per second between the 10th and the 90th percentile of their times: the crawl's pace once
    every worker is running, without the start (processes, robots.txt) and the last wave (the attachments
    of the last report pages found), which take as long with one worker as with eight."""
    if not times:
        return 0.0
    times = sorted(times)
    low, high = times[len(times) // 10], times[len(times) * 9 // 10]
    return (len(times) * 8 // 10) / max(1.0, high - low)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", default="1,2,4,8")
    ap.add_argument("--latency", default="0.2,0.8", help="seconds per answer: low,high")
    ap.add_argument("--per-worker", type=int, default=2, help="requests one worker has out at once")
    ap.add_argument("--per-host", type=int, default=2, help="requests one host gets at once, from all workers")
    ap.add_argument("--reports", type=int, default=2, help="reports per farm portal")
    ap.add_argument("--farms", type=int, default=4, help="farms side by side (13 hosts each)")
    ap.add_argument(
        "--list-pages", type=int, default=4, help="list pages of each farm's big TRS column (32: one host dominates)"
    )
    args = ap.parse_args()
    low, high = (float(x) for x in args.latency.split(","))
    print(
        f"{args.farms} farms, latency {low}–{high} s; {args.per_worker} requests per worker; {args.per_host} per host"
    )
    print(
        f"{'workers':>7} {'seconds':>8} {'fetches':>8} {'per s':>6} {'speed-up':>8} "
        f"{'steady/s':>8} {'speed-up':>8} {'host peak':>9} {'robots.txt':>10}"
    )
    base = steady_base = 0.0
    with redis_server() as url, tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.workers.split(",")):
            with ExitStack() as stack:
                farms = [
                    stack.enter_context(
                        Farm(seed=9 + i, reports_per_portal=args.reports, big_portal_pages=args.list_pages)
                    )
                    for i in range(args.farms)
                ]
                seeds = Path(tmp) / f"seeds{n}.csv"
                lines = []
                for i, farm in enumerate(farms):
                    farm.latency = (low, high)
                    text = farm.write_seeds(Path(tmp) / f"farm{i}.csv").read_text(encoding="utf-8").splitlines()
                    lines += text if i == 0 else text[1:]
                seeds.write_text("\n".join(lines) + "\n", encoding="utf-8")
                seconds, fetches, robots, steady = crawl(seeds, url, Path(tmp), n, args.per_worker, args.per_host)
                # the static portal's slow page keeps its server thread after the crawler gave up on it
                peak = max(p.peak for f in farms for p in f.portals if "/zwgk/nb/slow.html" not in p.routes)
            rate = fetches / seconds
            base, steady_base = base or rate, steady_base or steady
            print(
                f"{n:>7} {seconds:>8.1f} {fetches:>8} {rate:>6.1f} {rate / base:>7.2f}× "
                f"{steady:>8.1f} {steady / steady_base:>7.2f}× {peak:>9} {robots:>10}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
