"""Benchmark: build archive.db from N generated HTML reports, then time search, facets, saved queries and pages.

A raw store is synthesised directly (WARC records + store.db rows, no crawl), so the
figures are the build's and Datasette's alone.  Prints the build rate
(reports/s, one core), the database size, and median / 95th-percentile times
of a full-text search, a facet page, saved queries and the pages for people
(home, search, report, agency, county, feed) through Datasette.
Targets: build >= 50 reports/s for HTML sources; search median <= 50 ms (issue 4); home and search
page <= 300 ms, report and agency page <= 100 ms median (issue 11); the revisions and map pages <= 300 ms
(issue 29: one report in 50 is republished with other numbers).

    python bench/archive_speed.py [--count 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from archive.build import build
from archive.serve import SAVED_QUERIES, metadata
from rawstore import RawStore
from simulate import documents as docgen

ROOT = Path(__file__).resolve().parent.parent

SEEDS = ROOT / "seeds" / "portals.csv"
#: the place in a generated agency's name (平乡县人民政府办公室 → 平乡县), replaced by a real county's name
_PLACE = re.compile(r"^(.*?(?:示范区|街道|县|区|市|镇))")


def counties() -> list[tuple[str, str]]:
    """(adcode, county name) of every county in seeds/portals.csv."""
    return [(r["adcode"], r["county"]) for r in csv.DictReader(SEEDS.open(encoding="utf-8-sig"))]


def synthesise(store_dir: Path, count: int) -> None:
    """A raw store holding ``count`` report pages, as a crawl would leave it.

    Report ``i`` belongs to the ``i``-th county of seeds/portals.csv (cycling), so a county's name is
    found in about count / 2,978 reports, as in a real archive (a government and its departments, years).
    """
    store = RawStore(store_dir, crawl_id="bench")
    rng = random.Random(0)
    places = counties()
    templates = []
    for i in range(200):
        record = docgen.random_record(random.Random(i))
        place = _PLACE.match(record.get("short_name") or record["agency"]).group(1)  # type: ignore[union-attr]
        html = docgen.render_html(record, random.Random(i))
        encoding = "utf-8" if place.encode() in html else "gb18030"  # render_html picks UTF-8 or GBK
        templates.append((html, place.encode(encoding), encoding))
    for i in range(count):
        adcode, county = places[i % len(places)]
        html, place, encoding = templates[i % len(templates)]
        body = html.replace(place, county.encode(encoding)).replace(b"</body>", f"<!-- {i} --></body>".encode())
        url = f"http://www.{adcode}.gov.example/zwgk/nb/art_{i}.html"
        store.put_response(url, body, "text/html; charset=utf-8", adcode=adcode, kind="report", report_url=url)
        store.record_report(url, adcode, f"bench {i}", rng.choice([2021, 2022, 2023]), None, [])
    store.close()
    add_revisions(store_dir, count)


#: One report in this many is republished with other numbers and text (issue 29's revisions).
REVISED_EVERY = 50


def add_revisions(store_dir: Path, count: int) -> int:
    """Republish every :data:`REVISED_EVERY`-th report of a synthesised store with another report's numbers
    and text, as a second version of its page; returns how many (none when the store has them already)."""
    store = RawStore(store_dir, crawl_id="bench-revised")
    places = counties()
    added = 0
    for i in range(0, count, REVISED_EVERY):
        adcode, county = places[i % len(places)]
        url = f"http://www.{adcode}.gov.example/zwgk/nb/art_{i}.html"
        if len(store.versions(url)) > 1:
            continue
        record = docgen.random_record(random.Random(f"revised {i}"))
        body = docgen.render_html(record, random.Random(i)).replace(b"</body>", f"<!-- {i} revised --></body>".encode())
        store.put_response(url, body, "text/html; charset=utf-8", adcode=adcode, kind="report", report_url=url)
        added += 1
    store.close()
    return added


def timed(fn: Callable[[str], object], args: list[str], runs: int) -> list[float]:
    """Milliseconds of ``runs`` calls, cycling through ``args``."""
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(args[i % len(args)])
        times.append((time.perf_counter() - start) * 1000)
    return times


def figures(times: list[float]) -> str:
    times = sorted(times)
    return f"median {statistics.median(times):.1f} ms, p95 {times[max(0, int(len(times) * 0.95) - 1)]:.1f} ms"


def time_pages(ds: Any, loop: asyncio.AbstractEventLoop, db: Path, searches: dict[str, list[str]], runs: int) -> None:
    """The pages for people (issue 11 targets: home and search page <= 300 ms median, report and agency
    page <= 100 ms)."""

    def page(path: str) -> None:
        response = loop.run_until_complete(ds.client.get(path))
        assert response.status_code == 200, (path, response.status_code, response.text[:300])

    con = sqlite3.connect(db)
    sample = con.execute("SELECT id, adcode, agency FROM reports WHERE agency IS NOT NULL ORDER BY id LIMIT 2000")
    picked = random.Random(2).sample(list(sample), 20)
    revised = con.execute("SELECT DISTINCT report_id FROM revisions ORDER BY report_id LIMIT 20").fetchall()
    province = con.execute("SELECT province FROM report_totals WHERE province IS NOT NULL LIMIT 1").fetchone()[0]
    con.close()
    pages = {
        "home page /": ["/"],
        **{
            f"search page /-/search, {kind}": [f"/-/search?q={quote(t)}" for t in terms]
            for kind, terms in searches.items()
        },
        "report page /-/report/<id>": [f"/-/report/{i}" for i, _, _ in picked],
        "agency page /-/agency/<adcode>/<name>": [f"/-/agency/{a}/{quote(n)}" for _, a, n in picked],
        "county page /-/county/<adcode>": [f"/-/county/{a}" for _, a, _ in picked],
        "Atom feed /-/feed.atom, all / one county": [
            "/-/feed.atom",
            *(f"/-/feed.atom?adcode={a}" for _, a, _ in picked),
        ],
        "revisions page /-/revisions, all / a province / a year / page 5": [
            "/-/revisions",
            f"/-/revisions?province={quote(province)}",
            "/-/revisions?year=2022",
            "/-/revisions?page=5",
        ],
        "report page of a revised report": [f"/-/report/{i}" for (i,) in revised],
        "map page /-/map, latest year / 2022": ["/-/map", "/-/map?year=2022"],
    }
    for name, paths in pages.items():
        page(paths[0])
        print(f"{name}: {figures(timed(page, paths, runs))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000, help="reports to build")
    ap.add_argument("--runs", type=int, default=50, help="timed runs per query")
    ap.add_argument(
        "--keep",
        type=Path,
        help="keep the store and archive.db in this folder; if it already holds "
        "them, skip the build and time the queries only",
    )
    ap.add_argument("--pages-only", action="store_true", help="time only the pages for people (home, search, …)")
    ap.add_argument(
        "--add-revisions",
        action="store_true",
        help="republish every 50th report of a kept store that lacks revisions, then build again",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        store_dir, db = work / "store", work / "archive.db"
        names = [county for _, county in counties()[: args.count]]
        if args.add_revisions and add_revisions(store_dir, args.count):
            start = time.perf_counter()
            build(db, store_dir, seeds=SEEDS, progress=False)
            print(f"build after adding revisions: {time.perf_counter() - start:.1f} s")
        if not db.exists():
            if not (store_dir / "store.db").exists():  # a kept store is built again as it is
                synthesise(store_dir, args.count)
            start = time.perf_counter()
            build(db, store_dir, seeds=SEEDS, progress=False)
            elapsed = time.perf_counter() - start
            print(
                f"build: {args.count} reports in {elapsed:.1f} s = {args.count / elapsed:.1f} reports/s (target >= 50)"
            )
        print(f"database size: {db.stat().st_size / 1e6:.1f} MB")

        from datasette.app import Datasette

        ds = Datasette(
            [],
            immutables=[str(db)],
            metadata=metadata(db.stem),
            settings={"suggest_facets": False, "sql_time_limit_ms": 3000},
        )  # as `ogi serve` runs it
        loop = asyncio.new_event_loop()

        def get(path: str) -> dict:  # type: ignore[type-arg]
            response = loop.run_until_complete(ds.client.get(path))
            assert response.status_code == 200, (path, response.text[:500])
            return response.json()  # type: ignore[no-any-return]

        # searches people make, by how many reports they match: a place, a phrase of some reports' prose,
        # and words of the template's headings, in most reports (the worst case)
        searches = {
            "county name": random.Random(1).sample(names, min(20, len(names))),
            "prose phrase": ["三审三校", "政务新媒体", "答复格式文本", "综合考评", "常态化"],
            "template word": ["复议", "诉讼", "收费", "行政复议", "依申请公开"],
        }
        # the JSON API's search (first 20 rows; _shape=array skips the total count) and the search box
        # page's queries (the same rows and the exact count of matches)
        api, box = (
            f"/{db.stem}/reports.json?_size=20&_shape=array&_search=",
            f"/{db.stem}/reports.json?_size=20&_search=",
        )
        if args.pages_only:
            time_pages(ds, loop, db, searches, args.runs)
            return
        matches = {
            kind: statistics.mean(get(box + t)["filtered_table_rows_count"] for t in terms)
            for kind, terms in searches.items()
        }
        for name, path in (("full-text search, JSON API rows", api), ("search box, rows and count", box)):
            mix: list[float] = []
            for kind, terms in searches.items():
                times = timed(lambda t, path=path: get(path + t), terms, args.runs)
                mix += times
                print(f"{name}, {kind} ({matches[kind]:,.0f} matches on average): {figures(times)}")
            print(f"{name}, all searches above (each kind a third): {figures(mix)}  (target: median <= 50 ms)")
        faceted = f"/{db.stem}/report_totals.json?_size=20&_search="
        for kind, terms in searches.items():
            print(
                f"search with facets (report_totals: province, year, kind, template), {kind}: "
                f"{figures(timed(lambda t: get(faceted + t), terms, args.runs))}"
            )
        cases = {
            "saved query search, county name": [f"/{db.stem}/search.json?q={t}" for t in searches["county name"]],
            "saved query search, 复议": [f"/{db.stem}/search.json?q=复议"],
            "facet page (province, year, kind, template)": [
                f"/{db.stem}/report_totals.json?_facet=province&_facet=year&_facet=agency_kind&_facet=template&_size=20"
            ],
            "saved query most_requests": [f"/{db.stem}/most_requests.json"],
        }
        assert "search" in SAVED_QUERIES and "most_requests" in SAVED_QUERIES
        for name, paths in cases.items():
            get(paths[0])
            print(f"{name}: {figures(timed(get, paths, args.runs))}")

        time_pages(ds, loop, db, searches, args.runs)


if __name__ == "__main__":
    main()
