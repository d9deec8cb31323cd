"""The hostile portal (simulate.portals.hostile): nothing outside the allowed hosts is read, kept or
served; every refusal is in the fetch log and the crawl summary; oversized and endless downloads stop;
bad files fail the build's parse with a clear reason; archived pages are served sandboxed.

All traffic stays on loopback: the "internal services" are loopback servers outside OGI_ALLOWED_HOSTS
that record every request, and must record none.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from archive.build import build
from archive.serve import metadata
from crawler.middlewares.browser import BrowserMiddleware
from rawstore import RawStore, blob_path, bodies, read_body
from simulate.portals import Farm
from simulate.portals.hostile import ADCODE, LOOPING_ADCODE, LOOPING_PAGES
from tests.helpers import ROOT, crawl, findable, needs_chromium


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile portal crawled (alone) and built: (farm, folder, crawl process)."""
    tmp = tmp_path_factory.mktemp("hostile")
    with Farm(seed=13, reports_per_portal=1, big_portal_pages=2, hostile=True) as farm:
        farm.write_seeds(str(tmp / "seeds.csv"))
        proc = crawl(tmp / "seeds.csv", tmp / "store", "--only", ADCODE)
    build(tmp / "archive.db", tmp / "store", tmp / "seeds.csv", progress=False)
    return farm, tmp, proc


def _hostile_reports(farm: Farm) -> set[str]:
    return {u for u, r in findable(farm).items() if r.adcode == ADCODE}


def _store(tmp: Path) -> sqlite3.Connection:
    return RawStore(tmp / "store", readonly=True).db


def test_nothing_outside_the_allowed_hosts_is_read(hostile):
    farm, tmp, _ = hostile
    assert farm.refused and farm.internal
    assert [s.hits for s in farm.internal] == [[] for _ in farm.internal]  # not even a robots.txt
    db = _store(tmp)
    for url in farm.refused:
        # a POST (the pager's post-back to an internal service) is filed under its URL and its form
        post = url + ("&" if "?" in url else "?") + "__wb_method=post&%"
        rows = db.execute(
            "SELECT status, sha256, error FROM fetches WHERE url = ? OR url LIKE ?", (url, post)
        ).fetchall()
        assert rows, f"{url}: refusal not in the fetch log"
        assert all(r["status"] is None and r["sha256"] is None for r in rows), url
        assert all(r["error"].startswith("refused (") for r in rows), [r["error"] for r in rows]
    # no stored body is a local file or an internal service's answer
    for (sha,) in db.execute("SELECT DISTINCT sha256 FROM fetches WHERE sha256 IS NOT NULL"):
        body = read_body(tmp / "store", sha)
        assert b"root:" not in body and b"secret-role-credentials" not in body
    reports = {r[0] for r in db.execute("SELECT url FROM reports")}
    assert reports == _hostile_reports(farm)
    files = {r[0] for r in db.execute("SELECT file_url FROM report_files")}
    assert not files & farm.refused


def test_refusals_counted_in_the_crawl_summary(hostile):
    _, _, proc = hostile
    assert "refused by the URL policy" in proc.stderr
    line = next(x for x in proc.stderr.splitlines() if "crawler.extensions.summary: refused:" in x)
    assert "address" in line and "scheme" in line


@needs_chromium
def test_the_browser_reaches_nothing_but_the_downloader(hostile):
    """The rendered list's script opens WebRTC to a STUN and a TURN server on the internal service's UDP
    port and two popups (one to its own origin): no datagram arrives, every request the portal saw is one
    the downloader made (in the fetch log), and the popups were closed."""
    farm, tmp, proc = hostile
    listening = [s for s in farm.internal if s.udp is not None]
    assert listening and all(not s.hits for s in listening)
    portal = next(p for p in farm.portals if p.name == "恶意县")
    logged = set()
    for (url,) in _store(tmp).execute("SELECT url FROM fetches"):
        parts = urlsplit(url)
        logged.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert "/xxgk/ndbg/2015/list.js" in portal.hits and set(portal.hits) <= logged
    line = next(x for x in proc.stderr.splitlines() if "headless browser:" in x)
    assert "1 of 1 pages rendered" in line and "2 popups closed" in line


