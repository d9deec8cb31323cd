"""Discovery rules: report titles, column links, pagination, attachments, file names."""

from __future__ import annotations

import csv

import pytest

from crawler.discovery import links as d
from crawler.discovery import paging
from tests.helpers import ROOT


@pytest.mark.parametrize(
    "title",
    [
        "平乡县人民政府办公室2022年政府信息公开工作年度报告",
        "隰县人民政府 2022 年政府信息公开工作年报",
        "2023年度桐梓县教育局政府信息公开工作年度报告",
        "郭嘉镇2022年政务公开工作年度报告",
        "二〇二一年政府信息公开工作年度报告",
        "XX县卫生健康局2018年政府信息公开报告",  # no 年度, no 年报 (issue 26: a saved county portal)
    ],
)
def test_report_titles(title):
    assert d.is_report_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "政府信息公开年报",
        "关于报送2022年政府信息公开工作年度报告的通知",
        "2022年统计年报",
        "2023年企业年报公示",
        "政府信息公开指南",
        "2022年政务公开工作要点",
        "2022年政府信息公开自查报告",
        "2022年度政府信息公开第三方评估报告",
        "2022年政府信息公开报告会召开",
    ],
)
def test_not_report_titles(title):
    assert not d.is_report_title(title)


def test_report_year():
    assert d.report_year("XX县2022年政府信息公开工作年度报告") == 2022
    assert d.report_year("二〇二一年政府信息公开工作年度报告") == 2021


def test_column_and_area_scores():
    assert d.column_score(d.Link("http://x/zwgk/zfxxgknb/index.html", "政府信息公开年报")) >= 2
    assert d.column_score(d.Link("http://x/a.html", "2022年政府信息公开工作年度报告")) == 0
    assert d.area_score(d.Link("http://x/zwgk/", "政务公开")) >= 2


def test_trs_create_page_html():
    html = '<ul></ul><script>createPageHTML(4, 0, "index", "html");</script>'
    pages = paging.pagination("http://x/nb/2023n/index.html", html, d.parse_html(html))
    assert pages == [f"http://x/nb/2023n/index_{n}.html" for n in (1, 2, 3)]


def test_next_links_vsb_and_query():
    html = '<a href="/zwgk/zfxxgknb/5.htm">下页</a><a href="/zwgk/zfxxgknb/1.htm">尾页</a><a href="/other.htm">下页</a>'
    pages = paging.pagination("http://x/zwgk/zfxxgknb.htm", html, d.parse_html(html))
    assert pages == ["http://x/zwgk/zfxxgknb/5.htm", "http://x/zwgk/zfxxgknb/1.htm"]
    html = '<a href="list.aspx?dept=3&page=2">下一页</a>'
    assert paging.pagination("http://x/list.aspx?dept=3", html, d.parse_html(html)) == [
        "http://x/list.aspx?dept=3&page=2"
    ]


def test_hanweb_datastore_and_paging():
    page = (
        '<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2023/2/2/art_1_2.html">'
        "XX县2022年政府信息公开工作年度报告</a></li>]]></record></recordset><totalrecord>40</totalrecord></datastore></script>"
        "<script>var c={columnid:'1229', unitid:'44', perpage:'15'}; url='/module/web/jpage/dataproxy.jsp'</script>"
    )
    links = d.links("http://x/col/col1229/index.html", d.parse_html(page))
    assert links[0].url == "http://x/art/2023/2/2/art_1_2.html"
    reqs = paging.hanweb_paging(page, "http://x/col/col1229/index.html")
    assert reqs == [
        (
            "http://x/module/web/jpage/dataproxy.jsp?startrecord=2&endrecord=40&perpage=15",
            {"columnid": "1229", "unitid": "44"},
        )
    ]


def test_json_list_api():
    body = '{"total": 12, "per_page": 5, "articles": [{"title": "XX县2022年政府信息公开工作年度报告", "url": "/post_1.html"}]}'
    assert paging.json_list_links(body, "http://x/gkmlpt/api/all/nb?page=1")[0].url == "http://x/post_1.html"
    assert paging.json_pages(body, "http://x/gkmlpt/api/all/nb?page=1&sid=7") == [
        "http://x/gkmlpt/api/all/nb?page=2&sid=7",
        "http://x/gkmlpt/api/all/nb?page=3&sid=7",
    ]
    assert paging.json_apis(
        '<script>load("/gkmlpt/api/all/annualreport?page=1&sid=755")</script>', "http://x/gkmlpt/annualreport"
    ) == ["http://x/gkmlpt/api/all/annualreport?page=1&sid=755"]


def test_attachments_links_scripts_viewers():
    html = (
        '<a href="P0202302.pdf">附件</a><a href="/module/download/downfile.jsp?classid=0&filename=a.pdf">下载</a>'
        '<iframe src="/pdfjs/web/viewer.html?file=%2Fupload%2Fr.pdf"></iframe><a href="/news.html">新闻</a>'
    )
    urls = {link.url for link in d.attachments("http://x/nb/t1.html", d.parse_html(html))}
    assert urls == {
        "http://x/nb/P0202302.pdf",
        "http://x/module/download/downfile.jsp?classid=0&filename=a.pdf",
        "http://x/upload/r.pdf",
    }


@pytest.mark.parametrize(
    "header, name",
    [
        ("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf", "年报.pdf"),
        ('attachment; filename="report.docx"', "report.docx"),
        ('attachment; filename="' + "年报.pdf".encode("gbk").decode("latin-1") + '"', "年报.pdf"),
        (None, None),
    ],
)
def test_filename_from_content_disposition(header, name):
    assert d.filename_from_headers(header) == name


def test_seeds_file_format():
    rows = list(csv.DictReader(open(ROOT / "seeds" / "portals.csv", encoding="utf-8")))
    assert len(rows) > 2800
    assert set(rows[0]) == {"adcode", "province", "prefecture", "county", "level", "portal_url", "reports_url", "cms"}
    assert all(len(r["adcode"]) == 6 and r["adcode"].isdigit() for r in rows)
    by_code = {r["adcode"]: r for r in rows}
    assert by_code["130532"]["county"] == "平乡县" and by_code["130532"]["province"] == "河北省"
    assert by_code["520322"]["portal_url"].startswith("http")


@pytest.mark.parametrize(
    "text, county, own",
    [
        # a county portal's top bar and footer (中国政府网 | 重庆市人民政府网 | 交通运输部, in public code)
        ("国务院", "静态县", False),
        ("国家税务总局", "静态县", False),
        ("重庆市教育委员会", "静态县", False),
        ("贵州省政务服务网", "静态县", False),
        ("遵义市市场监督管理局", "桐梓县", False),
        ("黔南州财政局", "", False),
        # the county's own bodies, named with the county or bare
        ("桐梓县教育局", "桐梓县", True),
        ("桐梓教育局", "桐梓县", True),
        ("仁怀市教育局", "仁怀市", True),
        ("教育局", "", True),
        ("城关镇", "", True),
        ("城市管理局", "", True),
        ("市场监督管理局", "", True),
        ("经开区管委会", "", True),
    ],
)
def test_off_site_bodies_are_the_county_s_own_only(text, county, own):
    assert d.own_body(text, county) is own
