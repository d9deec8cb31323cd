"""The Atom feed of new and changed reports: for everything, a county, a body or a search; valid Atom,
newest first, empty feeds valid too; a report that changes comes back as a new entry."""

from __future__ import annotations

import asyncio
import sqlite3
from urllib.parse import quote
from xml.etree import ElementTree

from archive.serve import metadata

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(db, query: str = "") -> ElementTree.Element:
    from datasette.app import Datasette

    async def run():
        client = Datasette([], immutables=[str(db)], metadata=metadata(db.stem)).client
        return await client.get("/-/feed.atom" + query)

    r = asyncio.run(run())
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    return ElementTree.fromstring(r.content)


def test_feed_lists_the_newest_changes_first(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    total = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    feed = _feed(db)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(total, 50)
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    first = entries[0]
    report_id = int(first.find(f"{ATOM}link").get("href").rsplit("/", 1)[1])
    sha = con.execute("SELECT source_sha256 FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
    assert first.find(f"{ATOM}id").text == f"urn:ogi-archive:report:{report_id}:{sha}"


def test_feed_for_a_county_a_body_and_a_search(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    adcode, agency = con.execute("SELECT adcode, agency FROM reports WHERE agency IS NOT NULL LIMIT 1").fetchone()
    county = {
        e.find(f"{ATOM}link").get("href").rsplit("/", 1)[1] for e in _feed(db, f"?adcode={adcode}").iter(f"{ATOM}entry")
    }
    want = {str(i) for (i,) in con.execute("SELECT id FROM reports WHERE adcode = ? LIMIT 50", (adcode,))}
    assert county == want
    body = _feed(db, f"?adcode={adcode}&agency={quote(agency)}").findall(f"{ATOM}entry")
    assert body and all(e.find(f"{ATOM}author/{ATOM}name").text == agency for e in body)
    searched = _feed(db, "?q=" + quote("复议")).findall(f"{ATOM}entry")
    assert searched


def test_an_empty_feed_is_valid(built):
    _, db, _, _ = built
    feed = _feed(db, "?adcode=000000")
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}updated").text
