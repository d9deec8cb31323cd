"""OFD (GB/T 33190): the generated PDF re-laid as an OFD package, as print-to-OFD converters make it.

Each PDF word becomes a ``TextObject`` with one ``TextCode`` (glyph advances in
``DeltaX``, compressed as ``g <n> <advance>``) or one ``TextCode`` per
character (as some converters write), each ruling line a ``PathObject``;
coordinates in millimetres, y downwards, as in OFD.
"""

from __future__ import annotations

import io
import random
import zipfile
from xml.sax.saxutils import escape, quoteattr

from .pdf import render_pdf
from .records import Record

_NS = "http://www.ofdspec.org/2016"
_MM = 25.4 / 72


def _n(v: float) -> str:
    return f"{v * _MM:.3f}"


def _page_xml(page, glyphs: bool) -> str:  # a pymupdf.Page
    objects: list[str] = []
    oid = 1
    for x0, y0, x1, y1, text, *_ in page.get_text("words"):
        size = max(y1 - y0, 1.0) * 0.8
        advance = (x1 - x0 - size) / max(len(text) - 1, 1) if len(text) > 1 else 0.0
        box = f"{_n(x0)} {_n(y1 - size * 1.2)} {_n(x1 - x0)} {_n(size * 1.2)}"
        if glyphs:  # one TextCode per character, each at its own X
            codes = "".join(
                f'<ofd:TextCode X="{_n(i * advance)}" Y="{_n(size)}">{escape(ch)}</ofd:TextCode>'
                for i, ch in enumerate(text)
            )
        else:
            delta = f' DeltaX="g {len(text) - 1} {_n(advance)}"' if len(text) > 1 else ""
            codes = f'<ofd:TextCode X="0" Y="{_n(size)}"{delta}>{escape(text)}</ofd:TextCode>'
        objects.append(
            f'<ofd:TextObject ID="{oid}" Boundary="{box}" Font="1" Size="{_n(size)}">{codes}</ofd:TextObject>'
        )
        oid += 1
    for path in page.get_drawings():
        for item in path["items"]:
            if item[0] == "l":
                a, b = item[1], item[2]
                lines = [(a.x, a.y, b.x, b.y)]
            elif item[0] == "re":
                r = item[1]
                lines = [(r.x0, r.y0, r.x1, r.y0), (r.x0, r.y1, r.x1, r.y1), (r.x0, r.y0, r.x0, r.y1)]
                lines.append((r.x1, r.y0, r.x1, r.y1))
            else:
                continue
            for ax, ay, bx, by in lines:
                left, top = min(ax, bx), min(ay, by)
                data = f"M {_n(ax - left)} {_n(ay - top)} L {_n(bx - left)} {_n(by - top)}"
                box = quoteattr(f"{_n(left)} {_n(top)} {_n(abs(bx - ax))} {_n(abs(by - ay))}")
                objects.append(
                    f'<ofd:PathObject ID="{oid}" Boundary={box} Stroke="true">'
                    f"<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>"
                )
                oid += 1
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_NS}"><ofd:Content>'
        f'<ofd:Layer ID="0">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def render_ofd(record: Record, rng: random.Random, glyphs: bool | None = None) -> bytes:
    """The report as an OFD package: one ``Content.xml`` per page of the generated PDF.

    Args:
        record: the report.
        rng: the random source (layout choices).
        glyphs: one ``TextCode`` per character, as some converters write (default: chosen at random).
    """
    import pymupdf

    pdf = pymupdf.open(stream=render_pdf(record, rng), filetype="pdf")
    per_glyph = rng.random() < 0.5 if glyphs is None else glyphs
    width, height = pdf[0].rect.width, pdf[0].rect.height
    pages = "".join(f'<ofd:Page ID="{i + 100}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(pdf.page_count))
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_NS}"><ofd:CommonData>'
        f"<ofd:PageArea><ofd:PhysicalBox>0 0 {_n(width)} {_n(height)}</ofd:PhysicalBox></ofd:PageArea>"
        f"</ofd:CommonData><ofd:Pages>{pages}</ofd:Pages></ofd:Document>"
    )
    ofd = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_NS}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", ofd)
        z.writestr("Doc_0/Document.xml", document)
        for i in range(pdf.page_count):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", _page_xml(pdf[i], per_glyph))
    return buf.getvalue()
