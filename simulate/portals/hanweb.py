"""Hanweb JCMS: datastore XML list, dataproxy.jsp POST paging, downfile.jsp attachments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .server import Page, Request

if TYPE_CHECKING:
    from .farm import Farm


def build(farm: Farm, ip: str) -> None:
    """Hanweb JCMS: datastore XML list, dataproxy.jsp POST paging, downfile.jsp attachments."""
    p = farm.portal("hanweb龙游县", ip, "990104", "龙游县")
    col = "1229114055"
    p.page("/", "龙游县人民政府", '<a href="/col/col1229000001/index.html">政务公开</a>')
    p.page("/col/col1229000001/index.html", "政务公开", f'<a href="/col/col{col}/index.html">政府信息公开年报</a>')
    records = []
    for i in range(farm.per_portal * 3):
        year = 2023 - i % 3
        rid = farm.next_id()
        agency = "龙游县人民政府" if i == 0 else f"龙游县第{i}局"
        url, title = farm.report(
            p,
            "990104",
            f"/art/{year + 1}/2/{i % 27 + 1}/art_{col}_{rid}.html",
            agency,
            year,
            attach=["pdf"] if i % 2 else None,
        )
        records.append(
            f'<li><a href="/art/{year + 1}/2/{i % 27 + 1}/art_{col}_{rid}.html" title="{title}">{title}</a>'
            f'<span class="bt_time">{farm.listed[url]}</span></li>'
        )
    for path, title in farm.noise(p, "/art/2024/1/1", 2023):
        records.append(f'<li><a href="{path}">{title}</a></li>')
    per = 15
    first = records[:per]
    store = (
        '<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp'
        f'?page=1&webid=1&path=/&columnid={col}&unitid=4433&webname=龙游县&permissiontype=0"></a>]]></nextgroup>'
        f"<recordset>{''.join(f'<record><![CDATA[{r}]]></record>' for r in first)}</recordset>"
        f"<totalrecord>{len(records)}</totalrecord></datastore></script>"
    )
    config = f"<script>var cfg = {{columnid:'{col}', unitid:'4433', webid:'1', path:'/', perpage:'{per}', permissiontype:'0'}};</script>"
    p.page(f"/col/col{col}/index.html", "政府信息公开年报", f'<div id="4433">{store}</div>{config}')

    def proxy(req: Request) -> Page:
        start = int(req.form.get("startrecord", ["1"])[0])
        end = int(req.form.get("endrecord", ["1"])[0])
        chunk = records[start - 1 : end]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            + "".join(f"<record><![CDATA[{r}]]></record>" for r in chunk)
            + f"<totalrecord>{len(records)}</totalrecord></datastore>"
        )
        return Page(body.encode("utf-8"), content_type="text/xml; charset=utf-8")

    p.routes["/module/web/jpage/dataproxy.jsp"] = proxy
