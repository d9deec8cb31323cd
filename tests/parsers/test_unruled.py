"""Unruled tables on a scan: the columns the numbers' positions make, and the slots read again there.

Cases from generated unruled scans (bench/scan_ocr.py --unruled, tuning seeds 11000-11003): a detector
misses lone digits beside a speck (the 0 of 36 | 0 | 0, the 4 of 0 | 3 | 5 | 0 | 4), reads a 0 as ``o``, and
splits letter-spaced numbers (分散对齐: ``1`` and ``2.`` for 12); a line of table 4's fifteen numbers lost its
first. Boxes are ``(x0, y0, x1, y1, text, confidence)`` in page pixels, digits 20 high."""

from __future__ import annotations

import numpy as np
import pymupdf

from parsers.unruled import places
from parsers.values import UNREADABLE_MARK

H = 20.0
#: A page with no marks: the boxes alone decide.
_BLANK_INK = np.zeros((1200, 1000), np.uint8)


def _box(x: float, y: float, text: str, width: float = 12.0) -> tuple:
    return (x, y, x + width, y + H, text, 0.99)


def _digits(box: tuple) -> bool:
    return box[4].isdigit() or box[4] == "\u25a1"  # read as digits, or found by its ink


def _slots(boxes: list[tuple]) -> list[tuple]:
    from parsers.ocrdoc import _slot_kind

    return places(boxes, _slot_kind, H).values


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


def test_a_number_is_where_it_prints_not_where_a_speck_after_it_widens_its_box():
    """Seed 37004 (unruled, blank for none, rough): a speck read after 32 (``32.``) widened its box into the
    next column's place and barred it: the next column's 16, found by its ink, had no place on that line to
    be read in, and the row was lost. Measured from where 32 prints, the place is the 16's."""
    from parsers.ocrdoc import _slot_kind

    boxes = [
        *_table(["3", "5", "8"], ["0", "6", "4"], ["7", "1", "8"]),
        (200.0, 250.0, 284.0, 250.0 + H, "32.", 0.75),  # its digits print 200-224, the speck at 280
        (300.0, 250.0, 312.0, 250.0 + H, "\u25a1", 0.0),  # 16, found by its ink: 16 px from the box
        _box(400.0, 250.0, "9"),
    ]

    def printed(box: tuple) -> tuple[float, float]:
        return (box[0], box[0] + 24.0) if box[4] == "32." else (box[0], box[2])

    def held_on_the_line(found) -> list[list[str]]:
        return [[boxes[i][4] for i in held] for (x0, y0, x1, y1), held, _ in found.values if y0 == 250.0]

    assert ["\u25a1"] in held_on_the_line(places(boxes, _slot_kind, H, printed))
    assert ["\u25a1"] not in held_on_the_line(places(boxes, _slot_kind, H))  # the box's span: no place for it


def test_a_value_the_detector_left_out_is_a_slot_in_its_column():
    boxes = _table(["3", "5", "8"], ["0", None, "4"], ["7", "1", "8"])
    slots = _open(boxes)
    assert len(slots) == 1 and len(_slots(boxes)) == 9
    (x0, y0, x1, y1), held, guessed = slots[0]
    assert held == [] and not guessed
    assert x0 <= 300 and x1 >= 312 and y0 == 150 and y1 == 150 + H  # the middle column, the second line
    assert 212 < x0 and x1 < 400  # never into the next column's numbers


def test_marks_found_by_their_ink_alone_make_a_table_only_in_a_table_s_shape():
    """Specks as high as a digit may fall in a row: marks the detector read no number among are a table only
    when every line is led by a label and prints one mark in each column, all about as high (淮安 2024's
    table 2, 规章 1 0 11 and 行政规范性文件 8 26 66, left out wholly by the detector on an unruled speckle
    scan at 150 dpi, real_scans.py)."""
    ink = "\u25a1"
    assert len(_slots(_table([ink] * 3, [ink] * 3))) == 6
    assert _slots(_table([ink] * 3, [ink, None, ink])) == []  # a line short of a column
    assert _slots([b for b in _table([ink] * 3, [ink] * 3) if b[4] == ink]) == []  # no label leads the lines
    boxes = _table([ink] * 3, [ink] * 3)
    x0, y0, x1, y1, text, score = boxes[2]
    boxes[2] = (x0, y0 + 10, x1, y1, text, score)  # a mark half a digit high: a speck
    assert _slots(boxes) == []
    boxes[2] = (x0, y0, x1, y1, "3", 0.99)  # one number read: a table, whose every place is read
    boxes[6] = (*boxes[6][:4], "", 0.0)  # whatever its other lines hold: a place left out is read too
    assert len(_slots([b for b in boxes if b[4]])) == 6


def test_a_lone_line_found_by_its_ink_alone_is_a_table_at_a_regular_pitch():
    """洪泽区 2024's table 4 (1 1 0 0 2 1 0 0 0 1 2 0 1 0 3, fifteen small single digits in one row) was left
    out wholly by the detector on an unruled speckle scan at 150 dpi: marks at a regular pitch are its places;
    as many at no regular pitch are specks."""
    ink = "\u25a1"
    line = [_box(100.0 + 60 * k, 300.0, ink) for k in range(15)]
    assert len(_slots(line)) == 15 + 2  # and one guessed place past either end
    scattered = [_box(100.0 + 60 * k + (25 if k % 2 else 0) + 7 * k * k % 13, 300.0, ink) for k in range(15)]
    assert _slots(scattered) == []
    assert _slots(line[:4]) == []  # too few to show a pitch


def test_marks_where_a_column_prints_are_read_again_and_a_label_never():
    boxes = _table(["3", "5", "8"], ["0", "o", "4"], ["7", "1", "8"])
    ((_, held, _),) = _open(boxes)
    assert [boxes[i][4] for i in held] == ["o"]
    # a 1 read as 一 on the detector's crop of its middle (洪泽区 2024, unruled speckle 150 dpi): a stem to
    # read again where its column prints, not a label's words (which make no slot)
    boxes = _table(["3", "5", "8"], ["0", "一", "4"], ["7", "1", "8"])
    ((_, held, _),) = _open(boxes)
    assert [boxes[i][4] for i in held] == ["一"]
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
    # its box a few pixels into the column (seed 11000, unruled speckle rough: 5 px on a skewed scan, and
    # the 17 beside it was lost): it still ends before it
    boxes[-1] = (100.0, 150.0, 205.0, 150 + H, "三安全一稳定”", 0.99)
    ((x0, _, x1, _), held, _) = _open(boxes)[0]
    assert held == [] and x0 == 205.0 and x1 > 212


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


def _rendered_unruled(rows: list[list[str]]) -> tuple[np.ndarray, list[tuple]]:
    """A page printing ``rows`` of values unruled at 150 dpi (a count's unit as Chinese print sets it), and
    the detector's box of each value, row by row."""
    page = pymupdf.open().new_page(width=300, height=120)
    scale = 150 / 72
    boxes = []
    for n, row in enumerate(rows):
        for k, text in enumerate(row):
            x, y = 80 + 60 * k, 30 + 30 * n
            digits = text.rstrip("件")
            page.insert_text((x, y), digits, fontsize=12)
            right = x + 7 * len(digits)
            if digits != text:
                page.insert_text((right + 2, y), "件", fontsize=12, fontname="china-s")
                right += 14
            boxes.append((x * scale - 3, y * scale - 20, right * scale + 3, y * scale + 5, text, 0.99))
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy(), boxes


def test_a_column_the_detector_missed_and_read_again_in_a_rendered_unruled_table(monkeypatch):
    """End to end on a rendered page (the recogniser runs): a 0 left out of a line is read in its slot; the
    row then adds up and stands."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _binary, _opened, _read_slots

    rows = [["3", "5", "8"], ["2", "0", "2"], ["7", "1", "8"]]
    gray, boxes = _rendered_unruled(rows)
    raw = _binary(gray)
    scale = 150 / 72
    boxes = [b for i, b in enumerate(boxes) if i != 4]  # the detector left out the 0
    # a column the detector missed in every line (淮安 2024 printed unruled at 200 dpi: none of a page's small
    # 0s was found): its places are learnt from the ink and read
    missed = [b for b in boxes if b[4] not in ("5", "1")]
    _, added, unread = _read_slots(gray, raw, _opened(raw), missed, [], 25.0)
    assert [b[4] for b in sorted(added, key=lambda b: b[1])] == ["5", "0", "1"] and unread == 0
    # a page's reads are bounded (a page of specks as high as digits): the rest are counted, not read
    monkeypatch.setattr(ocrdoc, "MAX_SLOT_READS", 1)
    _, added, unread = _read_slots(gray, raw, _opened(raw), missed, [], 25.0)
    assert len(added) == 1 and unread == 2 + 3  # two values' places, and each line's label place
    kept, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert kept == boxes
    assert [b[4] for b in added] == ["0"]
    assert abs((added[0][0] + added[0][2]) / 2 - (80 + 60 + 3) * scale) < 10


def test_a_count_with_its_unit_read_with_a_point_in_its_place_is_kept_for_its_ink_to_judge(monkeypatch):
    """Seed 37001, unruled speckle scan at 150 dpi (rough): 1 9 7 0件 printed letter-spaced with specks was read
    1.9.70件 (a count's digits apart, read again in its place) and there 1.970件 with confidence, which was
    left not read; its row lost the value. A count with its unit read with a point is kept from its place
    for its ink to judge, as every number read with one (``_speck_off_the_line``, ``_point_misread``)."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _binary, _opened, _read_slots

    gray, boxes = _rendered_unruled([["3", "5", "8"], ["2", "1970件", "2"], ["7", "1", "8"]])
    raw = _binary(gray)
    boxes[4] = (*boxes[4][:4], "1.9.70件", 0.99)
    monkeypatch.setattr(ocrdoc, "_recognise", lambda crop: ("1.970件", 0.99))
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in added] == ["1.970件"]


