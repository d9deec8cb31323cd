"""Versions: an archive built after every crawl of a changing farm holds what a fresh build from the same
store holds (compared row by row), and earlier versions of a document stay versions of one report."""

from __future__ import annotations

import random
import sqlite3

import pytest

from archive.build import build
from simulate import documents as docgen
from simulate.portals import Farm, Page
from tests.helpers import archive_rows, crawl, findable, seed_records


@pytest.mark.slow
def test_incremental_builds_equal_a_fresh_build(tmp_path):
    rng = random.Random(7)
    seeds, store, incremental = tmp_path / "seeds.csv", tmp_path / "store", tmp_path / "incremental.db"
    with Farm(seed=21, reports_per_portal=2, big_portal_pages=2, seed_records=seed_records()) as farm:
        farm.write_seeds(str(seeds))
        pdf_report = next(r for r in findable(farm).values() if any(f.endswith(".pdf") for f in r.files))
        pdf_url = next(f for f in pdf_report.files if f.endswith(".pdf"))
        page_report = next(r for r in findable(farm).values() if not r.files and r.record["year"] >= 2021)
        pdf_portal, pdf_path = farm.route(pdf_url)
        page_portal, page_path = farm.route(page_report.url)
        original_pdf, original_page = pdf_portal.routes[pdf_path], page_portal.routes[page_path]
        assert isinstance(original_pdf, Page) and isinstance(original_page, Page)
        corrected = docgen.vary(pdf_report.record, rng)
        rounds = [
            # 1: the farm as it is
            {},
            # 2: the PDF republished with other numbers; the page gets a correction note
            {
                (pdf_portal, pdf_path): Page(docgen.render_pdf(corrected, rng), content_type=original_pdf.content_type),
                (page_portal, page_path): Page(
                    original_page.body.replace(b"</body>", b"<p>(corrected)</p></body>"),
                    content_type=original_page.content_type,
                ),
            },
            # 3: the page put back as it first was (A, B, A: two versions, the first current again)
            {(page_portal, page_path): original_page},
        ]
        for changes in rounds:
            for (portal, path), page in changes.items():
                portal.routes[path] = page  # type: ignore[attr-defined]
            crawl(seeds, store)
            build(incremental, store, seeds, progress=False)
    fresh = tmp_path / "fresh.db"
    build(fresh, store, seeds, progress=False)
    assert archive_rows(incremental) == archive_rows(fresh)

    con = sqlite3.connect(incremental)
    assert con.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == len(findable(farm))
    versions = {
        (url, role): (n, current)
        for url, role, n, current in con.execute(
            "SELECT d.url, d.role, COUNT(*), SUM(d.is_current) FROM report_documents d GROUP BY d.url, d.role"
        )
    }
    assert versions[(pdf_url, "attachment")] == (2, 1)
    assert versions[(page_report.url, "page")] == (2, 1)
    # the numbers are the corrected PDF's, from its current version
    source, current = con.execute(
        "SELECT r.source_url, d.sha256 FROM reports r JOIN report_documents d ON d.report_id = r.id "
        "AND d.url = ? AND d.is_current = 1 WHERE r.url = ?",
        (pdf_url, pdf_report.url),
    ).fetchone()
    got = dict(
        con.execute(
            "SELECT column_key, value FROM applications a JOIN reports r ON r.id = a.report_id "
            "WHERE r.url = ? AND row_key = 'new_received'",
            (pdf_report.url,),
        ).fetchall()
    )
    want = corrected["applications"]["new_received"]
    assert source == pdf_url and current
    assert got == want
    # the current page is the first version again
    first, last = con.execute(
        "SELECT MIN(first_fetched), MAX(first_fetched) FROM report_documents WHERE url = ?", (page_report.url,)
    ).fetchone()
    current_first = con.execute(
        "SELECT first_fetched FROM report_documents WHERE url = ? AND is_current = 1", (page_report.url,)
    ).fetchone()[0]
    assert current_first == first < last
    # the republished PDF makes its report "changed": it heads the Atom feed as a new entry
    changed_at, first_seen, n = con.execute(
        "SELECT changed_at, first_seen, versions FROM reports WHERE url = ?", (pdf_report.url,)
    ).fetchone()
    assert changed_at > first_seen and n == 2
    top = _feed_entries(incremental)[0]
    report_id = con.execute("SELECT id FROM reports WHERE url = ?", (pdf_report.url,)).fetchone()[0]
    assert top["link"].endswith(f"/-/report/{report_id}") and top["title"].startswith("[更新 changed]")
    assert top["id"].endswith(current)


def _feed_entries(db) -> list[dict[str, str]]:
    import asyncio
    from xml.etree import ElementTree

    from datasette.app import Datasette

    from archive.serve import metadata

    async def run():
        return await Datasette([], immutables=[str(db)], metadata=metadata(db.stem)).client.get("/-/feed.atom")

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(asyncio.run(run()).content)
    return [
        {
            "id": e.find(f"{atom}id").text,
            "title": e.find(f"{atom}title").text,
            "link": e.find(f"{atom}link").get("href"),
        }
        for e in feed.iter(f"{atom}entry")
    ]
