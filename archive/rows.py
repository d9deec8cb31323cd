"""A record's statistical tables, checks and sections as the archive stores them: values and check results
keyed by the small codes of the template (archive/schema.py holds the labels once), sections as spans of
the report's body."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from parsers.checks import SUM_CHECKS

from . import schema

log = logging.getLogger(__name__)


def value_rows(report_id: int, table: str, cells: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One row per template row the record has: its values by column, and which columns it has.

    A row or column the template does not know cannot be stored; it is logged, not guessed.

    Args:
        report_id: the report.
        table: ``applications``, ``active_disclosure`` or ``review_litigation``.
        cells: the record's table, row key → column key → value (None: printed blank).
    """
    layout = schema.LAYOUTS[table]
    row_codes = {key: code for code, (key, _) in enumerate(layout.rows)}
    columns = [c for c, _ in layout.columns]
    for key, values in cells.items():
        unknown = set(values) - set(columns)
        if key not in row_codes or unknown:
            log.warning("report %s: %s has no cell %s %s in the template", report_id, table, key, sorted(unknown))
            if key not in row_codes:
                continue
        yield {
            "report_id": report_id,
            "row_code": row_codes[key],
            **{c: values.get(c) for c in columns},
            "present": sum(1 << i for i, c in enumerate(columns) if c in values),
        }


@cache
def _sides(family: str) -> re.Pattern[str]:
    number = r"(-?\d+)"
    pattern = re.escape(SUM_CHECKS[family])
    return re.compile(pattern.replace(re.escape("{left}"), number).replace(re.escape("{right}"), number))


def check_rows(report_id: int, checks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One row per check: a sum check as its two whole numbers when its format gives back its detail
    exactly, any other with its detail as written.

    Args:
        report_id: the report.
        checks: the record's checks (``id``, ``ok``, ``detail``).
    """
    for check in checks:
        detail, left, right = check["detail"], None, None
        family = check["id"].rsplit(".", 1)[0]
        found = _sides(family).fullmatch(detail) if family in SUM_CHECKS else None
        if found and SUM_CHECKS[family].format(left=found[1], right=found[2]) == detail:
            detail, left, right = None, int(found[1]), int(found[2])
        yield {
            "report_id": report_id,
            "check_code": schema.check_code(check["id"]),
            "ok": int(check["ok"]),
            "left": left,
            "right": right,
            "detail": detail,
        }


#: What joins a report's sections into its body.
SECTION_BREAK = "\n"


def body_text(sections: dict[str, str]) -> str:
    """A report's body: its sections' texts one after another."""
    return SECTION_BREAK.join(sections.values())


def section_rows(report_id: int, sections: dict[str, str]) -> list[dict[str, Any]]:
    """Where each section lies in the report's body (:func:`body_text`), as SQLite's substr counts: in
    characters, from 1."""
    spans, start = [], 1
    for number, text in sections.items():
        spans.append({"report_id": report_id, "number": number, "start": start, "length": len(text)})
        start += len(text) + len(SECTION_BREAK)
    return spans
