"""DOCX with merged cells."""

from __future__ import annotations

import io
import random

from .grid import expand, outline
from .records import Record


def render_docx(record: Record, rng: random.Random) -> bytes:
    """A Word document with the tables' merged cells as Word merges."""
    import docx

    document = docx.Document()
    for kind, part in outline(record, rng):
        if kind == "title":
            for line in part:
                document.add_paragraph(line)
        elif kind in ("h", "p"):
            document.add_paragraph(part)
        else:
            placed = expand(part)
            ncols = max(len(r) for r in placed)
            table = document.add_table(rows=len(placed), cols=ncols)
            table.style = "Table Grid"
            # all cell objects taken once: table.cell() rescans the table (quadratic); merges are disjoint
            grid = table._cells
            for r, line in enumerate(placed):
                for col, (cell, origin, _) in enumerate(line):
                    if origin:
                        target = grid[r * ncols + col]
                        if cell.rowspan > 1 or cell.colspan > 1:
                            target = target.merge(grid[(r + cell.rowspan - 1) * ncols + col + cell.colspan - 1])
                        target.text = cell.text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
