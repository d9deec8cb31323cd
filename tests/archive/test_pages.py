"""The home page and the search page, for people who do not write SQL: what is covered, a search box,
results with title, agency, year, a highlighted snippet and a link to the report page, facets."""

from __future__ import annotations

import asyncio
import html
import re
import sqlite3

from archive.fts import fts_query
from archive.serve import metadata


def _client(db):
    from datasette.app import Datasette

    return Datasette([], immutables=[str(db)], metadata=metadata(db.stem)).client


def test_home_page_says_what_is_covered(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    reports, governments = con.execute("SELECT COUNT(*), COUNT(DISTINCT adcode) FROM reports").fetchone()

    async def run() -> str:
        r = await _client(db).get("/")
        assert r.status_code == 200
        return r.text

    page = asyncio.run(run())
    assert 'action="/-/search"' in page
    assert f"<strong>{reports:,}</strong> reports of <strong>{governments:,}</strong> governments" in page
    year, n = con.execute(
        "SELECT year, COUNT(*) FROM reports WHERE year IS NOT NULL GROUP BY year ORDER BY year DESC"
    ).fetchone()
    assert re.search(rf"<td>{year}</td><td class=\"n\">{n}</td>", page)
    latest = con.execute(
        "SELECT id FROM reports ORDER BY COALESCE(publication_date, first_seen) DESC, id LIMIT 1"
    ).fetchone()[0]
    assert f'href="/-/report/{latest}"' in page
    assert "/-/dashboards/ogi" in page and "balance_failures" in page


def test_search_page_lists_reports_with_snippets_links_and_facets(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    matches = con.execute(
        "SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH ?", (fts_query("复议"),)
    ).fetchone()[0]

    async def run() -> tuple[str, str, str]:
        client = _client(db)
        pages = []
        r = await client.get("/-/search?q=复议&page=" + "9" * 30)  # a page far past the end: empty, not an error
        assert r.status_code == 200
        for query in ("/-/search?q=复议", "/-/search?q=复议&year=2023", "/-/search?q=没有这个词组合"):
            r = await client.get(query)
            assert r.status_code == 200
            pages.append(r.text)
        return pages[0], pages[1], pages[2]

    page, narrowed, nothing = asyncio.run(run())
    assert f"{matches:,} reports match" in page
    assert "<mark>复议</mark>" in page
    ids = re.findall(r'href="/-/report/(\d+)"', page)
    assert len(ids) == min(matches, 20)
    assert all(con.execute("SELECT 1 FROM reports WHERE id = ?", (int(i),)).fetchone() for i in ids)
    assert "<h3>province</h3>" in page and "<h3>year</h3>" in page and "<h3>agency_kind</h3>" in page
    in_2023 = con.execute(
        "SELECT COUNT(*) FROM reports_fts f JOIN reports r ON r.id = f.rowid WHERE reports_fts MATCH ? AND r.year = 2023",
        (fts_query("复议"),),
    ).fetchone()[0]
    assert f"{in_2023:,} reports match" in narrowed and "year = 2023" in narrowed
    assert "0 reports match" in nothing


def test_a_snippet_marks_each_term_once_in_escaped_text():
    """A report's text is a stranger's and the terms are the searcher's: neither may make markup, and a
    term that is part of an entity or of the marks themselves is matched in the text only."""
    from archive.datasette_plugin.pages import _snippet

    text = '<img src=x onerror="alert(1)"> mark a & lt 复议'
    assert _snippet(text, ["mark", "a", "lt", "&", "复议", ""]) == (
        "&lt;img src=x onerror=&quot;<mark>a</mark>lert(1)&quot;&gt; <mark>mark</mark> "
        "<mark>a</mark> <mark>&amp;</mark> <mark>lt</mark> <mark>复议</mark>"
    )
    assert _snippet(text, []) == html.escape(text)


def test_a_search_in_traditional_characters_finds_the_simplified_text(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)
    matches = con.execute(
        "SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH ?", (fts_query("行政复议"),)
    ).fetchone()[0]
    traditional = con.execute(
        "SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH ?", (fts_query("行政復議"),)
    ).fetchone()[0]
    assert matches and traditional == matches  # the tokenizer folds 復議 to 复议, in the query as in the text

    async def run() -> str:
        return (await _client(db).get("/-/search?q=行政復議")).text

    page = asyncio.run(run())
    assert f"{matches:,} reports match" in page and "<mark>行政复议</mark>" in page


def test_searches_matching_too_many_reports_come_newest_first(built, monkeypatch):
    from archive.datasette_plugin import pages

    _, db, _, _ = built
    monkeypatch.setattr(pages, "RANK_MAX", 1)

    async def run() -> tuple[str, str]:
        client = _client(db)
        return (await client.get("/-/search?q=复议")).text, (await client.get("/-/search?q=复议&sort=relevance")).text

    newest, ranked = asyncio.run(run())
    assert 'id="order"' in newest and 'id="order"' not in ranked
    years = [int(y) for y in re.findall(r"· (\d{4}) ·", newest)]
    assert years and years == sorted(years, reverse=True)
