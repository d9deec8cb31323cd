"""The template's sums as a second witness for where a scanned value belongs, never for what it is.

On scans of real layouts a header grid that did not line up with the data grid put table 3's values
one column off (natural persons 64 read as 70, the row's total) and the rows were written although they
did not add up. Here a scanned row that breaks its sums is placed again only when exactly one placement
its readings allow adds up, else it is null with a warning; a text layer keeps its printed values (a
real report's own broken sum is data, shown by the checks)."""

from __future__ import annotations

from parsers import template as T
from parsers.layout import Row
from parsers.tables import header_centres, near, read_active, read_applications, read_review, review_centres
from parsers.values import UNREADABLE_MARK

HEADER = Row(["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"], table=True)


def _table3(*rows: tuple[str, list[str]], scanned: bool, ruled: bool = True):
    result = read_applications(
        [HEADER, *(Row([label, *cells], table=True, ruled=ruled) for label, cells in rows)], "2021", scanned=scanned
    )
    return result.values, result.warnings


def test_a_scanned_row_that_does_not_add_up_is_null_and_a_text_layer_keeps_it():
    rows = (
        ("一、本年新收政府信息公开申请数量", ["64", "0", "0", "0", "0", "6", "70"]),
        ("二、上年结转政府信息公开申请数量", ["27", "0", "0", "0", "0", "0", "0"]),  # one column off
    )
    values, warnings = _table3(*rows, scanned=True)
    assert values["new_received"] == {
        "natural_person": 64,
        "commercial": 0,
        "research": 0,
        "social_welfare": 0,
        "legal_service": 0,
        "other_org": 6,
        "total": 70,
    }
    assert set(values["carried_over"].values()) == {None}
    assert warnings == [
        "table 3 row carried_over: does not add up as read from the scan, left null: 27 | 0 | 0 | 0 | 0 | 0 | 0"
    ]
    values, warnings = _table3(*rows, scanned=False)
    assert values["carried_over"]["natural_person"] == 27 and warnings == []


def test_a_scanned_row_that_does_not_add_up_keeps_the_readings_its_columns_confirm():
    """Generated speckle scan at 150 dpi (seed 8101, tuning): 总计 read ``7 | 28 | 23 | 20 | 21 | 18 | 183``,
    73 printed. The row does not add up, so a reading of it is wrong; each column's results, all read, add
    up to the other six readings, and to 73, not 7, in 自然人: only that cell is null. No value is worked
    out from a sum: a reading is kept or left null."""
    results = {
        "granted": ["70", "28", "23", "20", "21", "18", "180"],
        "other_misc": ["3", "0", "0", "0", "0", "0", "3"],
    }
    printed = ["73", "28", "23", "20", "21", "18", "183"]
    rows = _full_table3(new_received=printed, **results, total_processed=["7", *printed[1:]])
    values, warnings = _table3(*rows, scanned=True)
    assert list(values["total_processed"].values()) == [None, 28, 23, 20, 21, 18, 183]
    assert (
        "table 3 row total_processed: does not add up as read from the scan, left null: 7 | 28 | 23 | 20 | 21 | 18 | 183"
        in (warnings)
    )
    # two rows wrong in one column: neither confirms the other there (the column has two unknowns)
    rows = _full_table3(
        new_received=printed,
        granted=["7", *results["granted"][1:]],
        **{"other_misc": results["other_misc"]},
        total_processed=["7", *printed[1:]],
    )
    values, _ = _table3(*rows, scanned=True)
    assert values["granted"]["natural_person"] is None and values["total_processed"]["natural_person"] is None
    assert values["granted"]["commercial"] == 28 and values["total_processed"]["total"] == 183
    # a text layer keeps what it prints
    values, _ = _table3(*_full_table3(total_processed=["7", *printed[1:]]), scanned=False)
    assert values["total_processed"]["natural_person"] == 7


def test_a_surplus_reading_is_left_out_only_when_one_placement_adds_up():
    # the "5." of 5.属于三类内部事务信息 cut off its label by a rule the scan showed: one placement adds up
    values, warnings = _table3(("5.属于三类内部事务信息", ["5", "64", "0", "0", "0", "6", "0", "70"]), scanned=True)
    assert list(values["denied_internal_affairs"].values()) == [64, 0, 0, 0, 6, 0, 70]
    assert "placed by the template's sums" in warnings[0]
    # two placements add up (64 + 6 = 70 either way): nothing is chosen
    values, warnings = _table3(("（一）予以公开", ["64", "6", "0", "0", "0", "0", "6", "70"]), scanned=True)
    assert set(values["granted"].values()) == {None}
    assert "left null" in warnings[0]
    # a text layer never drops a printed number to make a sum hold
    values, _ = _table3(("5.属于三类内部事务信息", ["5", "64", "0", "0", "0", "6", "0", "70"]), scanned=False)
    assert set(values["denied_internal_affairs"].values()) == {None}


def test_a_scanned_review_group_that_does_not_add_up_is_null():
    rows = [
        Row(["行政复议", "行政诉讼"], table=True),
        Row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3, table=True),
        Row(["1", "0", "0", "0", "1", "2", "0", "0", "0", "9", "0", "0", "0", "0", "0"], table=True, ruled=True),
    ]
    values = read_review(rows, scanned=True).values
    assert values["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert set(values["litigation_direct"].values()) == {None}  # 2 + 0 + 0 + 0 is not 9
    assert values["litigation_after_review"]["total"] == 0
    assert read_review(rows).values["litigation_direct"]["total"] == 9


def test_specks_in_a_scanned_review_header_are_not_its_first_values():
    """Generated speckle scan at 150 dpi (seed 8102, tuning): two specks among table 4's header words were
    read as numbers not read (``其他结 | � |  | 未经复议直接起诉``); taken for the first of the fifteen values,
    they made the row "1 values for 15 columns" and the table was lost."""
    data = ["0", "0", "2", "1", "3", "0", "0", "0", "0", "0", "0", "0", "0", "1", "1"]
    rows = [
        Row(["行政复议", "行政诉讼"], table=True),
        Row(["", "", "其他结", UNREADABLE_MARK, "", "未经复议直接起诉", "复议后起诉"], table=True),
        Row(["结果维", "结果纠正", "果", "结", "总计"] * 3, table=True),
        Row(data, table=True, ruled=True),
    ]
    values = read_review(rows, scanned=True).values
    assert values["review"] == {"upheld": 0, "corrected": 0, "other": 2, "pending": 1, "total": 3}
    assert values["litigation_after_review"]["total"] == 1
    # a row of header words with a value in it is no header: a mark there still counts
    rows[1] = Row(["", "", "其他结", UNREADABLE_MARK, "", "", ""], table=True)
    assert read_review(rows, scanned=True).values["review"]["total"] is None
    # the column words wrapped in narrow cells, with a speck among them (generated speckle scan, seed 14003,
    # clean: the table was lost, "1 values for 15 columns")
    wrapped = [
        Row(["行政复议", "行政诉讼"], table=True),
        Row(["", UNREADABLE_MARK + "1", "", "", "", "未经复议直接起诉", "复议后起诉"], table=True),
        Row(
            ["结果维", "结果纠", "其他结", "尚未审", "总计", UNREADABLE_MARK, "结果纠", "其他结", "尚未审"], table=True
        ),
        Row(
            ["持", "正", "果", "结", "", "持", "正", UNREADABLE_MARK, "结", "总计", "持", "正", "果", "结"], table=True
        ),
        Row(data, table=True, ruled=True),
    ]
    assert read_review(wrapped, scanned=True).values["review"]["total"] == 3


def test_a_scanned_review_row_of_fifteen_cells_keeps_its_blank_first_cell():
    """Generated speckle scan at 150 dpi (seed 8105, tuning): table 4's first value, a thin 1, was not read
    and its cell came out blank; dropped as the blank label cells before a row's values are, it moved
    every value one column left, and the fifteen were left null. A row of fifteen cells is the table's."""
    header = [
        Row(["行政复议", "行政诉讼"], table=True),
        Row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3, table=True),
    ]
    data = ["", "0", "0", "0", "1", "0", "0", "0", UNREADABLE_MARK, "0", "0", "0", "", "0", "1"]
    values = read_review([*header, Row(data, table=True, ruled=True)], scanned=True).values
    assert values["review"] == {"upheld": None, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert values["litigation_after_review"] == {"upheld": 0, "corrected": 0, "other": None, "pending": 0, "total": 1}
    # a label cell before the values is still no value
    whole = ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "1", "0", "1"]
    values = read_review([*header, Row(["", *whole], table=True, ruled=True)], scanned=True).values
    assert values["review"]["upheld"] == 1 and values["litigation_after_review"]["other"] == 1


def test_a_scanned_row_with_a_gap_is_null_when_its_parts_already_exceed_its_total():
    # a count is never negative: a total of 0 beside a part of 6 is a misreading, gap or no gap
    row = (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ["0", "6", UNREADABLE_MARK, "", "0", "0", "0"],
    )
    values, warnings = _table3(row, scanned=True)
    assert set(values["other_overdue_fee"].values()) == {None}
    assert any("parts exceed the total" in w for w in warnings)
    values, _ = _table3(row, scanned=False)
    assert values["other_overdue_fee"]["commercial"] == 6
    # parts within their total stand, with the unreadable cell null
    values, _ = _table3(
        (
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ["0", "6", UNREADABLE_MARK, "", "0", "0", "9"],
        ),
        scanned=True,
    )
    assert values["other_overdue_fee"]["commercial"] == 6 and values["other_overdue_fee"]["research"] is None


