"""The five real seed reports parse to exactly their expected records, cell by cell."""

from __future__ import annotations

import json

import pytest

from parsers import parse_document
from tests.helpers import seed_paths
from tests.seedcheck import STAT_TABLES, differences

SEEDS = seed_paths()


def test_seeds_are_present():
    assert len(SEEDS) == 5, "../shared/seeds must sit beside the checkout"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_matches_expected(path):
    want = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got = parse_document(path).to_dict()
    assert differences(got, want) == []
    # every expected cell was compared: the tables have the same rows and columns
    for table in STAT_TABLES:
        assert {r: set(c) for r, c in got[table].items()} == {r: set(c) for r, c in want[table].items()}


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_sections_and_checks(path):
    got = parse_document(path).to_dict()
    assert set(got["sections"]) == {"1", "2", "3", "4", "5", "6"}
    assert got["sections"]["5"] and got["sections"]["6"]
    ids = {c["id"] for c in got["checks"]}
    assert "applications.balance.total" in ids and "review_litigation.total.review" in ids
    assert all(c["ok"] for c in got["checks"]), [c for c in got["checks"] if not c["ok"]]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_table_sections_keep_their_heading_not_the_tables(path):
    sections = parse_document(path).to_dict()["sections"]
    assert sections["4"].splitlines()[0].endswith("行政诉讼情况")
    assert "未经复议直接起诉" not in sections["4"] and "予以公开" not in sections["3"]


def test_seed_002_lacks_other_misc():
    path = next(p for p in SEEDS if p.name.startswith("002"))
    got = parse_document(path).to_dict()
    assert "other_misc" not in got["applications"]
    assert got["applications"]["other_overdue_fee"]["total"] == 0
