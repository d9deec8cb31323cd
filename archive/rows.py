"""A record's statistical tables, checks and sections as the archive stores them: values and check results
keyed by the small codes of the template (archive/schema.py holds the labels once), sections as spans of
the report's body."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
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


# --- revisions ------------------------------------------------------------------------------------------

#: How a revision's summary names each statistical table.
TABLE_NAMES = {"active_disclosure": "表二", "applications": "表三", "review_litigation": "表四"}
#: Changed cells a summary names; the rest are counted.
SUMMARY_CELLS = 3
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.、])+")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class DocumentVersion:
    """One body a report's document had: where, which body, when it was first fetched."""

    role: str
    url: str
    sha256: str
    fetched: str | None


def revision_rows(
    report_id: int,
    versions: Iterable[DocumentVersion],
    records: Mapping[str, dict[str, Any] | None],
    reasons: Mapping[str, str | None],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The revisions of a report's documents and the cells they changed: each document's versions in the
    order they were first fetched, each one against the one before.

    Cells are compared only when both versions were read with the template's tables: a version whose
    parse failed is a failed parse, never "every value removed".

    Args:
        report_id: the report.
        versions: every version of every document of the report.
        records: each body's record (None: its parse failed).
        reasons: each failed body's reason (``broken``, ``timeout``, …).
    """
    documents: dict[tuple[str, str], list[DocumentVersion]] = {}
    for v in versions:
        documents.setdefault((v.role, v.url), []).append(v)
    revisions: list[dict[str, Any]] = []
    cells: list[dict[str, Any]] = []
    for (role, url), found in documents.items():
        ordered = sorted(found, key=lambda v: (v.fetched or "", v.sha256))
        for old, new in itertools.pairwise(ordered):
            before, after = records.get(old.sha256), records.get(new.sha256)
            changed = _changed_cells(before, after) if _has_tables(before) and _has_tables(after) else None
            prose = _text(before) != _text(after) if before and after else None
            revisions.append(
                {
                    "report_id": report_id,
                    "url": url,
                    "role": role,
                    "old_sha256": old.sha256,
                    "new_sha256": new.sha256,
                    "old_fetched": old.fetched,
                    "new_fetched": new.fetched,
                    "old_status": _status(before, reasons.get(old.sha256)),
                    "new_status": _status(after, reasons.get(new.sha256)),
                    "cells_changed": None if changed is None else len(changed),
                    "prose_changed": None if prose is None else int(prose),
                    "old_failed_checks": _failed_checks(before),
                    "new_failed_checks": _failed_checks(after),
                    "summary": _summary(changed, prose, before, after, reasons.get(new.sha256)),
                }
            )
            cells += (
                {
                    "report_id": report_id,
                    "url": url,
                    "new_sha256": new.sha256,
                    "table_name": table,
                    "row_key": row,
                    "column_key": column,
                    "old_value": was,
                    "new_value": now,
                }
                for table, row, column, was, now in changed or ()
            )
    return revisions, cells


def _has_tables(record: dict[str, Any] | None) -> bool:
    return bool(record and record.get("template"))


def _status(record: dict[str, Any] | None, reason: str | None) -> str:
    if record is None:
        return f"failed ({reason or 'unknown'})"
    return "ok" if record.get("template") else "no tables"


def _failed_checks(record: dict[str, Any] | None) -> int | None:
    return None if record is None else sum(not c["ok"] for c in record.get("checks", []))


def _text(record: dict[str, Any] | None) -> str:
    """The record's prose, white space aside (a re-wrapped line is no change)."""
    return _WHITESPACE.sub("", body_text((record or {}).get("sections", {})))


def _changed_cells(before: Any, after: Any) -> list[tuple[str, str, str, Any, Any]]:
    """(table, row, column, old, new) for each cell whose value differs, in the template's order."""
    out = []
    for table in schema.STAT_TABLES:
        layout = schema.LAYOUTS[table]
        old, new = before.get(table) or {}, after.get(table) or {}
        for row, _ in layout.rows:
            for column, _ in layout.columns:
                was, now = old.get(row, {}).get(column), new.get(row, {}).get(column)
                if was != now:
                    out.append((table, row, column, was, now))
    return out


def cell_name(table: str, row: str, column: str) -> str:
    """A cell as people name it: 表三 本年新收政府信息公开申请数量 总计."""
    layout = schema.LAYOUTS[table]
    return f"{TABLE_NAMES[table]} {_NUMBERING.sub('', layout.row_label(row))} {layout.column_label(column)}"


def number(value: Any) -> str:
    """A cell's value as printed; a blank or unread cell as —."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.12g}"


def _summary(
    changed: list[tuple[str, str, str, Any, Any]] | None,
    prose: bool | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
) -> str:
    if after is None:
        return f"新版本无法解析 the new version could not be read ({reason or 'unknown'})"
    if before is None:
        return "旧版本无法解析 the earlier version could not be read"
    if changed:
        named = [f"{cell_name(t, r, c)} {number(was)} → {number(now)}" for t, r, c, was, now in changed]
        more = len(named) - SUMMARY_CELLS
        return "; ".join(named[:SUMMARY_CELLS]) + (f"; and {more} more cells" if more > 0 else "")
    if changed is None:
        return "表格无法比较 the tables of one version were not read" + ("; 正文修改 text changed" if prose else "")
    return "正文修改 text changed, numbers unchanged" if prose else "数字与正文未变 numbers and text unchanged"
