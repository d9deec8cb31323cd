"""Guangdong gkmlpt: script shell pages; the list comes from a JSON API."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .server import Page, Request

if TYPE_CHECKING:
    from .farm import Farm


def build(farm: Farm, ip: str) -> None:
    """Guangdong gkmlpt: script shell pages; the list comes from a JSON API."""
    p = farm.portal("gkmlpt连南县", ip, "990106", "连南县")
    p.page("/", "连南县人民政府", '<a href="/gkmlpt/index">政府信息公开</a>')
    p.page(
        "/gkmlpt/index",
        "政府信息公开目录",
        '<div id="app"></div><script src="/gkmlpt/static/app.js"></script>'
        '<a href="/gkmlpt/annualreport">政府信息公开年报</a>',
    )
    posts = []
    for i in range(farm.per_portal * 2):
        year = 2023 - i % 3
        pid = farm.next_id()
        url, title = farm.report(
            p,
            "990106",
            f"/gkmlpt/content/2/{pid // 1000}/post_{pid}.html",
            "连南县人民政府" if i == 0 else f"连南县第{i}局",
            year,
            attach=["pdf"] if i % 3 == 0 else None,
        )
        posts.append({"id": pid, "title": title, "url": url, "date": farm.listed[url]})
    p.page(
        "/gkmlpt/annualreport",
        "年报",
        '<div id="app"></div><script>var SID = "755"; loadList("/gkmlpt/api/all/annualreport?page=1&sid=755");</script>',
    )
    per = 5

    def api(req: Request) -> Page:
        page = int(req.query.get("page", ["1"])[0])
        chunk = posts[(page - 1) * per : page * per]
        body = {"total": len(posts), "page": page, "per_page": per, "articles": chunk}
        return Page(json.dumps(body, ensure_ascii=False).encode(), content_type="application/json; charset=utf-8")

    p.routes["/gkmlpt/api/all/annualreport?*"] = api
