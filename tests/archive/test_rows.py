"""A record's tables and checks as the archive stores them (archive/rows.py): nothing lost on the way."""

from __future__ import annotations

from typing import Any

from archive import schema
from archive.rows import check_rows, value_rows
from parsers.checks import SUM_CHECKS
from tests.helpers import seed_records


def _cells_back(table: str, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    layout = schema.LAYOUTS[table]
    return {
        layout.rows[r["row_code"]][0]: {c: r[c] for i, (c, _) in enumerate(layout.columns) if r["present"] >> i & 1}
        for r in rows
    }


def test_every_cell_of_the_seed_reports_is_kept(caplog):
    records = seed_records()
    assert records
    for record in records:
        for table in schema.STAT_TABLES:
            cells = record.get(table, {})
            assert _cells_back(table, list(value_rows(1, table, cells))) == cells, (record.get("title"), table)
    assert "has no cell" not in caplog.text


def test_a_cell_outside_the_template_is_logged_not_guessed(caplog):
    rows = list(value_rows(7, "applications", {"granted": {"total": 3, "bogus": 1}, "no_such_row": {"total": 2}}))
    assert _cells_back("applications", rows) == {"granted": {"total": 3}}
    assert "no_such_row" in caplog.text and "bogus" in caplog.text


def test_checks_come_back_as_written():
    checks = [
        {
            "id": "applications.balance.total",
            "ok": True,
            "detail": SUM_CHECKS["applications.balance"].format(left=27, right=27),
        },
        {
            "id": "applications.row_sum.granted",
            "ok": False,
            "detail": SUM_CHECKS["applications.row_sum"].format(left=-3, right=5),
        },
        # decimals (fees) and free text keep their detail as written
        {
            "id": "applications.total.total",
            "ok": False,
            "detail": SUM_CHECKS["applications.total"].format(left=1.5, right=2),
        },
        {"id": "prose.fees", "ok": True, "detail": "section 6 does not mention fees charged; 0 applications closed"},
        {"id": "another.parser.check", "ok": True, "detail": "x = 1"},
    ]
    rows = list(check_rows(9, checks))
    assert [(r["left"], r["right"], r["detail"] is None) for r in rows[:2]] == [(27, 27, True), (-3, 5, True)]
    assert [r["detail"] for r in rows[2:]] == [c["detail"] for c in checks[2:]]
    assert rows[4]["check_code"] >= 1_000_000
    assert len({r["check_code"] for r in rows}) == len(rows)
