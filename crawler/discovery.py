"""Finding the annual-report column and the reports in it, with no per-site code.

Pure functions over a page (URL + HTML text): link scoring, report-title
recognition, pagination in the ways portal software writes it, attachments.
The words and URL fragments they look for are data at the top of the module.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import lxml.html

# --- words and URL fragments, as data -------------------------------------------------------

#: Links into the disclosure area (政府信息公开 / 政务公开).
AREA_TEXT = re.compile(r"政府信息公开|信息公开|政务公开|公开目录|法定主动公开")
AREA_URL = re.compile(r"zwgk|zfxxgk|xxgk|gkml|gkmlpt|/gk/|govinfo|opennessTarget|public", re.I)
#: Links to an annual-report column (年报栏目).
COLUMN_TEXT = re.compile(r"(信息公开|政务公开)?(工作)?(年度报告|年报)$|年度报告|年报")
COLUMN_URL = re.compile(r"ndbg|gknb|xxgknb|zfxxgknb|nb/|/nb|annualreport|ndgzbg|year_", re.I)
#: Sub-columns inside a report column: per year, departments, townships.
SUBCOLUMN_TEXT = re.compile(r"^(20\d\d|19\d\d)\s*年?(度)?$|部门|乡镇|街道|县直|区直|市直|单位|镇街|年报$|年度报告$")
#: A report title: the kind of report, and not something else called 年报.
REPORT_TITLE = re.compile(r"(政府信息公开|政务公开|信息公开).{0,12}(年度报告|年报|工作报告)")
NOT_REPORT = re.compile(
    r"统计年报|企业年报|年报公示|通知|公告|公示|报送|印发|关于(做好|开展|编制)|指南|目录|统计公报|工作要点|意见"
)
YEAR = re.compile(r"(20\d\d|19\d\d)\s*年|(二[〇○零][一二三四五六七八九〇○零]{2})年")
#: Pagination link texts.
NEXT_TEXT = re.compile(r"^(下一页|下页|后页|尾页|末页|>|»|›|\d{1,4})$")
#: Attachments by extension or by the download scripts of the big CMS.
DOC_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|zip|rar|7z|jpe?g|png|gif|tiff?|ofd)($|[?#&])", re.I)
DOWNLOAD_URL = re.compile(r"downfile\.jsp|download\.jsp|DownloadAttach|/download/|attachment|getfile|filedown", re.I)
VIEWER_FILE = re.compile(r"[?&]file=([^&#]+)")
CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]"
)
JSON_API = re.compile(r"""["'](/gkmlpt/api/[^"']+|[^"']*/api/[^"']*(?:list|annual|all)[^"']*)["']""")
HANWEB_RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)
HANWEB_TOTAL = re.compile(r"<totalrecord>(\d+)</totalrecord>")
HANWEB_PROXY = re.compile(r"dataproxy\.jsp")
#: A date printed beside a link in a list (<li><a>…</a><span>2024-01-25</span></li>, [2024/01/25], 2024年1月25日).
LIST_DATE = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
#: Elements that hold one list entry, and JSON fields that hold an entry's date (string or epoch seconds/ms).
LIST_ENTRY_TAGS = ("li", "tr", "dd", "dl", "p")
JSON_DATE_KEYS = (
    "date",
    "publish_time",
    "publishTime",
    "pubDate",
    "publishDate",
    "pub_date",
    "time",
    "created_at",
    "fbrq",
)
HANWEB_PARAM = re.compile(
    r"""(columnid|unitid|webid|path|perpage|permissiontype|sourceContentType|webname)\s*[:=]\s*['"]?([^'",}\s]+)"""
)


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Link:
    """A link on a page: absolute URL, its text (or title attribute), and the date its list entry prints.

    ``date`` is ISO 8601 (YYYY-MM-DD), or None when the entry prints no single date.
    """

    url: str
    text: str
    date: str | None = None


def iso_date(year: str | int, month: str | int, day: str | int) -> str | None:
    """YYYY-MM-DD, or None for a date that does not exist (2023-02-30, month 13)."""
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def entry_date(a: lxml.html.HtmlElement, seen: dict[Any, str | None] | None = None) -> str | None:
    """The date printed in the list entry (li, tr, …) that holds this link, outside the link's own text.

    None when the entry holds several dates or several links (then the date is not this link's).

    Args:
        a: the link.
        seen: answers for entries already read (an entry has one answer: with two links it has none).
    """
    entry = a.getparent()
    for _ in range(3):
        if entry is None or entry.tag in LIST_ENTRY_TAGS:
            break
        entry = entry.getparent()
    if entry is None or entry.tag not in LIST_ENTRY_TAGS:
        return None
    seen = {} if seen is None else seen
    if entry not in seen:
        seen[entry] = _entry_date(entry, a)
    return seen[entry]


