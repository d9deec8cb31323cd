"""NFCMS (南方报业 CMS): createPageHTML lists that cut long titles, articles titled by their ArticleTitle meta.

As public sources show it (``docs/cms/nfcms.md``): pages set ``window.NFCMS_SITE_ID`` and
``NFCMS_CAT_ID``/``NFCMS_POST_ID``; lists page as ``index.html``, ``index_N.html`` from a
``createPageHTML`` call; articles are ``post_<id>.html`` with the ArticleTitle, PubDate and
ContentSource metas. This list prints titles cut to 18 characters with "..." and no ``title``
attribute, so a crawler must open an item to know what it is.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .names import body_name
from .server import Page, Portal

if TYPE_CHECKING:
    from .farm import Farm

SITE_ID = "441881"


def build(farm: Farm, ip: str) -> None:
    """NFCMS: cut titles, createPageHTML pages, the full title only on the article."""
    p = farm.portal("nfcms英德市", ip, "990111", "英德市")
    p.page("/", "英德市人民政府", '<a href="/zwgk/index.html">政务公开</a>')
    p.page("/zwgk/index.html", "政务公开", '<a href="/zwgk/ndbg/index.html">年度报告</a>')
    items = []
    for i in range(farm.per_portal + 2):
        year = 2023 - i % 3
        pid = farm.next_id() * 7
        agency = body_name("英德市", i)
        url, title = farm.report(p, "990111", f"/zwgk/ndbg/content/post_{pid}.html", agency, year)
        _article_metas(p, url, title, farm.listed[url], agency, pid)
        items.append((url.removeprefix(p.base), title, farm.listed[url]))
    notice = f"英德市人民政府办公室关于{2023}年度政府信息公开工作考核情况的通报"
    path = f"/zwgk/ndbg/content/post_{farm.next_id() * 7}.html"
    p.page(path, notice, f"<h1>{html.escape(notice)}</h1><p>正文</p>")
    farm.not_reports.add(p.url(path))
    items.insert(2, (path, notice, "2024-02-20"))
    per, width, mark = farm.variant(4, 6), farm.variant(18, 14, 22), farm.variant("...", "…")
    pages = [items[i : i + per] for i in range(0, len(items), per)]
    for n, chunk in enumerate(pages):
        entries = "".join(
            f'<li><a href="{html.escape(u)}" target="_blank">{html.escape(t[:width] + mark if len(t) > width else t)}'
            f"</a><span>{d}</span></li>"
            for u, t, d in chunk
        )
        script = (
            f"<script>window.NFCMS_SITE_ID = '{SITE_ID}'; window.NFCMS_CAT_ID = '3021';</script>"
            f'<script>createPageHTML({len(pages)}, {n}, "index", "html");</script>'
        )
        p.page(
            "/zwgk/ndbg/index.html" if n == 0 else f"/zwgk/ndbg/index_{n}.html",
            "年度报告",
            f"<ul>{entries}</ul>{script}",
        )


def _article_metas(p: Portal, url: str, title: str, date: str, source: str, pid: int) -> None:
    """Put NFCMS's article metas in the page's head, as its templates do."""
    page = p.routes[url.removeprefix(p.base)]
    assert isinstance(page, Page)
    metas = (
        f'<meta name="ArticleTitle" content="{html.escape(title)}"><meta name="PubDate" content="{date} 09:00">'
        f'<meta name="ContentSource" content="{html.escape(source)}"><meta name="ArticleId" content="{pid}">'
        f"<script>window.NFCMS_SITE_ID = '{SITE_ID}'; window.NFCMS_POST_ID = {pid};</script>"
    )
    page.body = page.body.decode("utf-8").replace("</head>", metas + "</head>", 1).encode("utf-8")
