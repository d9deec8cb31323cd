"""The template's own consistency checks (勾稽关系) and the prose against the tables, never used to repair.

Each check is ``{"id", "ok", "detail"}``; a check whose inputs are missing
(null or absent) is not reported rather than reported as failed. Checks of
the tables among themselves are named after their table
(``applications.balance.total``); checks of what the text states against
the tables start with ``prose.`` (``prose.new_received``, ``prose.fees``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import template as T
from .record import Check, Record

_EPS = 1e-6


def _sum(values: Iterable[float | int | None]) -> float | None:
    total = 0.0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


#: Kinds of check, by the start of their id: the tables among themselves, or the text against the tables.
PROSE_PREFIX = "prose."

#: The checks of a sum against a total, by family (the id without its row or column): how their detail
#: reads, the two sides' numbers in place of {left} and {right}.
SUM_CHECKS = {
    "applications.balance": "new_received + carried_over = {left}, total_processed + carried_forward = {right}",
    "applications.total": "sum of result rows = {left}, total_processed = {right}",
    "applications.row_sum": "natural_person + organisations = {left}, total = {right}",
    "review_litigation.total": "upheld + corrected + other + pending = {left}, total = {right}",
}


def check_ids() -> list[str]:
    """Every check id :func:`run_checks` can report, in a fixed order (the archive's codes for them)."""
    _, apps, review = T.layouts()
    columns = [c for c, _ in apps.columns]
    return [
        *(f"applications.balance.{c}" for c in columns),
        *(f"applications.total.{c}" for c in columns),
        *(f"applications.row_sum.{r}" for r, _ in apps.rows),
        *(f"review_litigation.total.{g}" for g, _ in review.rows),
        *(f"{PROSE_PREFIX}{name}" for name in (*T.PROSE_FIGURES, "fees")),
    ]


def _sum_check(family: str, key: str, left: float, right: float) -> Check:
    detail = SUM_CHECKS[family].format(left=_fmt(left), right=_fmt(right))
    return Check(f"{family}.{key}", abs(left - right) < _EPS, detail)


def check_kind(check_id: str) -> str:
    """``prose`` for a check of the text against the tables, else ``tables``.

    Args:
        check_id: a check's id (``applications.balance.total``, ``prose.fees``).
    """
    return "prose" if check_id.startswith(PROSE_PREFIX) else "tables"


def run_checks(record: Record) -> list[Check]:
    """All single-report checks of docs/record.md for one record.

    Args:
        record: a parsed record (its tables may be partly null).
    """
    checks: list[Check] = []
    apps = record.applications
    columns = sorted({c for row in apps.values() for c in row}, key=_column_order)
    results = [k for k in T.APPLICATION_RESULT_ROWS if k in apps]
    for col in columns:
        get = lambda key, col=col: apps.get(key, {}).get(col)
        if all(k in apps for k in ("new_received", "carried_over", "total_processed", "carried_forward")):
            left, right = (
                _sum([get("new_received"), get("carried_over")]),
                _sum([get("total_processed"), get("carried_forward")]),
            )
            if left is not None and right is not None:
                checks.append(_sum_check("applications.balance", col, left, right))
        if "total_processed" in apps and results:
            parts, total = _sum(get(k) for k in results), get("total_processed")
            if parts is not None and total is not None:
                checks.append(_sum_check("applications.total", col, parts, total))
    for key, row in apps.items():
        parts = _sum(row.get(c) for c in ("natural_person", *T.ORG_COLUMNS)) if "natural_person" in row else None
        total = row.get("total")
        if parts is not None and total is not None:
            checks.append(_sum_check("applications.row_sum", key, parts, total))
    for group, row in record.review_litigation.items():
        parts, total = _sum(row.get(c) for c in T.REVIEW_COLUMNS[:4]), row.get("total")
        if parts is not None and total is not None:
            checks.append(_sum_check("review_litigation.total", group, parts, total))
    return checks + prose_checks(record)


def prose_checks(record: Record) -> list[Check]:
    """The figures the text states (收到申请…件, 行政复议…件, fees charged) against the tables.

    Only the first statement of each figure counts: later ones are often about a part (其中…).

    Args:
        record: a parsed record with its sections and tables.
    """
    text = re.sub(r"\s+", "", "\n".join(record.sections.values()))
    tables = {"applications": record.applications, "review_litigation": record.review_litigation}
    checks: list[Check] = []
    for name, (pattern, alternatives) in T.PROSE_FIGURES.items():
        found = pattern.search(text)
        if not found:
            continue
        stated = int(found.group("n"))
        sums = [_sum(tables[t].get(row, {}).get(col) for t, row, col in cells) for cells in alternatives]
        if sums[0] is None:
            continue
        checks.append(
            Check(
                f"{PROSE_PREFIX}{name}",
                any(s is not None and abs(s - stated) < _EPS for s in sums),
                f"the text says {found.group(0)!r}; the table has {' or '.join(dict.fromkeys(_fmt(s) for s in sums if s is not None))}",
            )
        )
    fee_check = _fee_check(record)
    if fee_check:
        checks.append(fee_check)
    return checks


def _column_order(col: str) -> int:
    order = (*T.APPLICATION_COLUMNS[:-1], T.SUBTOTAL_COLUMN, "total")
    return order.index(col) if col in order else len(order)


def fees_charged(text: str) -> bool:
    """Section 6 says fees were charged: an amount above zero, or a mention that does not say none.

    Args:
        text: the section's text.
    """
    flat = re.sub(r"\s+", "", text)
    amounts = [float(m.group("amount")) for m in T.FEE_AMOUNT.finditer(flat)]
    if amounts:
        return any(a > 0 for a in amounts)
    return bool(T.FEE_MENTION.search(flat)) and not T.NO_FEE.search(flat)


def _fee_check(record: Record) -> Check | None:
    """Section 6 mentions fees charged ⇔ the table reports applications closed for unpaid fees."""
    text = record.sections.get("6")
    fee_row = record.applications.get("other_overdue_fee", {}).get("total")
    if text is None or fee_row is None:
        return None
    mentions = fees_charged(text)
    reported = fee_row > 0
    return Check(
        f"{PROSE_PREFIX}fees",
        mentions or not reported,
        f"section 6 {'mentions' if mentions else 'does not mention'} fees charged; "
        f"{_fmt(fee_row)} applications closed for unpaid fees",
    )