def test_a_number_left_out_wholly_is_found_by_its_ink_letter_spaced_and_with_its_comma():
    """Seed 11000, unruled speckle scan at 150 dpi: 11,050 printed letter-spaced (1 1 , 0 5 0) was left out
    by the detector; its ink made two numbers, 11 and 050, in two lines alike, so two places were learnt
    and 11 was read in one and written. Marks of one line a digit's height apart or less, or two with a
    comma or point between, are one number."""
    from parsers.ocrdoc import _INK, _components, _ink_numbers

    ink = np.zeros((60, 400), np.uint8)
    for x in (100, 118, 160, 178, 196):  # digits 10 wide, 15 high: 1 1 , 0 5 0
        ink[20:35, x : x + 10] = 255
    ink[32:37, 141:144] = 255  # the comma, on the baseline 30 px after the second 1
    ink[20:35, 300:310] = 255  # another column's digit, 94 px on
    found = _ink_numbers(ink, _components(ink), [], [], 20.0)
    assert [(b[0], b[2], b[4]) for b in found] == [(100.0, 206.0, _INK), (300.0, 310.0, _INK)]
    # no comma between: two numbers 32 px apart (more than a digit's height) stay two
    ink[32:37, 141:144] = 0
    assert len(_ink_numbers(ink, _components(ink), [], [], 20.0)) == 3
    # inside a detector's box or a ruled cell: not the ink of a number left out
    assert _ink_numbers(ink, _components(ink), [(95.0, 15.0, 215.0, 40.0, "11,050", 0.99)], [], 20.0)[0][0] == 300.0
    assert _ink_numbers(ink, _components(ink), [], [(90.0, 10.0, 320.0, 50.0)], 20.0) == []


def test_a_mark_left_of_every_word_on_the_page_stands_in_its_margin_and_is_no_number():
    """Seed 32004, unruled speckle scan at 150 dpi, blanks for none (tuning): a speck by the paper's left edge,
    as high as a digit, was found as a number left out; it joined a row of table 3 and, standing left of the
    row's label, made the label a header between two blocks of rows: the lower block learnt only its own
    four columns and lost 3 and 4 of 27 3 5 4 39 (23 cells null). Each row begins with its label, so a mark
    left of every word the page prints is no value; a value with its unit (0件) is no word."""
    from parsers.ocrdoc import _components, _ink_numbers

    ink = np.zeros((60, 400), np.uint8)
    ink[20:35, 5:9] = 255  # the speck, 15 high
    ink[20:35, 300:310] = 255  # a digit of a column
    label = (100.0, 15.0, 200.0, 40.0, "4.保护第三方合法权益", 0.99)
    assert [b[0] for b in _ink_numbers(ink, _components(ink), [label], [], 20.0)] == [300.0]
    assert [b[0] for b in _ink_numbers(ink, _components(ink), [], [], 20.0)] == [5.0, 300.0]
    assert [b[0] for b in _ink_numbers(ink, _components(ink), [(40.0, 15.0, 80.0, 40.0, "0件", 0.9)], [], 20.0)] == [
        5.0,
        300.0,
    ]


def test_a_speck_between_two_columns_values_joins_no_number():
    """洪泽区 2024 printed unruled with specks at 150 dpi (bench/real_scans.py, tuned on): a speck between two
    columns' lone 0s, and another between the second and the next column's 95, joined the three into one
    number across three columns; the column between was lost and 0 0 95 read as ``0.09``. Numbers join across
    a comma only when what follows is a thousands group (three marks) and the ink between is at the digits'
    foot alone."""
    from parsers.ocrdoc import _components, _ink_numbers

    ink = np.zeros((60, 400), np.uint8)
    ink[20:35, 100:110] = 255  # a 0
    ink[20:35, 145:155] = 255  # the next column's 0, 35 px on
    ink[32:35, 126:129] = 255  # a speck on the baseline between
    ink[20:35, 190:200] = ink[20:35, 202:212] = 255  # 95, 35 px on
    ink[24:27, 170:173] = 255  # a speck at mid-height between
    assert [(b[0], b[2]) for b in _ink_numbers(ink, _components(ink), [], [], 20.0)] == [
        (100.0, 110.0),
        (145.0, 155.0),
        (190.0, 212.0),
    ]
    ink[20:35, 214:224] = 255  # 950 after a speck at mid-height: no comma
    assert len(_ink_numbers(ink, _components(ink), [], [], 20.0)) == 3
    ink[24:27, 170:173] = 0
    ink[33:37, 170:173] = 255  # a comma at its foot before 950: 0,950
    assert [(b[0], b[2]) for b in _ink_numbers(ink, _components(ink), [], [], 20.0)] == [(100.0, 110.0), (145.0, 224.0)]


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
    # one count with a speck read as a point before its unit (seed 22004: ``2.件`` read as a label's words,
    # and the row lost a value): a count has no point
    one = (100.0, 10.0, 150.0, 30.0, "2.件", 0.98)
    assert _split_at_units([one], []) == [(*one[:4], "2件", 0.98)]
    assert _split_at_units([one], [(90.0, 0.0, 410.0, 40.0)]) == [one]  # a ruled cell reads its box whole
    amount = (100.0, 10.0, 150.0, 30.0, "2.5万元", 0.98)
    assert _split_at_units([amount], []) == [amount]
    # seed 37000 (rough): a speck after a unit read as a plus (``30件+24件``; the next count's sign, were it
    # one, is judged by its own ink), and a unit whose digit another box holds (``件5件``: 1件's 1 boxed alone,
    # a count not read, for its place to read again); a unit's run of no digit is no count at all
    plus = (100.0, 10.0, 200.0, 30.0, "30件+24件", 0.9)
    assert [p[4] for p in _split_at_units([plus], [])] == ["30件", "24件"]
    lost = (100.0, 10.0, 150.0, 30.0, "件5件", 0.98)
    assert [(round(p[0]), p[4]) for p in _split_at_units([lost], [])] == [(100, UNREADABLE_MARK), (120, "5件")]
    units = (100.0, 10.0, 150.0, 30.0, "件件", 0.98)
    assert _split_at_units([units], []) == [units]


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


