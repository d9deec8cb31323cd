"""A page's rows from positioned words and ruling lines: what PDF text layers, OFD and OCR share.

Ruled tables are read between their rules, empty cells kept as "" so blanks keep their columns;
everything else is rebuilt from positioned words: words on one baseline form a line, wide gaps split it
into cells, and each cell keeps its x position (tables.py places blanks by column). Running headers,
footers and page numbers are dropped so that a table broken over pages reads as one.
"""

from __future__ import annotations

import re
from collections import Counter

from .layout import Layout, Row, clean
from .values import HAN, is_value

_PAGE_NUMBER = re.compile(r"^[-—－–\s]*(第\s*)?\d+\s*(页)?\s*([/／共]\s*\d+\s*页?)?[-—－–\s]*$")
_MARGIN = 0.07  # share of the page height treated as header/footer band
_SLIVER = 3.0  # narrower than any glyph printed in a table cell (points)

Page = tuple[list[tuple[float, Row]], float]


def add_pages(layout: Layout, pages: list[Page]) -> None:
    """Append the pages' rows to a layout, without the running headers and footers.

    Args:
        layout: the document being read.
        pages: each page's (y, row) items and its height, as :func:`page_rows` gives them.
    """
    repeated = _running_lines(pages)
    for items, _ in pages:
        for _, row in items:
            if row.table or row.text not in repeated:
                layout.rows.append(row)


def page_rows(words: list[tuple], horizontal: list, vertical: list, height: float, boxes: bool = False) -> Page:
    """One page's rows from its positioned words and ruling lines (PDF and OFD alike).

    Args:
        words: ``(x0, y0, x1, y1, text, …)`` in points, y downwards.
        horizontal, vertical: rules as :func:`add_segment` collects them.
        height: the page's height in points.
        boxes: the words are a text detector's boxes (OCR): a number's box after a label's is a cell of its
            own however close (an unruled table's first value beside its label's long last line); a text
            layer's words are split where the text had a space, and stay as they are.
    """
    items, used = _ruled_rows(words, horizontal, vertical)
    loose = [w for i, w in enumerate(words) if i not in used]
    for y, row in _lines(loose, boxes):
        if (y < height * _MARGIN or y > height * (1 - _MARGIN)) and _PAGE_NUMBER.match(row.text):
            continue
        if _PAGE_NUMBER.match(row.text) and not row.table:
            continue  # a page number printed mid-page (footer above a bottom margin)
        items.append((y, row))
    items.sort(key=lambda item: item[0])
    return items, height


def _ruled_rows(words: list[tuple], horizontal: list, vertical: list) -> tuple[list[tuple[float, Row]], set[int]]:
    """Rows of ruled tables: bands between horizontal rules, cells between the vertical rules crossing them.

    Reading the rules directly (instead of PyMuPDF's general table finder)
    keeps PDF parsing fast, and empty cells come out as "" so blanks keep
    their columns.
    """
    if len(horizontal) < 2 or len(vertical) < 2:
        return [], set()
    ys = _merge(sorted(h[0] for h in horizontal))
    centres = [((w[0] + w[2]) / 2, (w[1] + w[3]) / 2) for w in words]
    rows: list[tuple[float, Row]] = []
    used: set[int] = set()
    for top, bottom in zip(ys, ys[1:], strict=False):
        if bottom - top < 3:
            continue
        xs = _merge(sorted(v[0] for v in vertical if v[1] <= top + 1.5 and v[2] >= bottom - 1.5))
        if len(xs) < 2:
            continue
        cells: list[list[int]] = [[] for _ in xs[1:]]
        for i, (cx, cy) in enumerate(centres):
            if top < cy < bottom and xs[0] < cx < xs[-1]:
                j = next(k for k in range(len(xs) - 1) if cx < xs[k + 1])
                cells[j].append(i)
        xs, cells = _without_slivers(xs, cells)
        if not any(cells):
            continue
        used.update(i for c in cells for i in c)
        texts = [
            clean(" ".join(words[i][4] for i in sorted(c, key=lambda i: (round(centres[i][1]), centres[i][0]))))
            for c in cells
        ]
        mids = [(a + b) / 2 for a, b in zip(xs, xs[1:], strict=False)]
        rows.append((top, Row(texts, table=True, xs=mids, ruled=True)))
    return rows, used


