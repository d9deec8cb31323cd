"""PDF: ruled or unruled tables drawn with a CJK font, page breaks inside tables, running headers and page numbers."""

from __future__ import annotations

import random
from typing import Any

from .grid import Grid, expand, is_num, outline
from .records import Record


def render_pdf(record: Record, rng: random.Random, ruled: bool | None = None, repeat_header: bool = False) -> bytes:
    """A PDF drawn with PyMuPDF's CJK font: ruled or unruled tables, page breaks, running header and page numbers.

    Args:
        repeat_header: a table broken by a page starts the next page with its header rows again (Word's
            重复标题行, "repeat as header row at the top of each page").
    """
    import pymupdf

    ruled = rng.random() < 0.7 if ruled is None else ruled
    doc = pymupdf.open()
    width, height, margin = 595, 842, 56
    fs = 9.0
    state: dict[str, Any] = {"page": None, "y": 0.0}
    running = f"{record['agency']}政府信息公开工作年度报告" if rng.random() < 0.5 else None

    def new_page() -> None:
        # one Shape per page, committed once: drawing cell by cell on the page is ten times slower
        if state["page"] is not None:
            state["page"].commit()
        page = doc.new_page(width=width, height=height).new_shape()
        if running:
            page.insert_text((margin, 30), running, fontname="china-s", fontsize=8)
        page.insert_text((width / 2 - 10, height - 25), f"- {doc.page_count} -", fontname="china-s", fontsize=9)
        state["page"], state["y"] = page, margin + 10

    def ensure(h: float) -> None:
        if state["page"] is None or state["y"] + h > height - margin:
            new_page()

    def line(text: str, size: float = 10.5) -> None:
        per = int((width - 2 * margin) / size)
        for i in range(0, max(len(text), 1), per):
            ensure(size * 1.6)
            state["page"].insert_text((margin, state["y"] + size), text[i : i + per], fontname="china-s", fontsize=size)
            state["y"] += size * 1.6

    for kind, part in outline(record, rng):
        if kind == "title":
            for t in part:
                line(t, 14)
        elif kind in ("h", "p"):
            line(part)
        else:
            _pdf_table(part, doc, state, ensure, ruled, fs, margin, width, repeat_header)
            state["y"] += 8
    if state["page"] is not None:
        state["page"].commit()
    return doc.tobytes()


def _pdf_table(
    grid: Grid,
    doc: Any,
    state: dict,
    ensure: Any,
    ruled: bool,
    fs: float,
    margin: float,
    width: float,
    repeat_header: bool = False,
) -> None:
    import pymupdf

    def length(text: str, size: float) -> float:
        return pymupdf.get_text_length(text, fontname="china-s", fontsize=size)

    placed = expand(grid)
    ncols = max(len(r) for r in placed)
    label_cols = 3 if ncols >= 10 and ncols <= 11 else (1 if ncols == 4 else 0)
    total_w = width - 2 * margin
    if label_cols:
        label_w = [total_w * 0.16, total_w * 0.16, total_w * 0.24][:label_cols] if label_cols == 3 else [total_w * 0.4]
        rest = (total_w - sum(label_w)) / (ncols - label_cols)
        widths = label_w + [rest] * (ncols - label_cols)
    else:
        widths = [total_w / ncols] * ncols
    xs = [margin + sum(widths[:i]) for i in range(ncols + 1)]

    def wrap(text: str, w: float) -> list[str]:
        lines, current = [], ""
        for ch in text:
            if current and length(current + ch, fs) > w - 4:
                lines.append(current)
                current = ""
            current += ch
        return lines + [current]

    heights = []
    for line in placed:
        h = fs * 2.2
        for col, (cell, origin, _) in enumerate(line):
            if origin and cell.rowspan == 1:
                w = xs[min(col + cell.colspan, ncols)] - xs[col]
                h = max(h, len(wrap(cell.text, w)) * fs * 1.3 + fs)
        heights.append(h)
    # the header: the rows above the first that holds a value
    header = next((r for r, line in enumerate(placed) if any(is_num(c.text) for c, origin, _ in line if origin)), 0)

    def draw(r: int) -> None:
        """Row ``r`` at the page's current height."""
        line = placed[r]
        page, y = state["page"], state["y"]
        for col, (cell, origin, _row_origin) in enumerate(line):
            if not origin:
                continue
            w = xs[min(col + cell.colspan, ncols)] - xs[col]
            # a merged cell broken by a page keeps its text on the first page
            h = (
                sum(heights[r : r + cell.rowspan])
                if y + sum(heights[r : r + cell.rowspan]) <= 842 - margin
                else heights[r]
            )
            rect = pymupdf.Rect(xs[col], y, xs[col] + w, y + h)
            if ruled:
                page.draw_rect(rect)
                page.finish(color=(0, 0, 0), width=0.5)
            size = fs
            if is_num(cell.text):  # numbers shrink rather than wrap, as Word does
                while size > 4 and length(cell.text, size) > w - 8:
                    size -= 0.5
                lines = [cell.text]
            else:
                lines = wrap(cell.text, w)
            top = y + (h - len(lines) * fs * 1.3) / 2
            for i, t in enumerate(lines):
                tw = length(t, size)
                page.insert_text(
                    (xs[col] + (w - tw) / 2, top + (i + 1) * fs * 1.3 - 2), t, fontname="china-s", fontsize=size
                )
        state["y"] += heights[r]

    for r in range(len(placed)):
        page = state["page"]
        ensure(heights[r])
        if repeat_header and 0 < header <= r and page is not None and state["page"] is not page:
            for h in range(header):
                draw(h)
        draw(r)