def _entry_date(entry: lxml.html.HtmlElement, a: lxml.html.HtmlElement) -> str | None:
    if len(list(itertools.islice(entry.iter("a"), 2))) > 1:
        return None
    own = a.text_content() or ""
    rest = (entry.text_content() or "").replace(own, " ", 1)
    if len(rest) > 200:  # a paragraph of prose, not a list entry
        return None
    dates = {iso_date(*m.groups()) for m in LIST_DATE.finditer(rest)} - {None}
    return dates.pop() if len(dates) == 1 else None


def json_date(value: object) -> str | None:
    """A list API's date field: "2024-01-25 10:00:00", or epoch seconds / milliseconds."""
    if isinstance(value, str):
        m = LIST_DATE.search(value)
        return iso_date(*m.groups()) if m else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.datetime.fromtimestamp(seconds, datetime.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return None


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse a page, or None when it is not HTML."""
    try:
        # huge_tree: libxml2 otherwise drops everything below 256 levels, links included
        return lxml.html.document_fromstring(
            _XML_DECL.sub("", text, count=1), parser=lxml.html.HTMLParser(huge_tree=True)
        )
    except (lxml.etree.ParserError, ValueError):
        return None


def links(base: str, root: lxml.html.HtmlElement) -> list[Link]:
    """All ``<a href>`` links, made absolute, with their text (or title) and their list entry's date."""
    out = []
    dates: dict[Any, str | None] = {}  # per list entry: a page of 100,000 links in one <p> is read once
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        text = re.sub(r"\s+", "", a.text_content() or "") or (a.get("title") or "").strip()
        title = (a.get("title") or "").strip()
        if title and len(title) > len(text):
            text = title  # lists cut long titles with "…" and keep the full one in title=
        out.append(Link(urljoin(base, href), text, entry_date(a, dates)))
    return out


def is_report_title(text: str) -> bool:
    """A 政府信息公开 annual report's title (not 统计年报, 企业年报, a notice about reports, ...)."""
    t = re.sub(r"\s+", "", text)
    return bool(REPORT_TITLE.search(t) and YEAR.search(t)) and not NOT_REPORT.search(t)


def report_year(text: str) -> int | None:
    """The year a title covers."""
    m = YEAR.search(text)
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    return int("".join(str("〇一二三四五六七八九".find(c)) if c in "一二三四五六七八九" else "0" for c in m.group(2)))


def area_score(link: Link) -> int:
    """How much a link looks like the way into the disclosure area."""
    score = 0
    if AREA_TEXT.search(link.text):
        score += 2
    if AREA_URL.search(urlparse(link.url).path):
        score += 1
    return score


def column_score(link: Link) -> int:
    """How much a link looks like an annual-report column."""
    if is_report_title(link.text):
        return 0  # a report, not a column
    score = 0
    if COLUMN_TEXT.search(link.text) and len(link.text) <= 20 and not NOT_REPORT.search(link.text):
        score += 2
    if COLUMN_URL.search(urlparse(link.url).path + "?" + urlparse(link.url).query):
        score += 1
    return score


def same_site(a: str, b: str) -> bool:
    """Same registered site: hosts equal, or one is a sub-domain (gk.) of the other's domain."""
    ha, hb = urlparse(a).hostname or "", urlparse(b).hostname or ""
    if ha == hb:
        return True
    strip = lambda h: h[4:] if h.startswith("www.") else h  # noqa: E731
    ha, hb = strip(ha), strip(hb)
    return ha.endswith("." + hb) or hb.endswith("." + ha) or ha == hb


def under(url: str, column: str) -> bool:
    """True when a URL lies in a column's folder (sub-columns, list pages)."""
    cu, uu = urlparse(column), urlparse(url)
    if cu.hostname != uu.hostname:
        return False
    folder = cu.path.rsplit("/", 1)[0] + "/"
    return uu.path.startswith(folder)


def pagination(url: str, html_text: str, root: lxml.html.HtmlElement) -> list[str]:
    """Further list pages of a column page, however the CMS writes them.

    Covers TRS ``createPageHTML(total, current, "index", "html")`` scripts,
    links labelled 下一页/尾页/page numbers (static ``index_N``, VSB count-down
    ``N.htm``, ``?page=N``, ``&pageIndex=N``).
    """
    pages: list[str] = []
    for m in CREATE_PAGE.finditer(html_text):
        total, prefix, ext = int(m.group(1)), m.group(3), m.group(4)
        for n in range(1, min(total, 2000)):
            pages.append(urljoin(url, f"{prefix}_{n}.{ext}"))
    for link in links(url, root):
        if NEXT_TEXT.match(link.text) and same_site(link.url, url) and _same_list(url, link.url):
            pages.append(link.url)
    return list(dict.fromkeys(p for p in pages if p != url))


def sibling_list(url: str, current: str) -> bool:
    """The same list script with other parameters (``year_list.aspx?dept=38`` beside ``?dept=0``)."""
    cu, nu = urlparse(current), urlparse(url)
    return (
        cu.hostname == nu.hostname and cu.path == nu.path and bool(cu.query) and bool(nu.query) and cu.query != nu.query
    )


POSTBACK = re.compile(r"__doPostBack\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")


def postbacks(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """ASP.NET pager links ``javascript:__doPostBack('ctl00$pager','3')`` labelled 下一页 / page numbers."""
    out = []
    for a in root.iter("a"):
        m = POSTBACK.search(a.get("href") or "")
        text = re.sub(r"\s+", "", a.text_content() or "")
        if m and NEXT_TEXT.match(text):
            out.append((m.group(1), m.group(2)))
    return list(dict.fromkeys(out))


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


def hanweb_records(html_text: str, base: str) -> list[Link]:
    """Links inside a Hanweb ``<datastore>`` script (the list is not in the page's own markup)."""
    out: list[Link] = []
    for record in HANWEB_RECORD.findall(html_text):
        root = parse_html(f"<div>{record}</div>")
        if root is not None:
            out.extend(links(base, root))
    return out


def hanweb_paging(html_text: str, base: str, per_page: int = 15) -> list[tuple[str, dict[str, str]]]:
    """POST requests (URL, form) for the remaining pages of a Hanweb column."""
    total = HANWEB_TOTAL.search(html_text)
    if not total or not HANWEB_PROXY.search(html_text):
        return []
    params = dict(HANWEB_PARAM.findall(html_text))
    count = int(total.group(1))
    per_page = int(params.pop("perpage", per_page))
    shown = len(HANWEB_RECORD.findall(html_text))
    requests = []
    for start in range(shown + 1, count + 1, per_page * 3):
        form = {
            k: v for k, v in params.items() if k in ("columnid", "unitid", "webid", "path", "permissiontype", "webname")
        }
        form.update(
            {
                "startrecord": str(start),
                "endrecord": str(min(start + per_page * 3 - 1, count)),
                "perpage": str(per_page),
            }
        )
        requests.append((urljoin(base, "/module/web/jpage/dataproxy.jsp"), form))
    return requests


def json_apis(html_text: str, base: str) -> list[str]:
    """List APIs a script-shell page loads its list from (gkmlpt ``/gkmlpt/api/all/<catalog>?page=N``)."""
    return list(dict.fromkeys(urljoin(base, m) for m in JSON_API.findall(html_text)))


def json_pages(body: str, url: str) -> list[str]:
    """Other pages of a JSON list, from its total and page size, by rewriting ``page=N`` in the URL."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    if not isinstance(data, dict) or "page=" not in url:
        return []
    total = next(
        (data[k] for k in ("total", "count", "totalCount", "total_count") if isinstance(data.get(k), int)), None
    )
    items = next((v for v in data.values() if isinstance(v, list)), [])
    per = next(
        (data[k] for k in ("per_page", "pageSize", "page_size", "size") if isinstance(data.get(k), int)), len(items)
    )
    if not total or not per:
        return []
    last = min(-(-total // per), 1000)
    return [re.sub(r"page=\d+", f"page={n}", url) for n in range(2, last + 1)]


def json_list_links(body: str, base: str) -> list[Link]:
    """Links in a JSON list API answer (gkmlpt and similar): any object with a title and a URL."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    out: list[Link] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            title = next((node[k] for k in ("title", "name", "Title", "TITLE") if isinstance(node.get(k), str)), None)
            url = next(
                (node[k] for k in ("url", "link", "href", "URL", "detail_url") if isinstance(node.get(k), str)), None
            )
            if title and url:
                date = next((json_date(node[k]) for k in JSON_DATE_KEYS if k in node), None)
                out.append(Link(urljoin(base, url), re.sub(r"\s+", "", title), date))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return out


def attachments(url: str, root: lxml.html.HtmlElement) -> list[Link]:
    """Files a report page offers: document links, download scripts, iframes/embeds and PDF viewers."""
    found: list[Link] = []
    for link in links(url, root):
        if (
            DOC_EXT.search(urlparse(link.url).path)
            or DOWNLOAD_URL.search(link.url)
            or DOC_EXT.search(unquote(link.url))
        ):
            found.append(_unwrap_viewer(link))
    for el in root.iter("iframe", "embed", "object"):
        src = el.get("src") or el.get("data")
        if src:
            full = urljoin(url, src.strip())
            if DOC_EXT.search(unquote(full)) or VIEWER_FILE.search(full):
                found.append(_unwrap_viewer(Link(full, "")))
    return list({link.url: link for link in found}.values())


def _unwrap_viewer(link: Link) -> Link:
    """``pdfjs/web/viewer.html?file=/a/b.pdf`` → the PDF itself."""
    m = VIEWER_FILE.search(link.url)
    if m and "viewer" in link.url:
        return Link(urljoin(link.url, unquote(m.group(1))), link.text)
    return link


def filename_from_headers(disposition: str | None) -> str | None:
    """The file name in a Content-Disposition header (RFC 6266 filename*, or filename= in UTF-8/GBK)."""
    if not disposition:
        return None
    m = re.search(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", disposition, re.I)
    if m:
        return unquote(m.group(2), encoding=m.group(1) or "utf-8")
    m = re.search(r'filename\s*=\s*"?([^";]+)"?', disposition, re.I)
    if not m:
        return None
    name = unquote(m.group(1))
    try:
        return name.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            return name.encode("latin-1").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return name
