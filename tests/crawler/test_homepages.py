"""Links as real home pages write them, and the cases real report lists add (docs/cms/homepages.md).

The home-page fixtures keep the link words and URLs of 邯郸's saved pages (kevin3691/renmin,
``target/adu/WEB-INF/views/affairs/index.jsp``, saved from http://hdzfxxgk.hd.gov.cn/; its 专题专栏 list
from the same repository, search index ids 2872589432 / 3326700700), trimmed to the links.
"""

from __future__ import annotations

from crawler.discovery import links as d
from tests.helpers import crawl

HANDAN_HOME = """
<ul>
  <li class="first"> <a href="http://hdzfxxgk.hd.gov.cn/#">信息公开</a> </li>
  <li> <a href="http://hd.hbzwfw.gov.cn/" target="_blank">网上政务服务平台</a> </li>
  <li> <a href="http://hdzfxxgk.hd.gov.cn/" target="_blank">政府信息公开</a> </li>
  <li> <a href="http://hd.gov.cn/xxgk/gwyw/" target="_blank">国务要闻</a> </li>
  <li> <a href="http://hdzfxxgk.hd.gov.cn/zfgb/" target="_blank">政府公报</a> </li>
</ul>
<ul>
  <li> <a href="http://hd.gov.cn/ztzl/ndgzbb" target="_blank">政府网站年度工作报表</a> </li>
  <li> <a href="http://hd.gov.cn/ztzl/wzjc" target="_blank">政府网站建设管理专栏</a> </li>
  <li> <a href="http://hd.gov.cn/ztzl/hbdczl" target="_blank">大气污染综合治理督查信息公开</a> </li>
  <li> <a href="http://hd.gov.cn/ztzl/yshbzx/" target="_blank">饮用水水源地环境保护专项行动</a> </li>
  <li> <a href="http://hd.gov.cn/ztzl/zdlyxxgk/" target="_blank">重点领域信息公开</a> </li>
</ul>
<div class="title1 xz"><a href="javascript:void(0);" title="政府信息公开" target="_blank">政府信息公开</a></div>
"""


def test_sibling_sub_domains_are_one_site_and_neighbours_are_not():
    assert d.same_site("http://www.hd.gov.cn/", "http://hdzfxxgk.hd.gov.cn/zfgb/")
    assert d.same_site("http://zwgk.xx.gov.cn/a", "http://xxgk.xx.gov.cn/b")  # siblings, neither under the other
    assert not d.same_site("http://www.hd.gov.cn/", "http://www.bd.gov.cn/")  # gov.cn is a public suffix
    assert not d.same_site("http://hd.gov.cn/", "http://hd.hbzwfw.gov.cn/")  # the province's service platform
    assert d.same_site("http://127.0.0.66:8000/", "http://127.0.0.66:9000/x")
    assert not d.same_site("http://127.0.0.66/", "http://127.0.0.67/")
    assert d.registrable_domain("WWW.Shexian.GOV.CN.") == "shexian.gov.cn"


def test_the_area_outranks_titles_that_only_contain_its_words():
    links = d.links("http://www.hd.gov.cn/", d.parse_html(HANDAN_HOME))
    scores = {link.text: d.area_score(link) for link in links}
    assert scores["政府信息公开"] >= 3 and scores["信息公开"] >= 3
    assert scores["大气污染综合治理督查信息公开"] < 2 and scores["重点领域信息公开"] < 2
    ranked = sorted((link for link in links if d.area_score(link) >= 2), key=d.area_score, reverse=True)
    assert {urlpart(link.url) for link in ranked} == {"hdzfxxgk.hd.gov.cn"}
    assert not any(link.url.startswith("javascript") for link in links)  # a link with no URL of its own
    # 政府网站年度工作报表 is another kind of annual form, not the report column
    assert all(d.column_score(link) < 2 for link in links)


def urlpart(url: str) -> str:
    from urllib.parse import urlparse

    return urlparse(url).hostname or ""


