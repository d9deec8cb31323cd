"""XLSX: the report's tables in a spreadsheet, as counties attach them (统计表.xlsx).

Written as plain SpreadsheetML (a zip of XML parts): title, headings and prose
in column A, each table below its heading with Excel merges for merged cells,
numbers as numbers. ``.xls``, ``.ods`` and WPS ``.et`` files are made from it by
LibreOffice in the tests.
"""

from __future__ import annotations

import io
import random
import zipfile
from xml.sax.saxutils import escape

from .grid import expand, is_num, outline
from .records import Record

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="统计表" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _cell(row: int, col: int, text: str) -> str:
    plain = text.replace(",", "")
    if is_num(text) and plain.isascii() and plain.lstrip("+-").replace(".", "", 1).isdigit():
        return f'<c r="{_ref(row, col)}"><v>{plain.lstrip("+")}</v></c>'
    return f'<c r="{_ref(row, col)}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def render_xlsx(record: Record, rng: random.Random) -> bytes:
    """The whole report in one sheet: text in column A, the three tables with their merged cells merged."""
    rows: list[str] = []
    merges: list[str] = []
    r = 0
    for kind, part in outline(record, rng):
        if kind == "title":
            for line in part:
                rows.append(f'<row r="{r + 1}">{_cell(r, 0, line)}</row>')
                r += 1
        elif kind in ("h", "p"):  # the report's text in column A, each part a row, as pasted into Excel
            rows.append(f'<row r="{r + 1}">{_cell(r, 0, part)}</row>')
            r += 1
        elif kind == "table":
            for line in expand(part):
                cells = []
                for col, (cell, origin, _) in enumerate(line):
                    if not origin:
                        continue
                    cells.append(_cell(r, col, cell.text))
                    if cell.rowspan > 1 or cell.colspan > 1:
                        merges.append(
                            f'<mergeCell ref="{_ref(r, col)}:{_ref(r + cell.rowspan - 1, col + cell.colspan - 1)}"/>'
                        )
                rows.append(f'<row r="{r + 1}">{"".join(cells)}</row>')
                r += 1
    merged = f'<mergeCells count="{len(merges)}">{"".join(merges)}</mergeCells>' if merges else ""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>{"".join(rows)}</sheetData>{merged}</worksheet>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in _PARTS.items():
            z.writestr(name, xml)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()
