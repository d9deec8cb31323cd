"""The value rules of docs/record.md for a single cell."""

from __future__ import annotations

import pytest

from parsers.values import normalise_label, read_cell


@pytest.mark.parametrize(
    "text, value",
    [
        ("0", 0),
        ("12", 12),
        ("829.9459", 829.9459),
        ("１２", 12),
        ("1,234", 1234),
        ("１，２３４", 1234),
        ("12件", 12),
        ("3 万元", 3),
        ("251000元", 251000),
        ("+2", 2),
        ("-3", -3),
        ("－３", -3),
        (" 7 ", 7),
    ],
)
def test_numbers(text, value):
    cell = read_cell(text)
    assert cell.kind == "number" and cell.value == value and type(cell.value) is type(value)


@pytest.mark.parametrize("text", ["", " ", "\u00a0", "/", "-", "—", "无", "——", "－"])
def test_blanks(text):
    assert read_cell(text).kind == "blank"


@pytest.mark.parametrize("text", ["总计", "1.属于国家秘密", "25 15", "3.", "2022年", "12 34件"])
def test_not_values(text):
    # "25 15" is two cells run together: reading it as 2515 would invent a number
    assert read_cell(text).kind == "text"


def test_normalise_label():
    assert normalise_label("(三) 不予公开 1. 属于 国家秘密") == "（三）不予公开1.属于国家秘密"
    assert normalise_label("危及“三安全一稳定”") == "危及三安全一稳定"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("\ufffd", "unreadable"),
        ("\ufffd件", "unreadable"),  # a number OCR could not read, with its unit
        ("12\ufffd", "unreadable"),
        # a header cell with a speck read as an unsure number in it (generated clean scan, seed 1001: table 4's
        # 其他结果 then counted as a sixteenth value, and the whole row was lost)
        ("\ufffd 其他结 果", "text"),
        ("\ufffd3、其他", "text"),  # a label with its neighbour's unreadable mark joined to it
    ],
)
def test_an_unreadable_mark_beside_a_label_s_words_is_a_label(text, kind):
    assert read_cell(text).kind == kind


def test_a_number_read_with_doubt_is_no_value_but_keeps_its_reading():
    from parsers.values import UNREADABLE_MARK, doubted

    assert read_cell(UNREADABLE_MARK + "17").kind == "unreadable" and doubted(UNREADABLE_MARK + "17") == 17
    assert doubted(UNREADABLE_MARK + "0件") == 0
    for text in ("17", UNREADABLE_MARK, UNREADABLE_MARK + "1.5", UNREADABLE_MARK + "-3", UNREADABLE_MARK + "07"):
        assert doubted(text) is None
    # a count has no point: read with one, its digits are read with doubt (a speck was the point)
    assert doubted("1.8件", count=True) == 18 and doubted("2.2", count=True) == 22 and doubted("1.8件") is None
    assert doubted("0.5", count=True) is None and doubted("-1.5", count=True) is None
    # nor a minus: the digits of -1 are read with doubt (a bar before them was a speck, or a rule)
    assert doubted("-1", count=True) == 1 and doubted("-0件", count=True) == 0 and doubted("-1") is None