def _render(draw, width: int = 400, height: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """A page drawn by ``draw(page)`` at 150 dpi: its grey pixels and its ink (parsers.ocrdoc._binary)."""
    from parsers.ocrdoc import _binary

    page = pymupdf.open().new_page(width=width, height=height)
    draw(page)
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()
    return gray, _binary(gray)


def _labelled_rows(rows: list[tuple[str, list[str]]], height: int) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """Rows of a label and values printed unruled at 150 dpi (labels at x 20, values 70 points apart from x
    150, rows 35 apart): the page's grey pixels, its ink, and the labels' boxes in page pixels."""
    s = 150 / 72

    def draw(page):
        for n, (label, values) in enumerate(rows):
            page.insert_text((20, 40 + 35 * n), label, fontsize=10, fontname="china-s")
            for k, text in enumerate(values):
                page.insert_text((150 + 70 * k, 40 + 35 * n), text, fontsize=12)

    gray, raw = _render(draw, width=400, height=height)
    labels = [(18 * s, (30 + 35 * n) * s, 100 * s, (43 + 35 * n) * s, label, 0.99) for n, (label, _) in enumerate(rows)]
    return gray, raw, labels


def test_a_number_glued_to_its_label_is_parted_where_the_ink_leaves_a_gap():
    """The official template filled with 淮安 2024's record, printed unruled (bench/real_scans.py, tuned on):
    the detector read ``行政机关不再处理其政府信息公开67`` as one box (the label's line ends close to the
    first column), so 67 had no position and its row was lost. The box is parted at the blank before the
    number's digits; without a blank there, or for words alone, it stays whole."""
    from parsers.ocrdoc import _opened, _part_glued

    label = "行政机关不再处理其政府信息公开"
    s = 150 / 72

    def draw(page):
        page.insert_text((20, 35), label, fontsize=12, fontname="china-s")
        page.insert_text((203, 35), "67", fontsize=12)

    _, raw = _render(draw, height=60)
    box = (18 * s, 22 * s, 218 * s, 39 * s, label + "67", 0.99)
    parts = _part_glued([box], [], _opened(raw), 25.0)
    assert [p[4] for p in parts] == [label, "67"]
    assert parts[0][2] < 203 * s <= parts[1][0] < 205 * s and parts[1][2] == box[2]
    # inside a ruled cell the rules part them; words alone are no number
    assert _part_glued([box], [(0.0, 0.0, 500.0, 100.0)], _opened(raw), 25.0) == [box]
    words = (*box[:4], label + "申请", 0.99)
    assert _part_glued([words], [], _opened(raw), 25.0) == [words]
    # no blank where the digits begin (the label's ink runs on): whole
    assert _part_glued([box], [], np.full_like(raw, 255), 25.0) == [box]


def test_an_amount_or_a_number_after_specks_glued_to_its_label_is_parted_too():
    """平潭 2024 and 2025 printed unruled with specks at 150 dpi (bench/real_scans.py, tuned on since): the
    detector read ``行政事业性收费4166.241619`` and ``2.其他法律行政法规禁止公开.，0`` (specks between) as
    one box each, so the fees' row had no label and 0 no place: an amount's point is half a digit wide, and
    specks read between the label and the number are no print of either."""
    from parsers.ocrdoc import _opened, _part_glued

    s = 150 / 72

    def draw(page):
        page.insert_text((20, 35), "行政事业性收费", fontsize=12, fontname="china-s")
        page.insert_text((110, 35), "4166.241619", fontsize=12)
        page.insert_text((20, 75), "禁止公开", fontsize=12, fontname="china-s")
        page.insert_text((80, 75), "0", fontsize=12)

    _, raw = _render(draw, height=100)
    amount = (18 * s, 22 * s, (110 + 62) * s, 39 * s, "行政事业性收费4166.241619", 0.99)
    (label, a), zero = _part_glued([amount], [], _opened(raw), 25.0), (18 * s, 62 * s, 88 * s, 79 * s)
    assert (label[4], a[4]) == ("行政事业性收费", "4166.241619") and label[2] < 110 * s <= a[0] < 112 * s
    (label, z) = _part_glued([(*zero, "禁止公开.，0", 0.99)], [], _opened(raw), 25.0)
    assert (label[4], z[4]) == ("禁止公开", "0") and label[2] < 80 * s <= z[0] < 82 * s
    # a count with its unit, and an amount no ink parts from its label, stay whole
    assert _part_glued([(*zero, "禁止公开.，0件", 0.99)], [], _opened(raw), 25.0)[0][4] == "禁止公开.，0件"
    assert _part_glued([amount], [], np.full_like(raw, 255), 25.0) == [amount]


def test_two_columns_values_run_into_one_box_are_parted_between_the_columns_and_read_again(monkeypatch):
    """淮安 2024 in the official template, printed unruled at 200 dpi (bench/real_scans.py, tuned on): 1288 and
    21 printed a gap apart that the detector did not part (128821); the two lines that ran together made a
    column of their own between the two, so their place read nothing. A box across two columns' centres is
    parted at the blank nearest the middle between them and each part read again by the recogniser; a
    column centred between two others is no column."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _opened, _parted_at_columns, _slot_kind
    from parsers.unruled import to_part

    s = 150 / 72
    rows = [["3", "5", "8"], ["1288", "21", "4"], ["7", "1", "8"], ["2932", "53", "6"]]

    def draw(page):
        for n, row in enumerate(rows):
            for k, text in enumerate(row):
                # the first column's numbers end at x 112, the second's start at 120
                right = 112 if k == 0 else None
                x = (right - 6.7 * len(text)) if right else 120 + 60 * (k - 1)
                page.insert_text((x, 30 + 30 * n), text, fontsize=12)

    gray, raw = _render(draw)

    def box(x0: float, x1: float, n: int, text: str) -> tuple:
        y = (30 + 30 * n) * s
        return (x0 * s - 2, y - 20, x1 * s + 2, y + 5, text, 0.99)

    boxes = []
    for n, row in enumerate(rows):
        if n % 2:  # the detector's one box over both columns
            boxes.append(box(112 - 6.7 * len(row[0]), 120 + 6.7 * len(row[1]), n, row[0] + row[1]))
        else:
            boxes += [box(112 - 6.7, 112, n, row[0]), box(120, 120 + 6.7, n, row[1])]
        boxes.append(box(180, 180 + 6.7, n, row[2]))
    together, _ = to_part(boxes, _slot_kind, 25.0)
    assert sorted(together) == [3, 8] and all(len(cuts) == 1 for cuts in together.values())
    parted, reads, _ = _parted_at_columns(gray, raw, _opened(raw), boxes, 25.0)
    assert reads == 4  # two parts of each of the two boxes
    read = [b[4] for b in sorted(parted, key=lambda b: (round(b[1] / 20), b[0]))]
    assert read == ["3", "5", "8", "1288", "21", "4", "7", "1", "8", "2932", "53", "6"]
    # without a gap a digit's quarter wide between them: one number, as read
    assert _parted_at_columns(gray, np.full_like(raw, 255), np.full_like(raw, 255), boxes, 25.0)[0] == boxes
    # parts whose readings do not hold every digit of the box's (a thin 1 lost at a crop's edge): whole
    monkeypatch.setattr(ocrdoc, "_recognise", lambda crop: ("21", 1.0))
    assert _parted_at_columns(gray, raw, _opened(raw), boxes, 25.0)[0] == boxes
    # the parts read count towards the page's reads: past them, a box stays whole and is counted
    monkeypatch.setattr(ocrdoc, "MAX_SLOT_READS", 3)
    assert _parted_at_columns(gray, raw, _opened(raw), boxes, 25.0)[1:] == (2, 1)


def test_a_box_reaching_a_digit_into_the_next_column_covers_it():
    """平潭 2025 printed unruled with specks at 150 dpi (bench/real_scans.py, tuned on since): 上年结转's 0
    under 其他 and 0 under 总计 were one box (``0 0``); the 总计 column's longer values (154, 33) put its
    middle right of a lone 0, left-aligned, so the box covered one column's middle and was not parted, and
    the row lost a value. A box ending less than half a digit height short of a column's middle covers
    it; one ending further short does not."""
    from parsers.ocrdoc import _slot_kind
    from parsers.unruled import to_part

    boxes = [_box(50, 0, "3"), _box(100, 0, "151", 24), _box(150, 0, "154", 36)]
    boxes += [_box(50, 40, "0"), _box(100, 40, "33", 24), _box(150, 40, "33", 24)]
    boxes += [_box(50, 80, "0"), _box(100, 80, "0 0", 63)]  # its second 0 ends at 163, the column's middle at 168
    parts, _ = to_part(boxes, _slot_kind, H)
    assert parts == {7: [(112 + 168) / 2]}
    # 13 short of the middle, more than half a digit height: no second column's value
    boxes[7] = _box(100, 80, "0 0", 55)
    assert to_part(boxes, _slot_kind, H)[0] == {}
    # a count with its unit ends past its digits already (seed 23000, unruled speckle: ``1件`` was parted)
    boxes[7] = _box(100, 80, "\ufffd1件", 60)
    assert to_part(boxes, _slot_kind, H)[0] == {}


def test_values_run_together_with_specks_read_as_points_between_them_are_parted_at_the_columns():
    """Seed 34003, unruled speckle rough at 150 dpi (blank for none): 本年新收's 23, 18 and 26, specks on the
    baseline between them, were one box read ``23.18.26``: no number prints two points, but the box was no
    value's to the places, so nobody parted it, and table 3 learnt no columns (its one other full row ran
    two values together too): 105 cells null. Digit groups with points between are a box of values to be
    parted where it covers several columns; a reading with one point (an amount, 23.18) in one column
    is not parted."""
    from parsers.ocrdoc import _slot_kind
    from parsers.unruled import to_part

    boxes = _table(["3", "5", "8", "16"], ["7", "1", "8", "16"])
    boxes.append((LABEL[0], 200.0, LABEL[2], 200 + H, LABEL[4], 0.99))
    boxes.append((200.0, 200.0, 412.0, 200 + H, "23.18.26", 0.96))
    boxes.append(_box(500.0, 200.0, "67"))
    assert _slot_kind(boxes[-2]) == "mark"
    parts, _ = to_part(boxes, _slot_kind, H)
    assert parts == {len(boxes) - 2: [256.0, 356.0]}  # midway between the three columns' centres
    boxes[-2] = (200.0, 200.0, 240.0, 200 + H, "23.18", 0.96)
    assert to_part(boxes, _slot_kind, H)[0] == {}
    # words with points between digits are no values: 2022.12.31 in prose stays text
    assert _slot_kind((0.0, 0.0, 90.0, H, "2022年12.31日", 0.99)) == ""


def test_a_lone_line_is_parted_at_a_digits_height_where_that_makes_table_4s_fifteen_values():
    """平潭 2025 printed unruled with specks at 150 dpi (bench/real_scans.py, tuned on since): table 4's
    narrow cells printed 36 and the next group's 3 1.25 digit heights apart, and the detector ran several
    values into one box, so the gaps between its boxes (58 at the median) asked a blank of 41 to part them:
    363 was read and the row had fourteen values. Where the line's ink parts into fifteen at a digit
    height's blank and not at the wider one, the digit height is the line's."""
    from parsers.ocrdoc import VALUE_GAP, _values_apart

    xs = [0, 80, 120, 160, 200, 250, 300, 350, 400, 460, 520, 580, 640, 700, 760]  # 15 values, 12 wide
    raw = np.zeros((60, 800), np.uint8)
    for x in xs:
        raw[20:40, x + 10 : x + 22] = 255
    raw[45:47, 240:242] = 255  # a speck is no ink
    # the detector's boxes: 0, 1, 2 … 4-5 joined (a gap of 28 between them), 6-8, 9-14 apart
    boxes = [(x + 10.0, 20.0, x + 22.0, 40.0, "5", 0.99) for x in xs]
    joined = [*boxes[:4], (boxes[4][0], 20.0, boxes[5][2], 40.0, "55", 0.99), *boxes[6:]]
    lone = [list(range(len(joined)))]
    assert set(_values_apart(raw, joined, lone, H).values()) == {VALUE_GAP * H}


def test_lone_values_beside_a_tables_block_are_read_at_its_columns():
    """淮安 2024 and the seeds in the official template, printed unruled (bench/real_scans.py, tuned on): table
    2's rows of one value (行政许可 0, 行政事业性收费 0) stand below its two rows of three, headings between;
    the detector left their small 0s out, and a line of one number made no table. Lines of one number that
    follow a block (each within its gap) are read at its columns; a line further off is not."""
    ink = "\u25a1"
    boxes = _table(["0", "0", "0"], ["75", "5", "83"])
    boxes += [_box(200.0, 250.0, ink), _box(200.0, 300.0, "0"), _box(200.0, 350.0, ink), _box(200.0, 700.0, ink)]
    slots = _slots(boxes)
    lines = sorted({s[0][1] for s in slots})
    assert lines == [100.0, 150.0, 250.0, 300.0, 350.0]
    first = [s for s in slots if s[0][1] == 250.0]
    assert len(first) == 1 and boxes[first[0][1][0]][4] == ink and not first[0][2]
    # its own place only: a place of the other columns would read the blank, or a line close below (seed
    # 004 with horizontal rules alone: a total at its cell's top read its row's values a second time)
    # one number among the block's lines, in its last column: a total at its cell's top (seed 003's speckle
    # scan: a line above its row's other values, with no other number, had no place read)
    inside = [*boxes[:4], _box(400.0, 125.0, ink), *boxes[4:]]
    assert [s[0][0] < 400.0 < s[0][2] for s in _slots(inside) if s[0][1] == 125.0] == [True]
    # a mark as high as a digit at the page's edge, in none of the block's columns, is no line of it (seed
    # 001's speckle scan: its line's places reached up into the row above, read a second time)
    assert sorted({s[0][1] for s in _slots([*boxes, _box(5.0, 420.0, ink, width=3.0)])}) == lines


def _two_columns(rows: list[list[str]], reach: float = 17.0) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """Rows of two columns printed unruled at 150 dpi (x 80 and 140, rows 30 apart): the page's grey pixels,
    its ink, and the detector's boxes of every value but the second row's second (page pixels; each box
    ``reach`` points wide from 3 before its value)."""
    s = 150 / 72

    def draw(page):
        for n, row in enumerate(rows):
            for k, text in enumerate(row):
                page.insert_text((80 + 60 * k, 30 + 30 * n), text, fontsize=12)

    gray, raw = _render(draw, width=300, height=120)
    boxes = [
        ((80 + 60 * k) * s - 3, (30 + 30 * n) * s - 20, (80 + 60 * k) * s + reach, (30 + 30 * n) * s + 5, t, 0.99)
        for n, row in enumerate(rows)
        for k, t in enumerate(row)
        if (n, k) != (1, 1)
    ]
    return gray, raw, boxes


def test_a_zero_s_ring_at_a_column_place_is_a_zero(monkeypatch):
    """A small clean 0 alone at its column's place (table 2's 行政许可 0, printed unruled at 200 dpi) is read
    by the recogniser alone as no digit or a 0 with doubt; its ink is one mark with a 0's ring: a 0, as in a
    ruled cell (it had been a 0 with doubt, and table 2 has no sum to confirm it). A round reading of a mark
    with a hole but no 0's ring is a 0 read with doubt; of a mark without one, not read."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _opened, _read_slots

    gray, raw, boxes = _two_columns([["3", "5"], ["2", "0"], ["7", "1"]])
    monkeypatch.setattr(ocrdoc, "_recognise", lambda crop: ("O", 0.6))
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [(b[4], b[5]) for b in added] == [("0", ocrdoc.MIN_NUMBER_CONFIDENCE)]
    # a round reading of a mark with a hole that is no 0's ring (平潭 2023: a speck inside the ring's foot
    # left its hole high, a 9's): a 0 read with doubt, for the sums to witness
    monkeypatch.setattr(ocrdoc, "_ring", lambda ink, height: False)
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in added] == [ocrdoc.UNREADABLE_MARK + "0"]
    # a mark without a hole (a 1's stem where the 0 was) read as a round mark: not read
    gray, raw, _ = _two_columns([["3", "5"], ["2", "1"], ["7", "1"]])
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in added] == [ocrdoc.UNREADABLE_MARK]


