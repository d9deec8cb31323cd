"""Each portal-software family's rules, on the shapes public sources show (docs/cms/<family>.md).

Every fixture below is the shape quoted in the family's evidence note, with where it was seen.
"""

from __future__ import annotations

import json
import logging

import pytest

from crawler.discovery import cms, paging
from crawler.discovery import links as d
from crawler.seeds import read_seeds
from tests.helpers import crawl, findable


def _root(html: str):
    return d.parse_html(html)


# --- TRS (docs/cms/trs.md) ------------------------------------------------------------------------


def test_trs_old_template_counts_from_zero():
    # createPageHTML(countPage, currentPage, "index", "html"): the second page is index_1
    html = '<script>createPageHTML(4, 0, "index", "html");</script>'
    assert paging.trs_pages("http://x/nb/index.html", html) == [f"http://x/nb/index_{n}.html" for n in (1, 2, 3)]


def test_trs_new_template_counts_from_one():
    # 湖南人社厅: createPageHTML('paging',25,{page},'index','html',500); page 2 is index_2, page 25 index_25
    html = "<script>createPageHTML('paging',25,1,'index','html',500);</script>"
    pages = paging.trs_pages("http://x/rst/zpzl/index.html", html)
    assert pages[0] == "http://x/rst/zpzl/index_2.html" and pages[-1] == "http://x/rst/zpzl/index_25.html"
    assert "http://x/rst/zpzl/index_1.html" not in pages and len(pages) == 24
    # 海南住建: createPageHTML('page_div',10, 1,'dezlist','shtml',149) → dezlist_2.shtml …
    html = "<script>createPageHTML('page_div',10, 1,'dezlist','shtml',149)</script>"
    assert paging.trs_pages("http://x/szjt/dejgxx/dezlist.shtml", html)[:2] == [
        "http://x/szjt/dejgxx/dezlist_2.shtml",
        "http://x/szjt/dejgxx/dezlist_3.shtml",
    ]


def test_trs_pager_with_variables_and_bare_count_page():
    html = '<script>var countPage = 3//共多少页\nvar currentPage = 0;createPageHTML(countPage, currentPage, "index", "htm");</script>'
    assert paging.trs_pages("http://x/a/index.htm", html) == ["http://x/a/index_1.htm", "http://x/a/index_2.htm"]
    # a template that writes its own links from countPage, no createPageHTML call
    html = "<script>var currentPage = 1;var countPage = 3;document.write('<a href=index_2.html>下一页</a>');</script>"
    assert paging.trs_pages("http://x/a/index_1.html", html) == ["http://x/a/index_1.html", "http://x/a/index_2.html"]


def test_trs_hostile_page_count_is_bounded():
    html = '<script>createPageHTML(999999999, 0, "index", "html");</script>'
    assert len(paging.trs_pages("http://x/a/index.html", html)) == cms.MAX_LIST_PAGES - 1


# --- Hanweb (docs/cms/hanweb.md) ------------------------------------------------------------------

JIANGSU = (  # 江苏省人民政府's column: nextgroup, records, no <totalrecord>; total and page size in jpage's options
    '<div id="212860"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp'
    '?page=1&appid=1&webid=1&path=/&columnid=33718&unitid=212860&webname=江苏省人民政府&permissiontype=0"></a>]]>'
    "</nextgroup><recordset><record><![CDATA[<li><a href='/art/2026/9/11/art_33718_11828204.html' "
    "title='连云港2023年政府信息公开工作年度报告'>连云港…</a><span>2026-09-11</span></li>]]></record>"
    "<record><![CDATA[<li><a href='/art/2025/12/15/art_33718_11693505.html' title='徐州'>徐州</a>"
    "<span>2025-12-15</span></li>]]></record></recordset></datastore></script></div>"
    "<script>var param_212860={columnid:33718,unitid:'212860'}; $('#212860').jpage({totalRecord:4895,perPage:19});</script>"
)


