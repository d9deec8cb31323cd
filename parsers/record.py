"""The canonical record (docs/record.md, schema_version 1) as dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

Table = dict[str, dict[str, int | float | None]]


@dataclass
class Check:
    """One consistency check of the template: its id, outcome and the numbers behind it."""

    id: str
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ok": self.ok, "detail": self.detail}


@dataclass
class Record:
    """One report as data.

    Attributes:
        title, agency, year: metadata (None when not found).
        template: ``"2019"``, ``"2021"`` or None (free-form, years ≤ 2018).
        active_disclosure, applications, review_litigation: tables 2, 3, 4;
            absent rows are absent keys, blank cells are None.
        sections: section number ("1"–"6") → its heading line and text; in a template report
            sections 2–4 keep only their prose, the tables being data.
        checks: the template's checks.
        warnings: what could not be read with confidence, and why.
        format: the input format read (html, text, docx, pdf).
        agency_kind: county_government, government_office, department or township (from the agency's name).
        published: the publication date the document states (a portal page's 发布时间), ISO 8601.
    """

    title: str | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    active_disclosure: Table = field(default_factory=dict)
    applications: Table = field(default_factory=dict)
    review_litigation: Table = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str | None = None
    agency_kind: str | None = None
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as the canonical JSON object."""
        return {
            "schema_version": SCHEMA_VERSION,
            "title": self.title,
            "agency": self.agency,
            "agency_kind": self.agency_kind,
            "published": self.published,
            "year": self.year,
            "template": self.template,
            "format": self.format,
            "active_disclosure": self.active_disclosure,
            "applications": self.applications,
            "review_litigation": self.review_litigation,
            "sections": self.sections,
            "checks": [c.to_dict() for c in self.checks],
            "warnings": self.warnings,
        }