def test_a_scanned_row_placed_by_position_alone_must_add_up():
    """An unruled scan: readings go to columns by their x alone. Letter-spaced 23 read as 3 and 121 as
    nothing (seen on an unruled scan) left a row whose placement nothing confirmed."""
    xs = [100.0, 150.0, 200.0, 250.0, 300.0, 350.0, 400.0]
    full = Row(["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "1", "0", "6"], table=True, xs=[10.0, *xs])
    short = Row(["（七）总计", "40", "21", "35", "3", "41", "281"], table=True, xs=[10.0, *xs[1:]])
    rows = [HEADER, full, short]
    scanned = read_applications(rows, "2021", scanned=True)
    assert scanned.values["new_received"]["total"] == 6
    assert set(scanned.values["total_processed"].values()) == {None}
    assert any("unruled scan and its sums cannot confirm it" in w for w in scanned.warnings)
    text_layer = read_applications(rows, "2021").values["total_processed"]
    assert text_layer["natural_person"] is None and text_layer["commercial"] == 40


def test_an_unruled_row_printed_with_blanks_stands_where_its_columns_and_total_witness_it():
    """上海市人民政府办公厅's 2019 report prints a blank for none (135 of its 198 cells; tests/parsers/pages):
    printed unruled, a row of table 3 is a few readings, none whole, and every such row was null
    (bench/scan_ocr.py --unruled --blank-zeros, seed 27000, tuned on: 106 of 198 cells). A row whose every
    reading stands where a column of its own stands (the table's full rows place the columns) prints the
    others blank: it stands when its sums hold with the blanks as none, its total read to witness them."""
    xs = [100.0, 150.0, 200.0, 250.0, 300.0, 350.0, 400.0]

    def read(*cells: tuple[str, float]) -> tuple[dict, list[str]]:
        full = Row(["一、本年新收政府信息公开申请数量", "5", "3", "2", "1", "1", "1", "13"], table=True, xs=[10.0, *xs])
        row = Row(
            ["二、上年结转政府信息公开申请数量", *(c for c, _ in cells)], table=True, xs=[10.0, *(x for _, x in cells)]
        )
        result = read_applications([HEADER, full, row], "2021", scanned=True)
        return result.values["carried_over"], result.warnings

    values, warnings = read(("27", 101.0), ("2", 302.0), ("29", 398.0))
    assert values == {
        "natural_person": 27,
        "commercial": None,
        "research": None,
        "social_welfare": None,
        "legal_service": 2,
        "other_org": None,
        "total": 29,
    }
    assert warnings == []
    # a blank's dash the scan could not read (27002: every blank printed ``/``) is none to the sums, and null
    values_too, warnings = read(("27", 101.0), (UNREADABLE_MARK, 152.0), ("2", 302.0), ("29", 398.0))
    assert values_too == values and "not read with confidence" in warnings[0]
    for cells in (
        (("27", 101.0), ("28", 398.0)),  # a reading lost (the 1 of legal_service): the total refutes it
        (("27", 101.0), ("2", 284.0), ("29", 398.0)),  # a reading off its column (a third of the way to the next)
        (("0", 398.0),),  # the total alone: no part read for it to witness
        (("27", 101.0), ("2", 302.0)),  # the total printed blank: nothing witnesses the parts
        (("27", 101.0), (UNREADABLE_MARK + "3", 302.0), ("29", 398.0)),  # a reading with doubt the sum refutes
    ):
        values, warnings = read(*cells)
        assert set(values.values()) == {None}, cells
        assert warnings, cells
    # a reading with doubt where the row's sum holds with it, the blanks as none (seed 27000, tuning: 27 | �27
    # for 部分公开's 自然人 and 总计, both 27): kept, and said
    doubted, warnings = read(("27", 101.0), (UNREADABLE_MARK + "2", 302.0), ("29", 398.0))
    assert doubted == values_too and "read with doubt (legal_service 2), kept" in warnings[0]
    doubted, _ = read(("27", 101.0), ("2", 302.0), (UNREADABLE_MARK + "29", 398.0))
    assert doubted == values_too
    # a reading no count can be whose digits the sum witnesses (27000 rough: 1.1 for 11) is kept, and not
    # said to be left null
    doubted, warnings = read(("2.7", 101.0), ("2", 302.0), ("29", 398.0))
    assert doubted == values_too and not any("left null" in w for w in warnings), warnings


def test_the_columns_are_learnt_from_full_rows_whose_values_stand_apart():
    """Seed 32004, unruled speckle scan at 150 dpi, blanks for none (tuning): 总计 189 30 12 29 19 17 296 was
    read in five boxes, ``30 12`` and ``19 17`` between two columns each; parted, both values stand where the
    box does, and learning the columns from it put two columns' centres between their values: rows of
    blanks stood off their columns and were null. A row prints every column apart only with each value at a
    place of its own."""
    xs = [100.0, 150.0, 200.0, 250.0, 300.0, 350.0, 400.0]
    full = Row(["一、本年新收政府信息公开申请数量", "5", "3", "2", "1", "1", "1", "13"], table=True, xs=[10.0, *xs])
    carried = Row(["二、上年结转政府信息公开申请数量", "8", "3", "11"], table=True, xs=[10.0, 101.0, 151.0, 399.0])
    total = Row(
        ["（七）总计", "189", "30 12", "29", "19 17", "296"], table=True, xs=[10.0, 100.0, 175.0, 250.0, 325.0, 400.0]
    )
    result = read_applications([HEADER, full, carried, total], "2021", scanned=True)
    assert result.values["carried_over"] == {
        "natural_person": 8,
        "commercial": 3,
        "research": None,
        "social_welfare": None,
        "legal_service": None,
        "other_org": None,
        "total": 11,
    }


def test_a_scanned_row_with_a_blank_whose_sum_fails_is_null():
    """Generated seed 29002 (held out until it wrote a wrong value; blanks printed 无), ruled speckle 150
    dpi: ``17件`` read ``7件`` in a row of 1 + 4 + 2 + 无 + 1 = 25, and 7 was written: a row with a blank was
    never summed, its sum needing every cell. With every cell read, a blank is none to the row's sum."""
    row = ("7.属于行政执法案卷", ["7件", "1件", "4件", "2件", "无", "1件", "25件"])
    values, warnings = _table3(row, scanned=True)
    assert set(values["denied_enforcement_file"].values()) == {None}
    assert "does not add up as read from the scan" in warnings[0]
    printed = ("7.属于行政执法案卷", ["17件", "1件", "4件", "2件", "无", "1件", "25件"])
    values, _ = _table3(printed, scanned=True)
    assert (
        values["denied_enforcement_file"]["natural_person"] == 17
        and values["denied_enforcement_file"]["legal_service"] is None
    )
    # a total printed blank leaves nothing to sum
    values, _ = _table3(("7.属于行政执法案卷", ["7件", "1件", "4件", "2件", "无", "1件", "无"]), scanned=True)
    assert values["denied_enforcement_file"]["natural_person"] == 7
    # a text layer keeps what the publisher printed
    values, _ = _table3(row, scanned=False)
    assert values["denied_enforcement_file"]["natural_person"] == 7


def test_an_unruled_scans_row_stands_only_whole_and_adding_up():
    """No rule bounds an unruled scan's cells: a thin 1 lost (17 read as 7), a letter-spaced 34 read into
    its label's box, or a row broken over skewed lines put every later value a column off, and a total
    left unreadable took away the one witness (bench/scan_ocr.py --unruled, seeds 11000-11003)."""
    label = "8.属于行政查询事项"
    values, warnings = _table3((label, ["3", "4", "0", "0", "5", "0", UNREADABLE_MARK]), scanned=True, ruled=False)
    assert set(values["denied_query_item"].values()) == {None}
    assert "unruled scan" in warnings[0]
    values, _ = _table3((label, ["34", "0", "0", "5", "0", "1", "40"]), scanned=True, ruled=False)
    assert list(values["denied_query_item"].values()) == [34, 0, 0, 5, 0, 1, 40]
    # the same readings between rules stand (the cells say where each belongs), the unreadable one null
    values, _ = _table3((label, ["3", "4", "0", "0", "5", "0", UNREADABLE_MARK]), scanned=True)
    assert values["denied_query_item"]["natural_person"] == 3 and values["denied_query_item"]["total"] is None
    # in a whole table, a reading whose column sum, read everywhere else, holds with it stands even there
    # (bench/scan_ocr.py --unruled, seeds 11000-11003): of 34 read as 3 and 4 and every later value a column
    # off, only the 0 that fell where a 0 was printed
    printed = ["34", "0", "0", "5", "0", "1", "40"]
    misread = ["3", "4", "0", "0", "5", "0", "1"]
    rows = _full_table3(new_received=printed, denied_query_item=misread, total_processed=printed)
    values, _ = _table3(*rows, scanned=True, ruled=False)
    assert list(values["denied_query_item"].values()) == [None, None, 0, None, None, None, None]


def test_an_unruled_row_of_one_reading_at_each_columns_place_is_placed_as_between_rules():
    """Generated unruled speckle scans at 150 dpi (bench/scan_ocr.py --unruled, seed 11000): once each
    column's place is read again (parsers/unruled.py), most rows print every column where the table's
    columns stand, one a speck's 0 not read; as between rules such a row keeps what it read with
    confidence and its unreadable cell is null. A row whose readings stand off their columns (34 read as 3
    and 4, every later value a column off) still stands only whole and adding up."""
    centres = [300.0 + 60 * k for k in range(7)]

    def row(label: str, cells: list[str], xs: list[float]) -> Row:
        return Row([label, *cells], table=True, xs=[100.0, *xs])

    printed = ["19", "0", "0", "0", "0", "0", "19"]
    rows = _full_table3(new_received=printed, denied_state_secret=printed, total_processed=printed)
    full = [row(label, cells, centres) for label, cells in rows]
    at = [r.key for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates].index("denied_state_secret")
    full[at] = row(full[at].cells[0], ["19", "0", UNREADABLE_MARK, "0", "0", "0", "19"], [c + 3 for c in centres])
    result = read_applications([HEADER, *full], "2021", scanned=True)
    assert list(result.values["denied_state_secret"].values()) == [19, 0, None, 0, 0, 0, 19]
    # the readings of 34 split in two stand half a column off their places: the row is null
    split = [centres[0] - 8, centres[0] + 8, *centres[2:], centres[-1] + 30]
    full[at] = row(full[at].cells[0], ["3", "4", "0", "0", "5", "0", UNREADABLE_MARK], split)
    result = read_applications([HEADER, *full], "2021", scanned=True)
    got = result.values["denied_state_secret"]
    assert got["natural_person"] is None and got["commercial"] is None and got["legal_service"] is None
    assert any("unruled scan and its sums cannot confirm it" in w for w in result.warnings)


def test_values_beside_a_label_not_found_never_complete_a_row_that_has_its_own():
    """洪泽 2024 printed unruled, speckle scan at 150 dpi (bench/real_scans.py, looked at for this one row): the
    1 of 1.信访举报投诉类申请 read as 一, and 2.重复申请 read as 2.重复电请 (too short a wording to be matched by a
    character off), whose six zeros completed the row above it: 0 written twice where 1 was printed. Values
    beside a label not found go only to a row that has none of its own yet (a label wrapped around them)."""
    rows = (
        ("1：信访举报投诉类申请", ["一", "0"]),
        ("2.重复电请", ["0", "0", "0", "0", "0", "0"]),
        ("3.要求提供公开出版物", ["0", "0", "0", "0", "0", "0", "0"]),
    )
    values, _ = _table3(*rows, scanned=True, ruled=False)
    assert set(values["rejected_petition"].values()) == {None}
    assert list(values["rejected_publication"].values()) == [0] * 7
    # a label wrapped over two lines, its values beside its last: they are its row's
    wrapped = (("5.要求行政机关确认或重新出", []), ("具已获取信息", ["0", "1", "0", "0", "0", "0", "1"]))
    values, _ = _table3(*wrapped, scanned=True)
    assert list(values["rejected_confirmation"].values()) == [0, 1, 0, 0, 0, 0, 1]


def test_a_label_misread_by_a_character_finds_its_row_only_in_a_scan():
    """OCR on the 淮安 2024 report printed as published and scanned at 150 dpi with speckle read four of
    table 3's labels a character off (国家秘密 as 私密, 大量 as 太量, 下年度 as 不年度, a speck after 其他, the
    merged group cell beside it unreadable):
    28 values read right were lost with their rows (bench/real_scans.py). In print order, the one row still
    ahead whose wording the label spells but for a character takes it; a text layer's labels are as typed."""
    rows = (
        ("1.属于国家私密", ["2", "0", "0", "0", "0", "0", "2"]),
        ("4.无正当理由太量反复申请", ["0", "0", "0", "0", "0", "0", "0"]),
        (UNREADABLE_MARK, ["3、其他，", "108", "2", "0", "0", "0", "0", "110"]),
        ("四、结转不年度继续办理", ["103", "0", "0", "0", "0", "0", "103"]),
    )
    values, warnings = _table3(*rows, scanned=True)
    assert list(values) == ["denied_state_secret", "rejected_excessive", "other_misc", "carried_forward"]
    assert values["other_misc"]["total"] == 110 and values["carried_forward"]["natural_person"] == 103
    assert warnings == []
    values, _ = _table3(*rows, scanned=False)
    assert values == {}
    # a row behind the table's position is never taken again: the last row's label misread stays unplaced
    values, _ = _table3(("四、结转下年度继续办理", ["1", "0", "0", "0", "0", "0", "1"]), rows[0], scanned=True)
    assert list(values) == ["carried_forward"]


def test_near_spells_the_wording_but_for_a_character_in_one_run():
    assert near("1.属于国家私密", "（三）1.属于国家秘密")
    assert near("理结子公开5.属于三类内部事物信息", "（三）5.属于三类内部事务信息")  # a group label before it
    assert near("结转不年度继续力理", "四、结转下年度继续办理")  # two of nine
    assert not near("属于国家", "（三）1.属于国家秘密")  # too little of it
    assert not near("属于其他国家的秘密", "（三）1.属于国家秘密")  # its characters spread out
    assert not near("重复申清", "（五）2.重复申请")  # too short to tell a misread from another label


def _full_table3(**cells: list[str]) -> tuple[tuple[str, list[str]], ...]:
    """Every row of the 2021 template as printed, all zeros but those given by key."""
    return tuple((r.label, cells.get(r.key, ["0"] * 7)) for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates)


def test_specks_and_a_lost_bracket_around_a_short_label_do_not_lose_its_row():
    """Seen on the 淮安 2024 report's speckle scans at 150 dpi (bench/real_scans.py, seeds held out of the
    bench's own): ``（七总计`` (its bracket in a speck's shadow), ``3、.其他`` and ``3、其他 +`` lost table 3's
    总计 and 其他 rows, seven values read right each; ``** 行政处罚`` and ``规章。`` lost table 2's items."""
    before = ("2.申请人逾期未按收费通知要求缴纳费用", ["6", "0", "0", "0", "0", "0", "6"])
    rows = (
        before,
        ("3、.其他", ["108", "2", "0", "0", "0", "0", "110"]),
        ("（七总计", ["2932", "53", "0", "0", "61", "4", "3050"]),
    )
    values, _ = _table3(*rows, scanned=True)
    assert values["other_misc"]["total"] == 110 and values["total_processed"]["total"] == 3050
    values, _ = _table3(before, ("3、其他 +", ["108", "2", "0", "0", "0", "0", "110"]), scanned=True)
    assert values["other_misc"]["natural_person"] == 108
    # a speck read after the numbering (generated speckle scan, seed 8106, 2019 template): its row was lost
    from parsers.tables import _application_match

    assert _application_match("other_processing", "（六）.其他处理")
    assert _application_match("other_misc", "3、.其他") and not _application_match("other_misc", "（六）.其他处理")
    # and inside the bracket (seed 21004, unruled speckle rough: its 总计 row was lost)
    assert _application_match("total_processed", "（.七）总计") and _application_match("total_processed", "（七·）总计")
    assert not _application_match("total_processed", "（.七）其他")
    # and its opening bracket lost (平潭 2025 printed unruled with specks, 150 dpi: ``七)总计``, its row lost)
    assert _application_match("total_processed", "七）总计") and not _application_match("total_processed", "七总计")
    # 其他 stays a whole-label match: a longer label that merely ends in it is no row of its own
    values, _ = _table3(before, ("国家秘密以外的其他", ["1", "0", "0", "0", "0", "0", "1"]), scanned=True)
    assert "other_misc" not in values


def test_table_2_items_with_specks_read_at_their_ends():
    rows = [
        Row(["信息内容", "本年处理决定数量"], table=True),
        Row(["** 行政处罚", "3985758"], table=True),
        Row(["$* 行政强制", "88283"], table=True),
    ]
    values = read_active(rows, "2021").values
    assert values["penalty"] == {"decisions": 3985758} and values["coercion"] == {"decisions": 88283}
    rows = [
        Row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], table=True),
        Row(["规章。", "1", "0", "11"], table=True),
    ]
    assert read_active(rows, "2021").values["regulations"] == {"issued": 1, "repealed": 0, "in_force": 11}