def test_a_lone_lines_values_far_apart_in_one_box_are_parted_and_a_stem_read_as_a_bracket_is_read_again():
    """洪泽 2024 printed unruled at 200 dpi (bench/real_scans.py, tuned on): table 4's fifteen values in one
    row at the pitch of its columns' own widths; the detector read 1 0 0 2 as one box ``0021``, the last
    group as ``１２0１０3``, and the first 1 as ``[``: table 4 was lost. On a line of numbers no other line
    joins, a box is parted at each blank a digit height wide (a number's own digits stand closer) and each
    part read again; a stem read as ``[`` is a place of its own, read again (a 1 by its shape)."""
    from parsers.ocrdoc import _opened, _read_slots

    s = 150 / 72
    values = ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]
    xs = [40 + 24 * k + 10 * (k // 5) for k in range(15)]  # each group's total a little further on

    def draw(page):
        for x, text in zip(xs, values, strict=True):
            page.insert_text((x, 40), text, fontsize=12)

    gray, raw = _render(draw, width=450, height=60)

    def box(first: int, last: int, text: str, score: float = 0.95) -> tuple:
        return (xs[first] * s - 3, 40 * s - 22, (xs[last] + 7) * s + 3, 40 * s + 4, text, score)

    boxes = [box(0, 0, "[", 0.37), box(1, 1, "1"), box(2, 4, "002"), box(5, 9, "10001"), box(10, 14, "２0１０3", 0.7)]
    kept, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    read = [b[4] for b in sorted(kept + added, key=lambda b: b[0])]
    assert read == values


def test_a_lone_lines_box_is_parted_only_at_gaps_as_wide_as_the_lines_own():
    """Seed 11002, unruled scanner scan (tuning): table 3's total row alone on its page, the total 423
    letter-spaced (4 23, a gap of more than a digit's height) was parted into 4 and 23 and the row lost.
    A lone line's box is parted only at blanks as wide as most of the gaps between the line's boxes."""
    from parsers.ocrdoc import LINE_GAP_SHARE, _slot_kind
    from parsers.ocrdoc import _values_apart as values_apart
    from parsers.unruled import to_part

    def _values_apart(boxes: list[tuple], height: float) -> dict[int, float]:
        # no ink parts the line into table 4's fifteen values: the line's own gaps stand
        return values_apart(np.zeros((200, 1000), np.uint8), boxes, to_part(boxes, _slot_kind, height)[1], height)

    row = [_box(200.0 + 100 * k, 100.0, t) for k, t in enumerate(["302", "17", "31", "28", "10", "35"])]
    row.append(_box(800.0, 100.0, "4 23", width=40.0))
    apart = _values_apart(row, H)
    assert set(apart) == set(range(7)) and apart[6] == LINE_GAP_SHARE * 88.0  # the boxes stand 88 apart
    # a line of a block of two lines or more is no lone line
    assert _values_apart([*row, *(_box(b[0], 150.0, b[4]) for b in row)], H) == {}


def test_a_detectors_number_box_after_a_label_is_a_cell_of_its_own_however_close():
    """Seed 003 in the official template, printed unruled, speckle scan at 150 dpi (bench/real_scans.py,
    tuned on): the first value's box touched the label's long last line (``…政府信息公开 0``), so the two were
    one cell and the row's positions were lost. A detector's number box after a label's is a cell of its
    own; a text layer's words stay joined as their text wrote them (a PDF word split mid-label)."""
    from parsers.ruling import page_rows

    words = [(100.0, 10.0, 250.0, 22.0, "行政机关不再处理其政府信息公开"), (250.5, 10.0, 256.0, 22.0, "0")]
    words += [(300.0, 10.0, 306.0, 22.0, "3")]
    (_, row), *_ = page_rows(words, [], [], 800.0, boxes=True)[0]
    assert row.cells == ["行政机关不再处理其政府信息公开", "0", "3"] and row.xs is not None and len(row.xs) == 3
    (_, row), *_ = page_rows(words, [], [], 800.0)[0]
    assert row.cells == ["行政机关不再处理其政府信息公开 0", "3"]


def test_a_table_the_detector_left_out_wholly_is_read_at_the_places_its_ink_makes(monkeypatch):
    """淮安 2024 (the real PDF) printed unruled with specks at 150 dpi (bench/real_scans.py, tuned on): the
    detector found table 2's labels but none of its values (规章 1 0 11, 行政规范性文件 8 26 66); their ink
    makes the places, each read by the recogniser. The blur had cut the 2 of 26 at its thin stroke, and
    its upper half, at the very top of a place learnt from ink, was taken for a rule's remnant at the
    crop's edge: 26 was read as 6. A place's crop is bounded by its line, not by rules."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _opened, _read_slots

    s = 150 / 72
    gray, raw, labels = _labelled_rows([("规章", ["1", "0", "11"]), ("行政规范性文件", ["8", "26", "66"])], 110)
    opened = _opened(raw)
    # the 2's thin stroke lost at its middle (its upper half now a mark of its own, at the digits' top)
    x0, x1 = int(219 * s), int(226.5 * s)
    ys = np.flatnonzero(raw[int(60 * s) : int(80 * s), x0:x1].any(axis=1)) + int(60 * s)
    opened[(ys[0] + ys[-1]) // 2 - 1 : (ys[0] + ys[-1]) // 2 + 2, x0:x1] = 0
    _, added, _ = _read_slots(gray, raw, opened, labels, [], 25.0)
    assert [b[4] for b in sorted(added, key=lambda b: (round(b[1] / 20), b[0]))] == ["1", "0", "11", "8", "26", "66"]
    glyphs = ocrdoc._glyphs
    monkeypatch.setattr(ocrdoc, "_glyphs", lambda ink, line=False: glyphs(ink))
    _, added, _ = _read_slots(gray, raw, opened, labels, [], 25.0)
    assert "26" not in [b[4] for b in added]  # the case as it was
    # no label leads the lines: specks' shape, no table
    assert _read_slots(gray, raw, opened, [], [], 25.0)[1] == []


def test_a_label_printed_down_a_merged_cell_does_not_move_its_line_above_the_lines_before():
    """洪泽区 2024 printed unruled with specks at 150 dpi (bench/real_scans.py, tuned on): 三、本年度办理结果,
    printed upright down table 3's merged cell, was read as one tall box whose middle stands on the line of
    ``4.保护第三方合法权益``; the line took the box's top, came before ``3.危及…`` and the row of 3. was
    refused as out of the template's order. A line stands where most of its words' tops are."""
    from parsers.ruling import page_rows

    words = [
        (100.0, 100.0, 200.0, 112.0, "2.其他法律行政法规禁止公开"),
        (300.0, 100.0, 306.0, 112.0, "0"),
        (100.0, 120.0, 200.0, 132.0, "3.危及“三安全一稳定”"),
        (300.0, 120.0, 306.0, 132.0, "1"),
        (20.0, 90.0, 32.0, 190.0, "本年度办理结果"),  # upright: tall, its middle on the next line
        (100.0, 140.0, 200.0, 152.0, "4.保护第三方合法权益"),
        (300.0, 140.0, 306.0, 152.0, "0"),
    ]
    rows, _ = page_rows(words, [], [], 800.0, boxes=True)
    assert [row.cells[-1] for _, row in rows] == ["0", "1", "0"] and "3.危及" in rows[1][1].cells[0]


def test_two_values_of_a_lone_line_read_with_a_speck_between_are_parted_across_it():
    """The official template filled with 淮安 2024's record, printed unruled, speckle scan at 150 dpi
    (bench/real_scans.py, tuned on): table 4's 178 and 37 were read as one box ``178·37`` (a speck between):
    no number, so table 4's first four values were lost. Digits with a speck read between are a value's
    reading to part, and a speck in the blank between two values leaves it blank."""
    from parsers.ocrdoc import _opened, _read_slots, _slot_kind

    assert _slot_kind(_box(0.0, 0.0, "178·37")) == "mark" and _slot_kind(_box(0.0, 0.0, "1.属于")) == ""
    s = 150 / 72
    values = ["72", "64", "178", "37", "351", "13", "4"]
    xs = [40 + 40 * k for k in range(7)]

    def draw(page):
        for x, text in zip(xs, values, strict=True):
            page.insert_text((x, 40), text, fontsize=12)
        page.draw_rect(pymupdf.Rect(xs[2] + 27, 38, xs[2] + 28.5, 39.5), color=(0, 0, 0), fill=(0, 0, 0))

    gray, raw = _render(draw, width=350, height=60)

    def box(first: int, last: int, text: str) -> tuple:
        return (xs[first] * s - 3, 40 * s - 22, (xs[last] + 7 * len(values[last])) * s + 3, 40 * s + 4, text, 0.95)

    boxes = [box(0, 0, "72"), box(1, 1, "64"), box(2, 3, "178·37"), box(4, 4, "351"), box(5, 5, "13"), box(6, 6, "4")]
    kept, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in sorted(kept + added, key=lambda b: b[0])] == values


def test_a_rows_label_the_detector_left_out_is_read_before_its_values(monkeypatch):
    """Seed 21004, unruled speckle rough at 150 dpi: the detector found no box on （一）予以公开, printed
    beside 23 3 0 0 0 4 7 30, and the row was lost; seed 21005: it found （三）不予公开, the group's label,
    and nothing of 4.保护第三方合法权益 beside it. The ink before a table line's values that no word's box
    covers is read by the recogniser; specks there are none, and a label found is not read twice."""
    from parsers.ocrdoc import _opened, _read_slots

    s = 150 / 72
    rows = [("二、上年结转", ["3", "5", "8"]), ("（一）予以公开", ["2", "0", "2"]), ("（二）部分公开", ["7", "1", "8"])]
    gray, raw, labels = _labelled_rows(rows, 150)
    values = [
        ((150 + 70 * k) * s - 2, (30 + 35 * n) * s, (158 + 70 * k) * s, (43 + 35 * n) * s, text, 0.99)
        for n, (_, row) in enumerate(rows)
        for k, text in enumerate(row)
    ]
    kept, _, _ = _read_slots(gray, raw, _opened(raw), [labels[0], labels[2], *values], [], 25.0)
    found = [b for b in kept if b not in labels and b not in values]
    assert [b[4] for b in found] == ["（一）予以公开"] and abs(found[0][1] - labels[1][1]) < 10
    # a page's reads are bounded: a label's place is one of them
    from parsers import ocrdoc

    with monkeypatch.context() as m:
        m.setattr(ocrdoc, "MAX_SLOT_READS", 0)
        kept, _, unread = _read_slots(gray, raw, _opened(raw), [labels[0], labels[2], *values], [], 25.0)
        assert not [b for b in kept if b not in labels and b not in values] and unread >= 1
    # every label found: none read again
    kept, _, _ = _read_slots(gray, raw, _opened(raw), [*labels, *values], [], 25.0)
    assert sorted(kept) == sorted([*labels, *values])
    # specks where a label would print are no label's
    specks = raw.copy()
    specks[int(60 * s) : int(80 * s), : int(140 * s)] = 0
    for x in range(int(20 * s), int(130 * s), 12):
        specks[int(68 * s) : int(68 * s) + 3, x : x + 3] = 1
    kept, _, _ = _read_slots(gray, specks, _opened(specks), [labels[0], labels[2], *values], [], 25.0)
    assert len(kept) == 2 + len(values)


def test_a_labels_line_above_its_values_bounds_their_first_place():
    """Seed 21005, unruled speckle rough: 2.其他法律行政法规禁止 / 公开 printed over two lines, its values
    between them; neither line's box holds the values' middle, so the first column's place reached into
    the label and read its 止 as a number not read: the row was lost."""
    label = (20.0, 90.0, 190.0, 109.0, "2.其他法律行政法规禁止", 0.99)  # ends above the middle, 110
    under = (60.0, 111.0, 100.0, 130.0, "公开", 0.99)
    boxes = [*_table(["3", "5", "8"], ["7", "1", "8"]), label, under, _box(300, 100, "1"), _box(400, 100, "9")]
    first = [s for s in _slots(boxes) if s[0][1] == 100 and s[0][0] < 250]
    assert first and all(s[0][0] >= 190 for s in first)


def test_a_speck_making_a_digits_box_tall_does_not_join_it_to_the_next_column():
    """Seed 21005: a speck above 10 made the detector's box twice a digit's height; the gap to the next
    column's 4 was judged by that height and the two were joined as letter-spaced ``1 4``."""
    from parsers.ocrdoc import _join_digits

    tall = (688.0, 800.0, 738.0, 846.0, "1", 0.55)
    four = (766.0, 818.0, 796.0, 843.0, "4", 0.99)
    assert _join_digits([tall, four], [], _BLANK_INK) == [tall, four]
    # boxes of one number overlapping (the detector split 10554 as 1 and 0554, the one half the other's height)
    one, rest = (774.0, 991.0, 795.0, 1007.0, "1", 0.99), (786.0, 983.0, 866.0, 1013.0, "0554", 0.99)
    assert [b[4] for b in _join_digits([one, rest], [], _BLANK_INK)] == ["10554"]
    # letter-spaced digits of one height still join
    assert [
        b[4]
        for b in _join_digits(
            [(700.0, 818.0, 712.0, 843.0, "3", 0.9), (722.0, 818.0, 734.0, 843.0, "1", 0.9)], [], _BLANK_INK
        )
    ] == ["3 1"]


def test_a_number_the_detector_read_with_doubt_is_read_again_at_its_place(monkeypatch):
    """Seed 21005: the detector read 10 as 1 at 0.55 (a speck above it); its place is read again on its
    glyphs alone, and a confident reading replaces it; one read with doubt again leaves it as it was."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _opened, _read_slots

    s = 150 / 72
    rows = [["3", "5", "8"], ["10", "0", "10"], ["7", "1", "8"]]

    def draw(page):
        for n, row in enumerate(rows):
            for k, text in enumerate(row):
                page.insert_text((150 + 70 * k, 40 + 35 * n), text, fontsize=12)

    gray, raw = _render(draw, width=400, height=150)
    labels = [(18 * s, (30 + 35 * n) * s, 100 * s, (43 + 35 * n) * s, "其他法律行政法规", 0.99) for n in range(3)]
    boxes = [
        ((150 + 70 * k) * s - 2, (30 + 35 * n) * s, (150 + 70 * k + 7 * len(t)) * s + 2, (43 + 35 * n) * s, t, 0.99)
        for n, row in enumerate(rows)
        for k, t in enumerate(row)
    ]
    doubted = (*boxes[3][:4], "1", 0.55)
    kept, added, _ = _read_slots(gray, raw, _opened(raw), [*labels, *boxes[:3], doubted, *boxes[4:]], [], 25.0)
    assert doubted not in kept and [b[4] for b in added] == ["10"]
    monkeypatch.setattr(ocrdoc, "MIN_NUMBER_CONFIDENCE", 1.01)  # every reading with doubt
    kept, added, _ = _read_slots(gray, raw, _opened(raw), [*labels, *boxes[:3], doubted, *boxes[4:]], [], 25.0)
    assert doubted in kept and "10" not in [b[4] for b in added]


def _words_box(x0: float, x1: float, y: float, text: str) -> tuple:
    return (x0, y, x1, y + H, text, 0.99)


def test_a_lone_lines_columns_are_its_own_headers_and_a_header_parts_blocks():
    """Seed 11003, unruled speckle rough at 150 dpi: 行政事业性收费's 6 and its change, under a header of its
    own (上一年项目数量 | 本年增/减), joined the block of the three-column items just above (行政处罚,
    行政强制): its change was sought at their columns, and not found; seed 11000: alone, a line of one
    value had no place at all. A header between two lines parts their blocks, and a lone line led by a
    label takes its columns from its header's words."""
    three = [
        _words_box(20, 150, 100, "行政处罚"),
        _box(200, 100, "3"),
        _box(300, 100, "1"),
        _box(400, 100, "8"),
        _words_box(20, 150, 150, "行政强制"),
        _box(200, 150, "0"),
        _box(300, 150, "2"),
        _box(400, 150, "5"),
    ]
    header = [
        _words_box(20, 100, 190, "信息内容"),
        _words_box(180, 260, 190, "上一年项目数量"),
        _words_box(330, 420, 190, "本年增/减"),
    ]
    fees = [_words_box(20, 150, 220, "行政事业性收费"), _box(210, 220, "6"), _box(365, 220, "\u25a1")]
    slots = [s for s in _slots([*three, *header, *fees]) if s[0][1] == 220]
    assert [(round(s[0][0]), round(s[0][2])) for s in slots] == [(160, 280), (310, 440)] and not any(
        s[2] for s in slots
    )
    # alone, with the one value read: its other place is sought under its heading
    slots = [s for s in _slots([*header, *fees[:2]]) if s[0][1] == 220]
    assert len(slots) == 2 and slots[1][1] == [] and slots[1][0][0] == 310 and slots[1][0][2] == 440
    # two numbers a column apart under one heading (淮安 2024 printed unruled: its header cells do not stand
    # over its values; 26 and 66 were read as one, 2666): not the line's header; marks a digit's height
    # apart under one are one number's pieces (8732 printed letter-spaced: 873 found by its ink, 2 read)
    from parsers.unruled import _header_columns

    wide = [
        _words_box(20, 100, 190, "信息内容"),
        _words_box(180, 300, 190, "本年制发件数"),
        _words_box(330, 420, 190, "件数"),
    ]
    label = _words_box(20, 150, 220, "行政规范性文件")
    assert _header_columns([[_box(190, 220, "26"), _box(260, 220, "66")]], [*wide, label], H) == []
    pieces = [_box(190, 220, "□", width=30), _box(226, 220, "2"), _box(360, 220, "0")]
    assert _header_columns([pieces], [*wide, label], H) == [(180, 300), (330, 420)]
    # no header above it, or no label before it: no places
    assert not [s for s in _slots(fees[:2]) if s[0][1] == 220]
    assert not [s for s in _slots([*header, fees[1]]) if s[0][1] == 220]


def test_a_line_of_one_value_under_a_heading_of_its_own_has_its_place_there():
    """Seed 34003, unruled speckle rough at 150 dpi (2021 template): table 2's 行政许可 0 and 行政强制 993
    under 信息内容 | 本年处理决定数量 were found by their ink alone, and 行政处罚's 21 as a 2 read and a 1
    by its ink: a header of one heading right of the label was no header, so none had a place to be read
    in (three cells null). One heading over the line's one number is its column."""
    heading = [_words_box(20, 100, 190, "信息内容"), _words_box(260, 400, 190, "本年处理决定数量")]
    ink = [_words_box(20, 100, 220, "行政许可"), _box(322, 220, "\u25a1", width=24)]
    slots = [s for s in _slots([*heading, *ink]) if s[0][1] == 220]
    assert len(slots) == 1 and slots[0][1] == [1 + len(heading)] and not slots[0][2]
    assert slots[0][0][0] <= 322 and slots[0][0][2] >= 346  # the heading's span, the ink inside it
    pieces = [_words_box(20, 100, 220, "行政处罚"), _box(318, 220, "2"), _box(333, 220, "\u25a1", width=8)]
    slots = [s for s in _slots([*heading, *pieces]) if s[0][1] == 220]
    assert len(slots) == 1 and sorted(slots[0][1]) == [3, 4]  # the 2 and the 1 beside it: one place
    # two numbers under the one heading: not its header (each number its own column is not known)
    two = [_words_box(20, 100, 220, "行政许可"), _box(280, 220, "3"), _box(370, 220, "\u25a1")]
    assert not [s for s in _slots([*heading, *two]) if s[0][1] == 220]
    # no label before the line: no places
    assert not [s for s in _slots([*heading, ink[1]]) if s[0][1] == 220]
    # a row of 0件 a digit apart is one span (seed 35001, table 3 under its header's one box of headings):
    # wider than the heading, no column of its
    from parsers.unruled import _header_columns

    zeros = [_box(200.0 + 45 * k, 220, "0件", width=30) for k in range(7)]
    assert _header_columns([zeros], [*heading, ink[0]], H) == []
    # a heading of a character or two is a wrapped header's line, no column's (平潭 2022 printed without
    # rules, 200 dpi: table 4's 未 over a stroke of 审 found by its ink, beside 纠 结, was read as a value)
    wrapped = [_words_box(20, 100, 220, "纠 结"), _words_box(318, 350, 190, "未"), _box(322, 220, "\u25a1", width=8)]
    assert not [s for s in _slots(wrapped) if s[0][1] == 220]
    assert _header_columns([[wrapped[2]]], wrapped[:2], H) == []


def test_the_next_row_of_one_value_under_the_same_heading_has_its_place_there():
    """Seed 41005, unruled blank-for-none speckle rough at 150 dpi (2021 template): 行政强制's 0, found by its
    ink alone, stands under 行政处罚 21, both under 本年处理决定数量; its heading is three digits' height up,
    further than a header stands, and it had no place to be read in. The row under a line given its
    heading's columns, led by its own label, with no header between, has the same columns where its
    number stands under them."""
    heading = [_words_box(20, 100, 170, "信息内容"), _words_box(260, 400, 170, "本年处理决定数量")]
    penalty = [_words_box(20, 100, 200, "行政处罚"), _box(318, 200, "21", width=24)]
    coercion = [_words_box(20, 100, 245, "行政强制"), _box(324, 245, "\u25a1", width=10)]
    slots = [s for s in _slots([*heading, *penalty, *coercion]) if s[0][1] == 245]
    assert len(slots) == 1 and slots[0][1] == [5] and not slots[0][2]
    # alone under the heading that far down: no place, as before
    assert not [s for s in _slots([*heading, *coercion]) if s[0][1] == 245]
    # further below than the lines of one table stand: not its row
    far = [_words_box(20, 100, 330, "行政强制"), _box(324, 330, "\u25a1", width=10)]
    assert not [s for s in _slots([*heading, *penalty, *far]) if s[0][1] == 330]
    # no label before it, or its number under no heading: no place
    assert not [s for s in _slots([*heading, *penalty, coercion[1]]) if s[0][1] == 245]
    astray = [coercion[0], _box(180, 245, "\u25a1", width=10)]
    assert not [s for s in _slots([*heading, *penalty, *astray]) if s[0][1] == 245]


def test_a_two_line_table_under_its_header_has_the_headers_columns_and_a_mark_glued_to_a_number_none():
    """Seeds 21003 and 21000, unruled speckle rough: table 2's 行政许可 and 其他对外管理服务事项, two lines
    under their header, learnt a column from one mark in one line: the 1 of 1682 (read 6.8+2, the 1 found
    by its ink apart) made a column of its own, and 682 was read at the next (a wrong value); the 1s of
    11781 printed letter-spaced beside 178 made two. Under a header the columns are the header's; a mark
    found by its ink a digit's height or less beside a number read is none of its own."""
    ink = "\u25a1"
    header = [
        _words_box(20, 100, 50, "信息内容"),
        _words_box(180, 260, 50, "上一年项目数量"),
        _words_box(300, 380, 50, "本年增/减"),
        _words_box(420, 520, 50, "处理决定数量"),
    ]
    lines = [
        _words_box(20, 150, 100, "行政许可"),
        _box(210, 100, "29"),
        _box(335, 100, "0"),
        _box(446, 100, ink, width=6),
        (462.0, 100.0, 500.0, 100 + H, "6.8+2", 0.75),
        _words_box(20, 150, 150, "其他对外管理服务事项"),
        _box(215, 150, "0"),
        _box(335, 150, ink),
        _box(470, 150, "0"),
    ]
    boxes = [*header, *lines]
    slots = _slots(boxes)
    assert [len([s for s in slots if s[0][1] == y]) for y in (100, 150)] == [3, 3]
    last = next(s for s in slots if s[0][1] == 100 and s[0][0] > 400)
    assert sorted(boxes[i][4] for i in last[1]) == sorted([ink, "6.8+2"])  # the 1 and the rest: one place
    # without the header, two lines learn their columns from their numbers: a mark glued to 178 is none
    spaced = [
        _words_box(20, 150, 100, "行政许可"),
        (196.0, 100.0, 200.0, 100 + H, ink, 0.0),
        _box(205, 100, "178", width=30),
        (240.0, 100.0, 244.0, 100 + H, ink, 0.0),
        _box(335, 100, "4"),
        _words_box(20, 150, 150, "其他对外管理服务事项"),
        _box(213, 150, "21"),
        _box(335, 150, "4"),
    ]
    slots = [s for s in _slots(spaced) if s[0][1] == 100]
    assert len(slots) == 2 and sorted(spaced[i][4] for i in slots[0][1]) == sorted([ink, "178", ink])


def test_a_plus_and_a_speck_read_with_a_places_digits_leave_them_read(monkeypatch):
    """Seed 11001, unruled speckle rough: under table 2's header, 行政许可's places are the header's, wide
    enough to hold + 1 whole (read ``+1``, the plus taken for a digit: not read) and 723 with a speck after
    it (read ``723.``: no number, not read). The plus is a sign before the number, judged by its shape; a
    speck after it is an unruled value's end mark, judged as every one's (parsers.ocrdoc._end_marks)."""
    from parsers.ocrdoc import _opened, _read_slots

    s = 150 / 72
    heads = [(150, "上一年项目数量"), (260, "本年增/减"), (350, "处理决定数量")]
    rows = [("行政许可", ["723", "+ 1", "3516"]), ("其他对外管理服务事项", ["11496", "+ 2", "879"])]

    def draw(page):
        page.insert_text((20, 30), "信息内容", fontsize=10, fontname="china-s")
        for x, text in heads:
            page.insert_text((x, 30), text, fontsize=10, fontname="china-s")
        for n, (label, values) in enumerate(rows):
            page.insert_text((20, 60 + 30 * n), label, fontsize=10, fontname="china-s")
            for x, text in zip((165, 275, 365), values, strict=True):
                page.insert_text((x, 60 + 30 * n), text, fontsize=12)

    gray, raw = _render(draw, width=460, height=120)
    from parsers import ocrdoc

    read_glyphs = ocrdoc._read_glyphs

    def with_speck(*args):  # the recogniser read the speck after 723 as a point (seed 11001)
        found = read_glyphs(*args)
        if found is not None and found.text == "723":
            found.text = "723."
        return found

    monkeypatch.setattr(ocrdoc, "_read_glyphs", with_speck)
    words = [(20 * s, 20 * s, 62 * s, 33 * s, "信息内容", 0.99)]
    words += [(x * s, 20 * s, (x + 70) * s, 33 * s, text, 0.99) for x, text in heads]
    words += [(18 * s, (50 + 30 * n) * s, 120 * s, (63 + 30 * n) * s, label, 0.99) for n, (label, _) in enumerate(rows)]
    # the detector read only the 1 of + 1 and the second line's values
    one = ((283 * s) - 2, 49 * s, (290 * s) + 2, 61 * s, "1", 0.6)  # with doubt: read again at its place
    second = [
        (163 * s, 79 * s, 200 * s, 91 * s, "11496", 0.99),
        (283 * s - 2, 79 * s, 290 * s + 2, 91 * s, "2", 0.99),
        (363 * s, 79 * s, 385 * s, 91 * s, "879", 0.99),
        (363 * s, 49 * s, 392 * s, 61 * s, "3516", 0.99),
    ]
    _, added, _ = _read_slots(gray, raw, _opened(raw), [*words, one, *second], [], 25.0)
    first = sorted((b for b in added if b[1] < 70 * s), key=lambda b: b[0])
    assert [b[4].rstrip(".") for b in first][:2] == ["723", "1"]
    assert first[1][0] > 280 * s  # its box the digit's: the plus before it, for _sign_before to judge


def test_a_guessed_place_that_cuts_a_number_is_not_read(monkeypatch):
    """Seed 22001, unruled speckle rough at 150 dpi: 本年新收's line alone on its page (a page break after it),
    its numbers at no regular pitch, so each number's ink is its own place, a guess; 157 printed small gave
    ink for its 1 and 5 alone (its thin 7 gone from the opened ink), its place ended before the 7, and 15
    read with confidence was written. A reading at a guessed place with a digit-high mark just beside it
    that no box covers is not read."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _opened, _read_slots
    from parsers.unruled import Places

    s = 150 / 72

    def draw(page):
        page.insert_text((100, 40), "157", fontsize=12)

    gray, raw = _render(draw, width=200, height=60)
    seven = int(113 * s)  # where the 7 starts

    def cut(x1: float):
        return lambda boxes, kind, dh, printed: Places(values=[((95 * s, 28 * s, x1, 42 * s), [], True)])

    # its ink found for the 1 and the 5 alone
    monkeypatch.setattr(ocrdoc, "_ink_numbers", lambda *a: [(100 * s, 31 * s, seven - 2, 40 * s, "\u25a1", 0.0)])

    monkeypatch.setattr(ocrdoc, "places", cut(seven - 1))
    _, added, _ = _read_slots(gray, raw, _opened(raw), [], [], 25.0)
    assert [b[4] for b in added] == ["\ufffd"]
    monkeypatch.setattr(ocrdoc, "places", cut(125 * s))
    _, added, _ = _read_slots(gray, raw, _opened(raw), [], [], 25.0)
    assert [b[4] for b in added] == ["157"]


#: 上海市人民政府办公厅's 2019 report (tests/parsers/pages/shanghai_2019.html) printed without rules at 200 dpi
#: (bench/real_scans.py "unruled 200 dpi"): table 3's boxes on its page 3 as the detector and the ink found
#: them (digits ~25 px high). A blank for none leaves rows of a value or two rows apart; four thin 1s were
#: found by their ink alone (``□``).
SHANGHAI_TABLE_3 = [
    (927, 882, 1000, 911, "自然人"),
    (1525, 881, 1577, 912, "总计"),
    (1003, 924, 1523, 951, "商业企业科研机构社会公益组织法律服务机构其他"),
    (94, 1004, 447, 1032, "一、本年新收政府信息公开申请数量"),
    (1491, 1009, 1510, 1030, "1"),
    (1529, 1007, 1571, 1033, "859"),
    (942, 1007, 984, 1034, "821"),
    (1032, 1006, 1065, 1035, "35"),
    (1396, 1010, 1411, 1030, "2"),
    (94, 1086, 447, 1113, "二、上年结转政府信息公开申请数量"),
    (951, 1088, 979, 1113, "18"),
    (1537, 1088, 1566, 1114, "18"),
    (90, 1166, 456, 1193, "三、本年度办理结果（一）予以公开"),
    (943, 1167, 984, 1194, "258"),
    (1035, 1168, 1064, 1194, "12"),
    (309, 1244, 911, 1276, "（二）部分公开(区分处理的，只计这一情形，不计其他情形）"),
    (954, 1250, 972, 1274, "3"),
    (472, 1327, 627, 1356, "1.属于国家秘密"),
    (950, 1330, 979, 1355, "14"),
    (471, 1406, 761, 1437, "2.其他法律行政法规禁止公开"),
    (472, 1489, 689, 1516, "3.危及“三安全一稳定”"),
    (472, 1569, 691, 1596, "4.保护第三方合法权益"),
    (310, 1609, 458, 1638, "（三）不予公开"),
    (472, 1651, 714, 1678, "5.属于三类内部事务信息"),
    (957, 1656, 971, 1673, "5"),
    (472, 1728, 691, 1759, "6.属于四类过程性信息"),
    (956, 1737, 971, 1754, "3"),
    (472, 1812, 669, 1839, "7.属于行政执法案卷"),
    (471, 1892, 670, 1919, "8.属于行政查询事项"),
    (951, 1895, 979, 1920, "10"),
    (1039, 1896, 1057, 1920, "2"),
    (311, 1974, 758, 2001, "（四）无法提供1.本机关不掌握相关政府信息"),
    (943, 1974, 984, 2002, "252"),
    (1035, 1975, 1064, 2001, "12"),
    (473, 2054, 760, 2081, "2.没有现成信息需要另行制作"),
    (950, 2056, 979, 2081, "44"),
    (1039, 2057, 1058, 2081, "3"),
    (1401, 1174, 1405, 1189, "\u25a1"),
    (1497, 1174, 1502, 1189, "\u25a1"),
    (1046, 1739, 1051, 1754, "\u25a1"),
    (1401, 1981, 1406, 1996, "\u25a1"),
]


def test_blocks_of_one_table_parted_by_blank_rows_have_the_whole_tables_columns():
    """上海 2019 printed unruled: the blank rows part table 3 into blocks, and a block knew only the columns its
    own lines print in. 6.属于四类过程性信息's ``3 □`` (one line: no columns) and 不掌握's ``252 12 □`` (a block
    printing two columns) had no place where their 1 stands, and it was never read: each block of the table
    takes the columns of the block of more above it (821 35 2 1 859), no header between them."""
    from parsers.ocrdoc import _slot_kind

    boxes = [
        (float(x0), float(y0), float(x1), float(y1), text, 1.0 if text != "\u25a1" else 0.0)
        for x0, y0, x1, y1, text in SHANGHAI_TABLE_3
    ]
    found = places(boxes, _slot_kind, 24.76).values
    ink = [i for i, b in enumerate(boxes) if b[4] == "\u25a1"]
    # every 1 found by its ink is in a place to be read
    assert all(any(i in held for _, held, _ in found) for i in ink)
    # and a place of the table's five columns on each line of 10 2, 252 12, 44 3: blanks, read as nothing
    rows = {1895.0: "10", 1974.0: "252", 2056.0: "44"}
    for top in rows:
        assert sum(abs(rect[1] - top) < 10 for rect, _, _ in found) == 5, rows[top]
    # a header between two blocks keeps their columns apart (another table's under table 3's): 252 12 □
    # has its own two columns again
    header = (900.0, 1780.0, 1600.0, 1805.0, "行政复议行政诉讼", 1.0)
    parted = places([*boxes, header], _slot_kind, 24.76).values
    assert not any(ink[3] in held for _, held, _ in parted)
    assert sum(abs(rect[1] - 1974.0) < 10 for rect, _, _ in parted) == 2
    # the table's full rows below (its page 4: 767 35 2 1 805 and 72 72), none above: the columns pass up
    # the page through 10 2's block to 3 □
    below = [b for b in boxes if b[1] > 1700]
    totals = [(942.0, 2300.0, 984.0, 2327.0, "767"), (1032.0, 2300.0, 1065.0, 2327.0, "35")]
    totals += [(1396.0, 2300.0, 1411.0, 2327.0, "2"), (1491.0, 2300.0, 1510.0, 2327.0, "1")]
    totals += [(1529.0, 2300.0, 1571.0, 2327.0, "805"), (951.0, 2380.0, 979.0, 2407.0, "72")]
    totals += [(1537.0, 2380.0, 1566.0, 2407.0, "72")]
    found = places([*below, *((*t, 1.0) for t in totals)], _slot_kind, 24.76).values
    assert sum(abs(rect[1] - 1737.0) < 10 for rect, _, _ in found) == 5
    # at 150 dpi with specks the detector left out the 3 as well: a line of marks found by their ink alone,
    # led by its row's label, is the table's row where the table's columns take it; with no label, none
    inked = [(956.0, 1737.0, 971.0, 1754.0, "\u25a1", 0.0) if b[:2] == (956.0, 1737.0) else b for b in boxes]
    found = places(inked, _slot_kind, 24.76).values
    assert sum(abs(rect[1] - 1737.0) < 10 for rect, _, _ in found) == 5
    unlabelled = [b for b in inked if b[4] != "6.属于四类过程性信息"]
    assert not any(abs(rect[1] - 1737.0) < 10 for rect, _, _ in places(unlabelled, _slot_kind, 24.76).values)


def test_an_amount_with_its_unit_read_again_in_its_place_is_read():
    """上海 2019 printed unruled at 200 dpi: table 2's 政府集中采购 prints 采购总金额 ``251000元`` under its own
    header; read again in its place, the recogniser read ``251000元`` at 0.9998, and the place was left
    not read (a number with its unit was one only for counts: 件, 个 …). Rendered here with a Chinese font."""
    from parsers.ocrdoc import _binary, _opened, _read_slots

    page = pymupdf.open().new_page(width=400, height=80)
    scale = 200 / 72
    items = [(20, 30, "信息内容", 40), (150, 30, "采购项目数量", 60), (270, 30, "采购总金额", 50)]
    items += [(20, 50, "政府集中采购", 60), (180, 50, "6", 6), (275, 50, "251000元", 46)]
    for x, y, text, _ in items:
        page.insert_text((x, y), text, fontsize=10, fontname="china-s")
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    gray = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()
    raw = _binary(gray)
    boxes = [(x * scale, (y - 9) * scale, (x + w) * scale, (y + 2) * scale, t, 0.99) for x, y, t, w in items]
    kept, added, unread = _read_slots(gray, raw, _opened(raw), boxes, [], 7 * scale)
    assert [b[4] for b in added] == ["251000元"] and unread == 0
    assert [b[4] for b in kept] == [b[4] for b in boxes[:5]]


def test_a_column_of_a_table_printing_blanks_for_none_is_one_in_three_of_its_lines():
    """Generated seed 27000 (bench/scan_ocr.py --unruled --blank-zeros, tuning), printed with blanks for none:
    a column printing a value in fewer than half its block's lines was no column, and a value the detector
    left out there (a thin 1 of 法律服务机构: 3 | 1 | 4 | 9 for 3 1 1 4 9) had no place to be read in (clean
    95.02% → 99.05% with it). A column of three lines is one; of two, no column (a stray mark twice)."""
    ink = "\u25a1"
    rows = [["3", None, "8"], ["1", None, "2"], ["7", "1", "8"], ["5", None, "4"]]
    rows += [["2", "4", "6"], ["6", None, "9"], ["4", ink, "5"], ["9", None, "3"]]
    slots = _slots(_table(*rows))
    assert sum(abs((s[0][0] + s[0][2]) / 2 - 306) < 20 for s in slots) == 8  # a place on each line
    two = [row if row[1] != "4" else [row[0], None, row[2]] for row in rows]
    assert not any(abs((s[0][0] + s[0][2]) / 2 - 306) < 20 for s in _slots(_table(*two)))


def test_a_zero_s_ring_read_as_no_round_mark_at_a_column_place_is_a_zero_with_doubt(monkeypatch):
    """Unruled scans with specks at 150 dpi (tuning seed 31000): a 0 with specks about it, at its column's
    place, read by the recogniser alone as no round mark (a character of no number), was not read, and a
    row of zeros lost it. Its ink is one mark with a 0's ring: a 0 read with doubt, for the sums to witness.
    A mark with no ring read so stays not read."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _opened, _read_slots

    gray, raw, boxes = _two_columns([["3", "5"], ["2", "0"], ["7", "1"]])
    monkeypatch.setattr(ocrdoc, "_recognise", lambda crop: ("人", 0.4))
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in added] == [ocrdoc.UNREADABLE_MARK + "0"]
    gray, raw, _ = _two_columns([["3", "5"], ["2", "1"], ["7", "1"]])
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in added] == [ocrdoc.UNREADABLE_MARK]


