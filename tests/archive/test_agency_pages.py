"""Pages per government body and per county: every report by year, the main figures side by side with the
change from the year before, checks, timeliness; the report page compares with the year before; a search
for a county's name leads to its page."""

from __future__ import annotations

import asyncio
import hashlib
import html
import re
import sqlite3
from urllib.parse import quote

from archive.serve import metadata


def _get(db, *paths: str) -> list:
    from datasette.app import Datasette

    async def run() -> list:
        client = Datasette([], immutables=[str(db)], metadata=metadata(db.stem)).client
        return [await client.get(p) for p in paths]

    return asyncio.run(run())


def _agency_with_two_years(con: sqlite3.Connection) -> tuple[str, str, int]:
    return con.execute(
        "SELECT a.adcode, a.agency, a.year FROM report_totals a JOIN report_totals b ON b.agency = a.agency "
        "AND b.adcode = a.adcode AND b.year = a.year - 1 WHERE a.new_received IS NOT NULL "
        "AND b.new_received IS NOT NULL ORDER BY a.report_id LIMIT 1"
    ).fetchone()


def test_agency_page_shows_years_side_by_side_with_changes(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    adcode, agency, year = _agency_with_two_years(con)
    (now, before), ids = (
        [
            con.execute(
                "SELECT new_received FROM report_totals WHERE adcode = ? AND agency = ? AND year = ?",
                (adcode, agency, y),
            ).fetchone()[0]
            for y in (year, year - 1)
        ],
        [r[0] for r in con.execute("SELECT id FROM reports WHERE adcode = ? AND agency = ?", (adcode, agency))],
    )
    (page,) = _get(db, f"/-/agency/{adcode}/{quote(agency)}")
    assert page.status_code == 200
    text = page.text
    assert f"<h1>{agency}</h1>" in text
    for report_id in ids:
        assert f'href="/-/report/{report_id}"' in text
    row = re.search(r"新收申请 new requests</th>(.*?)</tr>", text, re.S).group(1)
    assert f"{now}" in row and f"{before}" in row
    if now != before:
        assert f"({now - before:+d})" in row
    assert "report_totals.csv?" in text and "/-/original/" in text
    assert re.search(r'class="(on-time|late|date-unknown)"', text)


def test_county_page_lists_timeliness_bodies_and_figures(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    adcode, county = con.execute(
        "SELECT g.adcode, g.county FROM regions g JOIN reports r ON r.adcode = g.adcode "
        "WHERE r.agency_kind = 'county_government' GROUP BY g.adcode ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()
    agencies = [
        a
        for (a,) in con.execute(
            "SELECT DISTINCT agency FROM reports WHERE adcode = ? AND agency IS NOT NULL", (adcode,)
        )
    ]
    statuses = dict(con.execute("SELECT year, status FROM timeliness WHERE adcode = ?", (adcode,)).fetchall())
    page, missing = _get(db, f"/-/county/{adcode}", "/-/county/000000")
    assert page.status_code == 200 and missing.status_code == 404
    text = page.text
    assert county in text
    for agency in agencies:
        assert f'href="/-/agency/{adcode}/{quote(agency)}"' in text
    table = re.search(r'<table class="ogi" id="timeliness">(.*?)</table>', text, re.S).group(1)
    for year, status in statuses.items():
        assert re.search(rf"<td>{year}</td><td class=\"{status.replace(' ', '-')}\">", table), (year, status)
    assert "县政府主要数据" in text
    assert "missing" not in text and "not that the government did not publish" in text  # what the crawl saw
    columns = {c for (c,) in con.execute("SELECT column_url FROM reports WHERE adcode = ?", (adcode,)) if c}
    assert columns and any(f'href="{html.escape(c)}"' in text for c in columns)  # where it looked


def test_a_year_the_crawl_did_not_find_says_where_it_looked(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    row = con.execute("SELECT adcode, year FROM timeliness WHERE status = 'not found' LIMIT 1").fetchone()
    assert row, "the farm has a county-year without a government report"
    (page,) = _get(db, f"/-/county/{row[0]}")
    table = re.search(r'<table class="ogi" id="timeliness">(.*?)</table>', page.text, re.S).group(1)
    assert re.search(rf'<td>{row[1]}</td><td class="not-found">\s*not found</td>\s*<td>not found by the crawl', table)


def test_report_page_compares_with_the_year_before_and_links_its_agency(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    adcode, agency, year = _agency_with_two_years(con)
    current, previous = (
        con.execute(
            "SELECT id FROM reports WHERE adcode = ? AND agency = ? AND year = ?", (adcode, agency, y)
        ).fetchone()[0]
        for y in (year, year - 1)
    )
    (page,) = _get(db, f"/-/report/{current}")
    text = page.text
    assert f"compared with {year - 1}" in text
    assert f'href="/-/report/{previous}"' in text
    assert f'href="/-/agency/{adcode}/{quote(agency)}"' in text
    assert f"<th>{year - 1}</th><th>{year}</th>" in text


def test_search_for_a_county_name_leads_to_the_county_page(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    adcode, county = con.execute(
        "SELECT g.adcode, g.county FROM regions g JOIN reports r ON r.adcode = g.adcode LIMIT 1"
    ).fetchone()
    (page,) = _get(db, f"/-/search?q={quote(county)}")
    assert page.status_code == 200
    places = re.search(r'<p id="places">(.*?)</p>', page.text, re.S).group(1)
    assert f'href="/-/county/{adcode}"' in places
    assert "/-/agency/" in places


def test_unknown_agency_and_hostile_names_are_plain_404s(built):
    _, db, _, _ = built
    pages = _get(
        db,
        "/-/agency/990101/" + quote("没有这个机关"),
        "/-/agency/990101/" + "x" * 300,
        "/-/agency/990101/%3Cscript%3E",
    )
    assert [p.status_code for p in pages] == [404, 404, 404]
    assert "<script>" not in pages[2].text


def test_a_newcomer_finds_a_county_report_compares_it_and_downloads_the_original(built):
    """Issue 11's walk, by following only links on the pages: home → type the county's name → its page →
    its latest report → the year before beside it → the archived original."""
    from datasette.app import Datasette

    _, db, tmp, _ = built
    con = sqlite3.connect(db)
    adcode, county, year = con.execute(
        "SELECT g.adcode, g.county, a.year FROM report_totals a JOIN report_totals b ON b.adcode = a.adcode "
        "AND b.agency = a.agency AND b.year = a.year - 1 JOIN regions g ON g.adcode = a.adcode "
        "WHERE a.agency_kind = 'county_government' ORDER BY a.year DESC LIMIT 1"
    ).fetchone()
    config = metadata(db.stem)
    config["plugins"] = {"ogi": {"store": str(tmp / "store")}}  # as `ogi serve` passes it
    client = Datasette([], immutables=[str(db)], metadata=config).client

    async def walk() -> tuple[str, bytes]:
        home = (await client.get("/")).text
        action = re.search(r'<form class="search" action="([^"]+)"', home).group(1)
        found = (await client.get(f"{action}?q={quote(county)}")).text
        county_page = (await client.get(re.search(r'<p id="places">.*?href="([^"]+)"', found, re.S).group(1))).text
        timeliness = re.search(r'id="timeliness">(.*?)</table>', county_page, re.S).group(1)
        row = re.search(rf"<td>{year}</td>.*?href=\"([^\"]+)\"", timeliness, re.S)
        report = (await client.get(row.group(1))).text
        original = re.search(r'href="(/-/original/[0-9a-f]{64})"', report).group(1)
        sha = original.rsplit("/", 1)[1]
        return report, sha, (await client.get(original)).content

    report, sha, original = asyncio.run(walk())
    assert f"compared with {year - 1}" in report and 'id="table3"' in report
    assert hashlib.sha256(original).hexdigest() == sha
