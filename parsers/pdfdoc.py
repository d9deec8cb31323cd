"""Reading PDFs with a text layer into a Layout (PyMuPDF).

Ruled tables are read by PyMuPDF's table finder, which keeps empty cells;
everything else is rebuilt from positioned words: words on one baseline form
a line, wide gaps split it into cells, and each cell keeps its x position so
that blanks can later be placed by column (tables.py).  Running headers,
footers and page numbers are dropped so that a table broken over pages reads
as one.
"""

from __future__ import annotations

import re
from collections import Counter

import pymupdf

from .layout import Layout, Row, clean
from .values import is_value

MAX_PAGES = 200
_PAGE_NUMBER = re.compile(r"^[-—－–\s]*(第\s*)?\d+\s*(页)?\s*([/／共]\s*\d+\s*页?)?[-—－–\s]*$")
_MARGIN = 0.07  # share of the page height treated as header/footer band

pymupdf.TOOLS.mupdf_display_errors(False)


class PdfError(ValueError):
    """The PDF cannot be read."""


def read_pdf(data: bytes) -> Layout:
    """Read a PDF document.

    Args:
        data: the PDF bytes.

    Raises:
        PdfError: broken or encrypted file.
        ScanError: a scan (no text layer) with nothing readable on it.
    """
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises FileDataError, RuntimeError, ValueError
        raise PdfError(f"broken PDF: {exc}") from None
    with doc:
        if doc.needs_pass:
            raise PdfError("encrypted PDF")
        if doc.page_count == 0:
            raise PdfError("broken PDF: no pages")
        layout = Layout()
        title = (doc.metadata or {}).get("title")
        if title:
            layout.title_hints.append(title)
        if doc.page_count > MAX_PAGES:
            layout.warnings.append(f"only the first {MAX_PAGES} of {doc.page_count} pages read")
        pages = []
        for number in range(min(doc.page_count, MAX_PAGES)):
            try:
                pages.append(_read_page(doc[number]))
            except Exception as exc:  # a damaged page must not lose the others
                layout.warnings.append(f"page {number + 1} not readable: {exc}")
        if not any(items for items, _ in pages):
            from .ocrdoc import read_scanned_pdf  # no text layer: a scan

            scanned = read_scanned_pdf(doc)
            scanned.title_hints = layout.title_hints
            return scanned
        add_pages(layout, pages)
        return layout


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


def _read_page(page: pymupdf.Page) -> Page:
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for path in page.get_drawings():
        for item in path["items"]:
            if item[0] == "l":
                add_segment(item[1].x, item[1].y, item[2].x, item[2].y, horizontal, vertical)
            elif item[0] == "re":
                r = item[1]
                if r.width < 2 or r.height < 2:  # a rule drawn as a thin filled box
                    ym, xm = (r.y0 + r.y1) / 2, (r.x0 + r.x1) / 2
                    if r.height < 2:
                        add_segment(r.x0, ym, r.x1, ym, horizontal, vertical)
                    else:
                        add_segment(xm, r.y0, xm, r.y1, horizontal, vertical)
                else:
                    for a, b in ((r.tl, r.tr), (r.bl, r.br), (r.tl, r.bl), (r.tr, r.br)):
                        add_segment(a.x, a.y, b.x, b.y, horizontal, vertical)
    return page_rows(page.get_text("words", sort=True), horizontal, vertical, page.rect.height or 1.0)


def page_rows(words: list[tuple], horizontal: list, vertical: list, height: float) -> Page:
    """One page's rows from its positioned words and ruling lines (PDF and OFD alike).

    Args:
        words: ``(x0, y0, x1, y1, text, …)`` in points, y downwards.
        horizontal, vertical: rules as :func:`add_segment` collects them.
        height: the page's height in points.
    """
    items, used = _ruled_rows(words, horizontal, vertical)
    loose = [w for i, w in enumerate(words) if i not in used]
    for y, row in _lines(loose):
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
        if not any(cells):
            continue
        used.update(i for c in cells for i in c)
        texts = [
            clean(" ".join(words[i][4] for i in sorted(c, key=lambda i: (round(centres[i][1]), centres[i][0]))))
            for c in cells
        ]
        rows.append((top, Row(texts, table=True, xs=[(a + b) / 2 for a, b in zip(xs, xs[1:], strict=False)])))
    return rows, used


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


def _lines(words: list[tuple]) -> list[tuple[float, Row]]:
    """Group words into visual lines, and lines into cells at wide gaps."""
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
            if gap > h * 1.2 or (gap > h * 0.15 and (is_value(w[4]) or is_value(cells[-1][-1][4]))):
                cells.append([w])
            else:
                cells[-1].append(w)
        texts = [clean(" ".join(w[4] for w in c)) for c in cells]
        xs = [(c[0][0] + c[-1][2]) / 2 for c in cells]
        out.append((min(w[1] for w in line), Row(texts, table=len(texts) > 1, xs=xs)))
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
