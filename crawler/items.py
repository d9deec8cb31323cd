"""What the spider yields: one item per report page found."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReportItem:
    """A report found on a portal.

    Attributes:
        url: the report page (or the file itself when a column links straight to a PDF/DOC).
        adcode: the government's 6-digit GB/T 2260 code (the seed row it was found from).
        title: the report title as listed.
        year: the year the report covers, from the title.
        column_url: the list page it was found on.
        files: (URL, link text) of every attachment.
        listed_date: the date the column's list prints beside the report (its publication date, as the
            portal states it), ISO 8601, or None.
    """

    url: str
    adcode: str | None
    title: str
    year: int | None
    column_url: str | None
    files: list[tuple[str, str]] = field(default_factory=list)
    listed_date: str | None = None
