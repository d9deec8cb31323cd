"""A distributed crawl on a real Redis: three workers sharing the frontier crawl the farm as one process
does (same reports and files, no URL fetched twice), a worker killed mid-crawl loses nothing, the shards
merge into a store that builds the same archive, and politeness per host holds across workers."""

from __future__ import annotations

import os
import pickle
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from archive.build import build
from crawler.frontier.entries import dumps, loads
from rawstore import RawStore
from rawstore.merge import merge
from simulate.portals import Farm
from simulate.redisserver import redis_server
from tests.helpers import ROOT, crawl, findable, needs_redis

FARM = {"seed": 5, "reports_per_portal": 3, "big_portal_pages": 4}


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


def worker(seeds: Path, shard: Path, url: str, run: str, name: str, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "ogi", "crawl", "--profile", "farm", "--seeds", str(seeds), "--store", str(shard)]
    cmd += ["--frontier", url, "--run", run, "--worker", name, "-s", "OGI_FRONTIER_TTL=3", *extra]
    log = open(shard.with_suffix(".log"), "w")  # noqa: SIM115  # closed with the process
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def _fetched(store: Path) -> Counter[str]:
    """URLs asked for, with how often: every response and failure but the flaky page's one 500, which only the
    farm's first crawl meets; robots.txt left out (each worker reads a host's rules for itself)."""
    rows = sqlite3.connect(store / "store.db").execute("SELECT url FROM fetches WHERE status IS NOT 500")
    return Counter(u for (u,) in rows if not u.endswith("/robots.txt"))


def _db(store: Path) -> sqlite3.Connection:
    return sqlite3.connect(store / "store.db")


def _reports(store: Path) -> dict[str, tuple[str, ...]]:
    with RawStore(store, readonly=True) as raw:
        return {r.url: r.files for r in raw.reports()}


@pytest.fixture(scope="module")
def farm():
    with Farm(**FARM) as f:
        yield f


@pytest.fixture(scope="module")
def single(farm, tmp_path_factory):
    """One process's crawl of the farm (the farm's one flaky page answers 500 only the first time)."""
    tmp = tmp_path_factory.mktemp("single")
    farm.write_seeds(tmp / "seeds.csv")
    crawl(tmp / "seeds.csv", tmp / "store")
    return tmp / "store"


@pytest.mark.slow
@needs_redis
def test_three_workers_crawl_as_one_process_and_merge_to_the_same_archive(tmp_path, redis_url, farm, single):
    one = single
    farm.write_seeds(tmp_path / "seeds.csv")
    shards = [tmp_path / f"w{i}" for i in range(3)]
    # answers as slow as a far portal's and two requests a worker: the crawl outlasts the seconds a worker
    # takes to start, so a worker that starts first cannot take the whole farm (seen in a fresh clone)
    farm.latency = (0.05, 0.15)
    try:
        procs = [
            worker(tmp_path / "seeds.csv", s, redis_url, "three", s.name, "-s", "CONCURRENT_REQUESTS=2") for s in shards
        ]
        codes = [p.wait(timeout=300) for p in procs]
    finally:
        farm.latency = None
    assert codes == [0, 0, 0], [s.with_suffix(".log").read_text()[-2000:] for s in shards]
    # the work was shared (a worker that starts late may find it all taken), and no URL was fetched
    # more often than one process fetched it
    assert sum(bool(_fetched(s)) for s in shards) >= 2
    assert sum((_fetched(s) for s in shards), Counter()) == _fetched(one)
    # and each host's robots.txt was read once for the three (the first worker shares it)
    robots = Counter(
        u for s in shards for (u,) in _db(s).execute("SELECT url FROM fetches WHERE url LIKE '%/robots.txt'")
    )
    assert robots == Counter(u for (u,) in _db(one).execute("SELECT url FROM fetches WHERE url LIKE '%/robots.txt'"))
    merged = tmp_path / "merged"
    assert merge(shards, merged).shards == 3
    assert _reports(merged) == _reports(one) and set(_reports(one)) == set(findable(farm))
    truth = len(findable(farm))
    # one run record for the three workers, counted from the merged store
    with RawStore(merged, readonly=True) as raw:
        record = raw.run_record("three")
    assert record is not None and record.reason == "finished" and record.workers == 3
    assert record.reports_found == record.reports_new == truth
    # merging again takes nothing twice (and a kill mid-merge is repaired by merging again)
    count = sqlite3.connect(merged / "store.db").execute("SELECT COUNT(*) FROM fetches").fetchone()[0]
    assert merge(shards, merged).fetches == 0
    assert sqlite3.connect(merged / "store.db").execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == count
    # the archive built from the merged shards equals the archive built from one process's store
    tables = ("active_disclosure", "applications", "review_litigation", "checks", "sections", "report_totals")
    rows = {}
    for name, store in (("one", one), ("merged", merged)):
        build(tmp_path / f"{name}.db", store, tmp_path / "seeds.csv", progress=False, jobs=2)
        db = sqlite3.connect(tmp_path / f"{name}.db")
        rows[name] = [sorted(db.execute(f"SELECT * FROM {t}")) for t in tables]
        rows[name].append(
            sorted(
                db.execute(
                    "SELECT id, url, title, year, agency, source_sha256, versions, parse_status, publication_date FROM reports"
                )
            )
        )
        rows[name].append(sorted(db.execute("SELECT report_id, url, sha256 FROM report_documents")))
    assert rows["merged"] == rows["one"] and len(rows["one"][-2]) == truth


