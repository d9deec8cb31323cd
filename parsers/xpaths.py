"""Where report text and its facts sit on portal pages, as data (after trafilatura's xpaths.py).

Portal software (TRS WCM, Hanweb JCMS, VSB, gkmlpt and the provincial
platforms) wraps the report in a few well-known containers; the first one
found that holds report text is read, otherwise the whole ``<body>``.
"""

import re

#: Containers of the article body, most specific first.
CONTENT = (
    '//div[contains(@class,"TRS_Editor") or contains(@class,"trs_editor")]',
    '//*[@id="zoom" or @id="Zoom" or @id="UCAP-CONTENT" or @id="ucap-content" or @id="vsb_content" or @id="fontzoom"]',
    '//div[contains(@id,"vsb_content")]',
    '//div[@class="article-content" or @class="article_content" or @class="content_text" or @class="zw"'
    ' or @class="xxgk_content" or @class="article-con" or @class="detail-content" or @class="gkmlpt-content"]',
    "//article",
    '//*[@id="content" or @id="article" or @class="content" or @class="article"]',
)

#: Page furniture dropped before reading.
BOILERPLATE = (
    "//script",
    "//style",
    "//noscript",
    "//template",
    "//iframe",
    "//nav",
    "//footer",
    "//header",
    '//*[contains(@class,"breadcrumb") or contains(@class,"share") or contains(@class,"footer")'
    ' or contains(@class,"nav") or contains(@class,"menu") or contains(@id,"footer") or contains(@id,"nav")]',
)

#: The publication date as portal software prints it above the article (发布时间：2024-03-20).
PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|日期)\s*[:：]\s*(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})"
)

#: Title candidates, best first (TRS and most CMS put the title in meta ArticleTitle).
TITLE = (
    '//meta[@name="ArticleTitle" or @name="articletitle" or @name="title" or @property="og:title"]/@content',
    "//h1",
    "//h2",
    "//title",
)