def _without_slivers(xs: list[float], cells: list[list[int]]) -> tuple[list[float], list[list[int]]]:
    """Drop empty cells too narrow to hold a glyph.

    Word draws a table whose rows were split at different places (a header grid that does not line up
    with the data grid) with hair-thin cells where the grids meet: 洪泽区 2023's table 4 has a 2-pt cell
    between two data columns, which would read as a blank column and shift the row.
    """
    keep = [k for k, c in enumerate(cells) if c or xs[k + 1] - xs[k] >= _SLIVER]
    if len(keep) == len(cells):
        return xs, cells
    return [xs[0], *(xs[k + 1] for k in keep[:-1]), xs[-1]], [cells[k] for k in keep]


def add_segment(x0: float, y0: float, x1: float, y1: float, horizontal: list, vertical: list) -> None:
    """Keep a straight line if it is a horizontal or vertical rule: ``(y, x0, x1)`` or ``(x, y0, y1)``."""
    if abs(y0 - y1) < 1 and abs(x0 - x1) > 2:
        horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) < 1 and abs(y0 - y1) > 2:
        vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _merge(values: list[float], tolerance: float = 1.5) -> list[float]:
    """Collapse coordinates closer than the tolerance (double-drawn rules)."""
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _lines(words: list[tuple], boxes: bool = False) -> list[tuple[float, Row]]:
    """Group words into visual lines, and lines into cells at wide gaps (after a label, at any gap before
    a detector's box of a number: ``boxes``, :func:`page_rows`)."""
    lines: list[list[tuple]] = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        yc, h = (w[1] + w[3]) / 2, w[3] - w[1]
        if lines:
            last = lines[-1]
            lyc = sum((v[1] + v[3]) / 2 for v in last) / len(last)
            if abs(yc - lyc) < max(h, 1.0) * 0.5:
                last.append(w)
                continue
        lines.append([w])
    out = []
    for line in lines:
        line.sort(key=lambda w: w[0])
        h = max(w[3] - w[1] for w in line)
        cells: list[list[tuple]] = [[line[0]]]
        for w in line[1:]:
            gap = w[0] - cells[-1][-1][2]
            # numbers are cells of their own even when columns are tight
            after_label = boxes and is_value(w[4]) and HAN.search(cells[-1][-1][4]) is not None
            if gap > h * 1.2 or after_label or (gap > h * 0.15 and (is_value(w[4]) or is_value(cells[-1][-1][4]))):
                cells.append([w])
            else:
                cells[-1].append(w)
        texts = [clean(" ".join(w[4] for w in c)) for c in cells]
        spans = [(float(c[0][0]), float(c[-1][2])) for c in cells]
        xs = [(a + b) / 2 for a, b in spans]
        # the line's top as most of its words have it: a label printed upright down a merged cell (三、本年度
        # 办理结果) joins the line at its middle, and its top would put that line before the lines above
        row = Row(texts, table=len(texts) > 1, xs=xs, spans=spans)
        out.append((sorted(w[1] for w in line)[len(line) // 2], row))
    return out


def _running_lines(pages: list[Page]) -> set[str]:
    """Paragraph lines printed in the header/footer band of most pages (running titles)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for items, height in pages:
        band = {row.text for y, row in items if not row.table and (y < height * _MARGIN or y > height * (1 - _MARGIN))}
        counts.update(band)
    return {text for text, n in counts.items() if n >= max(3, len(pages) // 2)}
