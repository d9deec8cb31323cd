"""Reading plain text (reports copied out of Word or PDF) into a Layout.

Three layouts occur (see shared/seeds): one cell per line with rows
separated by blank lines, tab-separated rows, and either of them with label
cells drifting onto other lines (drift is mended later, in tables.py).

PDF-to-markdown converters add a fourth (shared/real/*_pdfmarkdown.txt):
pipe tables (``|a|b|``, a ``|---|`` rule under the first row, ``Col2``
standing for an empty header cell), ``<br>`` for a line break inside a cell,
and ``#`` heading marks.

A page's text saved by a crawler is a fifth: header lines (``标题:``,
``发布时间:``, ``来源:``), then the whole article on one line, paragraphs and
table cells split by single spaces and empty cells gone. In a sixth, the page's
text nodes were joined with nothing between them: headings run into prose and
every row's values into one figure (``申请数量21710000218二、上年结转``); its rows
are marked joined and split into cells only where the template leaves one
reading (tables.unjoin).
"""

from __future__ import annotations

import re

from . import template as T
from .encoding import decode
from .layout import Layout
from .values import UNIT_CHARACTERS, is_value
from .xpaths import PUBLISHED

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?$")
_BR = re.compile(r"<br\s*/?>", re.I)
#: What converters write for an empty header cell (pdfplumber/marker: Col1, Col2 …).
_PLACEHOLDER = re.compile(r"^Col\d+$")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")
#: A crawler's header line above the page text it saved: the page's metadata, not the report's text.
_CRAWLER_FIELD = re.compile(
    r"^\s*(?P<name>文章标题|标题|题目|发布时间|发布日期|日期|时间|来源|信息来源|发布机构|作者|链接|网址|原文链接|URL|索引号|文号|浏览次数|点击数)\s*[:：]\s*(?P<value>.*)$",
    re.I,
)
_TITLE_FIELDS = ("文章标题", "标题", "题目")
#: A line with this many space-separated pieces, numbers among them, is a page's whole text on one line.
_ONE_LINE_PIECES = 60
_ONE_LINE_VALUES = 10
#: A longer line is no report's text (a whole report runs to tens of thousands of characters): it is read
#: as one paragraph, not split into millions of pieces.
_ONE_LINE_MAX = 1_000_000
#: A piece this short, without a sentence's end, is a table's label or heading, not prose.
_LABEL_PIECE = 30
#: What follows a number in prose ("2024 年", "3 件"): the number was split off its sentence, not a cell.
_PROSE_AFTER_NUMBER = re.compile(r"^[年月日件个万元%％余多家次条人项]")
_DASHES = frozenset("-－—")
#: A figure run into the labels on both sides, or with a space on one side only (…申请数量21710000218二、上年
#: 结转…): five digits or more and no unit after it (prose's 信息10407条 is a figure in a sentence). Three of them make a line a joined page text.
_GLUED_RUN = re.compile(
    r"[\u4e00-\u9fff）)”](?:\d{5,}\s?|\s\d{5,})(?=[\u4e00-\u9fff（(])(?![年月日件个万元余多家次条人项号篇期])"
)
_GLUED_MIN = 3
#: Han characters that may stand before a section heading run into the text (any other character may):
#: a unit of a table's last figure (…采购总金额39573802895.90元三、收到和处理…).
_UNIT_BEFORE_HEADING = frozenset(UNIT_CHARACTERS)
#: How far a heading run into its section's text may reach (the longest template heading has 19 characters).
_HEADING_REACH = 30
#: Places a heading's numeral is tried at, per section (a hostile text may repeat 二、 a million times).
_HEADING_TRIES = 200
#: A row's values in a joined text: digits with the spaces, points and minus signs between them.
_RUN = re.compile(r"-?\d[\d.\s-]*")


