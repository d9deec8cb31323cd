"""Saved real portals replayed on loopback and crawled end to end (``Farm(replays=True)``).

平潭综合实验区's 政府信息公开年报 column (simulate/portals/replays/pingtan/SOURCE.md: saved by the public archive
crawl changwu/pingtan-gov-zwgk-archive): its page shows 10 of its 20 entries and ``list2.trsapi`` pages the
rest through ``/fjdzapp/search``; its header and footer link 国务院, 省政府, 福建网上办事大厅, 平潭行政服务中心 on a
sibling host, 12345 and 国家税务总局平潭综合实验区税务局. And 三明's 年报 column as its API answered
(replays/sanming/SOURCE.md, from changwu/sanming-policy-opening-html).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawler.discovery import links as d
from crawler.discovery import paging
from crawler.spiders.annual_reports import AnnualReportsSpider
from rawstore import RawStore
from simulate.portals import Farm
from simulate.portals.replay import HERE, PINGTAN
from tests.helpers import crawl

PINGTAN_COLUMN = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replay")
    with Farm(seed=21, reports_per_portal=1, big_portal_pages=2, replays=True) as farm:
        seeds = farm.write_seeds(tmp / "seeds.csv", {PINGTAN})
        crawl(seeds, tmp / "store")
        portal = next(p for p in farm.portals if p.name == "平潭综合实验区")
        yield farm, portal, RawStore(tmp / "store", readonly=True).db


def test_every_report_the_saved_list_shows_is_found(replayed):
    farm, portal, db = replayed
    want = {u for u, r in farm.reports.items() if r.adcode == PINGTAN}
    assert len(want) == 19
    assert {u for (u,) in db.execute("SELECT url FROM reports")} == want
    assert not {u for (u,) in db.execute("SELECT url FROM reports")} & farm.not_reports  # the letter (…的函)
    # ten of them only through the API, which was asked for its first and second page
    assert portal.hits.count("/fjdzapp/search") == 2
    # each with the date its list prints: the saved page's rows, the API's docreltime
    dates = dict(db.execute("SELECT url, listed_date FROM reports"))
    assert all(dates[u] == farm.reports[u].published for u in want), {u: dates[u] for u in want}


def test_the_crawl_tried_nothing_outside_the_replayed_host(replayed):
    """Every fetch the store logged, a refused one included, was on the replay's own host."""
    _, portal, db = replayed
    hosts = {urlsplit(u).netloc for (u,) in db.execute("SELECT url FROM fetches")}
    assert hosts == {urlsplit(portal.base).netloc}


def test_the_saved_header_and_footer_lead_to_no_other_body():
    """On the saved page at its original address: the links to 国务院, 省政府, the province's service hall,
    平潭行政服务中心 (a sibling host), 12345 and 国家税务总局… are neither reports nor sub-columns."""
    page = (HERE / "pingtan" / "zfxxgknb.htm").read_text(encoding="utf-8")
    links = d.links(PINGTAN_COLUMN, d.parse_html(page))
    elsewhere = [link for link in links if urlsplit(link.url).hostname != "www.pingtan.gov.cn"]
    assert {"国务院", "省政府", "平潭行政服务中心", "12345便民惠企服务平台", "国家税务总局平潭综合实验区税务局"} <= {
        link.text for link in elsewhere
    }
    dated = {link.url.rsplit("/", 1)[1]: link.date for link in links if d.is_report_title(link.text, in_column=True)}
    assert len(dated) == 10 and dated["t20260313_105587.htm"] == "2026-03-10"  # the date in the row's next <dd>
    assert all(dated.values())
    for link in elsewhere:
        assert not AnnualReportsSpider._subcolumn(link, PINGTAN_COLUMN, PINGTAN_COLUMN, False, "平潭综合实验区")
        assert not d.is_report_title(link.text, in_column=True)


def test_the_saved_list_script_names_the_api_request():
    page = (HERE / "pingtan" / "zfxxgknb.htm").read_text(encoding="utf-8")
    url, form = paging.trs_api_request(page, PINGTAN_COLUMN) or ("", {})
    assert url == "https://www.pingtan.gov.cn/fjdzapp/search"
    assert form == {
        "channelid": "200210",  # SiteInfo.searchId
        "classsql": "chnlid=1813",  # "" || "chnlid=1813"
        "sortfield": "-docorderpri,-docreltime",
        "prepage": "10",
        "page": "1",
    }


def test_a_saved_answer_of_the_api_reads_as_its_column_s_reports():
    """三明's 年报 column as its API answered (replays/sanming/SOURCE.md): 13 reports, each with the date
    the API gives (``2014.01.13 15:07:00``), under the column's address; one page, so nothing more to ask."""
    body = (HERE / "sanming" / "zfxxgkndbg_api_p001.json").read_text(encoding="utf-8")
    links = paging.json_list_links(body, "https://www.sm.gov.cn/fjdzapp/search")
    assert len(links) == 13 and all(d.is_report_title(link.text, in_column=True) for link in links)
    assert all(link.url.startswith("https://www.sm.gov.cn/smsrmzfbgs/smsrmzf/zfxxgkndbg/") for link in links)
    dated = {link.text: link.date for link in links}
    assert dated["三明市2013年政府信息公开工作年度报告"] == "2014-01-13"
    assert dated["三明市2025年政府信息公开工作年度报告"] == "2026-03-05"
    assert paging.trs_api_pages(body, {"channelid": "200210", "page": "1", "prepage": "100"}) == []
