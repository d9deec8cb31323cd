"""Unruled tables on a scan: the columns the numbers' positions make, and the slots read again there.

Cases from generated unruled scans (bench/scan_ocr.py --unruled, tuning seeds 11000-11003): a detector
misses lone digits beside a speck (the 0 of 36 | 0 | 0, the 4 of 0 | 3 | 5 | 0 | 4), reads a 0 as ``o``, and
splits letter-spaced numbers (分散对齐: ``1`` and ``2.`` for 12); a line of table 4's fifteen numbers lost its
first. Boxes are ``(x0, y0, x1, y1, text, confidence)`` in page pixels, digits 20 high."""

from __future__ import annotations

import numpy as np
import pymupdf

from parsers.unruled import column_slots

H = 20.0


def _box(x: float, y: float, text: str, width: float = 12.0) -> tuple:
    return (x, y, x + width, y + H, text, 0.99)


def _digits(box: tuple) -> bool:
    return box[4].isdigit() or box[4] == "\u25a1"  # read as digits, or found by its ink


def _slots(boxes: list[tuple]) -> list[tuple]:
    from parsers.ocrdoc import _slot_kind

    return column_slots(boxes, _slot_kind, H)


def _open(boxes: list[tuple]) -> list[tuple]:
    """The slots that do not hold one number read as digits (those the reader reads again for sure)."""
    return [s for s in _slots(boxes) if not (len(s[1]) == 1 and _digits(boxes[s[1][0]]))]


#: three columns at x 200, 300, 400 (centres 206, 306, 406), lines 50 apart, a label at the left
LABEL = (20.0, 0.0, 150.0, H, "一、本年新收政府信息公开申请数量", 0.99)


def _table(*lines: list[str | None]) -> list[tuple]:
    boxes = []
    for n, line in enumerate(lines):
        y = 100.0 + 50 * n
        boxes.append((LABEL[0], y, LABEL[2], y + H, LABEL[4], 0.99))
        boxes += [_box(200.0 + 100 * k, y, text) for k, text in enumerate(line) if text is not None]
    return boxes


def test_a_value_the_detector_left_out_is_a_slot_in_its_column():
    boxes = _table(["3", "5", "8"], ["0", None, "4"], ["7", "1", "8"])
    slots = _open(boxes)
    assert len(slots) == 1 and len(_slots(boxes)) == 9
    (x0, y0, x1, y1), held, guessed = slots[0]
    assert held == [] and not guessed
    assert x0 <= 300 and x1 >= 312 and y0 == 150 and y1 == 150 + H  # the middle column, the second line
    assert 212 < x0 and x1 < 400  # never into the next column's numbers


def test_marks_found_by_their_ink_alone_make_no_table():
    # specks as high as a digit may fall in a row; a run of lines the detector read no number in is no table
    boxes = _table(["\u25a1", "\u25a1", "\u25a1"], ["\u25a1", "\u25a1", "\u25a1"])
    assert _slots(boxes) == []
    boxes[2] = (*boxes[2][:4], "3", 0.99)  # one number read: a table, whose every place is read
    assert len(_slots(boxes)) == 6


def test_marks_where_a_column_prints_are_read_again_and_a_label_never():
    boxes = _table(["3", "5", "8"], ["0", "o", "4"], ["7", "1", "8"])
    ((_, held, _),) = _open(boxes)
    assert [boxes[i][4] for i in held] == ["o"]
    boxes = _table(["3", "5", "12"], ["0", "5", None], ["7", "1", "8"])
    boxes += [_box(398.0, 150.0, "1", 8.0), _box(404.0, 150.0, "2.", 10.0)]  # 12 split, a speck read as its point
    ((_, held, _),) = _open(boxes)
    assert [boxes[i][4] for i in held] == ["1", "2."]
    # a label's words reaching into the column: not a value's slot
    boxes = _table(["3", "5", "8"], ["0", None, "4"], ["7", "1", "8"])
    boxes.append((280.0, 150.0, 320.0, 150 + H, "其他", 0.99))
    assert _open(boxes) == []
    # a label's last line ending just before the column (seed 11000, rough: 3．危及"三安全一稳定" beside a 0 the
    # detector left out): it bounds the slot, which stays
    boxes = _table(["3", "5", "8"], [None, "5", "4"], ["7", "1", "8"])
    boxes.append((100.0, 150.0, 195.0, 150 + H, "三安全一稳定”", 0.99))
    ((x0, _, x1, _), held, _) = _open(boxes)[0]
    assert held == [] and x0 == 195.0 and x1 > 212


