"""Reading plain text (reports copied out of Word or PDF) into a Layout.

Three layouts occur (see shared/seeds): one cell per line with rows
separated by blank lines, tab-separated rows, and either of them with label
cells drifting onto other lines (drift is mended later, in tables.py).
"""

from __future__ import annotations

from .encoding import decode
from .layout import Layout


def read_text(data: bytes, content_type: str | None = None) -> Layout:
    """Read a plain-text document.

    Args:
        data: the file bytes (UTF-8, GB18030/GBK or another detectable encoding).
        content_type: an HTTP Content-Type, whose charset is tried first.
    """
    text, _ = decode(data, content_type)
    layout = Layout()
    block: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if layout.full:
            break
        if line.strip() or "\t" in line:  # a tab-only line is an empty cell, not a separator
            block.append(line)
        else:
            _block(layout, block)
            block = []
    _block(layout, block)
    return layout


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
