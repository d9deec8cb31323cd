"""Reading spreadsheets (XLS, XLSX, ODS, WPS ET) into a Layout, with python-calamine.

Counties attach the statistical tables as a workbook (统计表.xls). Each sheet is
read in order; a row with one filled cell (a title, a section heading, a
table's group heading) is a paragraph, any other row a table row. A merged
cell's value sits in its first cell and the others are empty, as the HTML and
DOCX readers give them, so the same table readers apply.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from .layout import Layout


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
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=True):
                if layout.full:
                    return layout
                cells = [_text(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                filled = [c for c in cells if c]
                if len(filled) == 1:
                    layout.add_paragraph(filled[0])
                elif filled:
                    layout.add_table_row(cells)
    except Exception as exc:  # calamine raises its own error types per format
        raise SheetError(f"broken spreadsheet: {type(exc).__name__}: {exc}") from None
    return layout