@pytest.mark.slow
@needs_chromium
def test_endless_scripts_of_one_portal_do_not_hold_the_others(tmp_path):
    """死循环县's six year lists each loop until their time is up; it gets OGI_BROWSER_PORTAL_SECONDS of
    rendering in all, and the scripted county's list is rendered beside it all the same."""
    with Farm(seed=13, reports_per_portal=1, big_portal_pages=2, hostile=True) as farm:
        farm.write_seeds(str(tmp_path / "seeds.csv"))
        scripted = {"990112", LOOPING_ADCODE}
        proc = crawl(
            tmp_path / "seeds.csv",
            tmp_path / "store",
            "--only",
            ",".join(sorted(scripted)),
            "-s",
            # the scripted county's list must render within the page timeout while the looping portal burns
            # its share: 4 s was missed once on a loaded machine (a new user's run beside other work)
            "OGI_BROWSER_TIMEOUT=6",
            "-s",
            "OGI_BROWSER_PORTAL_SECONDS=13",
        )
        found = {r[0] for r in _store(tmp_path).execute("SELECT url FROM reports")}
        assert found == {u for u, r in farm.reports.items() if r.adcode == "990112"}
    line = next(x for x in proc.stderr.splitlines() if "headless browser:" in x)
    # 6 s, 6 s and the 1 s left: three pages tried and failed, the other three not tried; on a loaded machine
    # the two timeouts overrun and leave under the third page's start (CI beside a demo run: 2 failed, 4 over)
    assert f"1 of {LOOPING_PAGES + 1} pages rendered" in line, line
    counts = re.search(r"\((\d+) failed, (\d+) over budget\)", line)
    assert counts, line
    failed, over = int(counts[1]), int(counts[2])
    assert failed in (2, 3) and failed + over == LOOPING_PAGES, line


def test_one_portal_s_pages_do_not_wait_for_another_s():
    """One page of a portal renders at a time, OGI_BROWSER_PAGES of all portals: a portal whose pages hang
    holds one turn, not every turn."""
    crawler = get_crawler()
    crawler.stats = StatsCollector(crawler)
    browser = BrowserMiddleware(crawler, "chromium", timeout=30, max_requests=10, pages=2)
    release, rendering = asyncio.Event(), {"A": 0, "most": 0}

    async def render(request):
        if request.meta["adcode"] == "A":
            rendering["A"] += 1
            rendering["most"] = max(rendering["most"], rendering["A"])
            await release.wait()
            rendering["A"] -= 1
        return "<html><body>drawn</body></html>"

    browser._render = render

    def ask(adcode: str, n: int) -> Request:
        return Request(f"http://127.0.0.1/{adcode}/{n}", meta={"render": True, "adcode": adcode})

    async def run() -> None:
        hanging = [asyncio.create_task(browser.process_request(ask("A", n))) for n in range(5)]
        await asyncio.sleep(0.05)
        other = await asyncio.wait_for(browser.process_request(ask("B", 0)), 5)
        assert b"drawn" in other.body
        release.set()
        assert len(await asyncio.gather(*hanging)) == 5
        assert rendering["most"] == 1

    asyncio.run(run())


def test_oversized_and_endless_downloads_stop(hostile):
    _, tmp, _ = hostile
    db = _store(tmp)
    for name in ("P0huge.pdf", "P0endless.pdf"):
        rows = db.execute("SELECT status, error FROM fetches WHERE url LIKE ?", (f"%/{name}",)).fetchall()
        assert rows and all(r["status"] is None and r["error"] for r in rows), name
    biggest = db.execute("SELECT MAX(size) FROM fetches").fetchone()[0]
    assert biggest < 5_000_000


def test_bad_files_fail_their_parse_with_a_reason(hostile):
    _, tmp, _ = hostile
    con = sqlite3.connect(tmp / "archive.db")
    reasons = dict(con.execute("SELECT url, parse_error_reason FROM documents WHERE parse_error IS NOT NULL"))
    assert any(u.endswith("P0bomb.docx") and r == "too_large" for u, r in reasons.items()), reasons
    assert any(u.endswith("deep.html") and r == "too_deep" for u, r in reasons.items()), reasons
    # the page with scripts is a report like any other
    status = dict(con.execute("SELECT url, parse_status FROM reports"))
    assert any(u.endswith("script.html") and s == "ok" for u, s in status.items()), status


def test_per_report_size_cap(hostile, tmp_path):
    """OGI_REPORT_MAXSIZE: a report's files together; the zip bomb (450 kB) passes 100 MB, not 200 kB."""
    with Farm(seed=13, reports_per_portal=1, big_portal_pages=2, hostile=True) as again:
        again.write_seeds(str(tmp_path / "seeds.csv"))
        crawl(tmp_path / "seeds.csv", tmp_path / "store", "--only", ADCODE, "-s", "OGI_REPORT_MAXSIZE=200000")
    errors = [e for (e,) in _store(tmp_path).execute("SELECT error FROM fetches WHERE url LIKE '%P0bomb.docx'")]
    assert errors and all(e.startswith("refused (report_size)") for e in errors)


