"""Silent revisions (issue 29): a report the farm republishes with other numbers, one republished with only
a sentence added, and one whose PDF is replaced by a broken upload. The archive says what each changed:
cells old → new, the text's diff, the checks before and after, a failed parse as a failed parse; the list
of reports whose numbers changed, the saved query and the feed say it too."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from xml.etree import ElementTree

import pytest
from datasette.app import Datasette

from archive.build import build, report_key
from archive.serve import metadata
from ogi.demo import revised_reports
from simulate.portals import Farm
from tests.helpers import archive_rows, crawl, seed_records

ATOM = "{http://www.w3.org/2005/Atom}"


def _get(db, *paths: str) -> list:
    async def run():
        ds = Datasette([], immutables=[str(db)], metadata=metadata(db.stem))
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


@pytest.fixture(scope="module")
def revised(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("revisions")
    seeds, store, db = tmp / "seeds.csv", tmp / "store", tmp / "archive.db"
    with Farm(seed=29, reports_per_portal=2, big_portal_pages=2, seed_records=seed_records()) as farm:
        (numbers, _), (prose, _) = revised_reports(farm)  # the demo's two
        broken = next(r for r in farm.reports.values() if any(f.endswith(".pdf") for f in r.files) and not r.needs)
        before = dict(numbers.record["applications"]["new_received"])
        farm.write_seeds(str(seeds), only={numbers.adcode, prose.adcode, broken.adcode})
        crawl(seeds, store)
        build(db, store, seeds, progress=False)
        for report, change in ((numbers, "numbers"), (prose, "prose"), (broken, "broken")):
            farm.revise(report.url, change)
        crawl(seeds, store)
        build(db, store, seeds, progress=False)
        fresh = tmp / "fresh.db"
        build(fresh, store, seeds, progress=False)
        yield {
            "db": db,
            "fresh": fresh,
            "numbers": numbers,
            "prose": prose,
            "broken": broken,
            "before": before,
            "after": numbers.record["applications"]["new_received"],
        }


def _revisions(db, url: str) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    return [dict(r) for r in con.execute("SELECT * FROM revisions WHERE report_id = ?", (report_key(url),))]


@pytest.mark.slow
def test_a_revision_of_the_numbers_is_its_cells_old_and_new(revised):
    (rv,) = _revisions(revised["db"], revised["numbers"].url)
    before, after = revised["before"], revised["after"]
    assert (
        rv["role"] == "page" and rv["old_status"] == rv["new_status"] == "ok" and rv["old_fetched"] < rv["new_fetched"]
    )
    con = sqlite3.connect(revised["db"])
    cells = {
        (t, r, c): (old, new)
        for t, r, c, old, new in con.execute(
            "SELECT table_name, row_key, column_key, old_value, new_value FROM revision_cells WHERE report_id = ?",
            (report_key(revised["numbers"].url),),
        )
    }
    assert cells == {
        ("applications", "new_received", col): (before[col], after[col]) for col in ("natural_person", "total")
    }
    assert rv["cells_changed"] == 2 and rv["prose_changed"] == 0
    assert f"表三 本年新收政府信息公开申请数量 总计 {before['total']} → {after['total']}" in rv["summary"]
    # new requests lowered and nothing else: the balance of the natural-person column no longer holds
    assert rv["new_failed_checks"] > rv["old_failed_checks"]


@pytest.mark.slow
def test_a_prose_fix_changes_no_number_and_a_broken_upload_is_no_removal(revised):
    (prose,) = _revisions(revised["db"], revised["prose"].url)
    assert (prose["cells_changed"], prose["prose_changed"]) == (0, 1)
    assert prose["summary"].startswith("正文修改") and prose["old_failed_checks"] == prose["new_failed_checks"]
    (broken,) = _revisions(revised["db"], revised["broken"].url)
    assert broken["role"] == "attachment" and broken["old_status"] == "ok" and broken["new_status"].startswith("failed")
    assert broken["cells_changed"] is None and broken["summary"].startswith("新版本无法解析")


@pytest.mark.slow
def test_pages_list_show_and_announce_what_changed(revised):
    db, numbers, prose, broken = revised["db"], revised["numbers"], revised["prose"], revised["broken"]
    before, after = revised["before"], revised["after"]
    page, prose_page, broken_page, listing, by_year, feed, query = _get(
        db,
        f"/-/report/{report_key(numbers.url)}",
        f"/-/report/{report_key(prose.url)}",
        f"/-/report/{report_key(broken.url)}",
        "/-/revisions",
        f"/-/revisions?year={numbers.record['year'] + 1}",
        "/-/feed.atom",
        f"/{db.stem}/numbers_changed.json?_shape=objects",
    )
    html = page.text
    assert 'id="revisions"' in html and html.count("/-/original/") >= 3  # the archived copy, both versions
    assert f'<td class="n">{before["total"]}</td><td class="n">{after["total"]}</td>' in html
    assert (
        "the change made the template&#39;s checks fail" in html or "the change made the template's checks fail" in html
    )
    assert (
        "<ins>本报告已于发布后更正个别文字表述。</ins>" in prose_page.text
        and "The numbers did not change." in prose_page.text
    )
    assert "could not be read" in broken_page.text and "not removed" in broken_page.text
    # only the report whose numbers changed is listed, and only in its own year
    listed = listing.text
    assert f"/-/report/{report_key(numbers.url)}#revisions" in listed
    assert f"/-/report/{report_key(prose.url)}#" not in listed and f"/-/report/{report_key(broken.url)}#" not in listed
    assert f"/-/report/{report_key(numbers.url)}#" not in by_year.text
    entries = {
        e.find(f"{ATOM}link").get("href"): e.find(f"{ATOM}title").text
        for e in ElementTree.fromstring(feed.content).iter(f"{ATOM}entry")
    }
    title = next(t for link, t in entries.items() if link.endswith(f"/-/report/{report_key(numbers.url)}"))
    assert title.startswith("[更新 changed]") and f"{before['total']} → {after['total']}" in title
    rows = json.loads(query.text)["rows"]
    assert [r["report_id"] for r in rows] == [report_key(numbers.url)]


@pytest.mark.slow
def test_revisions_of_an_incremental_build_are_those_of_a_fresh_one(revised):
    assert archive_rows(revised["db"]) == archive_rows(revised["fresh"])
