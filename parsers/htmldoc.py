"""Reading HTML pages (portal report pages, Word saved as HTML) into a Layout."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from . import xpaths
from .encoding import decode
from .errors import ParseError
from .layout import Layout, clean

# Elements that end a line of text.
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article blockquote pre center form tr table"
    " address fieldset figure figcaption hr main aside header footer caption tbody thead tfoot".split()
)
# Compiled once: evaluating the selector strings on every page costs more than parsing it.
_BOILERPLATE = lxml.etree.XPath(" | ".join(xpaths.BOILERPLATE))
_CONTENT = [lxml.etree.XPath(xp) for xp in xpaths.CONTENT]
_TITLE = [lxml.etree.XPath(xp) for xp in xpaths.TITLE]
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_SPLIT = re.compile(r"\s*[_|｜—–]\s*|\s+-\s+")
#: libxml2 stops building the tree at 256 levels (2,048 with its "huge" option) and drops the rest
#: of the page, saying so only in its error log; such a page is refused, never read in part.
_DEPTH_LIMIT = "Excessive depth"


def read_html(data: bytes, content_type: str | None = None) -> Layout:
    """Read an HTML document.

    Args:
        data: the page bytes, in any encoding the page declares or not.
        content_type: the HTTP Content-Type, whose charset is tried first.
    """
    text, _ = decode(data, content_type)
    text = _XML_DECL.sub("", text)
    layout = Layout()
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        layout.warnings.append(f"HTML not readable: {exc}")
        return layout
    if any(_DEPTH_LIMIT in e.message for e in parser.error_log):
        raise ParseError("HTML nested deeper than 2,048 elements: refused rather than read in part", "too_deep")
    layout.title_hints = _titles(root)
    layout.published = _published(root)
    for el in _BOILERPLATE(root):
        if el.getparent() is not None and el.tag not in ("html", "body"):
            el.drop_tree()
    _Walker(layout).walk(_content_root(root))
    return layout


def _titles(root: lxml.html.HtmlElement) -> list[str]:
    found: list[str] = []
    for xp in _TITLE:
        for hit in xp(root)[:3]:
            value = clean(hit if isinstance(hit, str) else hit.text_content())
            # "XX县2022年…年度报告_XX县人民政府" → keep the report part.
            found.extend(p for p in _TITLE_SPLIT.split(value) if p)
    return found


def _published(root: lxml.html.HtmlElement) -> str | None:
    """The CMS's own 发布时间 field first; else trafilatura's metadata (meta tags, time elements).

    trafilatura runs without its extensive search, which would take a year in the report's
    title (2023年) for a date.
    """
    m = xpaths.PUBLISHED.search(root.text_content()[:200_000])
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    from trafilatura.metadata import extract_metadata

    date = extract_metadata(root, extensive=False).date
    return str(date) if date else None


def _content_root(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for xp in _CONTENT:
        for el in xp(root):
            if len(el.text_content()) > 200:
                return el
    body = root.find("body")
    return body if body is not None else root


class _Walker:
    """Emits paragraphs and table rows in document order."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.buffer: list[str] = []

    def flush(self) -> None:
        if self.buffer:
            self.layout.add_paragraph("".join(self.buffer))
            self.buffer = []

    def walk(self, root: lxml.html.HtmlElement) -> None:
        """Walk the tree in document order; iterative, since a page may nest 2,000 elements deep."""
        stack: list[tuple[lxml.html.HtmlElement, bool]] = [(root, True)]
        while stack and not self.layout.full:
            el, entering = stack.pop()
            tag = el.tag if isinstance(el.tag, str) else ""
            block = tag in _BLOCKS or tag in ("td", "th")
            if not entering:
                if block:
                    self.flush()
                if el.tail and el is not root:
                    self.buffer.append(el.tail)
                continue
            stack.append((el, False))
            if tag == "table" and self._is_data_table(el):
                self.flush()
                self._table(el)
            elif tag == "br":
                self.buffer.append("\n")
            else:
                if block:
                    self.flush()
                if el.text and tag:
                    self.buffer.append(el.text)
                stack.extend((child, True) for child in reversed(el))

    @staticmethod
    def _is_data_table(table: lxml.html.HtmlElement) -> bool:
        """A table of data, not a layout table wrapping the whole page (nested tables, one cell a row)."""
        if table.xpath(".//table"):
            return False
        return any(len(tr.xpath("./td|./th")) > 1 for tr in table.xpath(".//tr"))

    def _table(self, table: lxml.html.HtmlElement) -> None:
        for tr in table.xpath(".//tr"):
            cells = []
            for td in tr.xpath("./td|./th"):
                for br in td.iter("br"):
                    br.tail = "\n" + (br.tail or "")
                cells.append(td.text_content())
            self.layout.add_table_row(cells)