def test_archived_copies_are_sandboxed_and_checked(hostile, tmp_path):
    from datasette.app import Datasette

    _, tmp, _ = hostile
    con = sqlite3.connect(tmp / "archive.db")
    page_sha = con.execute("SELECT sha256 FROM documents WHERE url LIKE '%script.html'").fetchone()[0]
    bomb_sha = con.execute("SELECT sha256 FROM documents WHERE url LIKE '%P0bomb.docx'").fetchone()[0]
    home_sha = (
        _store(tmp).execute("SELECT sha256 FROM fetches WHERE kind = 'home' AND sha256 IS NOT NULL").fetchone()[0]
    )
    store = tmp_path / "store"  # a copy, to damage one body
    subprocess.run(["cp", "-r", str(tmp / "store"), str(store)], check=True)
    config = metadata("archive")
    config["plugins"] = {"ogi": {"store": str(store)}}
    ds = Datasette([], immutables=[str(tmp / "archive.db")], metadata=config)

    async def run() -> None:
        page = await ds.client.get(f"/-/original/{page_sha}")
        assert page.status_code == 200 and b"<script>" in page.content  # byte for byte, scripts included…
        assert page.headers["content-security-policy"].startswith("sandbox")  # …never run on our origin
        assert "script-src" not in page.headers["content-security-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["content-disposition"].startswith("inline; filename=")
        bomb = await ds.client.get(f"/-/original/{bomb_sha}")
        assert bomb.status_code == 200 and bomb.headers["content-type"] == "application/octet-stream"
        disposition = bomb.headers["content-disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
        assert disposition.isascii()
        # the raw store holds more than documents: a home page is not served
        assert (await ds.client.get(f"/-/original/{home_sha}")).status_code == 404
        # damaged on disk: bytes of its WARC record overwritten, then a cached copy that does not match
        warc_file, offset = bodies.location(_store(tmp), page_sha)
        with open(store / "warc" / warc_file, "r+b") as fh:
            fh.seek(offset + 200)
            fh.write(b"\0" * 64)
        damaged = await ds.client.get(f"/-/original/{page_sha}")
        assert damaged.status_code == 500
        blob_path(store, page_sha).parent.mkdir(parents=True, exist_ok=True)
        blob_path(store, page_sha).write_bytes(b"<script>tampered</script>")
        damaged = await ds.client.get(f"/-/original/{page_sha}")
        assert damaged.status_code == 500 and b"tampered" not in damaged.content

    asyncio.run(run())


def test_invalid_seed_rows_are_skipped_and_the_exit_code_says_so(hostile, tmp_path):
    _, tmp, _ = hostile
    lines = (tmp / "seeds.csv").read_text(encoding="utf-8").splitlines()
    bad = [
        "990201,测试省,测试市,甲县,county,www.no-scheme.gov.cn,,",
        "990202,测试省,测试市,乙县,county,file:///etc/passwd,,",
    ]
    seeds = tmp_path / "seeds.csv"  # GBK, as Excel on a Chinese Windows saves it
    with Farm(seed=13, reports_per_portal=1, big_portal_pages=2, hostile=True) as again:
        again.write_seeds(str(tmp_path / "fresh.csv"))
        good = next(x for x in (tmp_path / "fresh.csv").read_text(encoding="utf-8").splitlines() if ADCODE in x)
        seeds.write_text("\n".join(lines[:1] + bad[:1] + [good] + bad[1:]) + "\n", encoding="gbk")
        proc = subprocess.run(
            [sys.executable, "-m", "ogi", "crawl", "--profile", "farm", "--seeds", str(seeds)]
            + ["--store", str(tmp_path / "store")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "line 2 skipped" in proc.stderr and "line 4 skipped" in proc.stderr
    assert "2 seed rows invalid" in proc.stderr
    found = {r[0] for r in _store(tmp_path).execute("SELECT url FROM reports")}
    assert found == _hostile_reports(again)  # the good row after a bad one was crawled in full
    missing = subprocess.run(
        [sys.executable, "-m", "ogi", "crawl", "--seeds", str(tmp_path / "nope.csv"), "--store", str(tmp_path / "s")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert missing.returncode == 2 and "cannot read the seeds file" in missing.stderr
    assert "Traceback" not in missing.stderr
