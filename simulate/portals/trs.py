"""TRS WCM in GBK: per-year sub-columns, createPageHTML pagination (both templates; 30+ pages), PDF/DOCX attachments, duplicates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .names import body_name
from .server import ul

if TYPE_CHECKING:
    from .farm import Farm


def build(farm: Farm, ip: str) -> None:
    """TRS WCM in GBK: per-year sub-columns, createPageHTML pagination (30+ pages), PDF/DOCX attachments, duplicates."""
    p = farm.portal("桐梓县", ip, "990102", "桐梓县", encoding="gbk")
    p.page("/", "桐梓县人民政府", '<a href="/zwgk/zfxxgk/index.html">政府信息公开</a>')
    base = "/zwgk/zfxxgk/zfxxgknb"
    p.page(
        "/zwgk/zfxxgk/index.html",
        "政府信息公开",
        f'<a href="{base}/index.html">政府信息公开年报</a><a href="/zwgk/zfxxgk/fdzdgknr/">法定主动公开内容</a>',
    )
    years = [2023, 2022]
    p.page(
        f"{base}/index.html",
        "政府信息公开年报",
        "".join(f'<a href="{y}n/index.html">{y}年</a>' for y in years) + '<a href="bmnb/index.html">部门年报</a>',
    )
    dept_items = []
    for y in years:
        items: list[tuple[str, str]] = []
        count = 2 * farm.big_pages if y == 2023 else farm.per_portal
        for i in range(count):
            agency = body_name("桐梓县", i)
            stamp = f"{y + 1}02{10 + i % 18:02d}"
            url, title = farm.report(
                p,
                "990102",
                f"{base}/{y}n/{stamp[:6]}/t{stamp}_{farm.next_id()}.html",
                agency,
                y,
                attach=["pdf"] if i % 3 == 1 else (["docx", "doc"] if i % 3 == 2 else None),
            )
            rel = url.split(f"{y}n/", 1)[1]
            items.append((rel, title))
            farm.listed[rel] = farm.listed[url]
            if i % 5 == 1:
                dept_items.append((f"../{y}n/{rel}", title))  # the same report in 部门年报
                farm.listed[f"../{y}n/{rel}"] = farm.listed[url]
        items += [
            (n.split(f"{base}/{y}n/", 1)[-1] if n.startswith(base) else n, t)
            for n, t in farm.noise(p, f"{base}/{y}n", y)
        ]
        per = 2 if y == 2023 else 3
        pages = [items[i : i + per] for i in range(0, len(items), per)]
        # the old template on the 2023 column, the newer one on 2022 (a variant farm draws each column's)
        template = farm.variant("old", "new", "count") if y == 2023 else farm.variant("new", "old")
        for n, chunk in enumerate(pages):
            p.page(
                f"{base}/{y}n/{_page_name(template, n)}",
                f"{y}年",
                ul(chunk, farm.listed) + _pager(template, n, pages, items),
            )
    p.page(f"{base}/bmnb/index.html", "部门年报", ul(dept_items, farm.listed))


def _page_name(template: str, n: int) -> str:
    """Page ``n`` (from 0) of a list: the old template's second page is index_1, the newer one's index_2."""
    if n == 0:
        return "index.html"
    return f"index_{n + 1}.html" if template == "new" else f"index_{n}.html"


def _pager(template: str, n: int, pages: list[list[tuple[str, str]]], items: list[tuple[str, str]]) -> str:
    if template == "old":  # createPageHTML(pages, current from 0, …)
        return f'<script>createPageHTML({len(pages)}, {n}, "index", "html");</script>'
    if template == "count":  # the same call on the template's variables
        return (
            f"<script>var currentPage = {n};//所在页从0开始\nvar countPage = {len(pages)}//共多少页\n"
            'createPageHTML(countPage, currentPage, "index", "html");</script>'
        )
    # createPageHTML('div', pages, current from 1, …, records)
    return (
        f"<div id=\"page_div\"></div><script>createPageHTML('page_div',{len(pages)},{n + 1},"
        f"'index','html',{len(items)});</script>"
    )
