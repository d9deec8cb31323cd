"""The template's checks: computed per column and group, reported, never used to change a value."""

from __future__ import annotations

import random

from parsers import parse_document
from simulate import documents as docgen


def _record_with(mutate) -> tuple[dict, dict]:
    rng = random.Random(3)
    record = docgen.random_record(rng, template="2021")
    for row in record["applications"].values():
        for col in row:
            row[col] = 1 if row[col] is None else row[col]
    mutate(record)
    got = parse_document(docgen.render_docx(record, rng)).to_dict()
    return record, got


def test_broken_total_is_reported_not_repaired():
    def breaks(record):
        record["applications"]["new_received"]["total"] += 7

    record, got = _record_with(breaks)
    assert got["applications"]["new_received"]["total"] == record["applications"]["new_received"]["total"]
    checks = {c["id"]: c for c in got["checks"]}
    assert checks["applications.row_sum.new_received"]["ok"] is False
    assert "total =" in checks["applications.row_sum.new_received"]["detail"]
    assert checks["applications.balance.total"]["ok"] is False


def test_balance_and_totals_pass_on_consistent_tables():
    def consistent(record):
        for g in record["review_litigation"].values():
            g["total"] = sum(g[c] for c in ("upheld", "corrected", "other", "pending"))

    _, got = _record_with(consistent)
    review = [c for c in got["checks"] if c["id"].startswith("review_litigation.total.")]
    assert len(review) == 3 and all(c["ok"] for c in review)
    ids = {c["id"] for c in got["checks"]}
    for col in ("natural_person", "commercial", "total"):
        assert f"applications.balance.{col}" in ids and f"applications.total.{col}" in ids


def test_checks_skip_missing_inputs():
    def blank(record):
        record["review_litigation"]["review"]["total"] = None

    _, got = _record_with(blank)
    assert "review_litigation.total.review" not in {c["id"] for c in got["checks"]}
