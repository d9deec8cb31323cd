"""The template's types gate every value, whatever the reader: a count is a whole number, not negative
(本年增/减 may be negative), money may have decimals. A reading its column cannot hold is left null with a
warning — the misreadings measured on scans of real layouts were of this kind (336 → 3.36, 63 → -6.3)."""

from __future__ import annotations

import random

import pytest

from parsers import parse_document
from parsers.tables import typed
from parsers.values import SIGN_UNREAD_MARK, read_cell
from simulate import documents as docgen
from tests.seedcheck import differences


def test_a_count_is_a_whole_number_and_not_negative():
    values, refused = typed({"natural_person": 3.36, "commercial": -6, "research": 0, "total": 12})
    assert values == {"natural_person": None, "commercial": None, "research": 0, "total": 12}
    assert refused == ["natural_person 3.36 (a count is a whole number)", "commercial -6 (a count is not negative)"]
    # 本年增/减 has a sign; money has decimals (and is not negative)
    assert typed({"previous_year": 4, "change": -2, "decisions": 7}, "licensing")[1] == []
    assert typed({"amount_10k_yuan": 829.9459}, "fees") == ({"amount_10k_yuan": 829.9459}, [])
    assert typed({"amount_10k_yuan": -1.5}, "fees")[1] == ["amount_10k_yuan -1.5 (an amount is not negative)"]
    assert typed({"projects": 6, "amount": 25.1}, "centralized_procurement")[1] == []
    assert typed({"projects": 6.5, "amount": 25.1}, "centralized_procurement")[1] == [
        "projects 6.5 (a count is a whole number)"
    ]


def test_a_number_whose_sign_was_not_read_is_a_count_but_not_a_change():
    """OCR marks a number with a mark before it that may be a minus sign or a speck: a count is never
    negative, so it is the number; 本年增/减 cannot tell, so it is null (a 0 is 0 either way)."""
    cell = read_cell(SIGN_UNREAD_MARK + "3件")
    assert cell.kind == "number" and cell.value == 3
    values, refused = typed({"previous_year": cell.value, "change": cell.value, "decisions": 0}, "licensing")
    assert values == {"previous_year": 3, "change": None, "decisions": 0}
    assert type(values["previous_year"]) is int and refused == ["change 3 (a mark before it may be its minus sign)"]
    assert typed({"change": read_cell(SIGN_UNREAD_MARK + "0").value}, "licensing") == ({"change": 0}, [])


@pytest.mark.parametrize("fmt", list(docgen.RENDERERS))
def test_impossible_readings_are_null_in_every_reader(fmt):
    rng = random.Random(77)
    record = docgen.balance(docgen.random_record(rng, template="2019", damaged=False))
    apps, active = record["applications"], record["active_disclosure"]
    apps["granted"]["natural_person"] = 3.36  # a speck read as a point
    apps["carried_over"]["total"] = -6  # a speck read as a minus
    active["licensing"]["change"] = -3  # 本年增/减: a sign is allowed
    active["penalty"]["decisions"] = 118.9
    got = parse_document(docgen.RENDERERS[fmt](record, rng)).to_dict()
    assert got["applications"]["granted"]["natural_person"] is None
    assert got["applications"]["carried_over"]["total"] is None
    assert got["active_disclosure"]["penalty"]["decisions"] is None
    assert got["active_disclosure"]["licensing"]["change"] == -3
    said = " ".join(got["warnings"])
    for reading in ("natural_person 3.36", "total -6", "decisions 118.9"):
        assert reading in said, got["warnings"]
    # every other cell is read as printed
    want = docgen.expected(record)
    diff = differences(got, want)
    assert sorted(diff) == sorted(
        [
            "applications.granted.natural_person: got None, want 3.36",
            "applications.carried_over.total: got None, want -6",
            "active_disclosure.penalty.decisions: got None, want 118.9",
        ]
    )
