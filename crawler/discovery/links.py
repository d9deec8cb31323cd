"""Finding the disclosure area, the annual-report column and the reports in it, with no per-site code.

Pure functions over a page (URL + HTML text): links as home pages write them
(image menus, links written by scripts), link scoring, report-title recognition,
sites and their sibling sub-domains, attachments and scanned page images. The
words and URL fragments they look for are data at the top of the module; what
each portal-software family adds is in ``crawler.discovery.cms`` and ``crawler.discovery.paging``.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import lxml.html
import tldextract
from trafilatura.xpaths import BODY_XPATH, OVERALL_DISCARD_XPATH

# --- words and URL fragments, as data -------------------------------------------------------

#: Links into the disclosure area (政府信息公开 / 政务公开).
AREA_TEXT = re.compile(r"政府信息公开|信息公开|政务公开|公开目录|法定主动公开")
#: The area's own menu names, whole: these outrank any longer title that only contains the words.
AREA_NAME = re.compile(r"^(政府|政务)?(信息)?公开(目录|专栏|平台|网|门户)?$|^政府信息公开.{0,4}$|^法定主动公开(内容)?$")
#: Titles that contain 信息公开 but name a topic's own disclosures, not the area (督查信息公开, 重点领域信息公开).
NOT_AREA = re.compile(
    r"督查|督察|重点领域|专项|双公示|事故|招标|采购|预决算|财政|环境|污染|行政处罚|许可|价格|收费|"
    r"企业|社会组织|医疗|教育|就业|扶贫|征收|工程|项目|资金|国资|统计|审计|网站|工作报表|政府网站"
)
AREA_URL = re.compile(r"zwgk|zfxxgk|xxgk|gkml|gkmlpt|/gk/|govinfo|opennessTarget|public", re.I)
#: Links to an annual-report column (年报栏目).
COLUMN_TEXT = re.compile(r"(信息公开|政务公开)?(工作)?(年度报告|年报)$|年度报告|年报")
COLUMN_URL = re.compile(r"ndbg|gknb|xxgknb|zfxxgknb|nb/|/nb|annualreport|ndgzbg|year_", re.I)
#: Sub-columns inside a report column: per year, departments, townships.
SUBCOLUMN_TEXT = re.compile(r"^(20\d\d|19\d\d)\s*年?(度)?$|部门|乡镇|街道|县直|区直|市直|单位|镇街|年报$|年度报告$")
#: A body's own name as a column's department list prints it (县教育局, 城关镇): its column may be on its own host.
AGENCY_NAME = re.compile(r"^.{1,16}(局|委员会|委|办公室|办|院|镇|乡|街道|中心|管委会|政府)$")
#: Service portals a county's pages link in their chrome (平潭行政服务中心, 福建网上办事大厅, 12345便民惠企服务平台,
#: 政务服务网): bodies that serve, not columns of reports; never followed to another host.
SERVICE_PORTAL = re.compile(r"(行政|政务|便民|市民)服务中心|办事大厅|政务服务网|服务平台|12345|热线")
#: Bodies above or beside a county that its pages link in headers and footers (国务院, 国家税务总局, 交通运输部,
#: 省政务服务网): never one of its own.
OTHER_LEVEL = re.compile(r"^(国务院|国家|中央|全国|中国|中华人民共和国|最高人民)|省|自治区|部$")
#: A body named with a division of prefecture level or above before it (遵义市教育局, 黔南州财政局), once the
#: words that hold 市 without naming a city are taken out (城市管理局, 市场监督管理局 are a county's too).
ABOVE = re.compile(r"^.{1,10}?(市|州|盟|地区)(?=.)")
NOT_PLACES = re.compile(r"城市|市场|市政|市容|市民|都市")
#: A report title: the kind of report, and not something else called 年报. Some bodies drop 年度 and 年报
#: altogether (XX局2018年政府信息公开报告, 6 of 254 reports in a saved county portal): 报告 right after the
#: words, and only there (政府信息公开自查报告 and 评估报告 are other reports).
REPORT_TITLE = re.compile(r"(政府信息公开|政务公开|信息公开)(.{0,12}(年度报告|年报|工作报告)|报告$)")
#: Inside a report column, titles that drop the words 政府信息公开 (XX局2023年年报, 2023年度工作年报).
COLUMN_REPORT_TITLE = re.compile(r"(年度报告|年报|年度工作报告)$")
NOT_REPORT = re.compile(
    r"统计年报|企业年报|年报公示|通知|公告|公示|报送|印发|关于(做好|开展|编制)|指南|目录|统计公报|工作要点|意见"
)
#: A title a list cut short ("…" or "..."): only the page itself can say what it is.
CUT_TITLE = re.compile(r"(…|\.{3}|。。。)$")
#: A cut title that may be a report: a year, or the start of the report words.
CUT_REPORT_START = re.compile(r"(20\d\d|二[〇○零]).{0,30}|政府信息|政务公开|信息公开|年度报|年报")
CUT_REPORT_WORDS = re.compile(r"政府信息|政务公开|信息公开|年度报|年报")
YEAR = re.compile(r"(20\d\d|19\d\d)\s*年|(二[〇○零][一二三四五六七八九〇○零]{2})年")
#: Pagination link texts.
NEXT_TEXT = re.compile(r"^(下一页|下页|后页|尾页|末页|>|»|›|\d{1,4})$")
#: Attachments by extension or by the download scripts of the big CMS.
DOC_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|zip|rar|7z|jpe?g|png|gif|tiff?|ofd)($|[?#&])", re.I)
DOWNLOAD_URL = re.compile(r"downfile\.jsp|download\.jsp|DownloadAttach|/download/|attachment|getfile|filedown", re.I)
VIEWER_FILE = re.compile(r"[?&]file=([^&#]+)")
#: Page images of a report published as scans: image files in the article's body, not the site's chrome.
PAGE_IMAGE = re.compile(r"\.(jpe?g|png|gif|tiff?|bmp|webp)($|[?#])", re.I)
NOT_PAGE_IMAGE = re.compile(
    r"logo|icon|banner|bg|btn|button|arrow|share|qr|ewm|erweima|wx|weixin|weibo|gongan|beian|jiucuo|"
    r"dzjg|conac|red_?gh|zfwz|blank|spacer|print|close|search|top|foot|head|nav|line|dot",
    re.I,
)
#: Where the article's body sits in the page templates of the big CMS.
ARTICLE_BODY = re.compile(
    r"TRS_Editor|article|content|zoom|detail|context|main_?txt|(?:^|[\s_-])(?:nr|zw|wznr|view)(?:$|[\s_-])", re.I
)
#: A link's target when its href is a script: onclick="window.open('…')", location.href='…'.
SCRIPT_TARGET = re.compile(
    r"""(?:window\.open|location(?:\.href)?\s*=|location\.assign|location\.replace)\s*\(?\s*['"]([^'"]+)['"]"""
)
#: A script that gives a link its real address by its id (read, never run): getElementById('x').href = '…',
#: .setAttribute('href', '…'), jQuery's $('#x').attr('href', '…'); only a literal address counts.
SCRIPT_HREF = re.compile(
    r"""getElementById\(\s*['"]([\w-]{1,100})['"]\s*\)\s*(?:\.href\s*=\s*|\.setAttribute\(\s*['"]href['"]\s*,\s*)"""
    r"""['"]([^'"\s]{1,2000})['"]\s*[;)\n]"""
    r"""|\$\(\s*['"]#([\w-]{1,100})['"]\s*\)\s*\.attr\(\s*['"]href['"]\s*,\s*['"]([^'"\s]{1,2000})['"]\s*\)"""
)
#: An anchor written by a script (document.writeln("<a href=\"…\">…</a>"), jpage records, JSON content).
ANCHOR_START, ANCHOR_END = re.compile(r"<a\s", re.I), re.compile(r"</a\s*>", re.I)
MAX_ANCHOR_CHARS = 3000
#: How much script text a page's anchors are looked for in, and how many are taken (a hostile page's
#: megabytes of "<a " cost time in proportion, never more).
MAX_SCRIPT_CHARS, MAX_SCRIPT_ANCHORS = 2_000_000, 10_000
#: A date printed beside a link in a list (<li><a>…</a><span>2024-01-25</span></li>, [2024/01/25], 2024年1月25日).
LIST_DATE = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
#: Elements that hold one list entry.
LIST_ENTRY_TAGS = ("li", "tr", "dd", "dl", "p")
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
    row = entry.getparent() if entry.tag in ("dd", "dt") else None
    if row is not None and row.tag == "dl" and len(list(itertools.islice(row.iter("a"), 2))) == 1:
        entry = row  # a <dl> per entry, the link in one <dd> and its date in the next (平潭's TRS lists)
    seen = {} if seen is None else seen
    if entry not in seen:
        seen[entry] = _entry_date(entry, a)
    return seen[entry]


def _entry_date(entry: lxml.html.HtmlElement, a: lxml.html.HtmlElement) -> str | None:
    if len(list(itertools.islice(entry.iter("a"), 2))) > 1:
        return None
    own = a.text_content() or ""
    rest = re.sub(r"\s+", " ", (entry.text_content() or "").replace(own, " ", 1))  # templates indent deeply
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
    """All links of a page as a reader sees them, made absolute, with their list entry's date.

    A link's text is its words, else its ``title``, else the ``alt``/``title`` of the image it
    shows (menus drawn as pictures); a longer ``title`` wins (lists cut titles with "…"). A
    ``javascript:`` or ``#`` link counts when its ``onclick`` opens a URL (read, not run).
    Anchors that a script writes (``document.writeln``, jpage records, JSON content) follow
    those of the markup.
    """
    out = []
    dates: dict[Any, str | None] = {}  # per list entry: a page of 100,000 links in one <p> is read once
    rewritten = script_hrefs(root)
    for a in root.iter("a"):
        href = rewritten.get(a.get("id") or "") or (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            m = SCRIPT_TARGET.search(a.get("onclick") or "") or SCRIPT_TARGET.search(href)
            href = m.group(1).strip() if m else ""
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:", "data:")):
            continue
        out.append(Link(urljoin(base, href), link_text(a), entry_date(a, dates)))
    return out + script_links(base, root)


def script_hrefs(root: lxml.html.HtmlElement) -> dict[str, str]:
    """Link id → the address an inline script gives it (``getElementById('xxgk').href = 'http://…'``)."""
    found: dict[str, str] = {}
    budget = MAX_SCRIPT_CHARS
    for script in root.iter("script"):
        code = (script.text or "")[:budget]
        budget -= len(code)
        if "href" not in code:
            continue
        for m in itertools.islice(SCRIPT_HREF.finditer(code), MAX_SCRIPT_ANCHORS):
            found[m.group(1) or m.group(3)] = m.group(2) or m.group(4)
        if budget <= 0:
            break
    return found


def link_text(a: lxml.html.HtmlElement) -> str:
    """What a link says: its words, its title, or its image's alt/title (the longest full one)."""
    text = re.sub(r"\s+", "", a.text_content() or "")
    title = re.sub(r"\s+", "", a.get("title") or "")
    if title and len(title) > len(text):
        text = title
    if not text:
        for img in itertools.islice(a.iter("img"), 3):
            text = re.sub(r"\s+", "", img.get("alt") or img.get("title") or "")
            if text:
                break
    return text


def script_links(base: str, root: lxml.html.HtmlElement) -> list[Link]:
    """Anchors written inside scripts: ``document.writeln("<a href=\\"…\\">…</a>")``, Hanweb jpage records
    (``<record><![CDATA[<li><a …>]]>``, ``InitData`` arrays) and HTML held in JSON strings."""
    out: list[Link] = []
    budget = MAX_SCRIPT_CHARS
    for script in root.iter("script"):
        code = (script.text or "")[:budget]
        if budget <= 0 or ("<a" not in code and "<A" not in code):
            continue
        budget -= len(code)
        code = code.replace("\\/", "/").replace('\\"', '"').replace("\\'", "'")
        for start, end in itertools.islice(_anchor_spans(code), MAX_SCRIPT_ANCHORS):
            try:
                fragment = lxml.html.fragment_fromstring(code[start:end], create_parent="div")
            except (lxml.etree.ParserError, ValueError):
                continue
            for a in fragment.iter("a"):
                href = (a.get("href") or "").strip()
                if href and not href.startswith(("javascript:", "mailto:", "#", "tel:", "data:")):
                    out.append(Link(urljoin(base, href), link_text(a), _fragment_date(code, end)))
    return out


def _anchor_spans(code: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each ``<a …>…</a>`` in a script's text: the last ``<a`` before each ``</a>``, at most
    :data:`MAX_ANCHOR_CHARS` long. One pass over the positions, so unclosed anchors cost nothing extra."""
    starts = [m.start() for m in ANCHOR_START.finditer(code)]
    i, last = 0, -1
    for m in ANCHOR_END.finditer(code):
        while i < len(starts) and starts[i] < m.start():
            i += 1
        start = starts[i - 1] if i else -1
        if start > last and m.end() - start <= MAX_ANCHOR_CHARS:
            yield start, m.end()
        last = m.start()


def _fragment_date(code: str, end: int) -> str | None:
    """The date printed right after a script-written anchor (``…</a><span>2024-01-25</span>``)."""
    m = LIST_DATE.search(code[end : end + 60])
    return iso_date(*m.groups()) if m and "<a" not in code[end : end + m.start()] else None


def own_body(text: str, county: str = "") -> bool:
    """A body a county's page links that may be its own: named with the county's name (桐梓县教育局), or
    bare (教育局, 城关镇, 经开区管委会); not a national, provincial or prefecture body.

    Args:
        text: the link's text.
        county: the county's name as the seeds give it (empty: unknown).
    """
    t = re.sub(r"\s+", "", text)
    if county and (t.startswith(county) or (len(county) > 2 and t.startswith(county[:-1]))):
        return True
    return not (OTHER_LEVEL.search(t) or ABOVE.match(NOT_PLACES.sub("", t)))


def is_report_title(text: str, in_column: bool = False) -> bool:
    """A 政府信息公开 annual report's title (not 统计年报, 企业年报, a notice about reports, ...).

    Args:
        text: the title.
        in_column: the title is listed in an annual-report column, where reports are also titled
            without the words 政府信息公开 (``XX局2023年年报``, ``2023年度政务公开工作年报``).
    """
    t = re.sub(r"\s+", "", text)
    if not YEAR.search(t) or NOT_REPORT.search(t):
        return False
    return bool(REPORT_TITLE.search(t) or (in_column and COLUMN_REPORT_TITLE.search(t)))


def is_cut_title(text: str, in_column: bool = False) -> bool:
    """A title a list cut short (``…``) that may be a report's: only its page can tell, so it is opened.

    Args:
        text: the title as listed.
        in_column: listed in an annual-report column, where a year is enough; elsewhere (a home page's
            news, an area's latest items) the title must have begun the report's words.
    """
    t = re.sub(r"\s+", "", text)
    start = CUT_REPORT_START if in_column else CUT_REPORT_WORDS
    return bool(CUT_TITLE.search(t) and start.search(t)) and not NOT_REPORT.search(t)


def page_titles(root: lxml.html.HtmlElement | None) -> list[str]:
    """What a page says it is: its ``ArticleTitle`` meta (TRS, NFCMS), its headings, its ``<title>``."""
    if root is None:
        return []
    found = [m.get("content") or "" for m in root.iterfind(".//meta[@name='ArticleTitle']")]
    found += [h.text_content() for tag in ("h1", "h2") for h in itertools.islice(root.iter(tag), 5)]
    found += [t.text_content() for t in itertools.islice(root.iter("title"), 1)]
    return [re.sub(r"\s+", "", t)[:200] for t in found if t and t.strip()]


def report_year(text: str) -> int | None:
    """The year a title covers."""
    m = YEAR.search(text)
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    return int("".join(str("〇一二三四五六七八九".find(c)) if c in "一二三四五六七八九" else "0" for c in m.group(2)))


def area_score(link: Link) -> int:
    """How much a link looks like the way into the disclosure area.

    The area's own menu names score highest (3); a title that merely contains the words
    (大气污染综合治理督查信息公开, 重点领域信息公开) scores as a URL would, so it cannot take
    the places kept for the area.
    """
    text = link.text
    score = 0
    if AREA_NAME.search(text):
        score += 3
    elif AREA_TEXT.search(text) and not NOT_AREA.search(text) and len(text) <= 12:
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


#: The public-suffix list bundled with tldextract (no network: it never fetches a fresh copy).
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@functools.lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The registrable domain of a host (``zwgk.xx.gov.cn`` → ``xx.gov.cn``); an IP address is itself."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    parts = _EXTRACT(host)
    return f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else host


def same_site(a: str, b: str) -> bool:
    """Same site: the same registrable domain (``www.xx.gov.cn``, ``zwgk.xx.gov.cn``, ``xxgk.xx.gov.cn``).

    Counties publish their disclosure areas and report columns on sibling sub-domains; a
    registrable domain under a public suffix (``gov.cn``) is one government's, never its neighbour's.
    """
    ha, hb = urlparse(a).hostname or "", urlparse(b).hostname or ""
    return ha == hb or (bool(ha) and registrable_domain(ha) == registrable_domain(hb))


def under(url: str, column: str) -> bool:
    """True when a URL lies in a column's folder (sub-columns, list pages)."""
    cu, uu = urlparse(column), urlparse(url)
    if cu.hostname != uu.hostname:
        return False
    folder = cu.path.rsplit("/", 1)[0] + "/"
    return uu.path.startswith(folder)


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


def page_images(url: str, root: lxml.html.HtmlElement) -> list[Link]:
    """The page images of a report published as scans: ``<img>`` in the article's body, in page order.

    The body is found as trafilatura finds a page's main content: its body selectors (and the article
    bodies of the big CMS's templates); on a page with none, what follows the page's ``<h1>`` once
    trafilatura's boilerplate (navigation, footers, sidebars, share bars) is taken out. File names of the
    site's chrome (logos, icons, QR codes, the 纠错 badge) never count.
    """
    bodies = {el for xpath in BODY_XPATH for el in xpath(root)}
    found = _images(url, (img for img in root.iter("img") if _in_article(img, bodies)))
    if found:
        return found
    heading = next(root.iter("h1"), None)
    if heading is None:
        return []
    boilerplate = {el for xpath in OVERALL_DISCARD_XPATH for el in xpath(root)}
    return _images(url, (img for img in _following_imgs(heading) if not _within(img, boilerplate)))


def _iter_imgs(el: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    return el.iter("img") if isinstance(el.tag, str) else iter(())


def _following_imgs(heading: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Images after the heading in document order (its ancestors' later siblings' too)."""
    node = heading
    while node is not None:
        for sibling in node.itersiblings():
            yield from _iter_imgs(sibling)
        node = node.getparent()


def _images(url: str, imgs: Iterator[lxml.html.HtmlElement]) -> list[Link]:
    found: list[Link] = []
    for img in imgs:
        src = (img.get("src") or img.get("data-src") or "").strip()
        if not src or src.startswith("data:") or not PAGE_IMAGE.search(src):
            continue
        if NOT_PAGE_IMAGE.search(urlparse(src).path.rsplit("/", 1)[-1]):
            continue
        found.append(Link(urljoin(url, src), re.sub(r"\s+", "", img.get("alt") or "")))
    return list({link.url: link for link in found}.values())


def _within(el: lxml.html.HtmlElement, elements: set[lxml.html.HtmlElement]) -> bool:
    node = el
    while node is not None:
        if node in elements:
            return True
        node = node.getparent()
    return False


def _in_article(el: lxml.html.HtmlElement, bodies: set[lxml.html.HtmlElement]) -> bool:
    node = el.getparent()
    for _ in range(8):
        if node is None:
            return False
        if node in bodies or ARTICLE_BODY.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
        node = node.getparent()
    return False


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
