"""Plain static site: home → 政务公开 → 政府信息公开年报, 下一页 pagination, one report on another host."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .server import RESET, SLOW, Page, Portal, ul

if TYPE_CHECKING:
    from .farm import Farm


#: Links in 静态县's header to bodies that are not the county's (real hosts: a crawl must not even ask).
NATIONAL_LINKS = [
    ("http://www.gov.cn/", "中国政府网"),
    ("http://www.gov.cn/guowuyuan/", "国务院"),
    ("http://www.chinatax.gov.cn/", "国家税务总局"),
    ("http://www.mot.gov.cn/", "交通运输部"),
    ("http://www.cq.gov.cn/", "重庆市人民政府网"),
    ("http://zwfw.cq.gov.cn/", "重庆市政务服务网"),
    ("http://jw.cq.gov.cn/", "重庆市教育委员会"),
    ("http://www.12345.gov.cn/", "12345政务服务便民热线"),
]


def build(farm: Farm, ip: str) -> None:
    """Plain static site: home → 政务公开 → 政府信息公开年报, 下一页 pagination, one report on another host."""
    p = farm.portal("静态县", ip, "990101", "静态县")
    # the header of every page links portals above the county, as real ones do (a county portal's top bar:
    # 中国政府网 | 重庆市人民政府网 | 交通运输部, in public code): national, provincial and prefecture bodies
    # whose names read like a department's, which the crawl must not take for this county's own
    p.header = "".join(f'<a href="{url}" target="_blank">{text}</a>' for url, text in NATIONAL_LINKS)
    other = Portal(farm, "静态县政务服务网", ip[:-1] + str(int(ip[-1]) + 1))
    farm.portals.append(other)
    p.page("/", "静态县人民政府", '<a href="/zwgk/index.html">政务公开</a><a href="/news/">新闻</a>')
    p.page("/news/", "新闻", "<p>新闻</p>")
    p.page(
        "/zwgk/index.html",
        "政务公开",
        '<a href="/zwgk/nb/index.html">政府信息公开年报</a><a href="/zwgk/zcwj/">政策文件</a>',
    )
    items = []
    for year in range(2024 - farm.per_portal, 2024):
        url, title = farm.report(p, "990101", f"/zwgk/nb/{year}/art_{farm.next_id()}.html", "静态县人民政府", year)
        items.append((urlparse(url).path, title))
    url, title = farm.report(
        p, "990101", f"/hosted/art_{farm.next_id()}.html", "静态县人民政府办公室", 2023, host=other
    )
    items.append((url, title))
    items.append(("/zwgk/nb/missing.html", "静态县2018年政府信息公开工作年度报告"))  # broken link (404)
    p.routes["/zwgk/nb/waf.html"] = Page(b"<script>challenge()</script>", status=412)  # a firewall's challenge
    p.routes["/zwgk/nb/loop.html"] = Page(b"", status=302, headers={"Location": "/zwgk/nb/loop2.html"})
    p.routes["/zwgk/nb/loop2.html"] = Page(b"", status=302, headers={"Location": "/zwgk/nb/loop.html"})
    p.routes["/zwgk/nb/forbidden.html"] = Page(b"forbidden", status=403)
    p.routes["/zwgk/nb/reset.html"] = RESET  # type: ignore[assignment]
    p.routes["/zwgk/nb/slow.html"] = SLOW  # type: ignore[assignment]
    items += [
        ("/zwgk/nb/reset.html", "静态县2014年政府信息公开工作年度报告"),
        ("/zwgk/nb/slow.html", "静态县2013年政府信息公开工作年度报告"),
    ]
    items += [
        ("/zwgk/nb/waf.html", "静态县2017年政府信息公开工作年度报告"),
        ("/zwgk/nb/loop.html", "静态县2016年政府信息公开工作年度报告"),
        ("/zwgk/nb/forbidden.html", "静态县2015年政府信息公开工作年度报告"),
    ]
    items += farm.noise(p, "/zwgk/nb", 2023)
    half = len(items) // 2
    p.page(
        "/zwgk/nb/index.html", "政府信息公开年报", ul(items[:half], farm.listed) + '<a href="list_2.html">下一页</a>'
    )
    p.page(
        "/zwgk/nb/list_2.html", "政府信息公开年报", ul(items[half:], farm.listed) + '<a href="index.html">上一页</a>'
    )
