"""Reading PDFs with a text layer into a Layout (PyMuPDF): each page's positioned words and drawn rules
become rows (:mod:`parsers.ruling`); a PDF with no text layer is a scan (:mod:`parsers.ocrdoc`).
"""

from __future__ import annotations

import pymupdf

from .layout import Layout
from .ruling import Page, add_pages, add_segment, page_rows

MAX_PAGES = 200

pymupdf.TOOLS.mupdf_display_errors(False)


class PdfError(ValueError):
    """The PDF cannot be read."""


def read_pdf(data: bytes) -> Layout:
    """Read a PDF document.

    Args:
        data: the PDF bytes.

    Raises:
        PdfError: broken or encrypted file.
        ScanError: a scan (no text layer) with nothing readable on it.
    """
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises FileDataError, RuntimeError, ValueError
        raise PdfError(f"broken PDF: {exc}") from None
    with doc:
        if doc.needs_pass:
            raise PdfError("encrypted PDF")
        if doc.page_count == 0:
            raise PdfError("broken PDF: no pages")
        layout = Layout()
        title = (doc.metadata or {}).get("title")
        if title:
            layout.title_hints.append(title)
        if doc.page_count > MAX_PAGES:
            layout.warnings.append(f"only the first {MAX_PAGES} of {doc.page_count} pages read")
        pages = []
        for number in range(min(doc.page_count, MAX_PAGES)):
            try:
                pages.append(_read_page(doc[number]))
            except Exception as exc:  # a damaged page must not lose the others
                layout.warnings.append(f"page {number + 1} not readable: {exc}")
        if not any(items for items, _ in pages):
            from .ocrdoc import read_scanned_pdf  # no text layer: a scan

            scanned = read_scanned_pdf(doc)
            scanned.title_hints = layout.title_hints
            return scanned
        add_pages(layout, pages)
        return layout


def _read_page(page: pymupdf.Page) -> Page:
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for path in page.get_drawings():
        for item in path["items"]:
            if item[0] == "l":
                add_segment(item[1].x, item[1].y, item[2].x, item[2].y, horizontal, vertical)
            elif item[0] == "re":
                r = item[1]
                if r.width < 2 or r.height < 2:  # a rule drawn as a thin filled box
                    ym, xm = (r.y0 + r.y1) / 2, (r.x0 + r.x1) / 2
                    if r.height < 2:
                        add_segment(r.x0, ym, r.x1, ym, horizontal, vertical)
                    else:
                        add_segment(xm, r.y0, xm, r.y1, horizontal, vertical)
                else:
                    for a, b in ((r.tl, r.tr), (r.bl, r.br), (r.tl, r.bl), (r.tr, r.br)):
                        add_segment(a.x, a.y, b.x, b.y, horizontal, vertical)
    return page_rows(page.get_text("words", sort=True), horizontal, vertical, page.rect.height or 1.0)
