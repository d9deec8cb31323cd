"""Reading spreadsheets (XLS, XLSX, ODS, WPS ET) into a Layout, with python-calamine.

Counties attach the statistical tables as a workbook (统计表.xls). Each sheet is
read in order; a row with one filled cell (a title, a section heading, a
table's group heading) is a paragraph, any other row a table row. A merged
cell counts once (as DOCX's gridSpan), blank cells keep their place up to the
table's last column, and each cell carries its column as its position (as a
PDF word carries its x).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from .errors import ParseError
from .layout import Layout

#: A report's tables fill a few hundred cells; a sheet whose used area is larger is not a report. (A sheet
#: with a cell at XFD1048576 makes calamine itself allocate the whole grid and abort: the parse worker
#: dies, the sandbox reports it and goes on — tests/parsers/test_legacy_formats.py.)
MAX_CELLS = 1_000_000


class SheetError(ValueError):
    """The workbook cannot be opened."""


def _text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time, timedelta)):
        return str(value)
    return str(value).strip()


def read_sheet(data: bytes) -> Layout:
    """Read every sheet of a workbook.

    Args:
        data: the file's bytes (XLS/ET, XLSX or ODS).

    Raises:
        SheetError: the workbook is damaged or not a workbook.
    """
    from python_calamine import CalamineWorkbook

    layout = Layout()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.total_height * sheet.total_width > MAX_CELLS:
                raise ParseError(
                    f"sheet {name!r} spans {sheet.total_height:,} × {sheet.total_width:,} cells (limit {MAX_CELLS:,})",
                    "too_large",
                )
            _read_rows(layout, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or [])
            if layout.full:
                break
    except ParseError:
        raise
    except Exception as exc:  # calamine raises its own error types per format
        raise SheetError(f"broken spreadsheet: {type(exc).__name__}: {exc}") from None
    return layout


def _read_rows(
    layout: Layout, grid: Sequence[Sequence[object]], merges: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    # A merged cell is one cell, as DOCX's gridSpan makes it: the columns it covers to the right of its
    # first one are dropped in every row it spans (ODS files give no merges: their covered cells stay
    # blank, which leaves some values open rather than misplaced).
    height, width = len(grid), max((len(row) for row in grid), default=0)
    covered = {
        (r, c)
        for (r0, c0), (r1, c1) in merges
        for r in range(r0, min(r1, height - 1) + 1)
        for c in range(c0 + 1, min(c1, width - 1) + 1)
    }
    rows = [[(c, t) for c, t in enumerate(map(_text, row)) if (r, c) not in covered] for r, row in enumerate(grid)]
    filled = [[c for c, t in row if t] for row in rows]
    i = 0
    while i < len(rows) and not layout.full:
        if len(filled[i]) <= 1:
            if filled[i]:
                layout.add_paragraph(dict(rows[i])[filled[i][0]])
            i += 1
            continue
        # a table: rows of two or more filled cells; blank cells are kept up to its last used column
        end = i
        while end < len(rows) and len(filled[end]) > 1:
            end += 1
        extent = max(max(f) for f in filled[i:end])
        for row in rows[i:end]:
            kept = [(c, t) for c, t in row if c <= extent]
            layout.add_table_row([t for _, t in kept], xs=[float(c) for c, _ in kept])
        i = end
