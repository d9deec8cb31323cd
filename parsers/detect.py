"""Telling a document's format from its bytes (magic numbers, markup), not its name."""

from __future__ import annotations

import io
import re
import zipfile

HTML = "html"
TEXT = "text"
DOCX = "docx"
PDF = "pdf"
#: GB/T 33190 fixed-layout documents (a ZIP of XML pages).
OFD = "ofd"
#: Workbooks, read with python-calamine (WPS ET files are XLS inside).
XLS, XLSX, ODS = "xls", "xlsx", "ods"
SHEETS = frozenset({XLS, XLSX, ODS})
#: Word 97 (and WPS, often a Word 97 file inside), RTF, ODT: converted to DOCX by LibreOffice.
DOC, RTF, ODT = "doc", "rtf", "odt"
LEGACY = frozenset({DOC, RTF, ODT})
#: A page image (PNG, JPEG, TIFF, BMP, GIF, WebP): a scanned report, read by OCR.
IMAGE = "image"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE2 compound file's directory (UTF-16LE): Word's and Excel's (BIFF8 "Workbook",
# BIFF5 "Book"; WPS ET writes the same).
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_SHEET_STREAMS = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
_ODF_MIME = {
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.text": ODT,
}

# Not <br>: PDF-to-markdown text writes it inside pipe-table cells, and is text all the same.
_HTML_HINT = re.compile(rb"<(!doctype\s+html|html|head|body|table|div|p|meta|title|span)[\s>/]", re.I)
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)

#: A ZIP-based document (DOCX) may hold this much once unpacked, in all: a long report is a few MB
#: of XML and images; a "zip bomb" of 4 MB unpacks to gigabytes.
MAX_UNZIPPED = 256 * 1024 * 1024
#: …and this many parts (a DOCX has a dozen or two), each XML part at most this much (a long report's
#: document.xml is 1–3 MB; parsed, XML takes tens of times its size in memory).
MAX_ZIP_MEMBERS = 2000
MAX_XML_PART = 16 * 1024 * 1024


class UnsupportedFormat(ValueError):
    """The input is not a document this parser reads (yet); the message says what it is."""


class TooLarge(ValueError):
    """The input would unpack to more than the parser allows."""


def sniff(data: bytes, content_type: str | None = None, name: str | None = None) -> str:
    """Return the format of a document: ``html``, ``text``, ``docx``, ``pdf``, ``ofd``, ``image``, one of
    :data:`LEGACY` or one of :data:`SHEETS`.

    Args:
        data: the whole document.
        content_type: an HTTP Content-Type, used only when the bytes do not tell.
        name: file name or URL, used only when the bytes do not tell.

    Raises:
        UnsupportedFormat: for empty input, archives and binary
            data, with a reason a user can act on.
        TooLarge: a ZIP container that unpacks beyond :data:`MAX_UNZIPPED`.
    """
    if not data.strip():
        raise UnsupportedFormat("empty file")
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE):
        return _ole_kind(data)
    if data.startswith(_IMAGE_MAGIC):
        return IMAGE
    if data.startswith(b"{\\rtf"):
        return RTF
    sample = data[:65536]
    if _looks_binary(sample):
        raise UnsupportedFormat("binary data, not a document")
    if _HTML_HINT.search(sample[:8192]) or (content_type or "").lower().startswith(("text/html", "application/xhtml")):
        return HTML
    return TEXT


def _zip_kind(data: bytes) -> str:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnsupportedFormat(f"broken ZIP container: {exc}") from None
    # The sizes are those the container declares; Python's zipfile never unpacks a part beyond its
    # declared size, so checking them bounds what any reader of this container can be made to unpack.
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNZIPPED or len(infos) > MAX_ZIP_MEMBERS:
        raise TooLarge(
            f"ZIP container unpacks to {unpacked:,} bytes in {len(infos)} parts "
            f"(limit {MAX_UNZIPPED:,} bytes, {MAX_ZIP_MEMBERS} parts)"
        )
    for i in infos:
        if i.filename.endswith((".xml", ".rels")) and i.file_size > MAX_XML_PART:
            raise TooLarge(f"ZIP part {i.filename} unpacks to {i.file_size:,} bytes (limit {MAX_XML_PART:,})")
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "OFD.xml" in names:
        return OFD
    if "mimetype" in names:
        mime = zipfile.ZipFile(io.BytesIO(data)).read("mimetype")[:100].strip()
        if mime in _ODF_MIME:
            return _ODF_MIME[mime]
    raise UnsupportedFormat("ZIP archive, not a DOCX, XLSX, OFD or OpenDocument document")


def _ole_kind(data: bytes) -> str:
    if any(name in data for name in _SHEET_STREAMS):
        return XLS
    if _WORD_STREAM in data:
        return DOC
    raise UnsupportedFormat("OLE2 file that is neither a Word/WPS document nor a workbook")


def _looks_binary(sample: bytes) -> bool:
    """NUL bytes or many control bytes mean binary, in any of the encodings we read."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NULs
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * 0.01
