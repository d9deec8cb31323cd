"""Hanweb JCMS (大汉): columns listed by jpage, further records from dataproxy.jsp, downfile.jsp attachments.

Two variants, as public sources show them (``docs/cms/hanweb.md``):

* ``build`` — the current template: the first records embedded in ``<datastore>`` with a
  ``nextgroup`` link and no total; the total and page size only in jpage's options
  (``$('#id').jpage({totalRecord:N,perPage:P})``); the column parameters in a
  ``var param_<unit>={…}``; the proxy at ``/module/web/jpage/dataproxy.jsp``.
* ``build_legacy`` — the older template: the records in a JavaScript array
  (``dataStore:InitData<unit>``), the proxy at ``/module/jslib/jquery/jpage/dataproxy.jsp``
  named in ``proxyUrl``, the column parameters in ``ajaxParam``.

The proxy answers as a servlet does: parameters from the query string and the form alike;
the records ``startrecord``…``endrecord`` (or group ``page=N``) of the column named by
``columnid`` and ``unitid``, an empty list for any other column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .names import body_name
from .server import Page, Request

if TYPE_CHECKING:
    from .farm import Farm
    from .server import Portal


def _records(farm: Farm, p: Portal, adcode: str, county: str, col: str, count: int) -> list[str]:
    records = []
    for i in range(count):
        year = 2023 - i % 3
        rid = farm.next_id()
        path = f"/art/{year + 1}/2/{i % 27 + 1}/art_{col}_{rid}.html"
        agency = body_name(county, i)
        url, title = farm.report(p, adcode, path, agency, year, attach=["pdf"] if i % 2 else None)
        records.append(
            f"<li><a href='{path}' title='{title}' target='_blank'>{title}</a>"
            f"<span class='bt_time'>{farm.listed[url]}</span></li>"
        )
    for path, title in farm.noise(p, "/art/2024/1/1", 2023):
        records.append(f"<li><a href='{path}' title='{title}'>{title}</a><span>2024-01-02</span></li>")
    return records


def _proxy(records: list[str], col: str, unit: str, per: int, group: int) -> object:
    def answer(req: Request) -> Page:
        params = {**req.query, **req.form}  # request.getParameter reads both
        one = lambda k, d="": params.get(k, [d])[0]  # noqa: E731
        mine = one("columnid") == col and one("unitid") == unit
        if one("startrecord"):
            start, end = int(one("startrecord")), int(one("endrecord", one("startrecord")))
        else:  # the nextgroup link's way: group N of perpage × groupSize records
            size = int(one("perpage", str(per))) * group
            start = (int(one("page", "1")) - 1) * size + 1
            end = start + size - 1
        chunk = records[start - 1 : end] if mine else []
        pages = -(-len(records) // per) if mine else 0
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            f"<totalrecord>{len(records) if mine else 0}</totalrecord><totalpage>{pages}</totalpage><recordset>"
            + "".join(f"<record><![CDATA[{r}]]></record>" for r in chunk)
            + "</recordset></datastore>"
        )
        return Page(body.encode("utf-8"), content_type="text/xml; charset=utf-8")

    return answer


def build(farm: Farm, ip: str) -> None:
    """Hanweb, current template: datastore + nextgroup, total only in jpage's options, the default proxy path.

    On a variant farm: the proxy under another of its paths, the total in ``<totalrecord>``, in variables
    (``var totalRecord=17;var perPage=15;``) or nowhere, the column parameters in ``ajaxParam``, other page
    and group sizes.
    """
    p = farm.portal("hanweb龙游县", ip, "990104", "龙游县")
    farm.seeds[-1]["cms"] = "hanweb"
    col, unit = "1229114055", "4433"
    per, group = farm.variant(5, 8, 12), farm.variant(3, 2)
    proxy = farm.variant(
        "/module/web/jpage/dataproxy.jsp", "/module/jpage/dataproxy.jsp", "/module/jslib/jquery/jpage/dataproxy.jsp"
    )
    p.page("/", "龙游县人民政府", '<a href="/col/col1229000001/index.html">政务公开</a>')
    p.page("/col/col1229000001/index.html", "政务公开", f'<a href="/col/col{col}/index.html">政府信息公开年报</a>')
    records = _records(farm, p, "990104", "龙游县", col, farm.per_portal * 3)
    first = records[: per * group]
    nextgroup = (
        f"{proxy}?page=1&appid=1&webid=1&path=/&columnid={col}&unitid={unit}"
        "&webname=%E9%BE%99%E6%B8%B8%E5%8E%BF&permissiontype=0"
    )
    # where the total is: jpage's options, the datastore, variables the options name, or nowhere
    told = farm.variant("options", "datastore", "variables", "nowhere")
    store = (
        f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>'
        f"<recordset>{''.join(f'<record><![CDATA[{r}]]></record>' for r in first)}</recordset>"
        + (f"<totalrecord>{len(records)}</totalrecord>" if told == "datastore" else "")
        + "</datastore></script>"
    )
    params = (
        f"col:1,appid:1,webid:1,path:'/',columnid:{col},sourceContentType:1,unitid:'{unit}',webname:'龙游县',"
        "permissiontype:0"
    )
    total = f"totalRecord:{len(records)},perPage:{per}," if told == "options" else f"perPage:{per},"
    told_before = ""
    if told == "variables":  # as a county portal's replay shows it (docs/cms/hanweb.md)
        total, told_before = (
            "totalRecord:totalRecord,perPage:perPage,",
            f"var totalRecord={len(records)};var perPage={per};",
        )
    options = f"{total}groupSize:{group}"
    if farm.variant("param", "ajax") == "param":
        jpage = f"{told_before}var param_{unit}={{{params}}};$('#{unit}').jpage({{{options}}});"
    else:
        jpage = f"{told_before}$('#{unit}').jpage({{{options},proxyUrl:'{proxy}',ajaxParam:{{{params}}}}});"
    p.page(f"/col/col{col}/index.html", "政府信息公开年报", f'<div id="{unit}">{store}</div><script>{jpage}</script>')
    p.routes[proxy] = _proxy(records, col, unit, per, group)  # type: ignore[assignment]
    p.routes[proxy + "?*"] = p.routes[proxy]


def build_legacy(farm: Farm, ip: str) -> None:
    """Hanweb, older template: records in a JavaScript array, proxyUrl under /module/jslib/, ajaxParam."""
    p = farm.portal("hanweb开化县", ip, "990108", "开化县")
    col, unit, per, group = "30067", "49468", farm.variant(4, 6, 10), farm.variant(3, 5)
    p.page("/", "开化县人民政府", '<a href="/col/col30001/index.html">信息公开</a>')
    p.page("/col/col30001/index.html", "信息公开", f'<a href="/col/col{col}/index.html">年度报告</a>')
    records = _records(farm, p, "990108", "开化县", col, farm.per_portal * 2)
    array = ",".join("'" + r.replace("'", "\\'") + "'" for r in records[: per * group])
    proxy = "/module/jslib/jquery/jpage/dataproxy.jsp"
    script = (
        f"<script>var InitData{unit} = [{array}];$(function(){{$('#{unit}').jpage({{themeName:'default',"
        f"showMode:'full',totalRecord:{len(records)},openCookies:false,dataBefore:'',dataStore:InitData{unit},"
        f"dataAfter:'',groupSize:{group},proxyUrl:'{proxy}',perPage:{per},barPosition:'bottom',"
        f"ajaxParam:{{col:1,appid:'1',webid:60,path:'/',columnid:{col},unitid:'{unit}',webname:'开化县',"
        f"permissiontype:0}}}});}});</script>"
    )
    p.page(f"/col/col{col}/index.html", "年度报告", f'<div id="{unit}"></div>{script}')
    p.routes[proxy] = _proxy(records, col, unit, per, group)  # type: ignore[assignment]
    p.routes[proxy + "?*"] = p.routes[proxy]