def test_links_written_by_scripts_pictures_and_onclick():
    # a Hanweb header (search index id 70953582922) writes its menu with document.writeln
    page = (
        '<script>document.writeln("<a");document.writeln("        href=\\"/col/col12205/index.html\\">机构职能</a>");'
        'document.writeln("<a href=\\"/col/col42829/index.html?vc_xxgkarea=113706000042603877-1&jh=263\\">政府信息公开</a>");'
        "</script>"
        '<a href="javascript:void(0);" onclick="window.open(\'/xxgk/index.html\')"><img src="/images/nav.png" alt="政务公开"></a>'
        '<a href="/zwgk/"><img src="/images/menu1.png" title="法定主动公开内容"></a>'
        '<a href="#" onclick="location.href=\'/ndbg/\'">年报</a>'
    )
    links = {link.text: link.url for link in d.links("http://www.x.gov.cn/", d.parse_html(page))}
    assert (
        links["政府信息公开"] == "http://www.x.gov.cn/col/col42829/index.html?vc_xxgkarea=113706000042603877-1&jh=263"
    )
    assert links["政务公开"] == "http://www.x.gov.cn/xxgk/index.html"
    assert links["法定主动公开内容"] == "http://www.x.gov.cn/zwgk/"
    assert links["年报"] == "http://www.x.gov.cn/ndbg/"


def test_a_link_a_script_re_points_is_read_where_it_leads():
    # the address is assigned by an inline script (jQuery's .attr('href', …) as in public templates,
    # search index ids 27267654359, 47689411889); the assignment is read, the page is not run
    page = (
        '<a id="xxgkLink" href="/index.html">政府信息公开</a><a id="nb" href="#">年报</a><a id="x" href="/a">其他</a>'
        "<script>document.getElementById('xxgkLink').href = 'http://xxgk.x.gov.cn/';"
        '$("#nb").attr("href", "/zwgk/ndbg/");'
        "document.getElementById('x').href = base + '/b';</script>"
    )
    links = {link.text: link.url for link in d.links("http://www.x.gov.cn/", d.parse_html(page))}
    assert links["政府信息公开"] == "http://xxgk.x.gov.cn/" and links["年报"] == "http://www.x.gov.cn/zwgk/ndbg/"
    assert links["其他"] == "http://www.x.gov.cn/a"  # an address built at run time is not guessed


def test_titles_in_a_report_column():
    assert d.is_report_title("像真县教育局2023年年报", in_column=True)
    assert d.is_report_title("2023年度政务公开工作年报")
    assert not d.is_report_title("像真县教育局2023年年报")  # outside a report column: too little to go on
    assert not d.is_report_title("像真县统计局2023年统计年报", in_column=True)
    assert not d.is_report_title("2023年企业年报公示", in_column=True)


def test_cut_titles_are_opened_and_judged_by_the_page():
    assert d.is_cut_title("像真县人民政府2023年政府信息公开工作年…")
    assert d.is_cut_title("英德市第3局2023年政府信息公开工...")
    assert not d.is_cut_title("关于报送2023年政府信息公开工作年度报告的通…")  # a notice, even cut
    assert not d.is_cut_title("县领导赴乡镇调研…")  # nothing of a report in it
    # a year is enough in a report column, not among a home page's news
    assert d.is_cut_title("英德市第3局2023年…", in_column=True) and not d.is_cut_title("我县召开2023年度…")
    page = (
        '<html><head><meta name="ArticleTitle" content="英德市第3局2023年政府信息公开工作年度报告">'
        "<title>英德市人民政府</title></head><body><h1>英德市第3局2023年政府信息公开工作年度报告</h1></body></html>"
    )
    titles = d.page_titles(d.parse_html(page))
    assert titles[0] == "英德市第3局2023年政府信息公开工作年度报告" and "英德市人民政府" in titles


def test_page_images_of_a_scanned_report_in_order_without_the_chrome():
    page = (
        '<div class="header"><img src="/images/logo.png"><img src="/images/W020240125banner.jpg"></div>'
        '<div class="article"><h1>某镇2023年政府信息公开工作年度报告</h1><div class="TRS_Editor">'
        '<p><img src="./W020240125356723_1.png"></p><p><img src="./W020240125356723_2.png"></p>'
        '<p><img src="./W020240125356723_1.png"></p></div></div>'
        '<div class="footer"><img src="/images/jiucuo.png"><img src="/images/dzjg.png"></div>'
    )
    found = d.page_images("http://x.gov.cn/zwgk/nb/t20240125_1.html", d.parse_html(page))
    assert [link.url for link in found] == [
        "http://x.gov.cn/zwgk/nb/W020240125356723_1.png",
        "http://x.gov.cn/zwgk/nb/W020240125356723_2.png",
    ]