def test_a_digit_beside_a_places_reading_that_the_reading_left_out_is_read_again_with_it(monkeypatch):
    """Unruled scan with specks at 150 dpi (tuning seed 31003): 10 at its column's place, a speck under its 1,
    held the detector's 1 and its 0 found by its ink alone; read again there, the recogniser read 1 and its
    ink bounds were the 1's, and 1 was written (the row's sum failed with it). A digit-high mark in the place
    beside what was read, that the reading left out, is read again with it: each side alone a digit, the
    number with it, with doubt (``�10``); else not read."""
    from parsers import ocrdoc
    from parsers.ocrdoc import _Glyphs, _opened, _read_slots

    s = 150 / 72
    gray, raw, boxes = _two_columns([["3", "15"], ["2", "10"], ["7", "11"]], reach=30.0)
    one = (140 * s - 2, 60 * s - 20, 140 * s + 9, 60 * s + 5)  # the detector's box around 10's 1 alone
    boxes.append((*one, "1", 0.99))
    band = raw[int(one[1]) : int(one[3]), int(one[0]) :].any(axis=0)
    first = int(np.argmax(band))
    cut = int(one[0]) + first + int(np.argmin(band[first:])) - 1  # the 1's last column of ink
    real = ocrdoc._read_glyphs

    def read(gray, raw, glyphs, digit_height, within=None):
        found = real(gray, raw, glyphs, digit_height, within)
        if found is None or glyphs[0] > cut:
            return found  # the 0 alone
        # the place read as its 1 alone, as the recogniser read 31003's 10 with a speck under its 1
        bounds = (found.bounds[0], found.bounds[1], cut, found.bounds[3])
        return _Glyphs("1", 0.9, found.ring, bounds, found.window, found.despeckled)

    monkeypatch.setattr(ocrdoc, "_read_glyphs", read)
    monkeypatch.setattr(ocrdoc, "_recognise", lambda crop: ("0", 0.95))
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in added] == [ocrdoc.UNREADABLE_MARK + "10"]
    # read with doubt alone, its ink a 0's ring: the same
    monkeypatch.setattr(ocrdoc, "_recognise", lambda crop: ("0", 0.5))
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in added] == [ocrdoc.UNREADABLE_MARK + "10"]
    # the 0 alone read as no digit: not read
    monkeypatch.setattr(ocrdoc, "_recognise", lambda crop: ("。", 0.95))
    _, added, _ = _read_slots(gray, raw, _opened(raw), boxes, [], 25.0)
    assert [b[4] for b in added] == [ocrdoc.UNREADABLE_MARK]


