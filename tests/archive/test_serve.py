"""``ogi serve``: Datasette answers searches, facets and every saved query; a real headless browser renders
a report page laid out like the template, a search, and an archived copy."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import urllib.request
from urllib.parse import quote

import pytest

from archive.fts import fts_query
from archive.serve import SAVED_QUERIES, dashboards, metadata
from tests.helpers import ROOT, needs_chromium, ogi_serve, program, without


def _matches(con: sqlite3.Connection, search: str) -> int:
    return con.execute("SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH ?", (fts_query(search),)).fetchone()[0]


def test_datasette_search_facets_and_saved_queries(built):
    from datasette.app import Datasette

    _, db, _, _ = built
    con = sqlite3.connect(db)
    ds = Datasette([], immutables=[str(db)], metadata=metadata(db.stem))

    async def run() -> None:
        r = await ds.client.get(f"/{db.stem}/reports.json?_search=复议")
        body = r.json()
        assert r.status_code == 200 and body["rows"]
        assert body["filtered_table_rows_count"] == _matches(con, "复议")
        # a county name finds every report of its agencies
        r = await ds.client.get(f"/{db.stem}/reports.json?_search=富民县&_size=max&_shape=objects")
        found = {row["id"] for row in r.json()["rows"]}
        titled = {i for (i,) in con.execute("SELECT id FROM reports WHERE title LIKE '%富民县%'")}
        assert titled and titled <= found
        # the default facets come from the metadata, and apply to a search too
        r = await ds.client.get(f"/{db.stem}/report_totals.json?_search=复议")
        body = r.json()
        assert body["filtered_table_rows_count"] > 0
        assert set(body["facet_results"]) == {"province", "year", "agency_kind", "template"}
        years = {v["value"]: v["count"] for v in body["facet_results"]["year"]["results"]}
        assert sum(years.values()) == body["filtered_table_rows_count"]
        for name in SAVED_QUERIES:
            r = await ds.client.get(f"/{db.stem}/{name}.json?q=复议")
            assert r.status_code == 200, (name, r.text[:300])
        r = await ds.client.get(f"/{db.stem}/search.json?q=复议&_shape=objects")
        assert r.json()["rows"]

    asyncio.run(run())


def test_report_page_and_archived_copy_in_process(built):
    """The report page lays out the three tables from the template's layout; the archived copy is the
    stored body byte for byte, read through the raw store."""
    from datasette.app import Datasette

    from parsers import template as T
    from rawstore import RawStore

    _, db, tmp, _ = built
    con = sqlite3.connect(db)
    report_id, sha, agency = con.execute(
        "SELECT id, source_sha256, agency FROM reports WHERE template = '2021' AND agency IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone()
    config = metadata(db.stem)
    config["plugins"] = {"ogi": {"store": str(tmp / "store")}}
    ds = Datasette([], immutables=[str(db)], metadata=config)

    async def run() -> None:
        page = await ds.client.get(f"/-/report/{report_id}")
        assert page.status_code == 200
        html = page.text
        for layout in T.layouts("2021"):
            assert layout.title in html
        granted = con.execute(
            "SELECT value FROM applications WHERE report_id = ? AND row_key = 'granted' AND column_key = 'total'",
            (report_id,),
        ).fetchone()
        assert agency in html and "予以公开" in html and granted is not None
        assert (await ds.client.get("/-/report/1")).status_code == 404
        original = await ds.client.get(f"/-/original/{sha}")
        assert original.status_code == 200
        assert original.content == RawStore(tmp / "store", readonly=True).read_body(sha)
        assert (await ds.client.get("/-/original/" + "0" * 64)).status_code == 404

    asyncio.run(run())


@pytest.mark.slow
@needs_chromium
def test_report_page_in_a_real_browser(built):
    """`ogi serve` running; headless Chromium renders a report page with its three tables (screenshot kept)."""
    chromium = program("browser")
    if chromium is None:
        without("browser")
    _, db, tmp, _ = built
    con = sqlite3.connect(db)
    report_id, agency = con.execute(
        "SELECT id, agency FROM reports WHERE template = '2021' AND agency IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone()
    with ogi_serve(db) as base:
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        flags = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp / 'chromium'}",
            "--window-size=1280,2400",
            "--hide-scrollbars",
        ]
        url = f"{base}/-/report/{report_id}"
        dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
        assert 'id="table3"' in dom and 'id="table4"' in dom and 'id="table2"' in dom
        assert agency in dom and "archived copy" in dom and "予以公开" in dom
        shot = artifacts / "report-page.png"
        shot.unlink(missing_ok=True)
        subprocess.run([*flags, f"--screenshot={shot}", url], capture_output=True, timeout=120)
        assert shot.exists() and shot.stat().st_size > 10_000
        search = subprocess.run(
            [*flags, "--dump-dom", f"{base}/{db.stem}/reports?_search=复议"],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        assert f"{_matches(con, '复议'):,} rows where search matches" in search
        # the pages for people: home, search with snippets, agency, county, the dashboards (every chart drawn)
        adcode, government = con.execute(
            "SELECT adcode, agency FROM reports WHERE agency_kind = 'county_government' LIMIT 1"
        ).fetchone()
        for name, path, expect in (
            ("home", "/", "Latest reports"),
            ("search", "/-/search?q=复议", "<mark>复议</mark>"),
            ("agency", f"/-/agency/{adcode}/{quote(government)}", "Main figures by year"),
            ("county", f"/-/county/{adcode}", "Did the county government publish on time?"),
            ("dashboards", "/-/dashboards/ogi", "<svg"),
        ):
            page = artifacts / f"{name}.png"
            page.unlink(missing_ok=True)
            wait = ["--virtual-time-budget=10000"]
            dom = subprocess.run(
                [*flags, *wait, "--dump-dom", base + path], capture_output=True, text=True, timeout=120
            )
            assert expect in dom.stdout, name
            if name == "dashboards":
                charts = len(dashboards("archive")["ogi"]["charts"])
                assert dom.stdout.count("<svg") >= charts and 'class="mark-rect' in dom.stdout  # no empty chart
            subprocess.run([*flags, *wait, f"--screenshot={page}", base + path], capture_output=True, timeout=120)
            assert page.exists() and page.stat().st_size > 10_000, name
        original = urllib.request.urlopen(
            f"{base}/-/original/"
            + con.execute("SELECT source_sha256 FROM reports WHERE id = ?", (report_id,)).fetchone()[0],
            timeout=10,
        ).read()
        assert len(original) > 1000
