"""The publication date of a report page, on the shapes real portal pages use.

Evidence (not written by us):
* 《政府网站发展指引》 and GB/T 42147-2022 (政府网站网页电子文件元数据) give government pages
  metadata tags; public scrapers of Chinese government and Hanweb-built sites read
  ``<meta name="PubDate" content="YYYY-MM-DD HH:MM">`` and ``<meta name="ArticleTitle">`` from them
  (e.g. a Hanweb ``dataproxy.jsp`` news scraper that takes ``PubDate`` with
  ``re.compile(r'<meta name="PubDate" content="(.*?)">')``, found with the search tool).
* The Guangxi government portal prints the date after the source with no label:
  ``来源: 广西壮族自治区人民政府门户网站 2021-09-24 16:37`` (www.gxzf.gov.cn/zfwzjyh/t10221601.shtml).
* Most county TRS/VSB pages print ``发布时间：2024-03-20`` above the article (the farm copies that).
"""

from __future__ import annotations

import pytest

from parsers import parse_document


@pytest.mark.parametrize(
    "page, date",
    [
        (
            '<html><head><meta name="ArticleTitle" content="某县2023年政府信息公开工作年度报告">'
            '<meta name="PubDate" content="2024-01-26 10:09"></head>'
            "<body><h1>某县2023年政府信息公开工作年度报告</h1><p>一、总体情况 2023年，本县……</p></body></html>",
            "2024-01-26",
        ),
        (
            '<html><head><title>政府网站集约化信息资源规范</title></head><body><div class="article">'
            '<h1>政府网站集约化信息资源规范</h1><div class="info">来源: 广西壮族自治区人民政府门户网站 '
            '2021-09-24 16:37 打印</div><div id="zoom"><p>1 范围</p><p>本标准规定了……</p></div></div></body></html>',
            "2021-09-24",
        ),
        (
            '<html><body><div class="article"><h1>某县2023年政府信息公开工作年度报告</h1>'
            '<div class="info">发布时间：2024-3-5</div><div class="TRS_Editor"><p>正文</p></div></div></body></html>',
            "2024-03-05",
        ),
    ],
    ids=["meta-PubDate", "source-and-date", "cms-field"],
)
def test_publication_date_from_real_page_shapes(page, date):
    assert parse_document(page.encode()).published == date


def test_a_year_in_the_title_is_not_a_date():
    """trafilatura's extensive search would read 2023年 as 2023-01-01; it is off."""
    page = "<html><body><h1>某县2023年政府信息公开工作年度报告</h1><p>2023年，本县认真贯彻……</p></body></html>"
    assert parse_document(page.encode()).published is None