def test_a_table_begun_in_a_pages_last_lines_takes_the_places_of_a_line_at_a_regular_pitch():
    """Seed 32000, unruled speckle scan at 150 dpi, blanks for none (tuning): table 3 began in the page's
    last lines, 183 32 23 37 35 28 338 above lines of a value or a few (1 | 1, 40 3 1 44); too few lines to
    learn the columns only one of them prints, and 35, found by its ink alone (□), had no place to be read
    in (7 cells null). A short block takes the places of its line at a regular pitch, between its first
    and last numbers, where each column of its own stands in one of them."""

    def line(y: float, cells: dict[int, str], shift: float = 0.0) -> list[tuple]:
        label = (20.0, y, 150.0, y + H, LABEL[4], 0.99)
        return [label, *(_box(200.0 + 60 * k + (shift if k == 5 else 0.0), y, t) for k, t in cells.items())]

    def first_line_places(shift: float, below: float = 0.0) -> int:
        boxes = [
            *line(100.0, {0: "183", 1: "32", 2: "23", 3: "37", 4: "\u25a1", 5: "28", 6: "338"}, shift),
            *line(150.0, {2: "1", 5: "1"}, below),
            *line(200.0, {0: "40", 1: "3", 2: "1", 5: "44"}, below),
        ]
        return len([s for s in _slots(boxes) if s[0][1] == 100.0])

    assert first_line_places(0.0) == 7  # every column of the long line a place, 35's □ among them
    # seed 37000 (rough): the long line's total printed small and left out by the detector; the block's lines
    # below print in its column a pitch past the line's end: that place is the table's too (not past it alone)
    short = [
        *line(100.0, {0: "183", 1: "32", 2: "23", 3: "37", 4: "35", 5: "28"}),
        *line(150.0, {2: "1", 6: "1"}),
        *line(200.0, {0: "40", 1: "3", 6: "44"}),
    ]
    assert len([s for s in _slots(short) if s[0][1] == 100.0]) == 7
    no_total = [b for b in short if not (b[1] > 100.0 and b[0] >= 560.0)]  # nothing printed past the line's end
    assert max(s[0][2] for s in _slots(no_total) if s[0][1] == 100.0) < 560.0
    # a line at no regular pitch (28 a third of a pitch off) gives the block no places of its own
    assert first_line_places(22.0) < 7
    # nor where a column of the block's own stands in none of the line's places (half a pitch off)
    assert first_line_places(0.0, below=30.0) < 7


