"""Reading DOCX (Word 2007+) documents into a Layout.

python-docx opens the package; the body is then walked at the XML level so
that merged cells come out once (gridSpan) or as an empty cell (vMerge
continuation), exactly like HTML colspan/rowspan, instead of python-docx's
repeated cell objects.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from .layout import Layout

_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_SDT_CONTENT, _T, _TAB, _BR = qn("w:sdtContent"), qn("w:t"), qn("w:tab"), qn("w:br")
_TCPR, _VMERGE, _VAL = qn("w:tcPr"), qn("w:vMerge"), qn("w:val")


class DocxError(ValueError):
    """The file claims to be DOCX but cannot be opened."""


def read_docx(data: bytes) -> Layout:
    """Read a DOCX document.

    Args:
        data: the .docx bytes.

    Raises:
        DocxError: when the package is broken (not a zip, missing parts, bad XML).
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, python-docx and lxml each raise their own kinds
        raise DocxError(f"broken DOCX package: {type(exc).__name__}: {exc}") from None
    layout = Layout()
    title = document.core_properties.title
    if title:
        layout.title_hints.append(title)
    _walk(document.element.body, layout)
    return layout


def _walk(container, layout: Layout) -> None:
    for child in container.iterchildren():
        if child.tag == _P:
            layout.add_paragraph(_text(child))
        elif child.tag == _TBL:
            _table(child, layout)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                _walk(content, layout)


def _table(tbl, layout: Layout) -> None:
    rows = list(tbl.iterchildren(_TR))
    if all(len(tr.findall(_TC)) <= 1 for tr in rows):  # a box around text, not data
        for tr in rows:
            for tc in tr.iterchildren(_TC):
                _walk(tc, layout)
        return
    for tr in rows:
        cells = []
        for tc in tr.iterchildren(_TC):
            if tc.find(_TBL) is not None:  # a layout table: read what it holds as the document
                _walk(tc, layout)
                continue
            tcpr = tc.find(_TCPR)
            vmerge = tcpr.find(_VMERGE) if tcpr is not None else None
            if vmerge is not None and vmerge.get(_VAL) in (None, "continue"):
                cells.append("")  # the cell above continues here
            else:
                cells.append("\n".join(_text(p) for p in tc.iterchildren(_P)))
        layout.add_table_row(cells)


def _text(p) -> str:
    parts = []
    for el in p.iter(_T, _TAB, _BR):
        if el.tag == _T:
            parts.append(el.text or "")
        else:
            parts.append(" ")
    return "".join(parts)
