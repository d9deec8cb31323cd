"""Links as real county home pages write them, and a report column with the cases real lists add.

Each shape is copied from a saved real page or public crawler code (``docs/cms/homepages.md``):

* the home page's 专题专栏 list names topics' own disclosures first (大气污染综合治理督查信息公开,
  重点领域信息公开 … as on 邯郸's saved home page) — they must not use up the places kept for the
  disclosure area;
* the way into the area is a menu picture whose only words are its ``alt``, on a
  ``javascript:`` link that opens the area in ``onclick`` (a variant farm: a picture's ``title``, a
  ``location.href`` handler, or a link an inline script re-points by its id);
* the area's menu is written by a script (``document.writeln("<a href=\\"/col/…\\">…</a>")``, as
  Hanweb headers are) and the report column's path has no words (``/col/col4417/index.html``);
* the column lists titles without the words 政府信息公开 (``XX局2023年年报``,
  ``2023年度政务公开工作年报``), titles cut with ``…`` and no ``title`` attribute (a report, and a
  notice that only its page shows is not one), a report published as scanned page images, and
  a department whose own column is on its own host.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .server import Portal

if TYPE_CHECKING:
    from .farm import Farm

DECOYS = ("大气污染综合治理督查信息公开", "重点领域信息公开", "“双公示”信息公开", "财政预决算信息公开", "环境信息公开")


def _li(path: str, text: str, date: str, title: str | None = None) -> str:
    attr = f' title="{html.escape(title)}"' if title else ""
    return f'<li><a href="{html.escape(path)}"{attr} target="_blank">{html.escape(text)}</a><span>{date}</span></li>'


def build(farm: Farm, ip: str) -> None:
    """A county home page with the shapes real ones have, and a column with the cases real lists add."""
    p = farm.portal("像真县", ip, "990110", "像真县")
    dept = Portal(farm, "像真县住房和城乡建设局", ip[:-1] + str(int(ip[-1]) + 1))
    farm.portals.append(dept)
    topics = "".join(f'<li><a href="/ztzl/zt{n}/">{html.escape(t)}</a></li>' for n, t in enumerate(DECOYS))
    entry = farm.variant(  # how the menu's way into the area is written
        '<a href="javascript:void(0);" onclick="window.open(\'/xxgk/index.html\')">'
        '<img src="/images/nav_xxgk.png" alt="政府信息公开" border="0"></a>',
        '<a href="/xxgk/index.html" target="_blank"><img src="/images/nav_xxgk.png" title="信息公开"></a>',
        '<a href="#" onclick="location.href=\'/xxgk/index.html\'">政务公开</a>',
        '<a id="xxgk" href="/index.html">政府信息公开</a>'
        "<script>document.getElementById('xxgk').href = '/xxgk/index.html';</script>",
    )
    p.page(
        "/",
        "像真县人民政府",
        f'<div class="ztzl"><h3>专题专栏</h3><ul>{topics}</ul></div><div class="nav">{entry}</div>',
    )
    for n, topic in enumerate(DECOYS):
        p.page(
            f"/ztzl/zt{n}/", topic, f'<ul><li><a href="/ztzl/zt{n}/t1.html">{html.escape(topic)}工作动态</a></li></ul>'
        )
    p.page(
        "/xxgk/index.html",
        "政府信息公开",
        '<div class="menu"><script>document.writeln("<ul class=\\"xxgk-menu\\">");'
        'document.writeln("<li><a href=\\"/col/col4401/index.html\\">机构职能</a></li>");'
        'document.writeln("<li><a href=\\"/col/col4417/index.html\\">年度报告</a></li>");'
        'document.writeln("</ul>");</script></div>',
    )
    items: list[str] = []

    def add(agency: str, year: int, title: str | None = None, cut: bool = False, **kw: object) -> None:
        path = f"/art/{year + 1}/1/{len(items) + 5}/art_4417_{farm.next_id()}.html"
        url, full = farm.report(p, "990110", path, agency, year, **kw)  # type: ignore[arg-type]
        full = title or full  # the list's own wording (the page keeps its full title)
        shown = full[:-3] + "…" if cut else full
        items.append(_li(path, shown, farm.listed[url], None if cut else full))

    add("像真县人民政府", 2023, cut=True)
    add("像真县教育局", 2023, title="像真县教育局2023年年报")
    add("像真县人民政府办公室", 2023, title="像真县人民政府办公室2023年度政务公开工作年报")
    add("像真县卫生健康局", 2023, scanned_pages=True)
    add("像真县人民政府", 2022, attach=["pdf"])
    for text, page_title in (
        ("像真县人民政府关于2023年度政府信息公开工作…", "像真县人民政府关于2023年度政府信息公开工作考核结果的通知"),
        ("像真县统计局2023年统计年报", "像真县统计局2023年统计年报"),
    ):
        path = f"/art/2024/3/1/art_4417_{farm.next_id()}.html"
        p.page(path, page_title, f"<h1>{html.escape(page_title)}</h1><p>正文</p>")
        farm.not_reports.add(p.url(path))
        items.append(_li(path, text, "2024-03-01"))
    dept_items = []
    for year in (2023, 2022):
        path = f"/col/col88/{year + 1}/art_{farm.next_id()}.html"
        url, title = farm.report(p, "990110", path, "像真县住房和城乡建设局", year, host=dept)
        dept_items.append(_li(urlparse(url).path, title, farm.listed[url], title))
    dept.page("/col/col88/index.html", "年度报告", f'<ul class="list">{"".join(dept_items)}</ul>')
    p.page(
        "/col/col4417/index.html",
        "年度报告",
        f'<ul class="list">{"".join(items)}</ul>'
        f'<div class="bmnb"><h4>部门年报</h4><a href="{dept.url("/col/col88/index.html")}">像真县住房和城乡建设局</a></div>',
    )