def test_a_count_s_unit_boxed_alone_is_no_label_s_words_and_bars_no_place():
    """Seed 37000, unruled speckle scan at 150 dpi, blanks for none (rough): the detector boxed 1件's 件 alone
    and left out its 1 (found by its ink). A box of a unit alone is no label's words: it barred its column's
    place (a label's words where a column prints), and the 1 was never read; it is now in the place, read
    again with the 1."""

    def row(y: float, last: list[tuple]) -> list[tuple]:
        return [(20.0, y, 150.0, y + H, "（一）予以公开", 0.99), _box(200.0, y, "5"), _box(300.0, y, "3"), *last]

    boxes = [
        *row(0.0, [_box(400.0, 0.0, "8")]),
        *row(50.0, [_box(400.0, 50.0, "7")]),
        *row(100.0, [_box(396.0, 100.0, "\u25a1", 6.0), (404.0, 100.0, 420.0, 100.0 + H, "件", 0.99)]),
    ]
    held = [[boxes[i][4] for i in s[1]] for s in _slots(boxes) if s[0][1] == 100.0]
    assert held == [["5"], ["3"], ["\u25a1", "件"]]
    # words there (two characters) are none of the place's: they bound it, as a label's do
    words = [*boxes[:-1], (404.0, 100.0, 440.0, 100.0 + H, "件数", 0.99)]
    last = [s for s in _slots(words) if s[0][1] == 100.0 and s[0][0] > 350.0]
    assert [[words[i][4] for i in s[1]] for s in last] == [["\u25a1"]] and last[0][0][2] <= 404.0
