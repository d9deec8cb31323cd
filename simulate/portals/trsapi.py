"""A county on Fujian's TRS intensive platform (集约化): a column whose list ``list2.trsapi`` pages through
``/fjdzapp/search`` ("动静结合": the first page in the HTML, every page through the API).

The column page copies the markup of 平潭综合实验区's saved 政府信息公开年报 column (its ``<dl><dd>`` rows, the
template rows its script fills, the ``SiteInfo`` with ``searchId`` and the ``listModel`` call); the API
answers as 三明's saved answers show (docs/cms/trs.md), with a second address of each document in the
catalogue (``docpuburl``, ``url``) that this farm does not serve. On a variant farm: ``channelid`` written as a
number, ``classsql`` without its template's empty string, other page sizes, no ``recordCount``, dates as
epoch milliseconds.
"""

from __future__ import annotations

import datetime
import html
import json
from typing import TYPE_CHECKING

from .names import body_name
from .server import Page, Request
from .static import NATIONAL_LINKS

if TYPE_CHECKING:
    from .farm import Farm

CHANNEL, COLUMN = "200210", "1813"
API = "/fjdzapp/search"
FOLDER = "/zwgk/zfxxgk/zfxxgknb"


def _row(href: str, title: str, date: str) -> str:
    return (
        f'<dl><dd class="trt-col-sm-24 text_align_left"><a href="{html.escape(href)}" target="_blank" '
        f'title="{html.escape(title)}">{html.escape(title)}</a></dd>'
        f'<dd class="trt-col-4 trt-col-sm-24 text_align_left">{date}</dd></dl>'
    )


def search_api(entries: list[dict[str, object]], channel: str, classsql: str) -> object:
    """``POST /fjdzapp/search``: a column's entries, a page at a time, in the shape of 三明's saved answers,
    for the column's ``channelid`` and ``classsql`` (any other query finds nothing)."""

    def answer(req: Request) -> Page:
        if req.method != "POST":
            return Page(b"", status=405)
        one = lambda k, d="": req.form.get(k, [d])[0]  # noqa: E731
        rows = entries if one("channelid") == channel and one("classsql") == classsql else []
        per = max(1, min(int(one("prepage", "10") or 10), 500))
        page = max(1, int(one("page", "1") or 1))
        body = {
            "error": False,
            "page": page,
            "prepage": per,
            "pageCount": -(-len(rows) // per),
            "recordCount": len(rows),
            "data": rows[(page - 1) * per : page * per],
        }
        return Page(json.dumps(body, ensure_ascii=False).encode(), content_type="application/json;charset=UTF-8")

    return answer


def build(farm: Farm, ip: str) -> None:
    """集约县: home → 政务公开 → 政府信息公开 → the 年报 column, paged by list2.trsapi."""
    p = farm.portal("集约县", ip, "990113", "集约县")
    p.header = "".join(f'<a href="{url}" target="_blank">{text}</a>' for url, text in NATIONAL_LINKS)
    p.page("/", "集约县人民政府", '<a href="/zwgk/">政务公开</a>')
    p.page("/zwgk/", "政务公开", '<a href="/zwgk/zfxxgk/">政府信息公开</a>')
    p.page("/zwgk/zfxxgk/", "政府信息公开", f'<a href="{FOLDER}/">政府信息公开年报</a>')
    per = farm.variant(10, 5, 15)
    entries: list[dict[str, object]] = []
    rows = []
    epoch = farm.variant(False, True)
    for i in range(per * 2 + 3):
        year = 2024 - i % 4
        stamp = f"{year + 1}01{10 + i % 18:02d}"
        path = f"{FOLDER}/{stamp[:6]}/t{stamp}_{farm.next_id()}.htm"
        url, title = farm.report(p, "990113", path, body_name("集约县", i), year)
        published = farm.listed[url]
        day = datetime.datetime.fromisoformat(published).replace(hour=9, tzinfo=datetime.UTC)
        released: object = int(day.timestamp() * 1000) if epoch else day.strftime("%Y.%m.%d %H:%M:%S")
        # the catalogue's address of the same document, as 三明's saved answers give it (not served here)
        catalogue = p.url(path.replace(FOLDER, "/zwgk/zfxxgkml/qtyzdgkdzfxx"))
        entries.append(
            {"doctitle": title, "chnldocurl": url, "docpuburl": catalogue, "url": catalogue, "docreltime": released}
        )
        rows.append(_row("." + path.removeprefix(FOLDER), title, published))
    classsql = "chnlid=" + COLUMN
    channel = farm.variant("SiteInfo.searchId", CHANNEL)
    written_classsql = farm.variant(f'"" || "{classsql}"', f'"{classsql}"')
    record_count = farm.variant(f"recordCount: '{len(entries)}',", "")
    script = (
        f'<script>var SiteInfo = {{ itpSiteId: 21, searchId: {CHANNEL}, defaultPgTemp: "pgBar_pt.html" }};</script>'
        '<script>require(["list2.trsapi", "tools"], function(listModel, tools) { listModel({ '
        f'quickMode: "动静结合", maxStaticIndex: 1, listArgs: {{ channelid: {channel}, '
        f'classsql: {written_classsql}, sortfield: "-docorderpri,-docreltime" }}, '
        f'pagebar: {{ prepage: {per}, {record_count} pgTemp: "pgBar_xxgk.html", pgCountMode: "recordCount" }}, '
        'callToPage: function(p) { $("html,body").animate({ scrollTop: 0 }, 800); } }); });</script>'
    )
    template = (  # the rows list2.trsapi fills in a browser: no link a reader of the HTML could follow
        '<div ms-visible="!showStatic" style="display: none"><dl ms-repeat="list"><dd>'
        '<a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle" ms-text="el.doctitle|html"></a></dd>'
        "<dd ms-text=\"el.docreltime|date('yyyy-MM-dd')\"></dd></dl></div>"
    )
    p.page(
        f"{FOLDER}/",
        "政府信息公开年报",
        f'<div class="rules_tabs_01" ms-visible="showStatic">{"".join(rows[:per])}</div>{template}{script}',
    )
    p.routes[API] = search_api(entries, CHANNEL, classsql)  # type: ignore[assignment]