def test_a_row_is_null_when_the_sums_disagree_on_its_unread_value_but_where_its_columns_confirm_it():
    """The 淮安 speckle scan (seed 40): 3、其他 read ``108 | 2 | 0 | � | 0 | 0 | 119`` (110 printed). Its own sum
    cannot judge it with a cell unread; the 社会公益组织 column, whose other cells are all read, says that
    cell is 0 while the row says 9, so a reading of the row is wrong and the row is null, but for the
    readings a sum down their own column confirms (108, 2 and the 0s): the total, 119, is not. Another row
    with an unread cell (rejected_excessive's total) disagrees only through the wrong row, and stands."""
    printed = ["108", "2", "0", "0", "0", "0", "110"]
    rows = _full_table3(
        new_received=printed,
        rejected_excessive=["0", "0", "0", "0", "0", "0", UNREADABLE_MARK],
        other_misc=["108", "2", "0", UNREADABLE_MARK, "0", "0", "119"],
        total_processed=printed,
    )
    values, warnings = _table3(*rows, scanned=True)
    assert list(values["other_misc"].values()) == [108, 2, 0, None, 0, 0, None]
    assert "table 3 row other_misc: 5 of its values kept, each confirmed by its column's sum, the others left null" in (
        warnings
    )
    assert [w for w in warnings if "disagree" in w] == [
        "table 3 row other_misc: the table's sums disagree on a value not read (a reading is wrong), left null: "
        "108 | 2 | 0 | \ufffd | 0 | 0 | 119"
    ]
    assert values["rejected_excessive"]["natural_person"] == 0
    # read right, the same row with its cell unread stands: every sum says that cell is 0
    rows = _full_table3(
        new_received=printed, other_misc=["108", "2", "0", UNREADABLE_MARK, "0", "0", "110"], total_processed=printed
    )
    values, warnings = _table3(*rows, scanned=True)
    assert values["other_misc"]["total"] == 110 and not [w for w in warnings if "disagree" in w]
    # a text layer's cells are the printed ones: no such judgement
    rows = _full_table3(
        new_received=printed, other_misc=["108", "2", "0", "", "0", "0", "119"], total_processed=printed
    )
    values, _ = _table3(*rows, scanned=False)
    assert values["other_misc"]["total"] == 119


def test_a_number_read_with_doubt_is_kept_only_where_the_sums_confirm_it():
    """Generated speckle scans at 150 dpi (tuning seeds 8100–8111): most cells lost were numbers the
    recogniser read right but with doubt (a 0 beside a speck at 0.5), left null. OCR keeps such a reading
    after the unreadable mark (``�0``); the table keeps it only where every sum of which the cell is the only
    unknown holds with it. The sums witness the reading; they never make one."""
    doubt = UNREADABLE_MARK + "0"
    rows = _full_table3(
        new_received=["7", "0", "0", "0", "0", "0", "7"],
        granted=[doubt, "0", "0", "0", "0", "0", "0"],  # its row and its column say 0
        rejected_excessive=["3", "0", "0", "0", "0", "0", UNREADABLE_MARK + "8"],  # its row says 3: 8 is no reading
        other_misc=["4", "0", "0", "0", "0", "0", "4"],
        total_processed=["7", "0", "0", "0", "0", "0", "7"],
    )
    values, warnings = _table3(*rows, scanned=True)
    assert values["granted"]["natural_person"] == 0
    assert "table 3 row granted: natural_person read with doubt as 0, kept after all: 2 sum(s) confirm it" in warnings
    assert values["rejected_excessive"]["total"] is None
    # a 10 read as 0 with doubt (its thin 1 lost): the sums say 10, and the cell stays null
    rows = _full_table3(granted=[doubt, "0", "0", "0", "0", "0", "10"], total_processed=["10", *["0"] * 5, "10"])
    values, _ = _table3(*rows, scanned=True)
    assert values["granted"]["natural_person"] is None
    # a reading so kept closes a further sum: the column confirms 社会公益组织, then the row its total
    rows = _full_table3(granted=["0", "0", "0", doubt, "0", "0", doubt])
    values, _ = _table3(*rows, scanned=True)
    assert values["granted"]["social_welfare"] == 0 and values["granted"]["total"] == 0
    # a count read with a point (generated speckle scan, tuning seed 8102: 18 read as 1.8件) is refused by its
    # type; its digits, read with doubt, are kept where the sums confirm them
    rows = _full_table3(granted=["1.8件", "4件", *["0件"] * 4, "22件"], total_processed=["18", "4", *["0"] * 4, "22"])
    values, warnings = _table3(*rows, scanned=True)
    assert values["granted"]["natural_person"] == 18
    rows = _full_table3(granted=["1.8件", "4件", *["0件"] * 4, "23件"])
    assert _table3(*rows, scanned=True)[0]["granted"]["natural_person"] is None  # its row says 19
    # a reading with doubt kept lets a column confirm a reading of a row left null, and the other way round
    # (tuning seed 8105: 安全稳定 read 2.2 | … | 35, its 22 a doubt, its 1 and its 35 each waiting on another)
    rows = _full_table3(
        new_received=["7", *["0"] * 5, "7"],
        granted=[UNREADABLE_MARK + "3", *["0"] * 5, "3"],
        other_misc=["4", *["0"] * 5, "9"],  # 4 printed as its total: the row does not add up
        total_processed=["7", *["0"] * 5, "7"],
    )
    values, warnings = _table3(*rows, scanned=True)
    assert values["granted"]["natural_person"] == 3 and values["other_misc"]["natural_person"] == 4
    assert values["other_misc"]["total"] is None
    assert "table 3 row other_misc: natural_person read as 4, kept after all: 1 sum(s) confirm it" in warnings
    # never in a text layer, and never a reading the grid did not part one a column
    values, _ = _table3(*_full_table3(granted=[doubt, *["0"] * 6]), scanned=False)
    assert values["granted"]["natural_person"] is None
    values, _ = _table3(*_full_table3(granted=[doubt, "0", "0", "0", "0", "0"]), scanned=True)
    assert values["granted"]["natural_person"] is None