def test_hanweb_total_from_jpage_options_and_paging_in_the_query():
    reqs = paging.hanweb_paging(JIANGSU, "http://www.jiangsu.gov.cn/col/col33718/index.html")
    # as jpage.js asks: paging numbers in the query string, column parameters as the form
    assert reqs[0][0] == (
        "http://www.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=59&perpage=19"
    )
    assert reqs[0][1] == {
        "appid": "1",
        "webid": "1",
        "path": "/",
        "columnid": "33718",
        "unitid": "212860",
        "webname": "江苏省人民政府",
        "permissiontype": "0",
    }
    assert reqs[-1][0].endswith("endrecord=4895&perpage=19") and len(reqs) == -(-(4895 - 2) // 57)
    links = d.links("http://www.jiangsu.gov.cn/col/col33718/index.html", _root(JIANGSU))
    report = next(link for link in links if "11828204" in link.url)
    assert report.text == "连云港2023年政府信息公开工作年度报告" and report.date == "2026-09-11"


def test_hanweb_legacy_js_array_and_jslib_proxy():
    # 南通: InitData array, proxyUrl under /module/jslib/, column parameters in ajaxParam
    records = ",".join(f"'<li><a href=\\'/art/{n}.html\\'>南通{n}</a>[2014-05-0{n}]</li>'" for n in range(1, 4))
    page = (
        f"<script>var InitData49468 = [{records}];$(function(){{$('#49468').jpage({{themeName:'default',showMode:'full',"
        "totalRecord:1418,openCookies:false,dataBefore:'',dataStore:InitData49468,dataAfter:'',groupSize:3,"
        "proxyUrl:'/module/jslib/jquery/jpage/dataproxy.jsp',perPage:25,barPosition:'bottom',ajaxParam:{col:1,"
        "appid:'1',webid:60,path:'/',columnid:30067,unitid:'49468',webname:'南通市政府采购网',permissiontype:0}});});</script>"
    )
    reqs = paging.hanweb_paging(page, "http://zfcg.nantong.gov.cn/col/col30067/index.html")
    assert reqs[0][0] == (
        "http://zfcg.nantong.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp?startrecord=4&endrecord=78&perpage=25"
    )
    assert reqs[0][1]["columnid"] == "30067" and reqs[0][1]["webname"] == "南通市政府采购网"
    assert [link.url for link in d.links("http://zfcg.nantong.gov.cn/", _root(page))] == [
        f"http://zfcg.nantong.gov.cn/art/{n}.html" for n in range(1, 4)
    ]


def test_hanweb_proxy_answer_is_read_with_dates():
    # 江苏人社厅's dataproxy.jsp answer
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>1928</totalrecord><totalpage>20</totalpage>'
        '<recordset><record><![CDATA[<li class="cf"><a target="_blank" href="/art/2026/9/16/art_77278_11830771.html" '
        'title="某县2025年政府信息公开工作年度报告">某县…</a><span>2026-01-16</span></li>]]></record></recordset></datastore>'
    )
    assert cms.HANWEB_ANSWER.match(xml)
    assert paging.datastore_links(xml, "https://jshrss.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp") == [
        d.Link(
            "https://jshrss.jiangsu.gov.cn/art/2026/9/16/art_77278_11830771.html",
            "某县2025年政府信息公开工作年度报告",
            "2026-01-16",
        )
    ]


def test_hanweb_total_written_as_variables():
    """``var totalRecord=17;var perPage=15;`` before jpage (a county portal's replay, docs/cms/hanweb.md):
    page 2 is asked for."""
    page = JIANGSU.replace(
        "$('#212860').jpage({totalRecord:4895,perPage:19});",
        (
            "var totalRecord=17;var perPage=15;$('#212860').jpage({totalRecord:totalRecord,perPage:perPage,groupSize:1});"
        ),
    )
    reqs = paging.hanweb_paging(page, "http://www.x.gov.cn/col/col33718/index.html")
    assert [url.split("?")[1] for url, _ in reqs] == [
        "startrecord=3&endrecord=17&perpage=15"
    ]  # the two records shown, then the rest in one group of 15
    assert paging.hanweb_probe(page, "http://www.x.gov.cn/col/col33718/index.html") is None  # the total is known