def _fetches_so_far(store: Path) -> int:
    """Fetches a running crawler has logged (0 while its store is not made yet: the file comes before its tables)."""
    try:
        return _db(store).execute("SELECT COUNT(*) FROM fetches").fetchone()[0] if (store / "store.db").exists() else 0
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
@needs_redis
def test_a_worker_killed_mid_crawl_loses_nothing(tmp_path, redis_url, farm):
    farm.write_seeds(tmp_path / "seeds.csv")
    shards = [tmp_path / f"w{i}" for i in range(3)]
    # the victim starts first and alone, so that it holds work when it dies
    victim = worker(tmp_path / "seeds.csv", shards[0], redis_url, "kill", "victim", "-s", "CONCURRENT_REQUESTS=4")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _fetches_so_far(shards[0]) < 20:
        time.sleep(0.05)
    others = [worker(tmp_path / "seeds.csv", s, redis_url, "kill", s.name) for s in shards[1:]]
    time.sleep(0.3)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    codes = [p.wait(timeout=300) for p in others]
    assert codes == [0, 0], [s.with_suffix(".log").read_text()[-2000:] for s in shards[1:]]
    truth = {url: set(r.files) for url, r in findable(farm).items()}
    merged = tmp_path / "merged"
    merge(shards, merged)
    found = _reports(merged)
    assert set(found) == set(truth)
    fetched = {u for u, n in _fetched(merged).items() if n}
    assert all(files <= fetched for files in truth.values())
    logs = "".join(s.with_suffix(".log").read_text() for s in shards[1:])
    # the victim held requests when it died, and the others queued them again
    assert re.search(r"worker victim stopped; \d+ of its requests queued again", logs), logs[-3000:]
    with RawStore(merged, readonly=True) as raw:
        record = raw.run_record("kill")
    assert record is not None and record.reason == "finished" and record.reports_found == len(truth)


