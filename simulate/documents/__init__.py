"""Generate realistic report documents from a record, in every format the parser reads.

A record (the canonical JSON, as in shared/seeds/*.expected.json) is laid out
as the official template's three tables, with merged cells (``grid``), and
rendered as plain text (one cell per line, or tab rows, with drifting labels),
HTML (Word pasted with <p><span>, rowspan/colspan, &nbsp;, <br>, UTF-8 or GBK),
DOCX (merged cells) or PDF (ruled or unruled tables drawn with a CJK font, page
breaks inside tables, running headers and page numbers) or XLSX (the
tables in a sheet, merges as Excel merges) or OFD (the PDF re-laid as
positioned text and paths), one module per renderer; DOC,
RTF, XLS and ODS are those files saved by LibreOffice (``parsers.convert``). ``random_record`` varies the numbers, blanks, missing rows, totals
and template so that tests are not tuned to the seeds. The portal farm
(``simulate.portals``) renders its report bodies and attachments with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .docx import render_docx
from .html import render_html
from .ofd import render_ofd
from .pdf import render_pdf
from .records import AGENCIES, Record, balance, random_record, vary, zeros_blank
from .text import render_text
from .xlsx import render_xlsx

RENDERERS = {
    "text": render_text,
    "html": render_html,
    "docx": render_docx,
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "ofd": render_ofd,
}


#: The record's statistical tables (the three of the template).
STAT_TABLES = ("active_disclosure", "applications", "review_litigation")


def _cells(got: Record, want: Record) -> Iterator[tuple[str, Any, Any]]:
    """Each cell of the truth: ``(table.row.column, read, printed)``."""
    for table in STAT_TABLES:
        for row, columns in want.get(table, {}).items():
            for column, value in columns.items():
                yield f"{table}.{row}.{column}", (got.get(table) or {}).get(row, {}).get(column), value


def score(got: Record, want: Record) -> tuple[int, int, int]:
    """(cells in the truth, read exactly, read as another number): a null is neither exact nor wrong.

    Args:
        got: the parsed record; want: the record the document was drawn from (:func:`expected`).
    """
    cells = list(_cells(got, want))
    return len(cells), sum(read == value for _, read, value in cells), len(wrong_cells(got, want))


def wrong_cells(got: Record, want: Record) -> list[str]:
    """The cells :func:`score` counts as wrong, as ``table.row.column: read …, printed …``."""
    return [
        f"{at}: read {read!r}, printed {value!r}" for at, read, value in _cells(got, want) if read not in (None, value)
    ]


def expected(record: Record) -> Record:
    """The record a parser must produce from a rendered document (render-only fields dropped)."""
    return {k: v for k, v in record.items() if k != "short_name"}


__all__ = [
    "AGENCIES",
    "RENDERERS",
    "Record",
    "balance",
    "expected",
    "random_record",
    "render_docx",
    "render_html",
    "render_ofd",
    "render_pdf",
    "render_text",
    "render_xlsx",
    "vary",
    "wrong_cells",
    "zeros_blank",
]
