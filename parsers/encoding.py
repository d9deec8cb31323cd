"""Decoding HTML and text bytes: declared charset, BOM, then detection.

Chinese portals declare GB2312 while sending GBK/GB18030 characters, or
declare nothing; GB2312 and GBK are decoded as GB18030 (their superset) and
a declaration that does not decode is overruled by charset-normalizer.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _codec(name: str) -> str | None:
    name = name.lower().strip()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset named by an HTTP content type, a ``<meta>`` or an XML declaration."""
    if content_type:
        m = _HTTP_CHARSET.search(content_type)
        if m and _codec(m.group(1)):
            return _codec(m.group(1))
    head = data[:4096]
    for pattern in (_META_CHARSET, _XML_DECL):
        found = pattern.search(head)
        if found and _codec(found.group(1).decode("ascii")):
            return _codec(found.group(1).decode("ascii"))
    return None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page or text file.

    Args:
        data: the raw bytes.
        content_type: an HTTP Content-Type value, whose charset is tried first.

    Returns:
        ``(text, encoding)``; the encoding is what was actually used.

    Raises:
        UnicodeError: when no encoding reads the bytes.
    """
    name: str | None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    tried = []
    declared = declared_charset(data, content_type)
    for name in (declared, "utf-8", "gb18030"):
        if not name or name in tried:
            continue
        tried.append(name)
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise UnicodeError("cannot tell the text encoding")
    return data.decode(best.encoding, errors="replace"), best.encoding
