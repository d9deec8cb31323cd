"""ASP.NET disclosure platform on a separate gk. host: query-string ids, one list per department, ?page=N."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .server import Page, Portal, Request, ul

if TYPE_CHECKING:
    from .farm import Farm


def build(farm: Farm, ip: str) -> None:
    """ASP.NET disclosure platform on a separate gk. host: query-string ids, one list per department, ?page=N."""
    p = farm.portal("资阳区", ip, "990103", "资阳区")
    gk = Portal(farm, "资阳区信息公开平台", ip[:-1] + str(int(ip[-1]) + 1))
    farm.portals.append(gk)
    # the gk. platform is a sub-domain in reality, a sibling address here
    farm.seeds[-1]["cms"] = "aspnet"
    p.page("/", "资阳区人民政府", f'<a href="{gk.url("/index.aspx")}">政府信息公开</a>')
    gk.page("/index.aspx", "信息公开", '<a href="/year_list.aspx?dept=0">政府信息公开年度报告</a>')
    depts = {0: "资阳区人民政府", 38: "资阳区教育局", 41: "资阳区卫生健康局"}
    for dept, agency in depts.items():
        items = []
        for year in (2023, 2022, 2021):
            rid = farm.next_id()
            url, title = farm.report(
                p,
                "990103",
                f"/year_details.aspx?dept={dept}&id={rid}",
                agency,
                year,
                attach=["pdf"],
                iframe=(dept == 38),
                host=gk,
            )
            items.append((urlparse(url).path + "?" + urlparse(url).query, title))
        pages = [items[:2], items[2:]]
        if dept == 41:
            postback_list(gk, f"/year_list.aspx?dept={dept}", pages)
            continue
        for n, chunk in enumerate(pages, start=1):
            nav = "".join(
                f'<a href="/year_list.aspx?dept={d}">{html.escape(a)}</a>' for d, a in depts.items() if d != dept
            )
            more = f'<a href="/year_list.aspx?dept={dept}&page={n + 1}">下一页</a>' if n < len(pages) else ""
            key = f"/year_list.aspx?dept={dept}" + (f"&page={n}" if n > 1 else "")
            gk.page(key, "年度报告", f"<div>{nav}</div>" + ul(chunk, gk.farm.listed) + more)


def postback_list(gk: Portal, key: str, pages: list[list[tuple[str, str]]]) -> None:
    """A list paged by ASP.NET ``__doPostBack`` (POST of the page's form with __EVENTARGUMENT=N)."""

    def render(n: int) -> Page:
        pager = "".join(
            f"<a href=\"javascript:__doPostBack('ctl00$pager','{i}')\">{i}</a>"
            for i in range(1, len(pages) + 1)
            if i != n
        )
        form = (
            f'<form method="post" action="{key}" id="form1"><input type="hidden" name="__VIEWSTATE" value="dDwt{n}">'
            '<input type="hidden" name="__EVENTTARGET" value=""><input type="hidden" name="__EVENTARGUMENT" value="">'
            f'{ul(pages[n - 1], gk.farm.listed)}<div class="pager">{pager}</div></form>'
        )
        doc = f'<html><head><meta charset="utf-8"><title>年度报告</title></head><body>{form}</body></html>'
        return Page(doc.encode("utf-8"))

    def handler(req: Request) -> Page:
        if req.method == "POST" and req.form.get("__VIEWSTATE"):
            return render(int(req.form.get("__EVENTARGUMENT", ["1"])[0] or 1))
        return render(1)

    gk.routes[key] = handler
