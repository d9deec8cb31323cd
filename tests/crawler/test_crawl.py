"""The crawler against the portal farm: every report and attachment found, nothing else taken,
everything archived in valid WARC, re-crawls incremental, failures survived."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.profiles import PROFILES
from rawstore import RawStore
from simulate.portals import Farm, Page
from simulate.portals.static import NATIONAL_LINKS
from tests.helpers import ROOT, crawl, findable, seed_records


@pytest.fixture(scope="module")
def farm():
    with Farm(seed=5, seed_records=seed_records()) as f:
        yield f


@pytest.fixture(scope="module")
def first_crawl(farm, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crawl")
    seeds = tmp / "seeds.csv"
    farm.write_seeds(str(seeds))
    store = tmp / "store"
    proc = crawl(seeds, store)
    return seeds, store, proc


def _db(store: Path) -> sqlite3.Connection:
    """The store's database, read through the store (rows as plain tuples, for set comparisons)."""
    db = RawStore(store, readonly=True).db
    db.row_factory = None
    return db


def test_every_report_found_and_nothing_else(farm, first_crawl):
    _, store, _ = first_crawl
    found = {r[0] for r in _db(store).execute("SELECT url FROM reports")}
    want = set(findable(farm))
    assert found == want, (want - found, found - want)
    assert not found & farm.not_reports
    seeds = dict(_db(store).execute("SELECT url, adcode FROM reports").fetchall())
    assert all(seeds[u] == r.adcode for u, r in findable(farm).items())


def test_each_family_pages_as_its_evidence_says(farm, first_crawl):
    """The farm's families answer as docs/cms says; the crawl asked each the way that family pages."""
    _, store, _ = first_crawl
    fetched = {r[0] for r in _db(store).execute("SELECT url FROM fetches WHERE status=200")}
    path = lambda u: u.split("/", 3)[3]  # noqa: E731
    paths = {path(u) for u in fetched}
    # Hanweb: both proxy paths, the paging numbers in the query (the column's parameters went as the form)
    assert any(p.startswith("module/web/jpage/dataproxy.jsp?startrecord=") for p in paths)
    assert any(p.startswith("module/jslib/jquery/jpage/dataproxy.jsp?startrecord=") for p in paths)
    # gkmlpt: the API built from SID (never written in the page), paged past its first 100 posts
    assert "gkmlpt/api/all/2671?page=1&sid=755" in paths and "lnjyj/gkmlpt/api/all/2629?page=2&sid=758019" in paths
    # TRS: the old template's second page is index_1, the newer one's index_2 (and it has no index_1)
    assert "zwgk/zfxxgk/zfxxgknb/2023n/index_1.html" in paths and "zwgk/zfxxgk/zfxxgknb/2022n/index_2.html" in paths
    assert not any("2022n/index_1.html" in u for (u,) in _db(store).execute("SELECT url FROM fetches"))
    # TRS intensive platform (list2.trsapi): the column's API asked, its answers paged by their pageCount
    posted = [u for (u,) in _db(store).execute("SELECT url FROM fetches WHERE status=200") if "fjdzapp/search" in u]
    assert len(posted) >= 3
    # cut titles were opened and judged by their pages: the notices among them are no reports
    opened_notices = {u for u in farm.not_reports if u in fetched}
    assert opened_notices and not opened_notices & {r[0] for r in _db(store).execute("SELECT url FROM reports")}


def test_national_and_provincial_links_are_never_asked_for(farm, first_crawl):
    """静态县's header links 国务院, 国家税务总局, 重庆市教育委员会…: names that read like departments, of bodies
    that are not the county's. The crawl asks none of them (not even to be refused by the URL policy)."""
    asked = {row[0] for row in _db(first_crawl[1]).execute("SELECT url FROM fetches")}
    assert not asked & {url for url, _ in NATIONAL_LINKS}
    assert not [url for url in asked if ".gov.cn" in url]


def test_every_attachment_fetched_and_linked(farm, first_crawl):
    _, store, _ = first_crawl
    db = _db(store)
    fetched = {r[0] for r in db.execute("SELECT url FROM fetches WHERE kind='file' AND status=200")}
    assert farm.all_files() <= fetched
    links = set(db.execute("SELECT report_url, file_url FROM report_files").fetchall())
    assert {(r.url, f) for r in findable(farm).values() for f in r.files} <= links


def test_file_names_from_content_disposition(farm, first_crawl):
    _, store, _ = first_crawl
    names = [
        r[0] for r in _db(store).execute("SELECT filename FROM fetches WHERE url LIKE '%download.jsp%' AND status=200")
    ]
    assert names and all(n and n.endswith((".pdf", ".docx")) for n in names)
    assert any("政府信息公开工作年度报告" in n for n in names)  # RFC 6266 filename*=UTF-8''…


def test_bodies_are_kept_by_hash(farm, first_crawl):
    import hashlib

    _, store, _ = first_crawl
    for _url, sha in _db(store).execute("SELECT url, sha256 FROM fetches WHERE kind='file' AND status=200"):
        assert hashlib.sha256(RawStore(store, readonly=True).read_body(sha)).hexdigest() == sha


