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
  sheet out as a grid must make 17 billion cells of;
* documents that link a URL every way LibreOffice follows one while it loads, load options or not
  (jodconverter/jodconverter#293: ``UpdateDocMode`` NO_UPDATE does not help; Stirling-Tools/Stirling-PDF#7628:
  ODF ``xlink:href``; Gotenberg's CVE-2026-55229: a DOCX external image relationship): a linked image, a
  linked OLE object, a DDE section, a linked section, ``INCLUDEPICTURE``/``INCLUDETEXT`` fields, and a
  Word 97 file saved from a linked-image document.
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


_ODF_NS = " ".join(
    f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}:1.0"'
    for prefix, name in (("office", "office"), ("text", "text"), ("draw", "drawing"), ("svg", "svg-compatible"))
)


def _odt(body: str) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS} '
        'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2"><office:body><office:text>'
        f"<text:p>某县2024年政府信息公开工作年度报告</text:p>{body}</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")  # first, stored
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def linked_documents(base: str) -> dict[str, tuple[str, bytes]]:
    """Documents that each link ``base`` + a path of their own (see the module's docstring).

    Returns:
        form → (file extension, bytes). The Word 97 forms are made by LibreOffice from ODT (so the caller
        needs it), the rest by hand.
    """
    from parsers.convert import convert

    def frame(element: str, path: str) -> str:
        return (
            f'<text:p><draw:frame svg:width="2cm" svg:height="2cm"><draw:{element} xlink:href="{base}{path}" '
            'xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>'
        )

    def field(instruction: str) -> bytes:
        return ("{\\rtf1\\ansi{\\field{\\*\\fldinst " + instruction + "}{\\fldrslt x}}}").encode()

    image, ole = _odt(frame("image", "/image.png")), _odt(frame("object", "/object.ods"))
    dde = (
        '<text:section text:name="S1"><office:dde-source office:dde-application="soffice" '
        f'office:dde-topic="{base}/dde.odt" office:dde-item="" office:automatic-update="true"/>'
        "<text:p>x</text:p></text:section>"
    )
    section = (
        f'<text:section text:name="S2"><text:section-source xlink:href="{base}/section.odt" xlink:type="simple" '
        'text:filter-name="writer8"/><text:p>x</text:p></text:section>'
    )
    return {
        "image (ODT)": (".odt", image),
        "OLE object (ODT)": (".odt", ole),
        "DDE section (ODT)": (".odt", _odt(dde)),
        "linked section (ODT)": (".odt", _odt(section)),
        "INCLUDEPICTURE field (RTF)": (".rtf", field(f'INCLUDEPICTURE "{base}/field.png" \\\\d')),
        "INCLUDETEXT field (RTF)": (".rtf", field(f'INCLUDETEXT "{base}/field.doc"')),
        "image (DOC)": (".doc", convert(image, ".odt", target="doc")),
        "OLE object (DOC)": (".doc", convert(ole, ".odt", target="doc")),
    }
