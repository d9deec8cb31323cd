"""The common shape every format is read into: rows of cells in reading order.

Format readers (HTML, text, DOCX, PDF) only turn their input into a
:class:`Layout`; everything after that (sections, tables, metadata, checks)
works on rows and never looks at the format again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .values import SIGN_UNREAD_MARK

#: Reports run to a few thousand lines; past this a file is not a report and
#: reading on would only cost time.
MAX_ROWS = 100_000

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009\u200b]+")


def clean(text: str) -> str:
    """Collapse white space (including &nbsp; and ideographic space) to single spaces."""
    return _WS.sub(" ", text).strip()


@dataclass
class Row:
    """One row in reading order.

    Attributes:
        cells: cell texts, white space collapsed; ``""`` is a cell printed empty.
        table: True when the cells come from a table structure (a table row,
            a tab-separated line, a block of one-cell lines, a PDF line with
            column gaps); False for a paragraph of prose.
        xs: horizontal centre of each cell when the format gives positions
            (PDF words), so that blank cells can be placed by column.
        ruled: the cells are bounded by the page's printed rules (a PDF, OFD
            or scan read between its ruling lines), not placed by position.
        joined: the row's values ran together in the text with no separator between cells
            (``21710000218`` for 217 · 1 · 0 · 0 · 0 · 0 · 218); spaces in them need not be cell borders.
        spans: left and right edge of each cell where the words' boxes give them (an unruled scan's header,
            商业企业科研机构… read as one box: where each heading in it stands).
    """

    cells: list[str]
    table: bool = False
    xs: list[float] | None = None
    ruled: bool = False
    joined: bool = False
    spans: list[tuple[float, float]] | None = None

    @property
    def text(self) -> str:
        """The row as one line of text, for headings, metadata and sections (without OCR's marks)."""
        return " ".join(c for c in self.cells if c).replace(SIGN_UNREAD_MARK, "")


@dataclass
class Layout:
    """A document read into rows.

    Attributes:
        rows: all paragraphs and table rows in reading order.
        title_hints: titles the container itself gives (HTML ``<title>`` and
            meta tags, DOCX/PDF document properties), best first.
        warnings: problems met while reading (they go into the record).
        published: the publication date the container states (a portal page's 发布时间), ISO 8601.
        scanned: the text was read by OCR (its digits may be misread, not only misplaced).
    """

    rows: list[Row] = field(default_factory=list)
    title_hints: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    published: str | None = None
    scanned: bool = False

    def add_paragraph(self, text: str) -> None:
        """Append a paragraph (one or more lines of prose) as one row per line."""
        for line in text.splitlines():
            line = clean(line)
            if line:
                self._append(Row([line]))

    def add_table_row(self, cells: list[str], xs: list[float] | None = None, joined: bool = False) -> None:
        """Append a table row; rows with no text at all are dropped.

        Args:
            cells: the cells' texts.
            xs: each cell's horizontal position, when the format gives one (a PDF's x, a sheet's column).
            joined: the values ran together with no separator (:attr:`Row.joined`).
        """
        cells = [clean(c) for c in cells]
        if any(cells):
            self._append(Row(cells, table=True, xs=xs, joined=joined))

    def _append(self, row: Row) -> None:
        if len(self.rows) < MAX_ROWS:
            self.rows.append(row)
        elif len(self.rows) == MAX_ROWS:
            self.rows.append(row)
            self.warnings.append(f"more than {MAX_ROWS} lines: the rest of the document is not read")

    @property
    def full(self) -> bool:
        """True once the row limit is reached (readers may stop early)."""
        return len(self.rows) > MAX_ROWS

    def lines(self) -> list[str]:
        """One text line per row (same indices as :attr:`rows`)."""
        return [r.text for r in self.rows]
