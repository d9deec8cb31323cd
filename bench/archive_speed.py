"""Benchmark: build archive.db from N generated HTML reports, then time search, a facet page and a saved query.

A raw store is synthesised directly (blobs + store.db rows, no crawl), so the
figures are the build's and Datasette's alone.  Prints the build rate
(reports/s, one core), the database size, and median / 95th-percentile times
of a full-text search, a facet page and a saved query through Datasette.
Targets (issue 4): build >= 50 reports/s for HTML sources; search median <= 50 ms.

    python bench/archive_speed.py [--count 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.build import build  # noqa: E402
from archive.serve import SAVED_QUERIES, metadata  # noqa: E402
from crawler.store import Fetch, RawStore  # noqa: E402
from tests import docgen  # noqa: E402


def synthesise(store_dir: Path, count: int) -> None:
    """A raw store holding ``count`` report pages, as a crawl would leave it."""
    store = RawStore(store_dir, crawl_id="bench")
    rng = random.Random(0)
    templates = [docgen.render_html(docgen.random_record(random.Random(i)), random.Random(i)) for i in range(200)]
    for i in range(count):
        body = templates[i % len(templates)].replace(b"</body>", f"<!-- {i} --></body>".encode())
        url = f"http://bench{i % 2800}.example/zwgk/nb/art_{i}.html"
        sha = store.put_blob(body)
        store.log_fetch(Fetch(url=url, final_url=url, status=200, content_type="text/html; charset=utf-8",
                              size=len(body), sha256=sha, seed=f"{900000 + i % 2800}", kind="report", report_url=url))
        store.record_report(url, f"{900000 + i % 2800}", f"bench {i}", rng.choice([2021, 2022, 2023]), None, [])
    store.close()


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000, help="reports to build")
    ap.add_argument("--runs", type=int, default=50, help="timed runs per query")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_dir, db = Path(tmp) / "store", Path(tmp) / "archive.db"
        synthesise(store_dir, args.count)
        start = time.perf_counter()
        build(db, store_dir, seeds=Path(tmp) / "none.csv", progress=False)
        elapsed = time.perf_counter() - start
        print(f"build: {args.count} reports in {elapsed:.1f} s = {args.count / elapsed:.1f} reports/s (target >= 50)")
        print(f"database size: {db.stat().st_size / 1e6:.1f} MB")

        from datasette.app import Datasette

        ds = Datasette([], immutables=[str(db)], metadata=metadata(db.stem),
                       settings={"suggest_facets": False, "sql_time_limit_ms": 3000})  # as `ogi serve` runs it
        loop = asyncio.new_event_loop()
        get = lambda path: loop.run_until_complete(ds.client.get(path))  # noqa: E731
        cases = {
            "full-text search 复议 (search box, with count)": f"/{db.stem}/reports.json?_search=复议&_size=20",
            "full-text search 复议 (saved query)": f"/{db.stem}/search.json?q=复议",
            "full-text search 行政诉讼 (saved query)": f"/{db.stem}/search.json?q=行政诉讼",
            "facet page (province, year, kind, template)":
                f"/{db.stem}/report_totals.json?_facet=province&_facet=year&_facet=agency_kind&_facet=template&_size=20",
            "saved query most_requests": f"/{db.stem}/most_requests.json",
        }
        assert "most_requests" in SAVED_QUERIES
        for name, path in cases.items():
            assert get(path).status_code == 200, path
            median, p95 = timed(lambda: get(path), args.runs)
            print(f"{name}: median {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