def read_text(data: bytes, content_type: str | None = None) -> Layout:
    """Read a plain-text document.

    Args:
        data: the file bytes (UTF-8, GB18030/GBK or another detectable encoding).
        content_type: an HTTP Content-Type, whose charset is tried first.
    """
    text, _ = decode(data, content_type)
    layout = Layout()
    block: list[str] = []
    lines = _crawler_header(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), layout)
    for line in lines:
        if layout.full:
            break
        if len(line) <= _ONE_LINE_MAX and "\t" not in line and len(_GLUED_RUN.findall(line)) >= _GLUED_MIN:
            _block(layout, block)
            block = []
            _joined(layout, line)
            continue
        pieces = line.split(" ") if _ONE_LINE_PIECES <= len(line) <= _ONE_LINE_MAX and "\t" not in line else []
        if len(pieces) >= _ONE_LINE_PIECES and sum(map(is_value, pieces)) >= _ONE_LINE_VALUES:
            _block(layout, block)
            block = []
            _one_line(layout, pieces)
            continue
        if _PIPE_ROW.match(line):
            _block(layout, block)
            block = []
            if not _PIPE_RULE.match(line):
                layout.add_table_row(_pipe_cells(line))
            continue
        line = _HEADING_MARK.sub("", _BR.sub("", line))
        if line.strip() or "\t" in line:  # a tab-only line is an empty cell, not a separator
            block.append(line)
        else:
            _block(layout, block)
            block = []
    _block(layout, block)
    return layout


def _pipe_cells(line: str) -> list[str]:
    cells = line.strip()[1:-1].split("|")
    return ["" if _PLACEHOLDER.match(c.strip()) else _BR.sub("\n", c).strip() for c in cells]


def _block(layout: Layout, lines: list[str]) -> None:
    """Lines between blank lines: one table row of one-cell lines, or rows and paragraphs."""
    if not lines:
        return
    one_cell = all("\t" not in line.strip("\t") for line in lines)
    first_cell = next((i for i, line in enumerate(lines) if line.startswith("\t")), None)
    if one_cell and first_cell is not None:
        # Lines before the first tab-led cell are headings or prose run into the table.
        for line in lines[:first_cell]:
            layout.add_paragraph(line)
        layout.add_table_row([line.strip() for line in lines[first_cell:]])
        return
    for line in lines:
        if "\t" in line.strip("\t") or line.startswith("\t"):
            layout.add_table_row(line.split("\t"))
        else:
            layout.add_paragraph(line)


def _crawler_header(lines: list[str], layout: Layout) -> list[str]:
    """The lines after a crawler's header lines; the title and the date they give go to the layout."""
    start = 0
    while start < len(lines):
        field = _CRAWLER_FIELD.match(lines[start])
        if lines[start].strip() and field is None:
            break
        start += 1
        if field is None:
            continue
        if field.group("name") in _TITLE_FIELDS and field.group("value").strip():
            layout.title_hints.append(field.group("value").strip())
        date = PUBLISHED.search(field.group(0))
        if date and layout.published is None:
            layout.published = f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
    return lines[start:]


def _one_line(layout: Layout, pieces: list[str]) -> None:
    """A whole article on one line. Each run of values is a table row with the short piece before it as
    its label (in such a dump a label is always followed by its values, so values never go to a label
    after them); other short pieces are labels or headings on lines of their own, long ones paragraphs.
    A number that runs on into prose ("2024 年，…") stays in its sentence, and a page number (- 4 -)
    is dropped. Blank cells left no piece: a row with fewer values than columns is left null."""
    pieces = _without_page_numbers([p for p in pieces if p])
    label: str | None = None
    values: list[str] = []
    carried = ""

    def close() -> None:
        nonlocal label, values
        if values:
            layout.add_table_row([label or "", *values])
        elif label is not None:
            layout.add_table_row([label])
        label, values = None, []

    for i, piece in enumerate(pieces):
        if layout.full:
            break
        after = pieces[i + 1] if i + 1 < len(pieces) else ""
        prose_number = is_value(piece) and bool(_PROSE_AFTER_NUMBER.match(after)) and not is_value(after)
        if is_value(piece) and not prose_number:
            values.append(piece)
            continue
        close()
        if prose_number:  # the number of "2024 年，…": part of the next piece's sentence
            carried += piece
            continue
        piece, carried = carried + piece, ""
        if len(piece) <= _LABEL_PIECE and not re.search(r"[。；;]", piece):
            label = piece
        else:
            layout.add_paragraph(piece)
    close()