def test_a_slot_reaches_a_digit_past_its_column_and_never_into_a_column_never_read():
    """Seed 11003 (scanner noise, 300 dpi): table 2's 本年增/减 ``- 1`` was missed in both lines of its
    block, so no column was learnt there; a slot reaching halfway to the next column took its 1 for a
    digit of 10333 (110333, written). A slot reaches one digit height past the numbers seen in its column."""
    lines = [["6594", None, "7330"], ["27", None, "10333"]]
    boxes = []
    for n, line in enumerate(lines):
        y = 100.0 + 50 * n
        boxes += [_box(100.0 + 300 * k, y, t, 12.0 * len(t)) for k, t in enumerate(line) if t is not None]
    slots = _slots(boxes)
    assert len(slots) == 4 and _open(boxes) == []  # each a number read: the reader judges the ink beside it
    spans = [(100.0, 148.0), (700.0, 760.0)]
    assert all(any(left - H <= x0 and x1 <= right + H for left, right in spans) for (x0, _, x1, _), _, _ in slots)
    # the minus column's 1 would print at x ~400: in no slot
    assert not any(x0 <= 400 <= x1 for (x0, _, x1, _), _, _ in slots)


def test_a_lone_line_at_a_regular_pitch_has_its_gaps_and_ends_as_slots():
    # table 4 printed in one row: fifteen numbers 67 px apart, the first and the eighth left out
    xs = [100.0 + 67 * k for k in range(15)]
    boxes = [_box(x, 500.0, "3") for k, x in enumerate(xs) if k not in (0, 7)]
    slots = _open(boxes)
    empty = sorted(((x0 + x1) / 2, guessed) for (x0, _, x1, _), held, guessed in slots if not held)
    assert [round(x) for x, _ in empty] == [round(xs[0] + 6), round(xs[7] + 6), round(xs[14] + 67 + 6)]
    assert [guessed for _, guessed in empty] == [True, False, True]  # past the ends: only a sure number counts
    # numbers at no regular pitch (淮安 2024's table 4 printed unruled: a Word table's columns of their own
    # widths): each is its own place, a guess (only a number read there with confidence counts), and a
    # number found by its ink alone is read there; a place never holds two numbers (178 letter-spaced into
    # 37 beside it had been read with 351 as 17837351)
    irregular = [_box(x, 500.0, "3") for x in (100.0, 160.0, 300.0, 330.0, 480.0, 700.0)]
    irregular.append(_box(600.0, 500.0, "\u25a1", 6.0))  # the thin 1 the detector left out, found by its ink
    slots = _slots(irregular)
    assert len(slots) == 7 and all(guessed and len(held) == 1 for _, held, guessed in slots)
    irregular[1] = (160.0, 500.0, 310.0, 500 + H, "178 37", 0.99)  # across the next number's place
    assert all(1 not in held for _, held, _ in _slots(irregular))