def test_zeros_read_with_doubt_are_kept_where_their_sum_leaves_nothing_to_the_cells_not_read():
    """Generated unruled speckle scans at 150 dpi, 0件 for none (tuning seed 35001, rough): rows of 0s whose
    total read 0 with confidence had two of their 0s read with doubt; neither was the only unknown of a
    sum, and both stayed null. No count is below 0, so a sum whose other side is read whole and equals what
    is read of the cell's own side leaves 0 to every cell not read there: a doubted 0 is then witnessed.
    Only a reading of 0 (the sum makes no value), and never a cell not read at all."""
    doubt = UNREADABLE_MARK + "0"
    values, warnings = _table3(("（一）予以公开", ["0", doubt, "0", doubt, "0", "0", "0"]), scanned=True)
    assert values["granted"] == dict.fromkeys(values["granted"], 0)
    said = "table 3 row granted: commercial read with doubt as 0, kept after all: its sum leaves nothing"
    assert any(w.startswith(said) for w in warnings), warnings
    # the total 3: the cells not read share 3, and neither doubt is witnessed
    values, _ = _table3(("（一）予以公开", ["3", doubt, "0", doubt, "0", "0", "6"]), scanned=True)
    assert values["granted"]["commercial"] is None and values["granted"]["social_welfare"] is None
    # a reading of 2 with doubt where the row leaves nothing: no 0 read, so nothing is kept
    values, _ = _table3(("（一）予以公开", ["0", UNREADABLE_MARK + "2", "0", doubt, "0", "0", "0"]), scanned=True)
    assert values["granted"]["commercial"] is None and values["granted"]["social_welfare"] == 0
    # the total not read: the sum leaves nothing it can say
    values, _ = _table3(("（一）予以公开", ["0", doubt, "0", doubt, "0", "0", UNREADABLE_MARK]), scanned=True)
    assert values["granted"]["commercial"] is None and values["granted"]["social_welfare"] is None
    # a cell not read at all stays null though the sum leaves it 0: the sums never make a value
    values, _ = _table3(("（一）予以公开", ["0", UNREADABLE_MARK, "0", doubt, "0", "0", "0"]), scanned=True)
    assert values["granted"]["commercial"] is None and values["granted"]["social_welfare"] == 0


def test_a_review_number_read_with_doubt_is_kept_where_its_group_adds_up():
    header = [
        Row(["行政复议", "行政诉讼"], table=True),
        Row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3, table=True),
    ]
    data = [
        "2",
        UNREADABLE_MARK + "0件",
        "0",
        "0",
        "2",
        "0",
        "0",
        "0",
        "0",
        UNREADABLE_MARK + "3",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]
    values = read_review([*header, Row(data, table=True, ruled=True)], scanned=True).values
    assert values["review"] == {"upheld": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2}
    assert values["litigation_direct"]["total"] is None  # its parts say 0
    assert read_review([*header, Row(data, table=True, ruled=True)]).values["review"]["corrected"] is None


def test_a_count_read_with_a_minus_is_null_or_its_digits_where_the_sums_confirm_them():
    """Generated speckle scan at 150 dpi (seed 8111, rough, tuning): two specks touching before a 1 of
    table 4 made a bar, read as its minus: ``2 | 2 | 0 | -1 | 5``. A count is never negative: the reading
    is refused before the group's sum judges the rest (the whole group was null), and its digits are a
    reading with doubt that the group's sum confirms (2 + 2 + 0 + 1 = 5)."""
    header = [
        Row(["行政复议", "行政诉讼"], table=True),
        Row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3, table=True),
    ]
    data = ["0", "0", "0", "0", "0", "1", "0", "0", "0", "1", "2", "2", "0", "-1", "5"]
    result = read_review([*header, Row(data, table=True, ruled=True)], scanned=True)
    assert result.values["litigation_after_review"] == {
        "upheld": 2,
        "corrected": 2,
        "other": 0,
        "pending": 1,
        "total": 5,
    }
    assert any("pending -1 (a count is not negative)" in w for w in result.warnings)
    assert any("pending read with doubt as 1, kept after all" in w for w in result.warnings)
    data[13] = "-2"  # its group says 1: the refused reading stays null, the rest of the group stands
    group = read_review([*header, Row(data, table=True, ruled=True)], scanned=True).values["litigation_after_review"]
    assert group == {"upheld": 2, "corrected": 2, "other": 0, "pending": None, "total": 5}


def test_a_count_read_with_a_point_in_a_table_3_row_is_a_gap_its_sums_may_fill_with_its_digits():
    """Generated unruled speckle scan at 150 dpi, blanks for none (seed 33001, rough, tuning): 本年新收's 150
    read ``15.0`` (a speck between 5 and 0 as a point) made the row not add up as read, and all seven cells
    were null. A count has no point: the reading is refused before the row's sums judge it, a gap they fill
    with its digits where they hold (150 + 11 + 28 + 19 + 22 + 12 = 242); where they do not, it stays null
    and the rest of the row stands as a row with a value not read does."""
    xs = [10.0, 100.0, 150.0, 200.0, 250.0, 300.0, 350.0, 400.0]

    def read(total: str, ruled: bool) -> tuple[dict, list[str]]:
        cells = ["一、本年新收政府信息公开申请数量", "15.0", "11", "28", "19", "22", "12", total]
        result = read_applications([HEADER, Row(cells, table=True, xs=xs, ruled=ruled)], "2021", scanned=True)
        return result.values["new_received"], result.warnings

    for ruled in (True, False):
        values, warnings = read("242", ruled)
        assert values == {
            "natural_person": 150,
            "commercial": 11,
            "research": 28,
            "social_welfare": 19,
            "legal_service": 22,
            "other_org": 12,
            "total": 242,
        }
        assert any("natural_person read with doubt as 150, kept after all" in w for w in warnings), warnings
    values, _ = read("243", ruled=True)
    assert values["natural_person"] is None and values["total"] == 243


def test_a_row_the_tables_sums_refute_as_finally_read_is_null():
    """Generated speckle scan at 150 dpi (seed 14003, rough): 本年新收 read ``� | 14 | 16 | 1819 |  | 18 |
    40.1`` (18 and 19 run together, 401 with a speck for a point). Its total, refused by its type before the
    row's sums judged it, was confirmed down its column, and 1819 was written beside it. A row its own sums
    cannot confirm is null where its readings exceed its total, or where a column it is read in fails."""
    zeros = ["0"] * 7
    rows = _full_table3(
        new_received=[UNREADABLE_MARK, "14", "16", "1819", "", "18", "-401"],
        carried_over=zeros,
        granted=["316", "14", "16", "18", "19", "18", "401"],
        total_processed=["316", "14", "16", "18", "19", "18", "401"],
        carried_forward=zeros,
    )
    values, warnings = _table3(*rows, scanned=True)
    assert set(values["new_received"].values()) == {None}
    assert any(w.startswith("table 3 row new_received: the table's sums refute it as finally read") for w in warnings)
    rows = _full_table3(new_received=[UNREADABLE_MARK, "14", "16", "1819", "", "18", "40.1"])
    values, _ = _table3(*rows, scanned=True)
    assert set(values["new_received"].values()) == {None}


def _at(label: str, cells: list[str], columns: list[int], label_x: float = 100.0) -> Row:
    """An unruled scan's line: its label, then each cell at the centre of its column (0-6, 60 apart)."""
    return Row([label, *cells], table=True, xs=[label_x, *(300.0 + 60 * k for k in columns)])


def test_a_total_printed_a_line_above_its_row_joins_it_in_column_order():
    """The official template filled with 淮安 2024's record and printed unruled at 200 dpi
    (bench/real_scans.py, tuned on): a row whose label wraps over two lines has its total at the cell's top
    (a line above its other values, which sit at the cell's middle), and 1.申请人无正当理由逾期不补正、… has
    its other values beside the label's second line. The row's cells were joined in line order
    (454 | 447 | 7 …: the total read as 自然人's) or the second line's values were refused as another
    row's: three rows lost. Cells join in column order; values beside a label not found complete a row only
    in columns it does not hold."""
    printed = ["19", "0", "0", "0", "0", "0", "19"]
    rows = [_at(label, cells, list(range(7))) for label, cells in _full_table3(new_received=printed)]
    keys = [r.key for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates]
    at = keys.index("partially_granted")
    rows[at : at + 1] = [
        _at("（二）部分公开（区分处理的，只计这一情", ["454"], [6]),
        Row(["447", "7", "0", "0", "0", "0"], table=True, xs=[300.0 + 60 * k for k in range(6)]),
        Row(["形，不计其他情形）"], table=True, xs=[100.0]),
    ]
    at = keys.index("other_overdue_correction")
    rows[at : at + 1] = [
        _at("1.申请人无正当理由逾期不补正、", ["71"], [6]),
        _at("行政机关不再处理其政府信息公开", ["67", "3", "0", "0", "1", "0"], list(range(6))),
        Row(["申请"], table=True, xs=[100.0]),
    ]
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert list(result.values["partially_granted"].values()) == [447, 7, 0, 0, 0, 0, 454]
    assert list(result.values["other_overdue_correction"].values()) == [67, 3, 0, 0, 1, 0, 71]
    # a speck read as + where no label prints, beside the total (seed 003's speckle scan): no label
    at = keys.index("partially_granted")
    rows[at : at + 3] = [
        _at("（二）部分公开（区分处理的，只计这一情", ["5"], [2]),
        _at("+", ["5"], [6]),
        _at("形，不计其他情形）", ["0", "0", "0", "0", "0"], [0, 1, 3, 4, 5]),
    ]
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert list(result.values["partially_granted"].values()) == [0, 0, 5, 0, 0, 0, 5]
    # values beside a label not found, in the columns the row above already holds: another row's (洪泽
    # 2024's 2.重复电请), never the row above's
    at = keys.index("rejected_petition")
    rows[at + 2 : at + 4] = [
        _at("1：信访举报投诉类申请", ["一", "0", "0", "0", "0", "0"], list(range(6))),
        _at("2.重复电请", ["0", "0", "0", "0", "0", "0", "0"], list(range(7))),
    ]
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert set(result.values["rejected_petition"].values()) == {None}


