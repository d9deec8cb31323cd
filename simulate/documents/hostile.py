"""Documents made to hurt a parser: the bad-file set of the tests and the hostile portal.

Each copies a shape seen in the wild:

* a DOCX "zip bomb": a few MB that unpack to gigabytes (the classic
  overlapping-deflate attack on any ZIP reader; a DOCX is a ZIP);
* HTML nested 100,000 elements deep, which libxml2 silently cuts at 256
  levels (dgunning/edgartools#1114: 10% of a real filing lost without an
  error; Unstructured-IO/unstructured#4306);
* an OLE2 file (Word 97 ``.doc``) whose header is followed by garbage;
* a 2,000-page scan: every page one image and no text layer;
* a workbook of two cells, A1 and XFD1048576, which a reader that lays the
  sheet out as a grid must make 17 billion cells of.
"""

from __future__ import annotations

import html
import io
import random
import zipfile

from .html import render_html
from .records import Record

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
    'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def zip_bomb_docx(unpacked: int = 300 * 1024 * 1024) -> bytes:
    """A DOCX whose ``word/document.xml`` unpacks to ``unpacked`` bytes of empty paragraphs (~1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _DOCX_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<w:document xmlns:w="{_W}"><w:body>'.encode())
            chunk = b"<w:p/>" * (1 << 18)
            for _ in range(unpacked // len(chunk)):
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")
    return buf.getvalue()


def deep_html(record: Record, rng: random.Random, depth: int = 100_000) -> bytes:
    """A report page whose body sits ``depth`` ``<div>`` elements deep."""
    page = render_html(record, rng, encoding="utf-8").decode("utf-8")
    head, rest = page.split("<body>", 1) if "<body>" in page else ("<html>", page)
    body = rest.rsplit("</body>", 1)[0]
    return f"{head}<body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>".encode()


def corrupt_ole(rng: random.Random, size: int = 64 * 1024) -> bytes:
    """An OLE2 compound file header (as Word 97 writes) followed by random bytes."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(size)


def scanned_pdf(pages: int = 2000, title: str = "某县2023年政府信息公开工作年度报告") -> bytes:
    """A PDF of ``pages`` scanned pages: each page shows one image (the same image object), no text layer."""
    import pymupdf

    sheet = pymupdf.open()
    page = sheet.new_page(width=595, height=842)
    page.insert_text((72, 100), html.unescape(title), fontname="china-s", fontsize=14)
    page.draw_rect(pymupdf.Rect(72, 140, 523, 700))
    png = page.get_pixmap(dpi=50).tobytes("png")
    doc = pymupdf.open()
    xref = 0
    for _ in range(pages):
        p = doc.new_page(width=595, height=842)
        xref = p.insert_image(p.rect, stream=png) if not xref else p.insert_image(p.rect, xref=xref)
    return doc.tobytes(garbage=1, deflate=True)


def sheet_bomb_xlsx() -> bytes:
    """An XLSX whose only sheet has a cell at A1 and one at XFD1048576 (Excel's last)."""
    from .xlsx import _NS, _PARTS

    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in _PARTS.items():
            z.writestr(name, xml)
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{_NS}"><sheetData>{rows}</sheetData></worksheet>')
    return buf.getvalue()
