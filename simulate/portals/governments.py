"""The governments above the farm's counties: a province portal and a prefecture portal that link them.

Real portals list the governments under them in a few ways, copied here (evidence in
``docs/cms/homepages.md``, "Governments under a portal"): a drop-down of 区县政府网站 whose options carry
the sites' addresses (the Shanghai portal's footer, ``<select onChange="return change(this)">`` with
``<option>区县政府网站</option>``); a footer row of county names under 县(市、区)政府; a site-navigation
page (网站导航) linked from the home page. Names come full (静态县), short (静态) or with 人民政府 after them.
The prefecture's own pages about a county (概况, 行政区划) link its name too, on the prefecture's own host,
and another prefecture's county is linked beside them: neither is a county portal of this prefecture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .server import Portal

if TYPE_CHECKING:
    from .farm import Farm

#: Province and prefecture of the farm's counties (``Farm.portal`` writes them into the seeds).
PROVINCE, PREFECTURE = "测试省", "测试市"


def _short(name: str) -> str:
    return name[:-1] if name.endswith(("县", "区", "市")) and len(name) > 2 else name


def build(farm: Farm, province_ip: str, prefecture_ip: str) -> tuple[Portal, Portal]:
    """Add the province portal and the prefecture portal; returns them (not seeds: they are where seeds come
    from). Call after every county portal is built."""
    province = Portal(farm, f"{PROVINCE}人民政府", province_ip)
    prefecture = Portal(farm, f"{PREFECTURE}人民政府", prefecture_ip)
    farm.portals += [province, prefecture]
    counties = [(s["county"], s["portal_url"]) for s in farm.seeds if s["prefecture"] == PREFECTURE]
    province.page(
        "/",
        f"{PROVINCE}人民政府门户网站",
        '<div class="footer">市（州）政府网站 <select name="select4" onChange="return change(this);">'
        '<option value="0" selected="selected">市州政府网站</option>'
        f'<option value="{prefecture.url("/")}">{PREFECTURE}</option>'
        '<option value="http://www.linsheng.gov.cn/">邻省人民政府</option></select></div>',
    )
    half = len(counties) // 2
    footer = "".join(f'<a href="{url}">{_short(name)}</a> ' for name, url in counties[:half])
    prefecture.page(
        "/",
        f"{PREFECTURE}人民政府",
        f'<a href="/xzqh/index.html">行政区划</a><a href="/wzdh/index.html">网站导航</a>'
        f'<div class="footer">县（市、区）政府：{footer}</div>',
    )
    nav = "".join(f'<li><a href="{url}" target="_blank">{name}人民政府</a></li>' for name, url in counties[half:])
    prefecture.page(
        "/wzdh/index.html",
        "网站导航",
        f'<h3>区县政府网站</h3><ul>{nav}</ul><h3>其他</h3><ul><li><a href="http://www.lin.gov.cn/">邻县人民政府</a></li></ul>',
    )
    # the prefecture's own pages about its counties: their names, on its own host
    about = "".join(f'<a href="/xzqh/{i}.html">{name}</a>' for i, (name, _) in enumerate(counties))
    prefecture.page("/xzqh/index.html", "行政区划", about)
    return province, prefecture