def test_an_unruled_row_of_values_run_together_is_parted_only_where_one_split_adds_up():
    """淮安 2024 in the official template, printed unruled (bench/real_scans.py, tuned on): 2932 and 53 stand
    a gap apart that the detector did not part, on a page where every line ran those two columns together,
    so no column could part the box (parsers/ocrdoc.py parts it where one can): 293253 | 0 | 0 | 61 | 4 | 3050.
    The readings' digits are parted in every way the columns allow; one adds up, and it is the row.
    Where two would, or a reading is doubted, the row stays null."""
    label = "一、本年新收政府信息公开申请数量"
    values, warnings = _table3((label, ["293253", "0", "0", "61", "4", "3050"]), scanned=True, ruled=False)
    assert list(values["new_received"].values()) == [2932, 53, 0, 0, 61, 4, 3050]
    assert "parted where the sums hold" in warnings[0]
    # 1 | 10 or 11 | 0: two splits add up to 11
    values, _ = _table3((label, ["110", "0", "0", "0", "0", "11"]), scanned=True, ruled=False)
    assert set(values["new_received"].values()) == {None}
    # a reading with doubt, or one with a point, is not parted
    for doubted in (UNREADABLE_MARK + "293253", "2932.53"):
        values, _ = _table3((label, [doubted, "0", "0", "61", "4", "3050"]), scanned=True, ruled=False)
        assert set(values["new_received"].values()) == {None}
    # between rules, the cells say where values are: nothing is parted
    values, _ = _table3((label, ["293253", "0", "0", "61", "4", "3050"]), scanned=True)
    assert set(values["new_received"].values()) == {None}


def test_values_read_as_one_cell_keep_its_position():
    """``447 7`` read as one box (two columns' values close together on a speckle scan at 150 dpi): the
    row's positions are kept, each value at the cell's, so a total printed a line above still joins it
    in column order."""
    from parsers.tables import split_row

    row = Row(["447 7", "0", "0"], table=True, xs=[320.0, 420.0, 480.0])
    assert split_row(row) == [("", ["447", "7", "0", "0"], [320.0, 320.0, 420.0, 480.0])]
    # a label's share of a cell is not known: no positions
    glued = Row(["2.重复申请25", "0"], table=True, xs=[200.0, 420.0])
    assert split_row(glued) == [("2.重复申请", ["25", "0"], None)]


def test_a_ruled_rows_blank_cells_keep_their_places_when_its_lines_join():
    """平潭 2024's page printed by Chromium, scanned at 200 dpi (bench/real_scans.py, held out; looked at when
    the row was lost): a label over two ruled bands, its first band's cells blank and its values in the
    second. Joined in column order the blanks fell between the values (`` | 0 |  | 0 …``: 14 cells for 7);
    a ruled row's lines join as they come, its blank cells spacers."""
    xs = [300.0 + 60 * k for k in range(7)]
    rows = [
        Row(["5.要求行政机关确认或重新出", *[""] * 7], table=True, xs=[100.0, *xs], ruled=True),
        Row(["具已获取信息", *["0"] * 7], table=True, xs=[100.0, *xs], ruled=True),
    ]
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert list(result.values["rejected_confirmation"].values()) == [0] * 7


def test_a_label_as_a_real_report_misprints_it_and_a_character_ocr_confuses_find_their_rows():
    """洪泽区 2024 (a real Word export, bench/real_scans.py) prints （三）2 as ``2.其他法律行政止公开`` (法规禁
    left out): its text layer lost the row. OCR of its unruled speckle scan at 150 dpi read 重复申请 as
    ``2.重复电请`` (申 and 电 differ by a stroke)."""
    rows = (
        ("1.属于国家秘密", ["0", "0", "0", "0", "0", "0", "0"]),
        ("2.其他法律行政止公开", ["1", "0", "0", "0", "0", "0", "1"]),
        ("3.危及“三安全一稳定”", ["1", "0", "0", "0", "0", "0", "1"]),
    )
    for scanned in (False, True):
        values, _ = _table3(*rows, scanned=scanned)
        assert list(values) == ["denied_state_secret", "denied_law_prohibited", "denied_security_stability"]
    values, _ = _table3(
        ("1.信访举报投诉类申请", ["1", "0", "0", "0", "0", "0", "1"]),
        ("2.重复电请", ["2", "0", "0", "0", "0", "0", "2"]),
        scanned=True,
    )
    assert values["rejected_repeated"]["total"] == 2


#: Table 3 of 上海市人民政府办公厅's 2019 report (tests/parsers/pages/shanghai_2019.html) printed without
#: rules at 200 dpi (bench/real_scans.py "unruled 200 dpi"), as the scan's rows came out: each cell's text
#: and its box's left and right edge (points). No row prints every column (科研机构 and 社会公益组织 had
#: none all year, blank for none), the result rows print 总计 blank, and the detector left out two thin 1s
#: (过程性信息's 商业企业, 不掌握's 法律服务机构).
SHANGHAI_UNRULED = [
    (["申请人情况"], [(428.6, 472.1)]),
    (
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "法人或其他组织"],
        [(51.1, 314.9), (425.6, 483.5)],
    ),
    (["自然人", "总计"], [(333.9, 360.1), (549.0, 567.6)]),
    (["商业企业科研机构社会公益组织法律服务机构其他"], [(360.9, 548.2)]),
    (
        ["一、本年新收政府信息公开申请数量", "821", "35", "2", "1", "859"],
        [(33.8, 161.0), (339.0, 354.2), (371.5, 383.3), (502.5, 508.0), (536.8, 543.5), (550.3, 565.5)],
    ),
    (["二、上年结转政府信息公开申请数量", "18", "18"], [(33.8, 161.0), (342.3, 352.5), (553.2, 563.8)]),
    (
        ["三、本年度办理结果（一）予以公开", "258", "12", "1", "1"],
        [(32.5, 164.0), (339.4, 354.2), (372.8, 382.9), (504.4, 505.8), (538.9, 540.7)],
    ),
    (["（二）部分公开(区分处理的，只计这一情形，不计其他情形）", "3"], [(111.2, 328.0), (343.6, 349.9)]),
    (["1.属于国家秘密", "14"], [(169.9, 225.7), (341.9, 352.5)]),
    (["2.其他法律行政法规禁止公开"], [(169.5, 273.9)]),
    (["3.危及“三安全一稳定”"], [(169.9, 248.1)]),
    (["4.保护第三方合法权益"], [(169.9, 248.9)]),
    (["（三）不予公开"], [(111.6, 164.8)]),
    (["5.属于三类内部事务信息", "5"], [(169.9, 257.0), (344.5, 349.5)]),
    (["6.属于四类过程性信息", "3"], [(169.9, 248.9), (344.0, 349.5)]),
    (["7.属于行政执法案卷"], [(169.9, 240.9)]),
    (["8.属于行政查询事项", "10", "2"], [(169.5, 241.3), (342.3, 352.5), (374.0, 380.4)]),
    (["（四）无法提供1.本机关不掌握相关政府信息", "252", "12"], [(112.0, 273.0), (339.4, 354.2), (372.8, 382.9)]),
    (["2.没有现成信息需要另行制作", "44", "3"], [(170.3, 273.4), (341.9, 352.5), (374.0, 380.8)]),
    (["3.补正后申请内容仍不明确", "25"], [(169.9, 264.2), (341.1, 351.2)]),
    (["1.信访举报投诉类申请", "148", "1"], [(169.9, 248.1), (339.0, 353.8), (374.0, 379.1)]),
    (["2.重复申请", "5", "4"], [(168.6, 208.8), (343.2, 349.9), (374.0, 379.5)]),
    (["（五）不予处理3.要求提供公开出版物"], [(111.6, 248.5)]),
    (["4.无正当理由大量反复申请"], [(169.9, 264.6)]),
    (["5.要求行政机关确认或重新出具已获取信息"], [(169.5, 320.4)]),
    (["（六）其他处理"], [(111.2, 164.8)]),
    (
        ["（七）总计", "767", "35", "2", "1", "805"],
        [(110.3, 148.8), (339.4, 353.8), (371.9, 382.5), (502.1, 507.6), (538.0, 541.8), (550.3, 565.1)],
    ),
    (["四、结转下年度继续办理", "72", "72"], [(32.5, 121.3), (341.5, 351.6), (553.2, 563.4)]),
]


def _scanned_rows(lines: list[tuple[list[str], list[tuple[float, float]]]]) -> list[Row]:
    return [Row(cells, table=len(cells) > 1, xs=[(a + b) / 2 for a, b in spans], spans=spans) for cells, spans in lines]


def _shanghai_truth() -> dict:
    import json
    from pathlib import Path

    page = Path(__file__).parent / "pages" / "shanghai_2019.expected.json"
    return json.loads(page.read_text(encoding="utf-8"))["applications"]


