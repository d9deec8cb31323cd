"""Reading plain text (reports copied out of Word or PDF) into a Layout.

Three layouts occur (see shared/seeds): one cell per line with rows
separated by blank lines, tab-separated rows, and either of them with label
cells drifting onto other lines (drift is mended later, in tables.py).

PDF-to-markdown converters add a fourth (shared/real/*_pdfmarkdown.txt):
pipe tables (``|a|b|``, a ``|---|`` rule under the first row, ``Col2``
standing for an empty header cell), ``<br>`` for a line break inside a cell,
and ``#`` heading marks.
"""

from __future__ import annotations

import re

from .encoding import decode
from .layout import Layout

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?$")
_BR = re.compile(r"<br\s*/?>", re.I)
#: What converters write for an empty header cell (pdfplumber/marker: Col1, Col2 …).
_PLACEHOLDER = re.compile(r"^Col\d+$")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")


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
