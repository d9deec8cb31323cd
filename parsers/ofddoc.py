"""Reading OFD (GB/T 33190, China's fixed-layout format) into a Layout.

An OFD file is a ZIP of XML parts: ``OFD.xml`` names the document root,
``Document.xml`` lists the pages and the page size, and each page's
``Content.xml`` holds positioned objects in millimetres — ``TextObject``
(a ``Boundary`` box, a font ``Size``, and ``TextCode`` runs with an ``X``/``Y``
start and per-glyph ``DeltaX`` advances, which may be compressed as
``g <count> <advance>``) and ``PathObject`` (``AbbreviatedData`` such as
``M 0 0 L 120 0``). The text layer becomes positioned words and the straight
paths become ruling lines, and the page is then read exactly as a PDF page
(``ruling.page_rows``). Objects with a transformation matrix (``CTM``) are
read at their boundary only.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

import lxml.etree

from .layout import Layout
from .pdfdoc import MAX_PAGES
from .ruling import Page, add_pages, add_segment, page_rows

#: Points per millimetre (OFD measures in mm; the layout rules were tuned in PDF points).
_PT = 72 / 25.4
_NUM = re.compile(r"-?\d+(?:\.\d+)?")
_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class OfdError(ValueError):
    """The OFD package is broken, or has no text layer."""


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _descendants(el: lxml.etree._Element, name: str) -> list[lxml.etree._Element]:
    return [c for c in el.iter() if _local(c.tag) == name]


def _box(text: str | None) -> tuple[float, float, float, float]:
    values = [float(v) for v in _NUM.findall(text or "")] + [0.0] * 4
    return values[0], values[1], values[2], values[3]


def _advances(spec: str | None, count: int, size: float) -> list[float]:
    """Per-glyph advances from ``DeltaX`` (``g 3 4.2`` repeats 4.2 three times); missing ones are ``size``."""
    out: list[float] = []
    tokens = (spec or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out += [float(tokens[i + 2])] * int(float(tokens[i + 1]))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return (out + [size] * count)[: max(count - 1, 0)]


def read_ofd(data: bytes) -> Layout:
    """Read an OFD document.

    Args:
        data: the .ofd bytes (the ZIP's sizes are checked by ``detect``).

    Raises:
        OfdError: missing parts, bad XML, or no text at all (a scan).
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        root = lxml.etree.fromstring(z.read("OFD.xml"), _PARSER)
        doc_path = next(c.text for c in _descendants(root, "DocRoot") if c.text).strip().lstrip("/")
        document = lxml.etree.fromstring(z.read(doc_path), _PARSER)
    except (KeyError, StopIteration, zipfile.BadZipFile, lxml.etree.XMLSyntaxError, AttributeError) as exc:
        raise OfdError(f"broken OFD package: {type(exc).__name__}: {exc}") from None
    base = posixpath.dirname(doc_path)
    default_box = next((_box(b.text) for b in _descendants(document, "PhysicalBox")), (0.0, 0.0, 210.0, 297.0))
    layout = Layout()
    pages_found = [p.get("BaseLoc") for p in _descendants(document, "Page") if p.get("BaseLoc")]
    if len(pages_found) > MAX_PAGES:
        layout.warnings.append(f"only the first {MAX_PAGES} of {len(pages_found)} pages read")
    pages: list[Page] = []
    for number, loc in enumerate(pages_found[:MAX_PAGES]):
        # BaseLoc is relative to Document.xml, or absolute from the package root
        path = loc[1:] if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc))
        try:
            content = lxml.etree.fromstring(z.read(path), _PARSER)
        except (KeyError, lxml.etree.XMLSyntaxError) as exc:
            layout.warnings.append(f"page {number + 1} not readable: {exc}")
            continue
        box = next((_box(b.text) for b in _descendants(content, "PhysicalBox")), default_box)
        pages.append(_page(content, box[3] * _PT))
    if not any(items for items, _ in pages):
        raise OfdError("OFD has no text layer (scanned?): OCR not supported yet")
    add_pages(layout, pages)
    return layout


def _page(content: lxml.etree._Element, height: float) -> Page:
    runs: list[tuple[float, float, float, float, str]] = []
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for obj in content.iter():
        kind = _local(obj.tag)
        if kind == "TextObject":
            bx, by, _, _ = _box(obj.get("Boundary"))
            size = float(obj.get("Size") or 3.5)
            for code in _descendants(obj, "TextCode"):
                text = code.text or ""
                if not text.strip():
                    continue
                x, y = bx + float(code.get("X") or 0), by + float(code.get("Y") or 0)
                width = sum(_advances(code.get("DeltaX"), len(text), size)) + size
                runs.append((x * _PT, (y - size) * _PT, (x + width) * _PT, (y + size * 0.2) * _PT, text))
        elif kind == "PathObject":
            bx, by, _, _ = _box(obj.get("Boundary"))
            data = next((d.text for d in _descendants(obj, "AbbreviatedData")), "") or ""
            _path(data, bx, by, horizontal, vertical)
    return page_rows(_words(runs), horizontal, vertical, height)


def _path(data: str, bx: float, by: float, horizontal: list, vertical: list) -> None:
    """Straight segments of an abbreviated path (M, L, and the four sides of a rectangle drawn with L)."""
    tokens = data.split()
    here: tuple[float, float] | None = None
    i = 0
    while i < len(tokens):
        op = tokens[i]
        if op in ("M", "L") and i + 2 < len(tokens):
            point = (bx + float(tokens[i + 1]), by + float(tokens[i + 2]))
            if op == "L" and here is not None:
                add_segment(here[0] * _PT, here[1] * _PT, point[0] * _PT, point[1] * _PT, horizontal, vertical)
            here = point
            i += 3
        else:
            i += 1


def _words(runs: list[tuple[float, float, float, float, str]]) -> list[tuple]:
    """Runs on one baseline that touch are one word (converters often write a glyph per TextCode);
    white space inside a run splits it, as PDF words are split."""
    runs.sort(key=lambda r: (round(r[3], 1), r[0]))
    merged: list[list] = []
    for x0, y0, x1, y1, text in runs:
        last = merged[-1] if merged else None
        size = y1 - y0
        if last and abs(last[3] - y1) < size * 0.2 and 0 <= x0 - last[2] < size * 0.15:
            last[2], last[4] = x1, last[4] + text
        else:
            merged.append([x0, y0, x1, y1, text])
    words: list[tuple] = []
    for x0, y0, x1, y1, text in merged:
        parts = text.split()
        step = (x1 - x0) / max(len(text), 1)
        pos = 0
        for part in parts:
            start = text.index(part, pos)
            pos = start + len(part)
            words.append((x0 + start * step, y0, x0 + pos * step, y1, part))
    return words