def test_table_3s_columns_stand_where_its_headings_print():
    """上海 2019 printed unruled: no row prints every column, so no row places the others; the headings do.
    The detector read 商业企业 … 其他 as one box: each heading stands at its characters' share of it."""
    rows = _scanned_rows(SHANGHAI_UNRULED)
    ref = header_centres(rows, T.APPLICATION_COLUMNS)
    assert ref is not None
    assert [round(x) for x in ref] == [347, 378, 412, 455, 506, 540, 558]
    # each value read centred where its heading stands (821 at 346.6, 35 at 377.4, 2 at 505.3, 1 at 540.2, 859)
    first = SHANGHAI_UNRULED[4][1][1:]
    assert [min(range(7), key=lambda k: abs(ref[k] - (a + b) / 2)) for a, b in first] == [0, 1, 4, 5, 6]
    # a heading misread, or printed twice, places nothing; nor does a cell of other text (其他 in a note)
    misread = [*SHANGHAI_UNRULED[:3], (["商业企业科研机构社会公益组识法律服务机构其他"], [(360.9, 548.2)])]
    assert header_centres(_scanned_rows(misread), T.APPLICATION_COLUMNS) is None
    twice = [*SHANGHAI_UNRULED[:4], (["其他"], [(600.0, 620.0)])]
    assert header_centres(_scanned_rows(twice), T.APPLICATION_COLUMNS) is None
    noted = [*SHANGHAI_UNRULED[:4], (["其他需说明"], [(600.0, 650.0)])]
    assert header_centres(_scanned_rows(noted), T.APPLICATION_COLUMNS) == ref
    # the group's heading read in one box with a column's (其他 in it heads no column)
    grouped = [(["自然人法人或其他组织", "总计"], [(333.9, 421.9), (549.0, 567.6)]), SHANGHAI_UNRULED[3]]
    assert [round(x) for x in header_centres(_scanned_rows(grouped), T.APPLICATION_COLUMNS) or []] == [
        347,
        *[round(x) for x in ref[1:]],
    ]
    # headings out of print order are no table 3's
    swapped = [(["总计", "自然人"], [(333.9, 360.1), (549.0, 567.6)]), SHANGHAI_UNRULED[3]]
    assert header_centres(_scanned_rows(swapped), T.APPLICATION_COLUMNS) is None
    # a text layer's header, a heading a cell, with the subtotal after 自然人 (its columns then have 8 places)
    cells = ["自然人", "法人或其他组织小计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    spans = [(100.0 + 50 * k, 140.0 + 50 * k) for k in range(8)]
    columns = ("natural_person", T.SUBTOTAL_COLUMN, *T.APPLICATION_COLUMNS[1:])
    assert header_centres([Row(cells, table=True, spans=spans)], columns) == [120.0 + 50 * k for k in range(8)]


def test_unruled_rows_with_blanks_stand_where_the_headings_place_them_and_the_column_sums_witness_them():
    """上海 2019 printed unruled (its rows as the scan read them): every row with a total read stands where its
    sums hold with the blanks as none, and the result rows, 总计 printed blank, stand where the column's
    sum holds with them all: 258 + 3 + 14 + 5 + 3 + 10 + 252 + 44 + 25 + 148 + 5 = 767. A column where the
    detector left a value out (过程性信息's 1 of 商业企业: 34 of 35) keeps none of the result rows' readings."""
    truth = _shanghai_truth()
    result = read_applications(_scanned_rows(SHANGHAI_UNRULED), "2019", scanned=True)
    lost = {"commercial", "legal_service"}  # the columns where the detector left a 1 out
    results = [k for k in truth if k in T.APPLICATION_RESULT_ROWS]
    for key, row in truth.items():
        for column, printed in row.items():
            want = None if key in results and column in lost else printed
            assert result.values[key][column] == want, (key, column)
    # the two 1s read: every cell is the published one
    found = [list(line) for line in SHANGHAI_UNRULED]
    for k, (cells, spans) in enumerate(found):
        if cells[0] == "6.属于四类过程性信息":
            found[k] = ([*cells, "1"], [*spans, (376.0, 378.0)])
        if cells[0].endswith("1.本机关不掌握相关政府信息"):
            found[k] = ([*cells, "1"], [*spans, (504.5, 506.0)])
    assert read_applications(_scanned_rows(found), "2019", scanned=True).values == truth
    # a reading wrong (258 read 253): the column's sum fails, its result rows' readings stay null
    misread = [
        (["三、本年度办理结果（一）予以公开", "253", *cells[2:]], spans) if cells[1:2] == ["258"] else (cells, spans)
        for cells, spans in found
    ]
    values = read_applications(_scanned_rows(misread), "2019", scanned=True).values
    assert {values[k]["natural_person"] for k in results} == {None}
    assert values["granted"]["commercial"] == 12 and values["total_processed"]["natural_person"] == 767
    # a result row with a total read that its parts do not add up to (258 + 12 + 1 + 1 is not 250): a reading
    # of it is wrong, and its readings are no witness with the others', nor the others' with its
    totalled = [
        (cells + ["250"], spans + [(553.0, 563.0)]) if cells[1:2] == ["258"] else (cells, spans)
        for cells, spans in found
    ]
    values = read_applications(_scanned_rows(totalled), "2019", scanned=True).values
    assert set(values["granted"].values()) == {None}
    assert {values[k]["natural_person"] for k in results} == {None}


#: Table 3 of generated seed 39005 (bench/scan_ocr.py --unruled --blank-zeros, rough, 150 dpi; tuning) as the
#: scan read it: begun at page 1's foot under headings over two and three lines (自然 / 人, 社会 / 公益 / 组织,
#: read as lines of several), continued on page 2 with no header, a blank for none in most cells. No row
#: prints every column, and no heading is read whole.
CONTINUED_UNRULED = [
    (["、收到和处理政府信息公开申请情况"], [(65.8, 234.7)]),
    (["申请人情况"], [(409.4, 456.5)]),
    (["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第", "法人或其他组织"], [(61.4, 322.6), (398.4, 473.8)]),
    (["：四项之和）", "自然", "社会 法律", "总计"], [(151.2, 217.9), (331.7, 352.8), (421.9, 474.2), (513.6, 534.7)]),
    (["人 商业 科研 公益 服务 其他"], [(335.0, 505.9)]),
    (["企业 机构 组织 机构"], [(358.6, 473.8)]),
    (
        ["本年新收政府信息公开申请数量", "63", "T8", "2723", "27", "∓31", "189"],
        [
            (135.4, 263.0),
            (331.7, 349.0),
            (361.4, 379.2),
            (393.1, 437.3),
            (452.2, 470.4),
            (484.8, 497.3),
            (514.1, 531.4),
        ],
    ),
    (
        ["上年结转政府信息公开申请数量", "37", "2", "∓39"],
        [(135.4, 263.5), (333.1, 346.6), (458.4, 464.2), (514.6, 529.4)],
    ),
    (
        ["（一）予以公开", "9", "∓1", "4", "14"],
        [(202.1, 262.6), (337.9, 343.7), (368.6, 371.5), (429.1, 434.4), (516.5, 529.4)],
    ),
    (["（二）部分公开（区分处理的，只计这一情形"], [(137.8, 319.2)]),
    (["不计其他情形）", "5", "5"], [(196.8, 261.6), (459.8, 464.2), (520.3, 525.1)]),
    (["1.属于国家秘密"], [(231.4, 306.2)]),
    (["2.其他法律行政法规禁止"], [(213.6, 324.5)]),
    (["公开", "2", "3", "5"], [(259.2, 279.8), (428.2, 434.4), (488.2, 495.8), (518.9, 526.1)]),
    (
        ["3.危及”三安全一稳定”", "7", "∓5", "∓5", "∓17"],
        [(212.6, 319.2), (337.4, 342.2), (428.6, 433.0), (489.6, 493.9), (516.5, 529.4)],
    ),
    (
        ["（三）不予公开 4.保护第三方合法权益", "5", "2", "7"],
        [(141.6, 320.2), (398.4, 404.2), (457.9, 465.6), (518.9, 526.6)],
    ),
    (
        ["5.属于三类内部事务信息", "3", "2", "2", "7"],
        [(213.1, 325.4), (398.4, 404.2), (458.9, 464.6), (488.2, 495.8), (518.9, 526.6)],
    ),
    ([".6：属于四类过程性信息", "4", "4"], [(213.6, 319.7), (488.2, 495.8), (519.4, 525.1)]),
    (
        ["7、属于行政执法案卷", "27", "4", "5", "5", "41"],
        [(222.2, 315.4), (330.7, 349.4), (366.2, 374.4), (458.9, 463.7), (488.2, 495.8), (515.5, 528.0)],
    ),
    (["8.属于行政查询事项", "4", "4"], [(222.2, 315.4), (366.7, 378.2), (519.8, 524.6)]),
    (
        ["三、本年度办理结", "1：本机关不掌握相关政府", "2", "3", "3", "8"],
        [(58.1, 132.0), (213.1, 325.0), (366.2, 373.9), (427.2, 434.9), (488.6, 494.9), (516.5, 526.1)],
    ),
    (["信息"], [(258.7, 278.9)]),
    (["果"], [(88.8, 101.3)]),
    (
        ["（四）无法提供 2.没有现成信息需要另行", "20", "3", "1", "24"],
        [(141.6, 325.0), (333.6, 347.0), (397.9, 404.2), (459.8, 462.7), (515.5, 529.4)],
    ),
    (["制作"], [(258.2, 279.4)]),
    (["3.补正后申请内容仍不明"], [(213.1, 324.0)]),
    (["4", "5", "9"], [(428.2, 433.4), (487.7, 495.8), (518.4, 526.1)]),
    (["确"], [(262.1, 275.5)]),
    (["1.信访举报投诉类申请", "27", "3", "30"], [(217.9, 323.0), (331.2, 349.9), (458.4, 464.2), (515.5, 529.0)]),
    (["�"], [(487.7, 499.2)]),
    (
        ["2.重复申请", "1", "4", "4", "9"],
        [(240.0, 297.6), (398.9, 401.8), (458.4, 464.2), (488.2, 495.8), (520.3, 524.6)],
    ),
    (["3.要求提供公开出版物", "5", "5"], [(215.5, 320.2), (398.4, 404.6), (518.4, 525.6)]),
    (["（五）不予处理"], [(142.6, 204.5)]),
    (["4.无正当理由大量反复申"], [(213.6, 323.5)]),
    (["请", "5", "4", "4", "13"], [(261.6, 280.8), (367.2, 373.0), (397.9, 404.2), (428.6, 433.4), (516.0, 529.0)]),
    (["5.要求行政机关确认或重"], [(211.7, 324.0)]),
    (["6", "1", "3", "10"], [(336.0, 343.7), (426.7, 434.4), (458.4, 464.6), (513.1, 530.9)]),
    (["新出具已获取信息"], [(231.4, 305.8)]),
    (
        ["（六）其他处理", "4", "2", "4", "10"],
        [(199.2, 264.0), (336.5, 343.2), (397.0, 404.6), (458.4, 464.6), (515.5, 529.0)],
    ),
    (
        ["（七）总计", "100 16", "∓23", "23", "29", "31", "222"],
        [
            (209.3, 254.9),
            (327.8, 382.1),
            (394.1, 407.5),
            (421.4, 439.7),
            (451.7, 473.8),
            (481.9, 501.1),
            (511.2, 533.3),
        ],
    ),
    (["四、结转下年度继续办理", "2", "4", "6"], [(140.6, 241.4), (366.2, 373.9), (397.0, 404.6), (518.4, 526.1)]),
]


def test_unruled_rows_stand_where_the_values_of_their_columns_stand_when_no_heading_places_them():
    """No row places the others and the headings are not read: where two rows' values or more stand are the
    columns, when there are as many places as columns (here 7, each a few tenths of a point wide). Every row
    read whole and adding up stands there; before, every row of the table was null. A column printing
    nothing all year (上海 2019's 科研机构, a real report) leaves one place too few: its rows stay null, none
    wrong."""
    truth = {
        "granted": {"natural_person": 9, "commercial": 1, "social_welfare": 4, "total": 14},
        "partially_granted": {"legal_service": 5, "total": 5},
        "denied_third_party": {"research": 5, "legal_service": 2, "total": 7},
        "denied_enforcement_file": {
            "natural_person": 27,
            "commercial": 4,
            "legal_service": 5,
            "other_org": 5,
            "total": 41,
        },
        "rejected_repeated": {"research": 1, "legal_service": 4, "other_org": 4, "total": 9},
        "carried_forward": {"commercial": 2, "research": 4, "total": 6},
    }
    values = read_applications(_scanned_rows(CONTINUED_UNRULED), "2019", scanned=True).values
    for key, printed in truth.items():
        assert values[key] == {c: printed.get(c) for c in T.APPLICATION_COLUMNS}, key
    # the research column's values taken out: six places for seven columns, no row placed by them
    without = [
        (
            [c for c, (a, b) in zip(cells, spans, strict=True) if not 396 < (a + b) / 2 < 406],
            [(a, b) for a, b in spans if not 396 < (a + b) / 2 < 406],
        )
        for cells, spans in CONTINUED_UNRULED
    ]
    values = read_applications(_scanned_rows(without), "2019", scanned=True).values
    assert all(v is None for key in truth for v in values[key].values())
    # a mark read in two rows between two columns: eight places for seven columns, none taken
    marked = [
        ([*cells, "1"], [*spans, (384.0, 388.0)])
        if cells[0] in ("（一）予以公开", "（六）其他处理")
        else (cells, spans)
        for cells, spans in CONTINUED_UNRULED
    ]
    values = read_applications(_scanned_rows(marked), "2019", scanned=True).values
    assert all(v is None for v in values["carried_forward"].values())
    # 上海 2019 with its headings not read: 科研机构 prints nothing, and nothing is placed by the values
    unread = [(["商业企业科研机构社会公益组识法律服务机构其他"], [(360.9, 548.2)]), *SHANGHAI_UNRULED[4:]]
    values = read_applications(_scanned_rows(unread), "2019", scanned=True).values
    shanghai = _shanghai_truth()
    assert all(values[k][c] in (None, v) for k, row in shanghai.items() for c, v in row.items())


#: Table 4 of generated seed 27001 (bench/scan_ocr.py --unruled --blank-zeros, tuning), printed without
#: rules with specks at 150 dpi, as the scan's rows came out (cells and their boxes' edges, points): the
#: template's equal columns under wrapped headings, and a row of six readings for fifteen columns (blanks
#: for none). Printed: 行政复议 尚未审结 3, 总计 3; 未经复议直接起诉 结果纠正 3, 总计 3; 复议后起诉 结果维持 2, 总计 2.
SEED_27001_TABLE_4 = [
    (["四、政府信息公开行政复议、行政诉讼情况"], [(56.2, 257.8)]),
    (["行政复议", "行政诉讼"], [(117.6, 157.4), (360.5, 398.4)]),
    (["未经复议直接起诉", "复议后起诉"], [(261.1, 336.0), (436.8, 483.8)]),
    (["结果维结果纠其他结尚未审 总计"], [(58.6, 213.6)]),
    (
        ["持", "正 果", "结", "结果维结果纠其他结尚未审 总计 结果维结果纠其他结尚未审 总计"],
        [(67.7, 80.6), (100.8, 144.5), (163.7, 176.6), (219.4, 535.7)],
    ),
    (
        ["3", "3", "3", "3", "2", "2"],
        [(165.6, 171.4), (198.2, 202.6), (261.6, 267.8), (357.6, 365.3), (389.8, 405.6), (519.4, 525.6)],
    ),
]


def test_a_review_row_printed_with_blanks_stands_where_the_group_headings_place_it():
    """Generated seed 27001 printed unruled with blanks for none: table 4's row is six readings for fifteen
    columns, and it was null (``6 values for 15 columns``). Its group headings stand centred over their five
    equal columns each, at one spacing: the columns are a fifth of it apart, each reading is placed at its
    own, and a group stands when its total, read, witnesses its readings with the blanks as none."""
    nulls = dict.fromkeys(T.REVIEW_COLUMNS)
    rows = _scanned_rows(SEED_27001_TABLE_4)
    result = read_review(rows, scanned=True)
    assert result.values == {
        "review": {**nulls, "pending": 3, "total": 3},
        "litigation_direct": {**nulls, "corrected": 3, "total": 3},
        "litigation_after_review": {**nulls, "upheld": 2, "total": 2},
    }
    assert result.warnings == []
    # 行政复议 alone on its line above the table's first row, 行政诉讼 not found (seed 32002, tuning): a line of
    # one cell is no table's row, and the headings still place the readings
    alone = [SEED_27001_TABLE_4[0], (["行政复议"], [(117.6, 157.4)]), *SEED_27001_TABLE_4[2:]]
    assert read_review(_scanned_rows(alone), scanned=True).values == result.values
    # the first reading not read (the scan's ``�2``: a speck beside the 2): its group has no witness left
    doubted = [
        *SEED_27001_TABLE_4[:-1],
        ([*SEED_27001_TABLE_4[-1][0][:4], UNREADABLE_MARK + "2", "2"], SEED_27001_TABLE_4[-1][1]),
    ]
    values = read_review(_scanned_rows(doubted), scanned=True).values
    assert values["litigation_after_review"] == nulls and values["review"]["pending"] == 3
    # a group whose readings its total does not witness (3 beside a total of 4) is null, the others stand
    wrong = [*SEED_27001_TABLE_4[:-1], (["3", "4", "3", "3", "2", "2"], SEED_27001_TABLE_4[-1][1])]
    values = read_review(_scanned_rows(wrong), scanned=True).values
    assert values["review"] == nulls and values["litigation_direct"]["total"] == 3
    # group headings at no one spacing (上海 2019's columns of their own widths): no placement
    uneven = [
        SEED_27001_TABLE_4[0],
        (["行政复议", "行政诉讼"], [(90.0, 130.0), (360.5, 398.4)]),
        *SEED_27001_TABLE_4[2:],
    ]
    assert set(read_review(_scanned_rows(uneven), scanned=True).values["review"].values()) == {None}
    assert review_centres(_scanned_rows(uneven)) is None
    centres = review_centres(rows)
    assert centres is not None and [round(x) for x in centres[::5]] == [73, 234, 396]
    # a speck read beside a heading (tuning seed 34004: ``未经复议直接起诉·``, and the row was null) is none of it
    speck = [*SEED_27001_TABLE_4[:2], (["未经复议直接起诉·", "复议后起诉"], [(261.1, 339.0), (436.8, 483.8)])]
    assert read_review(_scanned_rows([*speck, *SEED_27001_TABLE_4[3:]]), scanned=True).values == result.values
    # a heading found twice (a transposed table's row label) places nothing
    twice = [*SEED_27001_TABLE_4[:3], (["行政复议"], [(600.0, 640.0)]), *SEED_27001_TABLE_4[3:]]
    assert review_centres(_scanned_rows(twice)) is None
    # nor on a ruled page, whose row of fewer cells than columns is no blank-printed row
    ruled = [Row(r.cells, table=r.table, xs=r.xs, spans=r.spans, ruled=True) for r in rows]
    assert set(read_review(ruled, scanned=True).values["review"].values()) == {None}


def test_two_columns_values_read_as_one_box_between_them_are_parted_where_the_sums_hold():
    """上海 2019 printed with horizontal rules only (bench/real_scans.py "horizontal rules 200 dpi"): （七）总计's
    其他 1 and 总计 805, narrow columns, were read as one box, ``1805``, standing between the two columns, and
    the row was null, and with it every result row the column sums witness (26 cells). Its digits are parted
    between the two columns where exactly one parting adds up with the blanks as none: 767 + 35 + 2 + 1 = 805."""
    truth = _shanghai_truth()
    lines = [list(line) for line in SHANGHAI_UNRULED]
    total = next(k for k, (cells, _) in enumerate(lines) if cells[0] == "（七）总计")
    cells, spans = lines[total]
    lines[total] = ([*cells[:4], "1805"], [*spans[:4], (538.0, 565.1)])
    result = read_applications(_scanned_rows(lines), "2019", scanned=True)
    assert result.values["total_processed"] == truth["total_processed"]
    assert any("parted between their columns" in w for w in result.warnings)
    assert result.values["granted"]["natural_person"] == 258  # the column sums witness the result rows again
    # a box between two columns whose digits no parting adds up with (1806): null
    lines[total] = ([*cells[:4], "1806"], [*spans[:4], (538.0, 565.1)])
    assert set(read_applications(_scanned_rows(lines), "2019", scanned=True).values["total_processed"].values()) == {
        None
    }
    # nor a box between two columns one of which holds a reading of its own (a speck's 1 beside 1805)
    lines[total] = ([*cells[:4], "1", "1805"], [*spans[:4], (538.9, 540.7), (538.0, 565.1)])
    assert set(read_applications(_scanned_rows(lines), "2019", scanned=True).values["total_processed"].values()) == {
        None
    }
    # nor between columns whose values would be no neighbours (a box off every column and every midway)
    lines[total] = ([*cells[:4], "1805"], [*spans[:4], (520.0, 547.1)])
    assert set(read_applications(_scanned_rows(lines), "2019", scanned=True).values["total_processed"].values()) == {
        None
    }


def test_marks_where_the_labels_print_and_specks_read_as_marks_are_no_values_of_an_unruled_row():
    """Unruled scans with specks at 150 dpi (bench/scan_ocr.py, tuning seeds 31000 and 31002): a label over two
    lines has its values on its second line, and a speck there in the labels' column was read as a mark
    (``� | 0 | 0 …``, eight readings for seven columns: the row was null); a speck touching a 0 was read with
    it (``+ ∓0``) and a lone one between two values as ``+``, and each parted the row's values in two (seven
    zeros read as four). Neither stands in a column: the rows read whole. A reading at a column stays."""
    rows = [
        _at(label, cells, list(range(7))) for label, cells in _full_table3(granted=["3", "1", "0", "0", "0", "0", "4"])
    ]
    keys = [r.key for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates]
    at = keys.index("unable_not_held")
    rows[at : at + 1] = [
        Row(["1.本机关不掌握相关政府"], table=True, xs=[100.0]),
        Row(
            [UNREADABLE_MARK, "0", "0", "0", "0", "0", "0", "0"],
            table=True,
            xs=[40.0, *(300.0 + 60 * k for k in range(7))],
        ),
        Row(["信息"], table=True, xs=[100.0]),
    ]
    at = keys.index("granted")
    rows[at] = Row(
        ["（一）予以公开", "2", "3", "1", "0", "0", "0", "0", "4"],
        table=True,
        xs=[60.0, 110.0, *(300.0 + 60 * k for k in range(7))],
    )
    at = keys.index("unable_unclear")
    rows[at : at + 1] = [
        Row(["3.补正后申请内容仍不明", "+"], table=True, xs=[100.0, 360.0]),
        Row(["0", "∓0", "0", "+ ∓0", "0", "+", "0", "0"], table=True, xs=[300, 360, 420, 478, 540, 570, 600, 660]),
        Row(["确"], table=True, xs=[100.0]),
    ]
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert list(result.values["unable_not_held"].values()) == [0] * 7
    assert list(result.values["granted"].values()) == [3, 1, 0, 0, 0, 0, 4]  # its item number, 2, no value
    assert list(result.values["unable_unclear"].values()) == [0] * 7
    # a mark not read at a column holds its place: the row is null but for what its columns confirm
    rows[at + 1] = Row(
        ["0", UNREADABLE_MARK, "0", "0", "0", "0", "0"], table=True, xs=[300.0 + 60 * k for k in range(7)]
    )
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert result.values["unable_unclear"]["commercial"] is None


def test_a_values_digits_read_apart_in_one_box_are_joined_only_where_one_joining_adds_up():
    """An unruled scan with specks at 150 dpi (tuning seed 31004, clean): research's 21 and social welfare's 18
    were read in one box as ``21 1 ∓8`` (a speck between the 1 and the 8), each part standing where the box
    does, and the row of eight readings for seven columns was null. Readings of one box are joined where
    exactly one joining adds up: 148 + 35 + 21 + 18 + 31 + 39 = 292 (211 | 8 adds up to nothing)."""
    printed = ["148", "35", "21", "18", "31", "39", "292"]
    rows = [
        _at(label, cells, list(range(7)))
        for label, cells in _full_table3(new_received=printed, granted=printed, total_processed=printed)
    ]
    keys = [r.key for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates]
    at = keys.index("total_processed")
    label = rows[at].cells[0]
    xs = [100.0, 300.0, 360.0, 450.0, 450.0, 450.0, 600.0, 660.0, 720.0]
    rows[at] = Row([label, "148", "35", "21", "1", "∓8", "31", "39", "292"], table=True, xs=xs)
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert list(result.values["total_processed"].values()) == [148, 35, 21, 18, 31, 39, 292]
    assert any("digits read apart" in w for w in result.warnings)
    # parts of two boxes are never joined (each stands where its own box does)
    rows[at] = Row([label, "148", "35", "21", "1", "8", "31", "39", "292"], table=True, xs=[*xs[:5], 455.0, *xs[6:]])
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert result.values["total_processed"]["social_welfare"] is None
    # nor where two joinings add up (11 | 0 read 1 1 0: 11 + 0 = 1 + 10)
    rows[at] = Row([label, "148", "35", "1", "1", "0", "31", "39", "264"], table=True, xs=xs)
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert result.values["total_processed"]["research"] is None


def test_a_line_of_values_between_two_rows_one_key_apart_is_the_row_whose_label_was_lost():
    """Unruled scan with specks at 150 dpi (tuning seed 31004, rough): the detector lost 4.保护第三方合法权益
    (its item number read alone, in the labels' column), and its values, a line between 3. and 5.'s rows,
    belonged to no row: seven cells null. The template's order places them, and its sums witness the row.
    Two keys between the rows found, or values that belong to the row before: no such row."""
    rows = [_at(label, cells, list(range(7))) for label, cells in _full_table3()]
    keys = [r.key for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates]
    at = keys.index("denied_third_party")
    printed = ["1", "3", "0", "4", "5", "5", "18"]
    rows[at] = Row(["∓4", *printed], table=True, xs=[40.0, *(300.0 + 60 * k for k in range(7))])
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert list(result.values["denied_third_party"].values()) == [1, 3, 0, 4, 5, 5, 18]
    assert result.values["denied_internal_affairs"]["total"] == 0
    # its sums refute it: null but where its column's sum confirms a reading, as any row's
    rows[at] = Row(["∓4", *printed[:-1], "19"], table=True, xs=[40.0, *(300.0 + 60 * k for k in range(7))])
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert [v for v in result.values["denied_third_party"].values() if v is not None] == [0]
    # two rows' labels lost: the values stand for neither
    rows[at] = Row(["∓4", *printed], table=True, xs=[40.0, *(300.0 + 60 * k for k in range(7))])
    rows[at + 1] = Row(
        ["5", "0", "0", "0", "0", "0", "0", "0"], table=True, xs=[40.0, *(300.0 + 60 * k for k in range(7))]
    )
    result = read_applications([HEADER, *rows], "2021", scanned=True)
    assert set(result.values.get("denied_third_party", {}).values()) <= {None}
    # and a text layer's rows are never placed so
    rows[at + 1] = _at(*_full_table3()[at + 1], list(range(7)))
    rows[at] = Row(printed, table=True, xs=[300.0 + 60 * k for k in range(7)])
    assert read_applications([HEADER, *rows], "2021", scanned=True).values["denied_third_party"]["total"] == 18
    assert set(read_applications([HEADER, *rows], "2021").values.get("denied_third_party", {}).values()) <= {None}


def test_a_line_of_values_in_the_columns_the_row_above_holds_is_another_rows():
    """Unruled speckle rough scan at 150 dpi, blank for none (tuning seed 34004): （二）部分公开's label was not
    found, and its values 16 5 2 2 25, a line below 予以公开's 3 2 2 5 12, joined that row, which prints fewer
    values than columns: ten readings, and both rows null. A line standing in the columns the row's own values
    hold is another row's: here the row whose label was lost, between two rows one key apart. A line in the
    columns the row leaves blank still joins it (a total printed at its cell's top)."""
    keys = [r.key for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates]
    rows = {r.key: r.label for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates}
    at = keys.index("granted")
    lines = [
        _at(rows["new_received"], ["19", "3", "2", "2", "2", "5", "33"], list(range(7))),
        _at(rows["granted"], ["3", "2", "2", "5", "12"], [1, 2, 3, 5, 6]),
        Row(["16", "5", "2", "2", "25"], table=True, xs=[300.0 + 60 * k for k in (0, 1, 3, 4, 6)]),
        _at(rows[keys[at + 2]], ["0"] * 7, list(range(7))),
    ]
    result = read_applications([HEADER, *lines], "2021", scanned=True)
    granted, partially = result.values["granted"], result.values["partially_granted"]
    assert [granted[c] for c in ("commercial", "research", "social_welfare", "other_org", "total")] == [3, 2, 2, 5, 12]
    assert [partially[c] for c in ("natural_person", "commercial", "social_welfare", "legal_service", "total")] == [
        16,
        5,
        2,
        2,
        25,
    ]
    # the same line in the columns the row leaves blank is the row's own
    lines[2] = Row(["9", "3"], table=True, xs=[300.0, 540.0])
    lines[1] = _at(rows["granted"], ["2", "2", "5", "21"], [1, 2, 5, 6])
    result = read_applications([HEADER, *lines], "2021", scanned=True)
    assert result.values["granted"]["natural_person"] == 9 and result.values["granted"]["total"] == 21


def test_a_mark_not_read_between_two_columns_of_an_unruled_row_is_a_speck():
    """Unruled speckle rough scan at 150 dpi, blank for none (tuning seed 34002): specks between two columns
    read as marks not read (``1 | ∓3 | � | 4``, the � between 社会公益组织 and 法律服务机构) made the rows'
    readings stand at no columns of their own, and three rows were null though each adds up. A mark with no
    digits between two columns is no value's; at a column it is one not read, and stays."""
    rows = {r.key: r.label for r in T.APPLICATION_ROWS if T.TEMPLATE_2021 in r.templates}
    full = _at(rows["new_received"], ["19", "3", "2", "2", "2", "5", "33"], list(range(7)))

    def read(cells: list[str], xs: list[float]):
        line = Row([rows["denied_process_info"], *cells], table=True, xs=[100.0, *xs])
        return read_applications([HEADER, full, line], "2021", scanned=True).values["denied_process_info"]

    at = [300.0 + 60 * k for k in range(7)]
    values = read(["1", "∓3", UNREADABLE_MARK, "4"], [at[1], at[2], (at[3] + at[4]) / 2 + 8, at[6]])
    assert [values[c] for c in ("commercial", "research", "total")] == [1, 3, 4]
    assert values["social_welfare"] is None and values["legal_service"] is None  # printed blank
    # at a column, a mark not read is a value not read: null, the rest of its row as the sums witness it
    values = read(["1", "∓3", UNREADABLE_MARK, "4"], [at[1], at[2], at[4], at[6]])
    assert values["legal_service"] is None and values["total"] == 4
    # a reading with digits between two columns still stands at none: the row is null
    values = read(["1", "∓3", "5", "4"], [at[1], at[2], (at[3] + at[4]) / 2 + 8, at[6]])
    assert set(values.values()) == {None}
