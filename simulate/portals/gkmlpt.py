"""Guangdong gkmlpt (政府信息公开目录平台): script shells, catalogues as hash routes, a JSON list API.

As public sources show it (``docs/cms/gkmlpt.md``): the shell page (``/gkmlpt/index``,
``/gkmlpt/annualreport``) is an empty ``<div id="app">`` and a configuration script with the
site id (``SID``), the application's base URL (``APP_URL``) and the catalogue tree
(``TREE``: id, name, parent, post_count). Catalogues are linked only as hash routes
(``/gkmlpt/index#2671``); the list API is never written in the page: the platform's
script builds ``{APP_URL}/gkmlpt/api/all/{catalogue}?page=N&sid={SID}``, 100 posts a
page, answering ``{"classify": {…, "post_count": N}, "articles": [{id, title, url,
date (epoch seconds), publisher, identifier}, …]}``. Posts live at
``/gkmlpt/content/<a>/<b>/post_<id>.html``, attachments at ``/attachment/0/…/<id>.pdf``;
some posts carry their body (and attachment links) only in ``window._CONFIG.DETAIL``.

Two portals: a county whose home page links the shell (the report catalogue must be read
from the tree), and a department under a path prefix (``/lnjyj/``) whose home page links
the catalogue's hash route.
"""

from __future__ import annotations

import datetime
import html
import json
from typing import TYPE_CHECKING

from .names import body_name
from .server import Page, Request

if TYPE_CHECKING:
    from .farm import Farm
    from .server import Portal

PER_PAGE = 100


def _site(farm: Farm, p: Portal, adcode: str, prefix: str, sid: str, catalogue: int, reports: int, noise: int) -> None:
    """A gkmlpt application at ``prefix`` on portal ``p``: shells, tree, API, posts."""
    app = p.url(prefix)
    tree = [
        {"id": catalogue - 7, "name": "机构职能", "parent": 0, "post_count": 3},
        {"id": catalogue - 3, "name": "政策文件", "parent": 0, "post_count": 40},
        {"id": catalogue, "name": "政府信息公开年报", "parent": 0, "post_count": reports + noise},
    ]
    settings: dict[str, object] = {"SID": sid, "APP_URL": app, "TREE": tree}
    if farm.variant(True, False):  # a variant farm may leave APP_URL out (the app is where /gkmlpt/ starts)
        config = json.dumps(settings, ensure_ascii=False)
    else:  # or write the configuration as a script object: unquoted keys, single quotes
        del settings["APP_URL"]
        nodes = ", ".join(f"{{id: {n['id']}, name: '{n['name']}', parent: {n['parent']}}}" for n in tree)
        config = f"{{SID: '{sid}', TREE: [{nodes}]}}"
    shell = (
        '<div id="app"></div><script>window._CONFIG = ' + config + ";</script>"
        f'<script src="{prefix}/gkmlpt/static/js/chunk-common.js"></script>'
    )
    for route in ("/gkmlpt/index", "/gkmlpt/annualreport"):
        p.page(prefix + route, "政府信息公开目录", shell)
    posts = []
    county = p.name.removeprefix("gkmlpt")
    for i in range(reports):
        year = 2023 - (i if county.endswith("局") else i % 3)  # a department publishes one report a year
        pid = farm.next_id() * 10
        path = f"{prefix}/gkmlpt/content/{pid // 1_000_000}/{pid // 1000}/post_{pid}.html"
        agency = body_name(county, i)
        url, title = farm.report(p, adcode, path, agency, year, attach=["pdf"] if i % 3 == 0 else None)
        if i % 2 == 0 and farm.reports[url].files:
            _detail_only(p, path, title, farm.reports[url].files)
        posts.append(_article(pid, title, url, farm.listed[url], agency))
    others = []
    for i in range(noise):  # the catalogue's other posts: listed only, never opened by a crawler
        pid = farm.next_id() * 10
        title = f"{county}关于{2023 - i % 3}年政府信息公开工作情况的通报（{i}）"
        url = p.url(f"{prefix}/gkmlpt/content/0/{pid // 1000}/post_{pid}.html")
        farm.not_reports.add(url)
        others.append(_article(pid, title, url, "2024-03-01", county))
    # the reports among the catalogue's other posts, some beyond the API's first page
    cut = max(0, min(len(others), PER_PAGE - len(posts) // 2))
    articles = others[:cut] + posts + others[cut:]

    def api(req: Request) -> Page:
        page = int(req.query.get("page", ["1"])[0] or 1)
        if req.query.get("sid", [""])[0] != sid or not req.path.endswith(f"/{catalogue}"):
            return Page(b'{"classify": null, "articles": []}', content_type="application/json")
        chunk = articles[(max(page, 1) - 1) * PER_PAGE : max(page, 1) * PER_PAGE]
        classify = {"id": catalogue, "name": "政府信息公开年报", "parent": 0, "post_count": len(articles)}
        body = json.dumps({"classify": classify, "articles": chunk}, ensure_ascii=False)
        return Page(body.encode(), content_type="application/json; charset=utf-8")

    p.routes[f"{prefix}/gkmlpt/api/all/{catalogue}?*"] = api


def _article(pid: int, title: str, url: str, date: str, publisher: str) -> dict[str, object]:
    epoch = int(datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.UTC).timestamp())
    return {"id": pid, "title": title, "url": url, "date": epoch, "publisher": publisher, "identifier": f"0/{pid}"}


def _detail_only(p: Portal, path: str, title: str, files: list[str]) -> None:
    """Rewrite a post so that its body, attachment links included, is only in ``window._CONFIG.DETAIL``."""
    links = "".join(
        f'<p><a class="nfw-cms-attachment" href="{html.escape(f.removeprefix(p.base))}">{html.escape(title)}</a></p>'
        for f in files
    )
    detail = json.dumps({"title": title, "content": f"<p>详见附件。</p>{links}"}, ensure_ascii=False)
    detail = detail.replace("/", "\\/")  # as PHP's json_encode writes it
    p.page(path, title, f'<div id="app"></div><script>window._CONFIG = {{"DETAIL": {detail}}};</script>')


def build(farm: Farm, ip: str) -> None:
    """A county on gkmlpt: the home page links the shell; the report catalogue is found in the tree."""
    p = farm.portal("gkmlpt连南县", ip, "990106", "连南县")
    farm.seeds[-1]["cms"] = "gkmlpt"
    p.page("/", "连南县人民政府", '<a href="/gkmlpt/index">政府信息公开</a>')
    _site(farm, p, "990106", "", "755", 2671, farm.per_portal * 2, 4)


def build_department(farm: Farm, ip: str) -> None:
    """A department's gkmlpt under a path prefix; the home page links the report catalogue's hash route."""
    p = farm.portal("gkmlpt连南县教育局", ip, "990109", "连南县")
    p.page(
        "/lnjyj/",
        "连南县教育局",
        '<a href="/lnjyj/jgzn/">机构职能</a><a href="/lnjyj/gkmlpt/annualreport#2629">信息公开年报</a>',
    )
    p.routes["/"] = Page(b"", status=302, headers={"Location": p.url("/lnjyj/")})
    _site(farm, p, "990109", "/lnjyj", "758019", 2629, farm.per_portal, PER_PAGE + 5)