def test_page_images_of_a_plain_page_are_found_as_trafilatura_finds_the_main_content():
    """No article container the CMS templates name: trafilatura's body selectors (``div.main``), else what
    follows the ``<h1>`` once its boilerplate (navigation, share bars, footers) is out."""
    base = "http://x.gov.cn/zwgk/nb/t20240125_1.html"
    chrome = (
        '<div class="top"><img src="/images/W020240101logo.png"><div class="nav"><img src="/images/W02024menu.jpg">'
        "</div></div>"
    )
    pages = (
        '<p><img width="800" src="./W020240125356723_1.jpg"></p><p><img width="800" src="./W020240125356723_2.jpg"></p>'
    )
    footer = (
        '<div class="share"><img src="/upload/W0201weibo.jpg"></div><div id="footer"><img src="/u/W0207pic.jpg"></div>'
    )
    want = ["http://x.gov.cn/zwgk/nb/W020240125356723_1.jpg", "http://x.gov.cn/zwgk/nb/W020240125356723_2.jpg"]
    plain = f"{chrome}<h1>某镇2023年政府信息公开工作年度报告</h1>{pages}{footer}"
    assert [link.url for link in d.page_images(base, d.parse_html(plain))] == want
    main = f'{chrome}<div class="main"><h2>某镇2023年政府信息公开工作年度报告</h2>{pages}</div>{footer}'
    assert [link.url for link in d.page_images(base, d.parse_html(main))] == want
    assert d.page_images(base, d.parse_html(f"{chrome}{pages}{footer}")) == []  # no heading, no body: nothing


def test_a_column_leads_to_departments_columns_not_to_other_governments():
    from crawler.spiders.annual_reports import AnnualReportsSpider

    here = column = "http://www.x.gov.cn/zwgk/ndbg/index.html"
    follow = lambda url, text, offsite=False: AnnualReportsSpider._subcolumn(d.Link(url, text), here, column, offsite)  # noqa: E731
    assert follow("http://jyj.x.gov.cn/col/col88/index.html", "县教育局")  # a sibling sub-domain
    assert follow("http://10.1.1.1/col/col88/index.html", "县住房和城乡建设局")  # its own host, one hop
    assert not follow("http://10.1.1.1/col/col88/index.html", "县住房和城乡建设局", offsite=True)
    assert not follow("http://www.y.gov.cn/", "邻县人民政府")  # 友情链接
    assert follow("http://www.x.gov.cn/zwgk/ndbg/2023/", "2023年") and not follow("http://www.x.gov.cn/news/", "新闻")


def test_a_report_of_page_images_on_a_plain_page_is_kept_whole(tmp_path, monkeypatch):
    """像真县卫生健康局's report as scanned pages under the ``<h1>`` of a page with no article container: the
    crawl keeps every page image."""
    from rawstore import RawStore
    from simulate.portals import Farm

    monkeypatch.setattr(Farm, "variant", lambda self, usual, *others: "plain" if usual == "article" else usual)
    with Farm(seed=9, reports_per_portal=1, big_portal_pages=2) as farm:
        report = next(r for r in farm.reports.values() if r.title.startswith("像真县卫生健康局"))
        seeds = farm.write_seeds(tmp_path / "seeds.csv", {report.adcode})
        crawl(seeds, tmp_path / "store")
    fetched = {
        r[0]
        for r in RawStore(tmp_path / "store", readonly=True).db.execute("SELECT url FROM fetches WHERE status = 200")
    }
    assert len(report.files) >= 2 and set(report.files) <= fetched, set(report.files) - fetched


def test_labels_split_over_inline_elements_are_read_as_one_word():
    page = (
        '<ul class="menu"><li><a href="/xxgk/"><span>新</span>公开</a></li>'
        '<li><a href="/ndbg/"><span class="a">政府信息</span>\n <b>公开</b>&nbsp;<i>年报</i></a></li></ul>'
        "<script>document.writeln('<a href=\"/bmnb/\"><span>部门</span><span>年报</span></a>');</script>"
    )
    texts = {link.url.rsplit("/", 2)[-2]: link.text for link in d.links("http://x.gov.cn/", d.parse_html(page))}
    assert texts == {"xxgk": "新公开", "ndbg": "政府信息公开年报", "bmnb": "部门年报"}