def test_hanweb_without_a_total_asks_until_a_group_comes_back_short():
    """No total anywhere: a full first page leads to the next group, and each full answer to the next."""
    records = "".join(f"<record><![CDATA[<li><a href='/art/{i}.html'>r{i}</a></li>]]></record>" for i in range(15))
    page = (
        f'<div id="1"><script type="text/xml"><datastore><recordset>{records}</recordset></datastore></script></div>'
        "<script>var param_1={columnid:7,unitid:'1'};$('#1').jpage({perPage:15,groupSize:2});</script>"
    )
    base = "http://www.x.gov.cn/col/col7/index.html"
    assert paging.hanweb_paging(page, base) == []
    url, form = paging.hanweb_probe(page, base)  # type: ignore[misc]
    assert url.endswith("dataproxy.jsp?startrecord=16&endrecord=45&perpage=15") and form["columnid"] == "7"
    full = "<datastore><recordset>" + "<record><![CDATA[x]]></record>" * 30 + "</recordset></datastore>"
    following = paging.hanweb_next_group(full, url)
    assert following and following.endswith("startrecord=46&endrecord=75&perpage=15")
    short = "<datastore><recordset>" + "<record><![CDATA[x]]></record>" * 29 + "</recordset></datastore>"
    assert paging.hanweb_next_group(short, following) is None
    far = url.replace(
        "startrecord=16&endrecord=45", f"startrecord={cms.MAX_LIST_RECORDS - 29}&endrecord={cms.MAX_LIST_RECORDS}"
    )
    assert paging.hanweb_next_group(full, far) is None  # bounded
    half = page.replace(records, records[: len(records) // 3])
    assert paging.hanweb_probe(half, base) is None  # a short first page is the whole column


def test_hanweb_without_a_column_id_asks_nothing():
    assert paging.hanweb_paging("<script>$('#1').jpage({totalRecord:40});</script>", "http://x/") == []


# --- gkmlpt (docs/cms/gkmlpt.md) ------------------------------------------------------------------

TREE = [
    {"id": 21022, "name": "建设项目环境影响评价信息", "parent": 0},
    {"id": 2629, "name": "政府信息公开年报", "parent": 0, "post_count": 12},
    {"id": 21023, "name": "受理公告", "parent": 21022, "post_count": 203},
]


def _shell(**config: object) -> str:
    return '<div id="app"></div><script>window._CONFIG = ' + json.dumps(config, ensure_ascii=False) + ";</script>"


def test_gkmlpt_catalogue_is_a_hash_route():
    assert paging.gkmlpt_route("http://whly.gd.gov.cn/gkmlpt/annualreport#2629") == (
        "http://whly.gd.gov.cn/gkmlpt/annualreport",
        "2629",
    )
    assert paging.gkmlpt_route("https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/index#4468") == (
        "https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/index",
        "4468",
    )
    assert paging.gkmlpt_route("http://x/gkmlpt/index") is None and paging.gkmlpt_route("http://x/a#top") is None


def test_gkmlpt_api_built_from_sid_app_url_and_the_tree():
    shell = _shell(SID="758019", APP_URL="https://www.zhaoqing.gov.cn/zqhjj", TREE=TREE)
    apis = paging.gkmlpt_apis(shell, "https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/index", ["21023"])
    assert apis == [
        "https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/api/all/21023?page=1&sid=758019",
        "https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/api/all/2629?page=1&sid=758019",  # the tree's 年报 catalogue
    ]
    # without APP_URL the application is where /gkmlpt/ starts; a quoted-key-less config reads too
    shell = "<script>var config = {SID: '2', TREE: [{id: 5, name: '政府信息公开年度报告'}]};</script>"
    assert paging.gkmlpt_apis(shell, "http://www.gd.gov.cn/gkmlpt/index") == [
        "http://www.gd.gov.cn/gkmlpt/api/all/5?page=1&sid=2"
    ]


def test_gkmlpt_api_never_leaves_the_site_or_guesses_without_sid():
    assert paging.gkmlpt_apis(_shell(TREE=TREE), "http://x.gov.cn/gkmlpt/index", ["1"]) == []
    evil = _shell(SID="1", APP_URL="http://169.254.169.254/latest", TREE=TREE)
    assert paging.gkmlpt_apis(evil, "http://x.gov.cn/gkmlpt/index") == []


def test_gkmlpt_answer_pages_from_post_count_and_reads_epoch_dates():
    # 肇庆: classify.post_count, articles with absolute url and Unix-seconds date; 100 posts an API page
    articles = [
        {"id": 3255421 + n, "title": f"报告{n}", "url": f"https://z/zqhjj/gkmlpt/content/3/3255/post_{n}.html"}
        for n in range(100)
    ]
    articles[0].update(title="肇庆市生态环境局2025年政府信息公开工作年度报告", date=1769904000)
    body = json.dumps({"classify": {"id": 2629, "name": "年报", "parent": 0, "post_count": 203}, "articles": articles})
    url = "https://z/zqhjj/gkmlpt/api/all/2629?page=1&sid=758019"
    assert paging.json_pages(body, url) == [url.replace("page=1", "page=2"), url.replace("page=1", "page=3")]
    first = paging.json_list_links(body, url)[0]
    assert first.text.endswith("年度报告") and first.date == "2026-02-01"
    assert paging.json_pages(body, url.replace("page=1", "page=2")) == []  # only the first page plans the rest


def test_gkmlpt_attachment_only_in_detail_json():
    detail = json.dumps(
        {"content": '<p><a class="nfw-cms-attachment" href="/zqhjj/attachment/0/306/306724/3255421.pdf">附件</a></p>'}
    )
    page = "<script>window._CONFIG = {DETAIL: " + detail.replace("/", "\\/") + "};</script>"
    found = d.attachments("https://z/zqhjj/gkmlpt/content/3/3255/post_3255421.html", _root(page))
    assert [link.url for link in found] == ["https://z/zqhjj/attachment/0/306/306724/3255421.pdf"]


def test_hostile_json_lists_are_bounded():
    deep = "[" * 100_000 + "]" * 100_000
    assert paging.json_list_links(deep, "http://x/") == [] and paging.json_pages(deep, "http://x/?page=1") == []
    body = json.dumps({"total": 10**12, "articles": [{"title": "t", "url": "/a"}]})
    assert len(paging.json_pages(body, "http://x/api?page=1")) == cms.MAX_LIST_PAGES - 1


# --- TRS intensive platforms: list2.trsapi (docs/cms/trs.md; the saved page: tests/crawler/test_replays.py) --


def _list_model(args: str, pager: str = "prepage: 15, recordCount: '40'") -> str:
    return (
        "<script>var SiteInfo = { itpSiteId: 21, searchId: 4410, defaultPgTemp: 'pgBar_pt.html' };</script>"
        '<script>require(["list2.trsapi", "tools"], function(listModel) { listModel({ quickMode: "动静结合", '
        f"maxStaticIndex: 1, listArgs: {{ {args} }}, pagebar: {{ {pager} }} }}); }});</script>"
    )


def test_trs_api_request_from_list_model_with_the_channel_written_or_named():
    url, form = paging.trs_api_request(_list_model('channelid: 229105, classsql: "chnlid=39794"'), "http://x/a/b/")
    assert url == "http://x/fjdzapp/search"
    assert form == {"channelid": "229105", "classsql": "chnlid=39794", "prepage": "15", "page": "1"}
    named = paging.trs_api_request(_list_model("channelid: SiteInfo.searchId, classsql: ''"), "http://x/")
    assert named is not None and named[1]["channelid"] == "4410" and named[1]["classsql"] == ""
    assert paging.trs_api_request(_list_model("classsql: 'chnlid=1'"), "http://x/") is None  # no channel
    assert paging.trs_api_request("<script>listModel({listArgs: {channelid: 1}})</script>", "http://x/") is None


def test_trs_api_pages_follow_the_first_answer_s_page_count_within_bounds():
    form = {"channelid": "1", "page": "1", "prepage": "10"}
    assert [f["page"] for f in paging.trs_api_pages(json.dumps({"pageCount": 3, "data": []}), form)] == ["2", "3"]
    assert paging.trs_api_pages(json.dumps({"pageCount": 3}), {**form, "page": "2"}) == []  # only from page 1
    huge = json.dumps({"pageCount": 10**9, "data": []})
    assert len(paging.trs_api_pages(huge, form)) == cms.MAX_LIST_PAGES - 1
    assert paging.trs_api_pages("<html>not json</html>", form) == []
    assert paging.trs_api_pages(json.dumps({"pageCount": -5}), form) == []


def test_trs_api_answer_rows_are_links_with_their_dates():
    body = json.dumps(
        {
            "pageCount": 2,
            "data": [
                {
                    "doctitle": "某县2015年度政府信息公开工作年度报告",
                    "chnldocurl": "http://x/a/t1_1.htm",
                    "docreltime": "2016-01-12 16:08:00",
                },
                {
                    "doctitle": "某县2014年度政府信息公开工作年度报告",
                    "docpuburl": "http://x/a/t2_2.htm",
                    "docreltime": 1420156800000,
                },
            ],
        },
        ensure_ascii=False,
    )
    got = [(link.url, link.date) for link in paging.json_list_links(body, "http://x/fjdzapp/search")]
    assert got == [("http://x/a/t1_1.htm", "2016-01-12"), ("http://x/a/t2_2.htm", "2015-01-02")]


# --- ASP.NET, JSP (docs/cms/aspnet.md, jsp.md) ----------------------------------------------------


def test_aspnet_pager_postbacks():
    # 徐州 12345's pager: __EVENTTARGET = CaseGgfwAll1$Pager, __EVENTARGUMENT = the page
    page = (
        '<form method="post"><input type="hidden" name="__VIEWSTATE" value="dDwx"></form>'
        "<a href=\"javascript:__doPostBack('CaseGgfwAll1$Pager','4')\">4</a>"
        "<a href=\"javascript:__doPostBack('CaseGgfwAll1$Pager','2')\">下一页</a>"
        "<a href=\"javascript:__doPostBack('ctl00$nav','news')\">新闻中心</a>"
    )
    assert paging.postbacks(_root(page)) == [("CaseGgfwAll1$Pager", "4"), ("CaseGgfwAll1$Pager", "2")]


def test_jsp_lists_follow_their_own_page_links():
    # 绵竹市 iList.jsp?…&cur_page=N; VSB lm_list.jsp?totalpage=…&PAGENUM=N
    page = '<a href="iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=2">下一页</a><a href="/news.jsp?id=3">3</a>'
    assert paging.pagination(
        "https://www.mz.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=1", page, _root(page)
    ) == ["https://www.mz.gov.cn/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=2"]
    page = '<a href="lm_list.jsp?totalpage=1093&PAGENUM=2&urltype=tree.TreeTempUrl&wbtreeid=1460">下页</a>'
    url = "https://info.x.edu.cn/lm_list.jsp?urltype=tree.TreeTempUrl&wbtreeid=1460"
    assert paging.pagination(url, page, _root(page)) == [
        "https://info.x.edu.cn/lm_list.jsp?totalpage=1093&PAGENUM=2&urltype=tree.TreeTempUrl&wbtreeid=1460"
    ]


# --- families recognised, the seed hint ---------------------------------------------------------


@pytest.mark.parametrize(
    "family, page",
    [
        ("gkmlpt", '<script>window._CONFIG = {"SID": "755031"};</script>'),
        ("hanweb", "<script>$('#212860').jpage({totalRecord:4895,perPage:19});</script>"),
        ("trs", "<script>createPageHTML('page_div',10, 1,'dezlist','shtml',149)</script>"),
        ("vsb", '<a href="lm_list.jsp?totalpage=1093&PAGENUM=2&urltype=tree.TreeTempUrl&wbtreeid=1460">下页</a>'),
        ("nfcms", "<script>window.NFCMS_SITE_ID = 755001; window.NFCMS_POST_ID = 12193340;</script>"),
        ("aspnet", "<a href=\"javascript:__doPostBack('CaseGgfwAll1$Pager','4')\">4</a>"),
        ("jsp", '<a href="/info/iList.jsp?node_id=GKmzs&cat_id=15971&cur_page=2">2</a>'),
    ],
)
def test_family_markers(family, page):
    assert next(f.name for f in cms.FAMILIES if f.marker.search(page)) == family


def test_seed_cms_hint_read_and_unknown_names_ignored(tmp_path, caplog):
    path = tmp_path / "seeds.csv"
    path.write_text(
        "adcode,portal_url,reports_url,cms\n"
        "441881,http://www.yingde.gov.cn/,,gkmlpt\n"
        "330825,http://www.longyou.gov.cn/,,HANWEB\n"
        "110101,http://www.bjdch.gov.cn/,,wordpress\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        seeds = read_seeds(path).seeds
    assert [s.cms for s in seeds] == ["gkmlpt", "hanweb", ""]
    assert "unknown cms 'wordpress'" in caplog.text


# --- the farm's families, crawled with and without the hint --------------------------------------


def test_discovery_without_the_hint_finds_the_same(tmp_path):
    """The hinted portals (hanweb, gkmlpt, aspnet) crawled with an empty ``cms`` column: nothing is missed;
    with the hint, the family's entry (gkmlpt's report catalogue shell) is asked for first."""
    import sqlite3

    from rawstore import RawStore
    from simulate.portals import Farm

    with Farm(seed=8, reports_per_portal=2, big_portal_pages=2) as farm:
        hinted = {s["adcode"]: s["cms"] for s in farm.seeds if s["cms"]}
        assert set(hinted.values()) == {"hanweb", "gkmlpt", "aspnet"}
        for blank in (False, True):
            seeds = farm.write_seeds(tmp_path / f"seeds{blank}.csv", set(hinted), cms="" if blank else None)
            store = tmp_path / f"store{blank}"
            proc = crawl(seeds, store)
            db: sqlite3.Connection = RawStore(store, readonly=True).db
            found = {r[0] for r in db.execute("SELECT url FROM reports")}
            want = {u for u, r in farm.reports.items() if r.adcode in hinted}
            assert found == want, (want - found, found - want)
            fetched = {r[0] for r in db.execute("SELECT url FROM fetches")}
            shell = next(p for p in farm.portals if p.name.startswith("gkmlpt连南县") and "教育" not in p.name)
            assert (shell.url("/gkmlpt/annualreport") in fetched) is not blank  # only the hint names it
            assert "portal software seen:" in proc.stderr and "gkmlpt" in proc.stderr


def test_a_farm_of_other_variants_is_crawled_in_full(tmp_path):
    """A farm whose families answer with other variants from their evidence (13 of its 16 draws unusual):
    every report and file found, nothing else (bench/crawl_recall.py runs more of them)."""
    from rawstore import RawStore
    from simulate.portals import Farm

    with Farm(seed=38, variants=True, reports_per_portal=2, big_portal_pages=2) as farm:
        seeds = tmp_path / "seeds.csv"
        farm.write_seeds(str(seeds))
        crawl(seeds, tmp_path / "store")
    db = RawStore(tmp_path / "store", readonly=True).db
    found = {r[0] for r in db.execute("SELECT url FROM reports")}
    want = set(findable(farm))
    assert found == want, (want - found, found - want)
    fetched = {r[0] for r in db.execute("SELECT url FROM fetches WHERE kind = 'file' AND status = 200")}
    assert farm.all_files() <= fetched


def test_hostile_scripts_and_shells_are_read_within_bounds():
    """Megabytes of anchors in a script, unclosed ones, a configuration tree of millions of ids: bounded reads."""
    many = "<script>" + '<a href="/x">报告</a>' * 200_000 + "</script>"
    assert len(d.links("http://x/", _root(many))) == d.MAX_SCRIPT_ANCHORS
    unclosed = "<script>" + '<a href="/x">' * 200_000 + "</script>"
    assert d.links("http://x/", _root(unclosed)) == []
    tree = "SID: '1'; TREE: [" + "id: 1, " * 2_000_000
    assert paging.gkmlpt_apis(tree, "http://x/gkmlpt/index") == []


def test_hostile_hanweb_options_do_not_break_paging():
    page = "<script>$('#1').jpage({totalRecord:90, perPage:'abc'}); var p={columnid:7, perpage:'x1'};</script>"
    reqs = paging.hanweb_paging(page, "http://x/col/col7/index.html")
    assert reqs and all("perpage=15" in url for url, _ in reqs)  # the default page size, no crash


@pytest.mark.parametrize("told", ["variables", "nowhere"])
def test_hanweb_columns_whose_total_is_a_variable_or_untold_are_crawled_in_full(tmp_path, monkeypatch, told):
    """The farm's Hanweb county with its total in ``var totalRecord`` or nowhere: every report found."""
    from rawstore import RawStore
    from simulate.portals import Farm

    monkeypatch.setattr(Farm, "variant", lambda self, usual, *others: told if usual == "options" else usual)
    with Farm(seed=5, reports_per_portal=6, big_portal_pages=2) as farm:
        seeds = farm.write_seeds(tmp_path / "seeds.csv", {"990104"})
        crawl(seeds, tmp_path / "store")
        want = {u for u, r in farm.reports.items() if r.adcode == "990104"}
    found = {r[0] for r in RawStore(tmp_path / "store", readonly=True).db.execute("SELECT url FROM reports")}
    assert len(want) > 15 and found == want, (want - found, found - want)
