"""The template's checks: computed per column and group, reported, never used to change a value."""

from __future__ import annotations

import random

from parsers import parse_document
from simulate import documents as docgen
from tests.helpers import ROOT

SHARED = ROOT.parent / "shared"


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


# --- the prose against the tables (prose.*): real wording from shared/seeds and shared/real -------------


def _prose_checks(record: dict) -> dict[str, dict]:
    return {c["id"]: c for c in record["checks"] if c["id"].startswith("prose.")}


def test_prose_figures_of_a_real_report_agree_with_its_tables():
    """Huaian 2024: 全年共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度；
    行政复议351件、行政诉讼46件 (26 direct + 20 after review)."""
    got = parse_document(str(SHARED / "real" / "real_09_huaian_szf_2024_pdftext.txt")).to_dict()
    prose = _prose_checks(got)
    assert set(prose) == {
        "prose.new_received",
        "prose.total_processed",
        "prose.carried_forward",
        "prose.reviews",
        "prose.lawsuits",
        "prose.fees",
    }
    assert all(c["ok"] for c in prose.values()), prose
    assert "3119" in prose["prose.new_received"]["detail"]


def test_prose_that_disagrees_is_a_failed_check_and_the_table_keeps_its_value():
    text = (SHARED / "seeds" / "004_1b172d177b215316.txt").read_text(encoding="utf-8")
    assert "共收到依申请公开件数10件" in text and "行政复议1件" in text
    changed = text.replace("共收到依申请公开件数10件", "共收到依申请公开件数12件").replace("行政复议1件", "行政复议3件")
    got = parse_document(changed.encode()).to_dict()
    prose = _prose_checks(got)
    assert prose["prose.new_received"]["ok"] is False
    assert "12件" in prose["prose.new_received"]["detail"] and "10" in prose["prose.new_received"]["detail"]
    assert prose["prose.reviews"]["ok"] is False
    assert prose["prose.total_processed"]["ok"] is True  # 申请办结数10件 still agrees
    assert got["applications"]["new_received"]["total"] == 10
    assert got["review_litigation"]["review"]["total"] == 1


def test_received_may_include_the_requests_carried_over():
    from parsers.checks import prose_checks
    from parsers.record import Record

    record = Record(
        sections={"1": "一、总体情况\n全年共受理政府信息公开申请36件（含上年结转3件），无行政复议。"},
        applications={"new_received": {"total": 33}, "carried_over": {"total": 3}},
        review_litigation={"review": {"total": 0}},
    )
    checks = {c.id: c for c in prose_checks(record)}
    assert checks["prose.new_received"].ok
    assert "prose.reviews" not in checks  # "无行政复议" states no figure
    record.applications["carried_over"]["total"] = 1
    assert not {c.id: c for c in prose_checks(record)}["prose.new_received"].ok
