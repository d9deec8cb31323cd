"""The further pages of a column's list, the way each portal-software family writes them.

Pure functions over a page (URL + text): TRS ``createPageHTML`` scripts, Hanweb
jpage/dataproxy.jsp requests, gkmlpt catalogues and their JSON API, JSON lists,
ASP.NET postbacks, and the links labelled 下一页/尾页/page numbers that every
other list prints. The names and shapes they look for are data in ``crawler.discovery.cms``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlparse

import lxml.html

from . import cms
from .links import COLUMN_TEXT, NEXT_TEXT, NOT_REPORT, Link, json_date, links, parse_html, same_site


def pagination(
    url: str, html_text: str, root: lxml.html.HtmlElement, page_links: list[Link] | None = None
) -> list[str]:
    """Further list pages of a column page, however the CMS writes them.

    Covers TRS ``createPageHTML`` scripts (both templates) and ``var countPage``,
    links labelled 下一页/尾页/page numbers (static ``index_N``, VSB count-down
    ``N.htm``, ``?page=N``, ``&pageIndex=N``).

    Args:
        url, html_text, root: the page.
        page_links: its links, when the caller has read them already.
    """
    pages = trs_pages(url, html_text)
    for link in links(url, root) if page_links is None else page_links:
        if NEXT_TEXT.match(link.text) and same_site(link.url, url) and _same_list(url, link.url):
            pages.append(link.url)
    return list(dict.fromkeys(p for p in pages if p != url))


def trs_pages(url: str, html_text: str) -> list[str]:
    """The pages a TRS pager script names.

    ``createPageHTML(N, cur, "index", "html")`` counts from 0 (pages ``index_1`` … ``index_{N-1}``);
    ``createPageHTML('div', N, cur, 'index', 'html', records)`` from 1 (``index_2`` … ``index_N``).
    A bare ``var countPage = N`` pages the current file's stem the old way.
    """

    def number(token: str) -> int:
        if token.isdigit():
            return int(token)
        m = re.search(cms.JS_NUMBER_VAR.format(name=re.escape(token)), html_text)
        return int(m.group(1)) if m else 0

    pages: list[str] = []
    found = False
    for m in cms.TRS_PAGER_6.finditer(html_text):
        found = True
        total = min(number(m.group(1)), cms.MAX_LIST_PAGES)
        pages += [urljoin(url, f"{m.group(3)}_{n}.{m.group(4)}") for n in range(2, total + 1)]
    for m in cms.TRS_PAGER_4.finditer(html_text):
        found = True
        total = min(number(m.group(1)), cms.MAX_LIST_PAGES)
        pages += [urljoin(url, f"{m.group(3)}_{n}.{m.group(4)}") for n in range(1, total)]
    count = cms.TRS_COUNT_PAGE.search(html_text)
    if not found and count:
        name = urlparse(url).path.rsplit("/", 1)[-1] or "index.html"
        stem, _, ext = name.partition(".")
        stem = re.sub(r"_\d+$", "", stem)
        total = min(int(count.group(1)), cms.MAX_LIST_PAGES)
        pages += [urljoin(url, f"{stem}_{n}.{ext or 'html'}") for n in range(1, total)]
    return pages


def _same_list(current: str, candidate: str) -> bool:
    cu, nu = urlparse(current), urlparse(candidate)
    if cu.path == nu.path:
        return cu.query != nu.query
    c_folder, n_folder = cu.path.rsplit("/", 1)[0], nu.path.rsplit("/", 1)[0]
    stem = cu.path.rsplit("/", 1)[-1].split(".")[0]
    # index.html → index_2.html; list.htm → list/3.htm (VSB counts down into a folder named after the list)
    return (
        n_folder == c_folder or n_folder == f"{c_folder}/{stem}" or c_folder.endswith("/" + n_folder.rsplit("/", 1)[-1])
    )


def sibling_list(url: str, current: str) -> bool:
    """The same list script with other parameters (``year_list.aspx?dept=38`` beside ``?dept=0``)."""
    cu, nu = urlparse(current), urlparse(url)
    return (
        cu.hostname == nu.hostname and cu.path == nu.path and bool(cu.query) and bool(nu.query) and cu.query != nu.query
    )


def postbacks(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """ASP.NET pager links ``javascript:__doPostBack('ctl00$pager','3')`` labelled 下一页 / page numbers."""
    out = []
    for a in root.iter("a"):
        m = cms.POSTBACK.search(a.get("href") or "")
        text = re.sub(r"\s+", "", a.text_content() or "")
        if m and NEXT_TEXT.match(text):
            out.append((m.group(1), m.group(2)))
    return list(dict.fromkeys(out))


# --- Hanweb JCMS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HanwebColumn:
    proxy: str
    form: dict[str, str]
    per_page: int
    step: int  # records per request: a page size times jpage's group size
    shown: int  # records the page itself holds


def _hanweb_column(html_text: str, base: str) -> _HanwebColumn | None:
    proxy_m = cms.HANWEB_PROXY.search(html_text)
    if not (proxy_m or ".jpage(" in html_text):
        return None
    params: dict[str, str] = {}
    for key, value in cms.HANWEB_PARAM.findall(html_text):
        params.setdefault(key, value)
    if "columnid" not in params:
        return None
    per_m = cms.HANWEB_PER_PAGE.search(html_text)
    per = per_m.group(1) if per_m else params.get("perpage", "")
    per_page = max(1, min(int(per) if per.isdigit() else cms.HANWEB_PER_PAGE_DEFAULT, 1000))
    group_m = cms.HANWEB_GROUP.search(html_text)
    step = per_page * max(1, min(int(group_m.group(1)) if group_m else cms.HANWEB_GROUP_DEFAULT, 50))
    return _HanwebColumn(
        urljoin(base, proxy_m.group(1) if proxy_m else cms.HANWEB_PROXY_DEFAULT),
        {k: params[k] for k in cms.HANWEB_FORM_KEYS if k in params},
        per_page,
        step,
        len(cms.HANWEB_RECORD.findall(html_text)) or _js_array_records(html_text),
    )


def _hanweb_request(column: _HanwebColumn, start: int, end: int) -> str:
    return f"{column.proxy}?{urlencode({'startrecord': start, 'endrecord': end, 'perpage': column.per_page})}"


def hanweb_paging(html_text: str, base: str) -> list[tuple[str, dict[str, str]]]:
    """POST requests (URL, form) for the records of a Hanweb column beyond those embedded in the page.

    As jpage.js asks: the paging numbers in the query string
    (``dataproxy.jsp?startrecord=46&endrecord=90&perpage=15``), the column's
    parameters (its ``ajaxParam`` or the ``nextgroup`` link's query) as the form.
    The proxy's path is the one the page names (``proxyUrl``, ``nextgroup``); the
    total comes from ``<totalrecord>``, jpage's ``totalRecord`` option or a ``var totalRecord``.
    """
    total_m = cms.HANWEB_TOTAL.search(html_text)
    column = _hanweb_column(html_text, base) if total_m else None
    if total_m is None or column is None:
        return []
    count = min(int(total_m.group(1) or total_m.group(2)), cms.MAX_LIST_RECORDS)
    starts = range(column.shown + 1, count + 1, column.step)
    return [(_hanweb_request(column, s, min(s + column.step - 1, count)), column.form) for s in starts][
        : cms.MAX_LIST_PAGES
    ]


def hanweb_probe(html_text: str, base: str) -> tuple[str, dict[str, str]] | None:
    """A Hanweb column whose total the page does not say: when the page shows a full page of records, the
    request (URL, form) for the next group; :func:`hanweb_next_group` goes on from each answer."""
    if cms.HANWEB_TOTAL.search(html_text):
        return None
    column = _hanweb_column(html_text, base)
    if column is None or column.shown < column.per_page:
        return None
    return _hanweb_request(column, column.shown + 1, column.shown + column.step), column.form


def hanweb_next_group(xml_text: str, url: str) -> str | None:
    """After a probing request's answer: the next group's URL when this one came back full (bounded by
    :data:`crawler.discovery.cms.MAX_LIST_RECORDS`), else None."""
    query = dict(parse_qsl(urlparse(url).query))
    try:
        start, end, per = int(query["startrecord"]), int(query["endrecord"]), int(query["perpage"])
    except (KeyError, ValueError):
        return None
    size = end - start + 1
    if size < 1 or end >= cms.MAX_LIST_RECORDS or len(cms.HANWEB_RECORD.findall(xml_text)) < size:
        return None
    proxy = url.split("?", 1)[0]
    return f"{proxy}?{urlencode({'startrecord': end + 1, 'endrecord': end + size, 'perpage': per})}"


def datastore_links(xml_text: str, base: str) -> list[Link]:
    """Links in a dataproxy.jsp answer: ``<datastore>…<record><![CDATA[<li><a …>…</a><span>date</span></li>]]>``."""
    out: list[Link] = []
    for record in cms.HANWEB_RECORD_BODY.findall(xml_text):
        root = parse_html(f"<div>{record}</div>")
        if root is not None:
            out.extend(links(base, root))
    return out


def _js_array_records(html_text: str) -> int:
    """Records embedded as a JavaScript array of HTML strings (older jpage: ``dataStore:InitData123``)."""
    m = re.search(r"dataStore\s*:\s*(\w+)", html_text)
    if not m:
        return 0
    array = re.search(r"\b" + re.escape(m.group(1)) + r"\s*=\s*\[", html_text)
    if not array:
        return 0
    end = html_text.find("];", array.end())
    return html_text[array.end() : end if end > 0 else None].count("<a ")


# --- TRS intensive platforms: list2.trsapi -------------------------------------------------------------


def trs_api_request(html_text: str, base: str) -> tuple[str, dict[str, str]] | None:
    """The first API page (URL, form) of a column whose list ``list2.trsapi`` draws ("动静结合": the first
    pages in the HTML, all of them through ``/fjdzapp/search``), else None; :func:`trs_api_pages` asks for
    the rest from the answer's ``pageCount``.

    The form is the page's ``listArgs`` (a ``channelid`` of ``SiteInfo.searchId`` is the page's
    ``searchId``; of ``"" || "chnlid=1813"`` the first string that is not empty) with ``page=1`` and the
    pager's ``prepage``. The API is on the page's own host, where the platform's script sends it.
    """
    if cms.TRS_API_MARKER not in html_text:
        return None
    model = cms.TRS_LIST_MODEL.search(html_text)
    if model is None:
        return None
    options = html_text[model.end() : model.end() + cms.TRS_API_OPTIONS_CHARS]
    form: dict[str, str] = {}
    for key, value in cms.TRS_API_ARG.findall(options):
        quoted = [a or b for a, b in cms.TRS_API_QUOTED.findall(value)]
        if quoted:
            form.setdefault(key, next((q for q in quoted if q), ""))
        elif value.strip().endswith("searchId"):
            search = cms.TRS_SEARCH_ID.search(html_text)
            if search:
                form.setdefault(key, search.group(1))
        elif value.strip().isdigit():
            form.setdefault(key, value.strip())
    if not form.get("channelid"):
        return None
    per = cms.TRS_PREPAGE.search(options)
    form["prepage"] = str(max(1, min(int(per.group(1)), 1000))) if per else "10"
    form["page"] = "1"
    return urljoin(base, cms.TRS_API_PATH), form


def trs_api_pages(body: str, form: dict[str, str]) -> list[dict[str, str]]:
    """After the first API page's answer: the forms for pages 2 to its ``pageCount`` (at most
    :data:`crawler.discovery.cms.MAX_LIST_PAGES`)."""
    data = _json(body)
    if form.get("page") != "1" or not isinstance(data, dict):
        return []
    count = _first_int(data, (cms.TRS_PAGE_COUNT_KEY,)) or 0
    return [{**form, "page": str(n)} for n in range(2, min(count, cms.MAX_LIST_PAGES) + 1)]


# --- gkmlpt -----------------------------------------------------------------------------------------


def gkmlpt_route(url: str) -> tuple[str, str] | None:
    """(shell page, catalogue id) of a gkmlpt hash route (``…/gkmlpt/index#2671``), else None."""
    m = cms.GKMLPT_ROUTE.match(url)
    return (m.group(1), m.group(2)) if m else None


def gkmlpt_apis(html_text: str, base: str, catalogues: list[str] | tuple[str, ...] = ()) -> list[str]:
    """List API URLs of a gkmlpt shell page: the catalogues asked for and those its tree names as report columns.

    The API is never written in the page: it is built, as the platform's script
    builds it, from the configuration's ``SID`` and ``APP_URL``
    (``{APP_URL}/gkmlpt/api/all/{catalogue}?page=1&sid={SID}``).
    """
    sid = cms.GKMLPT_SID.search(html_text)
    if not sid:
        return []
    app_m = cms.GKMLPT_APP_URL.search(html_text)
    if app_m:
        app = urljoin(base, app_m.group(1)).rstrip("/")
    else:
        path = urlparse(base).path
        app = urljoin(base, path.split("/gkmlpt/", 1)[0] + "/" if "/gkmlpt/" in path else "/").rstrip("/")
    if not same_site(app + "/", base):
        return []
    wanted = list(catalogues)
    tree = html_text.find("TREE")
    for m in cms.GKMLPT_NODE.finditer(html_text[tree : tree + cms.GKMLPT_TREE_CHARS] if tree >= 0 else ""):
        cid, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if COLUMN_TEXT.search(name) and not NOT_REPORT.search(name):
            wanted.append(cid)
    return [cms.GKMLPT_API.format(app=app, catalogue=c, sid=sid.group(1)) for c in dict.fromkeys(wanted)]


# --- JSON lists -------------------------------------------------------------------------------------


def json_apis(html_text: str, base: str) -> list[str]:
    """List APIs a script-shell page names (``loadList("/gkmlpt/api/all/…?page=1")``)."""
    return list(dict.fromkeys(urljoin(base, m) for m in cms.JSON_API.findall(html_text)))


def _json(body: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser's stack
        return None


def json_pages(body: str, url: str) -> list[str]:
    """Other pages of a JSON list, from its total and page size, by rewriting ``page=N`` in the URL.

    The total is the answer's own (``total``, ``count``, … or gkmlpt's ``classify.post_count``); the
    page size is the answer's if it says, else the length of the first page.
    """
    data = _json(body)
    if not isinstance(data, dict) or not re.search(r"[?&]page=1(?:&|$)", url):
        return []
    total = _first_int(data, cms.JSON_TOTAL_KEYS)
    if total is None and isinstance(data.get("classify"), dict):
        total = _first_int(data["classify"], cms.JSON_TOTAL_KEYS)
    items = next((data[k] for k in cms.JSON_LIST_KEYS if isinstance(data.get(k), list)), None)
    if items is None:
        items = next((v for v in data.values() if isinstance(v, list)), [])
    per = _first_int(data, cms.JSON_PER_PAGE_KEYS) or len(items)
    if not total or not per:
        return []
    last = min(-(-total // per), cms.MAX_LIST_PAGES)
    return [re.sub(r"([?&])page=1(?=&|$)", rf"\g<1>page={n}", url) for n in range(2, last + 1)]


def _first_int(data: dict[str, Any], keys: tuple[str, ...]) -> int | None:
    value = next((data[k] for k in keys if isinstance(data.get(k), int) and not isinstance(data.get(k), bool)), None)
    return value if value is None or value >= 0 else None


def json_list_links(body: str, base: str) -> list[Link]:
    """Links in a JSON list API answer (gkmlpt and similar): any object with a title and a URL."""
    out: list[Link] = []
    stack: list[object] = [_json(body)]
    while stack:  # iterative: a hostile answer nested 100,000 deep must not overflow the stack
        node = stack.pop()
        if isinstance(node, dict):
            title = next((node[k] for k in cms.JSON_TITLE_KEYS if isinstance(node.get(k), str)), None)
            url = next((node[k] for k in cms.JSON_URL_KEYS if isinstance(node.get(k), str)), None)
            if title and url:
                date = next((json_date(node[k]) for k in cms.JSON_DATE_KEYS if k in node), None)
                out.append(Link(urljoin(base, url), re.sub(r"\s+", "", title), date))
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return out