@pytest.mark.slow
@needs_redis
def test_politeness_per_host_holds_across_workers(tmp_path, redis_url, farm):
    """Three workers, each allowed 8 requests per host by its own settings, send one host at most one
    request at a time, 0.1 s apart, because the limits live in Redis."""
    farm.write_seeds(tmp_path / "seeds.csv")
    farm.latency = (0.01, 0.04)
    for portal in farm.portals:
        portal.peak, portal.starts, portal.hits = 0, [], []
    limits = ("-s", "OGI_HOST_CONCURRENCY=1", "-s", "OGI_HOST_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
    try:
        shards = [tmp_path / f"w{i}" for i in range(3)]
        procs = [worker(tmp_path / "seeds.csv", s, redis_url, "polite", s.name, *limits) for s in shards]
        assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    finally:
        farm.latency = None
    busy = [p for p in farm.portals if len(p.starts) > 5]
    assert len(busy) >= 10
    # A lease starts by Redis's clock and its request reaches the server a little later — tens of
    # milliseconds when its worker is busy parsing — so single gaps wobble; over ten requests the wobble
    # does not add up. (Twisted's connection pool sends a GET again by itself when the server drops the
    # connection unanswered, as the reset page does: one download to Scrapy, so one lease; left out.)
    for portal in busy:
        starts = [t for t, path in zip(portal.starts, portal.hits, strict=True) if path != "/zwgk/nb/reset.html"]
        spans = [b - a for a, b in zip(starts, starts[10:], strict=False)]
        assert not spans or min(spans) >= 10 * 0.1 - 0.06, (portal.name, min(spans))
        # the static portal's deliberately slow page keeps its server busy after the crawler gave up on it
        # (DOWNLOAD_TIMEOUT): the crawler sent nothing meanwhile, but the server still counts it as answering
        if "/zwgk/nb/slow.html" not in portal.routes:
            assert portal.peak == 1, (portal.name, portal.peak)


@needs_redis
def test_a_worker_takes_only_requests_whose_host_is_free(redis_url, monkeypatch):
    """The frontier hands out the best request of a host with a free lease and reserves that lease; the
    middleware makes the reservation the download's lease; a reservation that is never used lapses."""
    import asyncio

    from redis import Redis
    from scrapy import Request, Spider
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    import crawler.frontier.scheduler as frontier
    from crawler.frontier.hostslots import LEASE, HostLimits, HostSlots

    settings = {"OGI_FRONTIER": redis_url, "OGI_RUN": "free", "OGI_FRONTIER_TTL": 10}
    settings |= {"OGI_HOST_CONCURRENCY": 1, "OGI_HOST_DELAY": 0}
    crawler = get_crawler(Spider, settings)
    spider = Spider.from_crawler(crawler, name="free")
    scheduler = frontier.FrontierScheduler(crawler)
    scheduler.open(spider)
    slots = HostSlots(Redis.from_url(redis_url), HostLimits.from_settings(crawler.settings))
    leases_a = "ogi:free:host:127.0.0.65:80:leases"
    try:
        for i in range(4):  # the busy host's requests rank first
            scheduler.enqueue_request(Request(f"http://127.0.0.65/{i}", priority=10))
        scheduler.enqueue_request(Request("http://127.0.0.66/", priority=0))
        assert len(scheduler) == 5
        first = scheduler.next_request()
        assert first is not None and first.url.startswith("http://127.0.0.65/")
        second = scheduler.next_request()  # host .65 is reserved for the first: the next free host's request
        assert second is not None and second.url == "http://127.0.0.66/"
        assert scheduler.next_request() is None and len(scheduler) == 3
        # the reservation becomes the download's lease, with no second lease taken
        assert asyncio.run(slots.process_request(first)) is None
        assert first.meta[LEASE][0] == leases_a and slots.server.zcard(leases_a) == 1
        assert scheduler.next_request() is None
        slots.process_response(first, Response(first.url))  # the lease given back: .65 is free
        third = scheduler.next_request()
        assert third is not None and third.url.startswith("http://127.0.0.65/")
        # a reservation never used (its worker killed before the download) holds the host up only briefly
        monkeypatch.setattr(frontier, "RESERVE", 0.05)
        slots.server.delete(leases_a)
        lapsed = scheduler.next_request()
        assert lapsed is not None and scheduler.next_request() is None
        time.sleep(0.1)
        last = scheduler.next_request()
        assert last is not None and last.url.startswith("http://127.0.0.65/") and len(scheduler) == 0
    finally:
        scheduler.close("finished")


@needs_redis
def test_a_page_is_struck_off_only_once_the_requests_it_gave_are_queued(redis_url):
    """Scrapy takes a callback's output ahead of handling it: the page whose list gave six reports is
    struck off when the last of them is queued or dropped, not when the callback has given them all (a
    worker killed in between lost the reports not yet queued)."""
    from redis import Redis
    from scrapy import Request
    from scrapy.http import HtmlResponse

    from crawler.frontier.ack import FrontierAck
    from crawler.frontier.scheduler import ENTRY

    server = Redis.from_url(redis_url)
    server.hset("ogi:ack:inflight:w", "list", b"entry")
    page = Request("http://127.0.0.65/col/index.html", meta={ENTRY: ("ogi:ack:inflight:w", "list")})
    response = HtmlResponse(page.url, body=b"<html></html>", request=page)
    reports = [Request(f"http://127.0.0.65/art/{i}.html") for i in range(6)]
    ack = FrontierAck(server)
    assert list(ack.process_spider_output(response, iter(reports))) == reports
    for report in reports[:5]:
        assert server.hexists("ogi:ack:inflight:w", "list")  # handed over, not all queued yet
        ack.request_done(report)
    ack.request_done(Request("http://127.0.0.65/other.html"))  # another page's request: not this one's
    assert server.hexists("ogi:ack:inflight:w", "list")
    ack.request_done(reports[5])  # the last one, dropped (seen already) or queued
    assert not server.hexists("ogi:ack:inflight:w", "list")


def test_queue_entries_are_data_not_code():
    entry = {"url": "http://a/", "meta": {"adcode": "1", "gkmlpt": ["2"], "seen": {1}}, "headers": {b"A": [b"b"]}}
    assert loads(dumps(entry)) == entry

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo owned",))

    with pytest.raises(pickle.UnpicklingError, match="refused"):
        loads(pickle.dumps(Evil()))


def test_merge_refuses_to_merge_a_store_into_itself(tmp_path):
    from rawstore import StoreError

    RawStore(tmp_path / "a").close()
    with pytest.raises(StoreError, match="one of the shards"):
        merge([tmp_path / "a"], tmp_path / "a")
    with pytest.raises(StoreError, match="no raw store"):
        merge([tmp_path / "missing"], tmp_path / "b")


def test_a_frontier_without_a_run_name_is_refused_not_ignored():
    from scrapy.settings import Settings

    from crawler.frontier import Frontier

    with pytest.raises(ValueError, match="OGI_RUN"):
        Frontier().update_settings(Settings({"OGI_FRONTIER": "redis://127.0.0.1:1/0"}))
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "crawl", "--frontier", "redis://127.0.0.1:1/0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "--frontier needs --run" in proc.stderr


def test_merge_skips_a_body_name_that_is_not_a_hash(tmp_path):
    from rawstore import Fetch

    with RawStore(tmp_path / "a", run="r") as store:
        sha = store.put_blob(b"<html>report</html>")
        store.log_fetch(Fetch(url="http://x/1", status=200, sha256=sha))
        store.log_fetch(Fetch(url="http://x/2", status=200, sha256="../../../../etc/passwd"))
    summary = merge([tmp_path / "a"], tmp_path / "b")
    assert summary.fetches == 2 and summary.blobs == 1
    assert (tmp_path / "b" / "blobs" / sha[:2] / sha[2:4] / sha).read_bytes() == b"<html>report</html>"


def test_a_merge_killed_at_any_moment_is_repaired_by_merging_again(tmp_path):
    shards = []
    for n in range(2):
        path = tmp_path / f"w{n}"
        with RawStore(path, run="r") as store:
            shas = [store.put_blob(f"body {n} {i}".encode()) for i in range(200)]
            store.start_run([])
            rows = [
                (f"http://x/{n}/{i}", 200, shas[i % 200], f"2026-01-01T00:{i // 600 % 60:02d}:{i // 10 % 60:02d}Z", "r")
                for i in range(20000)
            ]
            store.db.executemany("INSERT INTO fetches (url, status, sha256, fetched_at, run) VALUES (?,?,?,?,?)", rows)
            store.db.commit()
            store.finish_run("finished")
        shards.append(path)
    into = tmp_path / "merged"
    cmd = [sys.executable, "-m", "ogi", "merge", *map(str, shards), "--into", str(into)]
    for delay in (0.3, 0.6, 0.9, 1.2):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    db = sqlite3.connect(into / "store.db")
    assert db.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == 40000
    assert db.execute("SELECT COUNT(DISTINCT url) FROM fetches").fetchone()[0] == 40000
    assert len(list((into / "blobs").rglob("*"))) >= 400
    assert merge([shards[0], shards[0]], into).shards == 1  # a shard named twice is one shard
