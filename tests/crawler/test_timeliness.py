"""Publication dates and timeliness: the date a column's list prints beside each report is kept by the
crawler, the archive takes the report page's 发布时间 or else that list date (never an impossible one), and
the ``timeliness`` view says per county and year whether the government published by 31 January."""

from __future__ import annotations

import datetime
import json
import sqlite3

import lxml.html
import pytest

from archive.build import publication_date
from crawler.discovery import links as d
from crawler.discovery import paging
from parsers.metadata import agency_kind
from rawstore import RawStore, StoredReport
from tests.helpers import findable

# A column list as portals print it: title in the link (and in title=, the text may be cut), the date in a
# span beside it. Shape as read by RSSHub's route for 绵竹市 (DIYgod/RSSHub,
# lib/routes/gov/sichuan/deyang/govpublicinfo.js: `ul > li`, `a[title]`, date from the li's `span`).
LIST = """<ul>
<li><a href="/a.html" title="某县2023年政府信息公开工作年度报告">某县2023年政府信息公开工作…</a><span>2024-01-25</span></li>
<li><a href="/b.html">某县2022年政府信息公开工作年度报告</a> [2023/01/30]</li>
<li><a href="/c.html">某县2021年政府信息公开工作年度报告</a><span>发布日期：2022年2月3日</span></li>
<li><a href="/d.html">某县2020年政府信息公开工作年度报告</a><a href="/d.pdf">PDF</a><span>2021-01-20</span></li>
<li><a href="/e.html">某县2019年政府信息公开工作年度报告</a><span>2020-02-30</span></li>
<li><a href="/f.html">某县2018年政府信息公开工作年度报告</a><span>2019-01-10</span><span>2019-03-01 更新</span></li>
</ul>
<table><tr><td><a href="/g.html">某县2017年政府信息公开工作年度报告</a></td><td>2018-01-31</td></tr></table>
<a href="/h.html">某县2016年政府信息公开工作年度报告</a> 2017-01-01"""


def test_list_dates_beside_report_links():
    root = lxml.html.document_fromstring(LIST)
    dates = {link.url.rsplit("/", 1)[1]: link.date for link in d.links("http://x.gov.cn/", root)}
    assert dates == {
        "a.html": "2024-01-25",
        "b.html": "2023-01-30",
        "c.html": "2022-02-03",
        "d.html": None,  # two links share the entry: the date is not this link's alone
        "d.pdf": None,
        "e.html": None,  # no 30 February
        "f.html": None,  # two dates: which one was the publication is not known
        "g.html": "2018-01-31",
        "h.html": None,  # not in a list entry
    }


def test_list_dates_in_json_list_apis():
    body = json.dumps(
        {
            "articles": [
                {"title": "某县2023年年报", "url": "/p/1.html", "date": "2024-01-25 09:30:00"},
                {"title": "某县2022年年报", "url": "/p/2.html", "publish_time": 1675036800},
                {"title": "某县2021年年报", "url": "/p/3.html", "publishTime": 1643587200000},
                {"title": "某县2020年年报", "url": "/p/4.html", "date": "不详"},
            ]
        }
    )
    dates = {link.url.rsplit("/", 1)[1]: link.date for link in paging.json_list_links(body, "http://x.gov.cn/")}
    assert dates == {"1.html": "2024-01-25", "2.html": "2023-01-30", "3.html": "2022-01-31", "4.html": None}


def _report(listed: str | None, first_seen: str = "2024-06-01T08:00:00Z") -> StoredReport:
    return StoredReport("http://x/a.html", "990101", "t", 2023, None, first_seen, first_seen, (), listed)


@pytest.mark.parametrize(
    "page, listed, want",
    [
        ("2024-01-20", "2024-01-25", ("2024-01-20", "page")),  # the page's own 发布时间 first
        (None, "2024-01-25", ("2024-01-25", "list")),
        ("2024-09-01", "2024-01-25", ("2024-01-25", "list")),  # after the crawler first saw it: impossible
        ("2023-03-01", None, (None, None)),  # before the year it covers ended
        (None, None, (None, None)),
    ],
)
def test_publication_date_is_the_first_possible_one(page, listed, want):
    assert publication_date(_report(listed), page, 2023) == want


def test_farm_dates_reach_the_store_and_the_archive(built):
    farm, db, folder, _ = built
    store = RawStore(folder / "store", readonly=True)
    listed = {r.url: r.listed_date for r in store.reports()}
    truth = {url: r.published for url, r in findable(farm).items() if url in listed}
    assert truth and all(listed[url] == date for url, date in truth.items())
    con = sqlite3.connect(db)
    got = dict(con.execute("SELECT url, publication_date FROM reports"))
    assert all(got[url] == date for url, date in truth.items() if url in got)
    sources = dict(con.execute("SELECT publication_date_source, COUNT(*) FROM reports GROUP BY 1"))
    assert sources.get("page") and sources.get("list")  # some farm pages print no 发布时间


def test_timeliness_view_against_the_farm(built):
    farm, db, _, _ = built
    con = sqlite3.connect(db)
    governments = {
        (r.adcode, r.record["year"]): r.published
        for r in findable(farm).values()
        if agency_kind(r.record["agency"]) == "county_government"
    }
    rows = con.execute("SELECT adcode, year, status, publication_date, days_after_deadline FROM timeliness").fetchall()
    assert rows
    today = datetime.date.today().isoformat()
    for adcode, year, status, published, days in rows:
        deadline = f"{year + 1}-01-31"
        date = governments.get((adcode, year))
        if date is None:
            assert status == ("not found" if today > deadline else "not yet due")
            continue
        assert published == date
        assert status == ("on time" if date <= deadline else "late"), (adcode, year, date)
        assert days == (datetime.date.fromisoformat(date) - datetime.date.fromisoformat(deadline)).days
    assert {"on time", "late"} <= {r[2] for r in rows}


def test_one_entry_with_many_links_gives_no_dates():
    """A hostile page: 50,000 links in one <p> with a date — the entry is read once (not once per link,
    which would be quadratic) and, holding many links, dates none of them."""
    page = "<p>2024-01-25 " + "".join(f'<a href="/r{i}.html">年报{i}</a>' for i in range(50_000)) + "</p>"
    found = d.links("http://x.gov.cn/", lxml.html.document_fromstring(page))
    assert len(found) == 50_000 and all(link.date is None for link in found)
