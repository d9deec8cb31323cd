"""What each family of portal software (CMS) writes, as data: how to recognise it, how its lists page.

No logic lives here (``crawler.discovery.paging`` reads these rules; ``crawler.discovery.links`` the
generic ones). Every rule is backed by an evidence note in ``docs/cms/<family>.md``
that says where the request shapes, parameter and field names were seen in public
sources. A seed's ``cms`` column names a family: its entry paths are then tried
first; discovery without the hint still applies every family's rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """One family of portal software.

    Attributes:
        name: the value of the seeds file's ``cms`` column (``docs/cms/<name>.md``).
        marker: what a page of this family shows (counted per crawl: ``ogi/cms/<name>``).
        entries: paths on the portal's host worth requesting when a seed names the family
            (the family's usual disclosure area and report list).
    """

    name: str
    marker: re.Pattern[str]
    entries: tuple[str, ...] = ()


FAMILIES: tuple[Family, ...] = (
    Family("gkmlpt", re.compile(r"/gkmlpt/|\bSID['\"]?\s*:\s*['\"]\d+"), ("/gkmlpt/annualreport", "/gkmlpt/index")),
    Family("hanweb", re.compile(r"dataproxy\.jsp|\.jpage\(|<datastore>|/module/download/downfile\.jsp")),
    Family("trs", re.compile(r"createPageHTML|var\s+countPage\s*=|TRS_Editor|/t\d{8}_\d+\.s?html|list2\.trsapi")),
    Family("vsb", re.compile(r"wbtreeid=|/system/resource/|/system/_content/|urltype=tree\.TreeTempUrl")),
    Family("nfcms", re.compile(r"NFCMS_(?:SITE|POST)_ID|/mpost_\d+\.html")),
    Family("aspnet", re.compile(r"__VIEWSTATE|__doPostBack|\.aspx\b")),
    Family("jsp", re.compile(r"\.jsp\?[^\"'<>]{0,200}?(?:pageIndex|curpage|cur_page|pageNo|PAGENUM)=", re.I)),
    # the Heilongjiang intensive platform's scheme: columns /haerbin/c104524/navlist.shtml, articles c01_<id>.shtml
    Family("provincial", re.compile(r"/c\d{5,}c?/\w+\.shtml|/c01_\d+\.shtml")),
)
#: How much of a page its family's marker is looked for in (templates show it early; a hostile page's
#: megabytes are not searched).
MARKER_CHARS = 200_000
#: The ``cms`` hint for a portal whose lists only a browser can draw: its pages are rendered (crawler.middlewares.browser).
BROWSER = "browser"
HINTS = frozenset(f.name for f in FAMILIES) | {BROWSER}

# --- TRS WCM: createPageHTML ----------------------------------------------------------------------
# Old template: createPageHTML(countPage, currentPage, "index", "html"), current page 0-based, so the
# second page is index_1.html. Newer template: createPageHTML('page_div', pages, current, 'index',
# 'html', records), current page 1-based, second page index_2.html. Numbers may be variables
# (var countPage = 7).
TRS_PAGER_4 = re.compile(
    r"createPageHTML\(\s*['\"]?(\w+)['\"]?\s*,\s*['\"]?(\w+)['\"]?\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]\s*\)"
)
TRS_PAGER_6 = re.compile(
    r"createPageHTML\(\s*['\"][^'\"]*['\"]\s*,\s*['\"]?(\w+)['\"]?\s*,\s*['\"]?(\w+)['\"]?\s*,"
    r"\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]?\w+['\"]?\s*\)"
)
JS_NUMBER_VAR = r"var\s+{name}\s*=\s*['\"]?(\d+)"
TRS_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*['\"]?(\d+)")

# --- Hanweb JCMS: jpage and dataproxy.jsp ---------------------------------------------------------
#: The proxy answering a column's further records; seen under several paths.
HANWEB_PROXY = re.compile(r"((?:https?://[^\s'\"<>]+)?/module/[\w/]*?dataproxy\.jsp)")
HANWEB_PROXY_DEFAULT = "/module/web/jpage/dataproxy.jsp"
#: Column parameters jpage posts as the form (its ``ajaxParam``, or the ``nextgroup`` link's query).
HANWEB_FORM_KEYS = (
    "col",
    "appid",
    "webid",
    "path",
    "columnid",
    "sourceContentType",
    "unitid",
    "webname",
    "permissiontype",
)
HANWEB_PARAM = re.compile(
    r"""\b(col|appid|webid|path|columnid|sourceContentType|unitid|webname|permissiontype|perpage)\s*[:=]\s*"""
    r"""['"]?([^'",}&\s<>]+)"""
)
#: Records shown and counted: ``<record>`` elements, the total in ``<totalrecord>`` or jpage's options.
HANWEB_RECORD = re.compile(r"<record>", re.I)
HANWEB_RECORD_BODY = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
#: A dataproxy.jsp answer (XML, not a page).
HANWEB_ANSWER = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?<datastore>", re.I)
#: jpage's option (``totalRecord:17``) or a variable a template writes (``var totalRecord=17;var perPage=15;``).
HANWEB_TOTAL = re.compile(r"<totalrecord>\s*(\d+)|\btotalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
HANWEB_PER_PAGE = re.compile(r"\bperPage\s*[:=]\s*['\"]?(\d+)", re.I)
HANWEB_GROUP = re.compile(r"\bgroupSize\s*:\s*['\"]?(\d+)")
HANWEB_PER_PAGE_DEFAULT, HANWEB_GROUP_DEFAULT = 15, 3

# --- Guangdong gkmlpt (政府信息公开目录平台) -------------------------------------------------------------
#: The site id and the application's base URL in the shell page's configuration script.
GKMLPT_SID = re.compile(r"\bSID['\"]?\s*[:=]\s*['\"]?(\d+)")
GKMLPT_APP_URL = re.compile(r"\bAPP_URL['\"]?\s*[:=]\s*['\"]([^'\"]+)['\"]")
#: Catalogues are hash routes of the shell (``/gkmlpt/index#2671``, ``/gkmlpt/annualreport#2629``).
GKMLPT_ROUTE = re.compile(r"^(.*?/gkmlpt/[\w/]*)#(\d+)$")
#: Catalogue nodes in the embedded tree: {"id": 2671, "name": "政府信息公开年报", ...} (either key order).
GKMLPT_NODE = re.compile(  # bounded gaps: a hostile page of "id: 1," without braces stays linear
    r"""["']?\bid["']?\s*:\s*["']?(\d+)["']?\s*,[^{}\[\]]{0,120}?["']?\bname["']?\s*:\s*["']([^"']{1,200})["']"""
    r"""|["']?\bname["']?\s*:\s*["']([^"']{1,200})["']\s*,[^{}\[\]]{0,120}?["']?\bid["']?\s*:\s*["']?(\d+)"""
)
#: How much of the shell after ``TREE`` is read for catalogue nodes.
GKMLPT_TREE_CHARS = 300_000
GKMLPT_API = "{app}/gkmlpt/api/all/{catalogue}?page=1&sid={sid}"

# --- JSON list APIs (gkmlpt and the like) ---------------------------------------------------------
JSON_API = re.compile(r"""["'](/gkmlpt/api/[^"']+|[^"']*/api/[^"']*(?:list|annual|all)[^"']*)["']""")
JSON_LIST_KEYS = ("articles", "list", "data", "rows", "records", "items", "result")
JSON_TOTAL_KEYS = ("total", "count", "totalCount", "total_count", "totalRecord", "post_count")
JSON_PER_PAGE_KEYS = ("per_page", "pageSize", "page_size", "size", "perPage")
JSON_TITLE_KEYS = ("title", "name", "Title", "TITLE", "doctitle")
#: chnldocurl first: a TRS answer also gives the document's URL in its catalogue (docpuburl, url), a second address
#: of the same report beside the one the column's own list links.
JSON_URL_KEYS = ("chnldocurl", "url", "link", "href", "URL", "detail_url", "post_url", "docpuburl")
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
    "docreltime",
)

# --- TRS intensive platforms (Fujian 集约化): list2.trsapi, "动静结合" ---------------------------------------
# A column page holds its first pages as HTML and names the whole list in its script:
# require(["list2.trsapi"], … listModel({maxStaticIndex: 1, listArgs: {channelid: SiteInfo.searchId,
# classsql: "" || "chnlid=1813", sortfield: "-docorderpri,-docreltime"}, pagebar: {prepage: 10,
# recordCount: '20'}})). list2.trsapi POSTs listArgs with page (1-based) and prepage to /fjdzapp/search,
# which answers JSON {error, page, prepage, pageCount, recordCount, data: [{doctitle, chnldocurl, docpuburl,
# url, docreltime: "2005.12.11 00:00:00", …}]}.
TRS_API_MARKER = "list2.trsapi"
TRS_API_PATH = "/fjdzapp/search"
#: How much of the page after ``listModel(`` its options are read from.
TRS_API_OPTIONS_CHARS = 4000
TRS_LIST_MODEL = re.compile(r"listModel\(\s*\{")
#: listArgs' entries: a value is quoted strings and bare words up to the next comma outside quotes.
TRS_API_ARG = re.compile(r"""\b(channelid|classsql|sortfield)\s*:\s*((?:'[^'\n]*'|"[^"\n]*"|[^,\n}'"])+)""")
TRS_API_QUOTED = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"")
#: ``channelid: SiteInfo.searchId``: the site's document-search channel, set in the page's SiteInfo.
TRS_SEARCH_ID = re.compile(r"\bsearchId\s*:\s*['\"]?(\d+)")
TRS_PREPAGE = re.compile(r"\bprepage\s*:\s*['\"]?(\d+)")
TRS_PAGE_COUNT_KEY = "pageCount"

# --- ASP.NET WebForms -----------------------------------------------------------------------------
POSTBACK = re.compile(r"__doPostBack\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")

#: The most list pages followed from one pager (a hostile page may claim millions).
MAX_LIST_PAGES = 2000
#: The most records a Hanweb column is paged through.
MAX_LIST_RECORDS = 100_000