def test_a_column_the_detector_missed_and_read_again_in_a_rendered_unruled_table(monkeypatch):
    """End to end on a rendered page (the recogniser runs): a 0 left out of a line is read in its slot; the
    row then adds up and stands."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _binary, _opened, _read_slots

    page = pymupdf.open().new_page(width=300, height=120)
    rows = [["3", "5", "8"], ["2", "0", "2"], ["7", "1", "8"]]
    for n, row in enumerate(rows):
        for k, text in enumerate(row):
            page.insert_text((80 + 60 * k, 30 + 30 * n), text, fontsize=12)
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()
    raw = _binary(gray)
    scale = 150 / 72

    def box(k: int, n: int, text: str) -> tuple:
        x, y = (80 + 60 * k) * scale, (30 + 30 * n) * scale
        return (x - 3, y - 20, x + 17, y + 5, text, 0.99)

    boxes = [box(k, n, t) for n, row in enumerate(rows) for k, t in enumerate(row) if (n, k) != (1, 1)]
    # a column the detector missed in every line (淮安 2024 printed unruled at 200 dpi: none of a page's small
    # 0s was found): its places are learnt from the ink and read
    missed = [b for b in boxes if b[4] not in ("5", "1")]
    _, added, unread = _read_slots(gray, raw, _opened(raw), missed, [], 25.0)
    assert [b[4] for b in sorted(added, key=lambda b: b[1])] == ["5", "0", "1"] and unread == 0
    # a page's reads are bounded (a page of specks as high as digits): the rest are counted, not read
    monkeypatch.setattr(ocrdoc, "MAX_SLOT_READS", 1)
    _, added, unread = _read_slots(gray, raw, _opened(raw), missed, [], 25.0)
    assert len(added) == 1 and unread == 2
    kept, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert kept == boxes
    assert [b[4] for b in added] == ["0"]
    assert abs((added[0][0] + added[0][2]) / 2 - (80 + 60 + 3) * scale) < 10


def test_a_number_left_out_wholly_is_found_by_its_ink_letter_spaced_and_with_its_comma():
    """Seed 11000, unruled speckle scan at 150 dpi: 11,050 printed letter-spaced (1 1 , 0 5 0) was left out
    by the detector; its ink made two numbers, 11 and 050, in two lines alike, so two places were learnt
    and 11 was read in one and written. Marks of one line a digit's height apart or less, or two with a
    comma or point between, are one number."""
    from parsers.ocrdoc import _INK, _ink_numbers

    ink = np.zeros((60, 400), np.uint8)
    for x in (100, 118, 160, 178, 196):  # digits 10 wide, 15 high: 1 1 , 0 5 0
        ink[20:35, x : x + 10] = 255
    ink[32:37, 141:144] = 255  # the comma, on the baseline 30 px after the second 1
    ink[20:35, 300:310] = 255  # another column's digit, 94 px on
    found = _ink_numbers(ink, [], [], 20.0)
    assert [(b[0], b[2], b[4]) for b in found] == [(100.0, 206.0, _INK), (300.0, 310.0, _INK)]
    # no comma between: two numbers 32 px apart (more than a digit's height) stay two
    ink[32:37, 141:144] = 0
    assert len(_ink_numbers(ink, [], [], 20.0)) == 3
    # inside a detector's box or a ruled cell: not the ink of a number left out
    assert _ink_numbers(ink, [(95.0, 15.0, 215.0, 40.0, "11,050", 0.99)], [], 20.0)[0][0] == 300.0
    assert _ink_numbers(ink, [], [(90.0, 10.0, 320.0, 50.0)], 20.0) == []


def test_counts_with_their_units_run_together_are_parted_at_each_unit():
    """Seed 17000, unruled speckle scan (the generated reports print half their tables with units): the
    detector ran a row's values into one box, ``0件.0件0件0件0件0件`` (a speck read as a point), and the rows
    were lost (10 of 225 cells read). A unit ends its count: the box is parted there, each part its share
    of the box's width. Inside a ruled cell, or for words, nothing is parted."""
    from parsers.ocrdoc import _split_at_units

    box = (100.0, 10.0, 400.0, 30.0, "0件.0件12件", 0.98)
    parts = _split_at_units([box], [])
    assert [p[4] for p in parts] == ["0件", "0件", "12件"]
    assert [round(p[0]) for p in parts] == [100, 190, 280] and parts[-1][2] == 400.0  # a unit two digits wide
    assert _split_at_units([box], [(90.0, 0.0, 410.0, 40.0)]) == [box]
    words = (100.0, 10.0, 400.0, 30.0, "本年新收政府信息公开申请数量", 0.98)
    assert _split_at_units([words], []) == [words]


def test_an_empty_crop_is_no_glyph_and_never_crashes_the_process():
    # OpenCV's connected components crashed the parser on a place with no room (labels on both sides)
    from parsers.ocrdoc import _glyphs

    assert _glyphs(np.zeros((20, 0), np.uint8)) is None
    assert _glyphs(np.zeros((20, 40), np.uint8)[:, 10:11]) is None


def test_the_bench_prints_a_real_layout_without_its_rules_and_keeps_its_text():
    """bench/real_scans.py's unruled degradations: the same PDF with its tables' line art taken out (all
    of it, or the vertical rules alone), its text as it was."""
    from bench.real_scans import without_rules

    document = pymupdf.open()
    page = document.new_page(width=300, height=200)
    for y in (40, 80, 120):
        page.draw_line((20, y), (280, y))
    for x in (20, 150, 280):
        page.draw_line((x, 40), (x, 120))
    page.insert_text((30, 70), "3119", fontsize=12)
    pdf = document.tobytes()

    def lines(data: bytes) -> list[str]:
        drawn = pymupdf.open(stream=data, filetype="pdf")[0].get_drawings()
        return sorted("h" if d["rect"].height < 1 else "v" for d in drawn for _ in d["items"])

    assert lines(pdf) == ["h", "h", "h", "v", "v", "v"]
    assert without_rules(pdf, "all") == pdf
    assert lines(without_rules(pdf, "none")) == []
    assert lines(without_rules(pdf, "horizontal")) == ["h", "h", "h"]
    for keep in ("none", "horizontal"):
        assert "3119" in pymupdf.open(stream=without_rules(pdf, keep), filetype="pdf")[0].get_text()
