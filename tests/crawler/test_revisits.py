"""Daily runs that cost little (issue 29): a document the store holds is asked for again only when its
revisit is due (crawler/revisits.py). On the farm, a day after the first run the next run asks for the
lists and the new report, not the old documents; a report revised meanwhile is seen once its revisit
interval has passed; the run record says how many requests the schedule saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.revisits import MAX_INTERVAL, MIN_INTERVAL, due, interval, stable_since
from rawstore import RawStore
from rawstore.store import UrlHistory
from simulate.portals import Farm
from tests.helpers import crawl, unlist

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
STATIC = "990101"  # the farm's plain static portal


def _history(checked_days_ago: float, since_days_ago: float, versions: int = 1, last_modified: str | None = None):
    at = lambda days: (NOW - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    return UrlHistory(at(checked_days_ago), at(since_days_ago), versions, last_modified)


def test_a_new_document_is_revisited_daily_a_stable_one_every_four_weeks_at_most():
    assert interval(_history(0, 0), NOW) == MIN_INTERVAL
    assert interval(_history(0, 20), NOW) == timedelta(days=5)
    assert interval(_history(0, 400), NOW) == MAX_INTERVAL == timedelta(days=28)
    # due again once its interval has passed since it was last asked for
    assert due(_history(2, 20), NOW) == NOW + timedelta(days=3)
    assert due(_history(6, 20), NOW) is None


def test_an_old_document_found_by_a_first_crawl_is_stable_since_its_server_says():
    old = "Tue, 14 Nov 2023 22:13:20 GMT"
    assert stable_since(_history(0, 0, 1, old)) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert interval(_history(0, 0, 1, old), NOW) == MAX_INTERVAL
    # once it changed, since the change was seen (its server's date may well be the old one still)
    assert interval(_history(0, 0, 2, old), NOW) == MIN_INTERVAL
    # a date that is no date, or one after the first fetch, says nothing
    assert interval(_history(0, 0, 1, "yesterday"), NOW) == MIN_INTERVAL
    assert interval(_history(0, 8, 1, "Sat, 05 Dec 2026 11:00:00 GMT"), NOW) == timedelta(days=2)


@pytest.mark.slow
def test_the_next_day_s_run_asks_for_lists_and_new_reports_and_a_revision_is_seen_within_its_interval(tmp_path):
    seeds, store = tmp_path / "seeds.csv", tmp_path / "store"
    with Farm(seed=11, reports_per_portal=4, big_portal_pages=2) as farm:
        farm.write_seeds(seeds, only={STATIC})
        pages = sorted((r for r in farm.reports.values() if r.adcode == STATIC and not r.files), key=lambda r: r.url)
        later, revised = pages[0], pages[1]
        restore = unlist(farm, later.url)  # published after the first run
        schedule = ("-s", "OGI_REVISIT=1")
        first = datetime.now(UTC)
        crawl(seeds, store, *schedule)
        for (portal, route), page in restore.items():
            portal.routes[route] = page  # type: ignore[attr-defined]
        farm.revise(revised.url, "prose")
        day = (first + timedelta(days=1)).isoformat()
        crawl(seeds, store, *schedule, "-s", f"OGI_NOW={day}")
        with RawStore(store, readonly=True) as raw:
            runs = raw.run_rows()
            one, two = runs[0], runs[1]
            # the new report was found and fetched; the revision is not seen yet: its page was not asked for
            assert (
                raw.db.execute("SELECT first_run FROM reports WHERE url = ?", (later.url,)).fetchone()[0] == two["run"]
            )
            assert len(raw.versions(revised.url)) == 1
            asked = {u for (u,) in raw.db.execute("SELECT url FROM fetches WHERE run = ?", (two["run"],))}
            assert later.url in asked and revised.url not in asked
            held = {
                u
                for (u,) in raw.db.execute(
                    "SELECT url FROM fetches WHERE run = ? AND kind IN ('report', 'file') AND status = 200",
                    (one["run"],),
                )
            }
            # every document the first run kept was served from the store (a failed one is asked for again)
            assert two["not_revisited"] == len(held) > 0 and not held & asked
            assert two["fetches"] <= one["fetches"] - two["not_revisited"] + 1  # + the new report's page
            # every report is still seen by the run (none counted gone)
            assert two["reports_found"] == one["reports_found"] + 1 and two["reports_gone"] == 0
        # four weeks on, everything is due again: the revision is found
        month = (first + timedelta(days=29)).isoformat()
        crawl(seeds, store, *schedule, "-s", f"OGI_NOW={month}")
        with RawStore(store, readonly=True) as raw:
            three = raw.run_rows()[2]
            assert len(raw.versions(revised.url)) == 2 and three["not_revisited"] == 0
            assert three["reports_changed"] == 1