def _without_page_numbers(pieces: list[str]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        out.append(piece)
        if len(out) >= 3 and out[-1] in _DASHES and out[-3] in _DASHES and out[-2].isdigit():
            del out[-3:]
    return out


def _joined(layout: Layout, text: str) -> None:
    """A page's text whose nodes were joined with nothing between them: the section headings are cut out
    of it, sections 二 to 四 are read as rows of a label and the values run after it, the others as prose.
    A line with no heading in it is all rows."""
    cuts = _section_headings(text)
    pos, section = 0, None if cuts else T.TABLE_SECTIONS[0]
    for number, start, end in cuts:
        _joined_body(layout, text[pos:start], section)
        layout.add_paragraph(text[start:end])
        pos, section = end, number
    _joined_body(layout, text[pos:], section)


def _joined_body(layout: Layout, text: str, section: str | None) -> None:
    if section not in T.TABLE_SECTIONS:
        layout.add_paragraph(text)
        return
    label_from = 0
    for m in _RUN.finditer(text):
        if layout.full:
            return
        run = m.group().rstrip()
        end = m.start() + len(run.rstrip("."))
        if end < len(text) - 1 and text[end] in ".．、" and _is_han(text[end + 1]):
            # the last digit numbers the next label (…40000042.其他法律…: 4000004, then 2.其他法律…)
            end -= 1
        run = text[m.start() : end].strip()
        if not run or not any(c.isdigit() for c in run):
            continue  # only a label's own numbering (不予公开1.属于国家秘密)
        layout.add_table_row([text[label_from : m.start()], *run.split()], joined=True)
        label_from = end
    if text[label_from:].strip():
        layout.add_paragraph(text[label_from:])


def _section_headings(text: str) -> list[tuple[str, int, int]]:
    """Where each section heading stands in a joined text, in order: (section, start, end). A heading is
    its numeral and 、 after a sentence's end, a figure or a space, then the section's wording; the
    wording ends where its pattern first matches (and takes a 情况 just after it)."""
    found: list[tuple[str, int, int]] = []
    pos = 0
    for number, pattern in T.SECTION_HEADINGS.items():
        numbered = T.SECTION_NUMERALS[number] + "、"
        at, tried = text.find(numbered, pos), 0
        while at >= 0 and tried < _HEADING_TRIES:
            tried += 1
            if at == 0 or not _is_han(text[at - 1]) or text[at - 1] in _UNIT_BEFORE_HEADING:
                window = re.split(r"\d", text[at + 2 : at + 2 + _HEADING_REACH], maxsplit=1)[0]
                end = next((n for n in range(2, len(window) + 1) if pattern.search(window[:n])), None)
                if end is not None:
                    end = _wording_end(pattern, window, end)
                    found.append((number, at, at + 2 + end))
                    pos = at + 2 + end
                    break
            at = text.find(numbered, at + 1)
    return found


def _wording_end(pattern: re.Pattern[str], window: str, end: int) -> int:
    """Where a heading whose pattern first matches ``window[:end]`` ends: at a longer wording the pattern
    also has (其他需要报告 → 其他需要报告的事项), then at a 情况 just after it (存在的主要问题及改进情况)."""
    for longer in range(end + 1, min(len(window), end + 8) + 1):
        m = pattern.search(window[:longer])
        if m is not None and m.end() == longer:
            end = longer
    more = window.find("情况", end, end + 6)
    return more + 2 if more >= 0 else end


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or char in '“"'