def test_warc_is_valid_and_complete(farm, first_crawl):
    from warcio.archiveiterator import ArchiveIterator

    _, store, _ = first_crawl
    warcs = sorted((store / "warc").glob("*.warc.gz"))
    assert warcs
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, warcs)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    responses, requests = set(), 0
    for path in warcs:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    responses.add(record.rec_headers.get_header("WARC-Target-URI"))
                elif record.rec_type == "request":
                    requests += 1
    assert set(findable(farm)) | farm.all_files() <= responses
    assert requests >= len(responses)


def test_failures_are_logged_and_survived(farm, first_crawl):
    _, store, proc = first_crawl
    db = _db(store)
    statuses = dict(db.execute("SELECT url, MAX(status) FROM fetches GROUP BY url").fetchall())
    for path, code in (("missing.html", 404), ("forbidden.html", 403), ("waf.html", 412)):
        assert any(u.endswith(f"/zwgk/nb/{path}") and s == code for u, s in statuses.items()), path
        assert f"/zwgk/nb/{path} failed: HTTP {code}" in proc.stderr
    assert any(u.endswith("/zwgk/nb/loop.html") and s == 302 for u, s in statuses.items())  # archived
    assert (
        "/zwgk/nb/loop2.html failed: redirect loop" in proc.stderr
        or "/zwgk/nb/loop.html failed: redirect loop" in proc.stderr
    )
    errors = dict(db.execute("SELECT url, error FROM fetches WHERE error IS NOT NULL").fetchall())
    assert any(u.endswith("/zwgk/nb/slow.html") and "Timeout" in e for u, e in errors.items())
    assert any(u.endswith("/zwgk/nb/reset.html") for u in errors)
    assert "seed 990101: 7 reports found" in proc.stderr
    flaky = [u for u in farm.reports if "c112289c" in u]
    codes = [r[0] for r in db.execute(f"SELECT status FROM fetches WHERE url IN ({','.join('?' * len(flaky))})", flaky)]
    assert 500 in codes and codes.count(200) == len(flaky)  # retried and got it
    assert not any("/admin/" in u for u in statuses)  # robots.txt obeyed
    assert "seed 990101:" in proc.stderr and "reports found" in proc.stderr


def test_recrawl_is_incremental_and_versions_changes(farm, first_crawl):
    seeds, store, _ = first_crawl
    db = _db(store)
    before = db.execute("SELECT MAX(id) FROM fetches").fetchone()[0]
    changed = next(iter(sorted(farm.all_files())))
    portal, route = farm.route(changed)
    old = portal.routes[route]
    assert isinstance(old, Page)
    portal.routes[route] = Page(
        old.body + b"\n% corrected version\n", content_type=old.content_type, headers=old.headers
    )
    try:
        crawl(seeds, store)
    finally:
        portal.routes[route] = old
    db = _db(store)
    again = db.execute("SELECT url, status FROM fetches WHERE id > ? AND kind='file'", (before,)).fetchall()
    downloaded = {u for u, s in again if s == 200}
    assert downloaded == {changed}, downloaded
    assert {u for u, s in again if s == 304} == farm.all_files() - {changed}
    assert len(RawStore(store, readonly=True).versions(changed)) == 2
    assert {r[0] for r in db.execute("SELECT url FROM reports")} == set(findable(farm))


def test_jobdir_resume_after_stop(farm, tmp_path):
    seeds = tmp_path / "seeds.csv"
    farm.write_seeds(str(seeds))
    store, jobdir = tmp_path / "store", tmp_path / "job"
    # stop early (as an interrupted run does), then resume from the job directory
    crawl(seeds, store, "--jobdir", str(jobdir), "-s", "CLOSESPIDER_PAGECOUNT=40")
    first = {r[0] for r in _db(store).execute("SELECT url FROM reports")}
    assert first < set(findable(farm))
    crawl(seeds, store, "--jobdir", str(jobdir))
    found = {r[0] for r in _db(store).execute("SELECT url FROM reports")}
    assert found == set(findable(farm))


def test_only_a_subset_of_seeds(farm, tmp_path):
    seeds = tmp_path / "seeds.csv"
    farm.write_seeds(str(seeds))
    with seeds.open("a", encoding="utf-8") as fh:
        fh.write("990199,测试省,测试市,无网站县,county,,,\n")
    store = tmp_path / "store"
    # `scrapy crawl` runs the same spider and settings as `ogi crawl`
    farm_profile = [f"-s{k}={v}" for k, v in PROFILES["farm"].items()]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "annual_reports",
            "-a",
            f"seeds={seeds}",
            "-a",
            "only=990105,990199",
            "-s",
            f"OGI_STORE={store}",
            *farm_profile,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    found = {r[0] for r in _db(store).execute("SELECT url FROM reports")}
    assert found == {u for u, r in findable(farm).items() if r.adcode == "990105"}
    assert "1 seeds skipped: no portal URL" in proc.stderr
