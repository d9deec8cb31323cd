"""Unruled tables on a scan: the columns their numbers' positions make, and the slots where a column's
value printed but the text detector found nothing.

A table printed without rules (or whose rules the scan lost) gives no cell to read again; its columns are
still there in the positions of the numbers of its other rows. A detector misses a lone digit beside a
speck, or a small 0, far more often than a number among letters, so each column's place on each line of
numbers is read again where it holds no number read as digits, or a digit beside one
(:func:`parsers.ocrdoc._read_slots`). Where the places come from nothing but the positions, the table's
rows still stand only whole and adding up (:mod:`parsers.tables`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from .values import HAN, is_words

#: A text box ``(x0, y0, x1, y1, text, confidence)`` in page pixels.
Box = tuple[float, float, float, float, str, float]
#: Lines of numbers further apart than this many digit heights belong to different tables (a table 3 row
#: whose label wraps over three lines leaves ~3.5).
BLOCK_GAP = 5.0
#: Centres of numbers closer than this share of the digit height are one column's.
COLUMN_SPREAD = 0.8
#: A column is one when at least this share of its block's lines print a number in it (in a block of
#: two lines, one: table 3's first row alone on a page with the next, its total left out), or at least
#: :data:`COLUMN_LINES` of them (a table printing blanks for none: 科研机构 with a value in 3 rows of 26).
COLUMN_SUPPORT = 0.5
COLUMN_LINES = 3
#: The kinds of numbers columns are learnt from: read as digits, or found by their ink (:func:`places`).
_SETTLED = ("digits", "ink")
#: A lone line needs this many numbers at a regular pitch for its columns to be taken from it.
PITCH_NUMBERS = 5
#: How far a label's box may reach into a column, as a share of the digit height, and the label still
#: end before it (seed 11000, unruled speckle rough: a label's box 5 px into the column of 17).
WORDS_MARGIN = 0.5
#: A word's box overlapping a line of numbers by this share of the digit height or more stands beside it.
LINE_OVERLAP = 0.3
#: A table's own header stands at most this many digit heights above it (:func:`_header_columns`).
HEADER_GAP = 2.5
#: One heading over a line's one value is its column when it has this many characters or more
#: (本年处理决定数量: :func:`_header_columns`).
HEADING_CHARACTERS = 4
#: A column's middle this share of the digit height or less past a box's end is covered by it (:func:`to_part`).
COVER_SHARE = 0.5
#: How far past the widest number seen in a column a slot reaches, as a share of the digit height (a
#: column the detector missed in every line of a block may lie just beyond).
SLOT_REACH = 1.0


def _lines(numbers: list[Box], digit_height: float) -> list[list[Box]]:
    """Numbers on one line of print, top to bottom, each line left to right."""
    lines: list[list[Box]] = []
    for box in sorted(numbers, key=lambda b: (b[1] + b[3]) / 2):
        middle = (box[1] + box[3]) / 2
        if lines and abs(middle - sum((b[1] + b[3]) / 2 for b in lines[-1]) / len(lines[-1])) < digit_height / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line) for line in lines]


def _blocks(lines: list[list[Box]], words: list[Box], digit_height: float) -> list[list[list[Box]]]:
    """Lines of two numbers or more, in runs no wider apart than :data:`BLOCK_GAP` and with no header
    between them: one table each (a run of one line may be a table of one row: table 4's fifteen numbers).
    A header is a word between two lines standing over the values (its middle right of the first number of
    either), not beside them as a row's label: table 2's items print a header each, and 行政事业性收费's two
    values, under 上一年项目数量 | 本年增/减, are no row of the three columns above."""
    blocks: list[list[list[Box]]] = []
    for line in (ln for ln in lines if len(ln) >= 2):
        top = min(b[1] for b in line)
        if blocks and top - max(b[3] for b in blocks[-1][-1]) < BLOCK_GAP * digit_height:
            if not _header_between(blocks[-1][-1], line, words):
                blocks[-1].append(line)
                continue
        blocks.append([line])
    return blocks


def _header_between(above: list[Box], below: list[Box], words: list[Box]) -> bool:
    """Whether a word between two lines of numbers stands over the values (its middle right of the first
    number of either), not beside them as a row's label: a header, and the lines are two tables'."""
    bottom, top, start = max(b[3] for b in above), min(b[1] for b in below), min(above[0][0], below[0][0])
    return any(bottom <= w[1] and w[3] <= top and (w[0] + w[2]) / 2 > start for w in words)


def _with_lone_numbers(
    block: list[list[Box]], lines: list[list[Box]], columns: list[tuple[float, float]], digit_height: float
) -> list[list[Box]]:
    """A block's lines and the lines of one number each among them or that follow it or lead to it, each
    within :data:`BLOCK_GAP` of the next, and its number in one of the block's ``columns`` (a total at its
    cell's top, a line above its row; table 2's rows of one value: 行政许可 0, 行政处罚 0; a speck at the
    page's edge is in none)."""
    reach = SLOT_REACH * digit_height

    def in_a_column(line: list[Box]) -> bool:
        centre = (line[0][0] + line[0][2]) / 2
        return any(left - reach <= centre <= right + reach for left, right in columns)

    # inside the block: a total printed at its cell's top, a line above its row's other values
    top, bottom = block[0][0][1], block[-1][0][3]
    out = sorted(
        [*block, *(ln for ln in lines if len(ln) == 1 and top < ln[0][1] < bottom and in_a_column(ln))],
        key=lambda ln: ln[0][1],
    )
    for step, start in ((1, block[-1]), (-1, block[0])):
        k = lines.index(start) + step
        while 0 <= k < len(lines) and len(lines[k]) == 1 and in_a_column(lines[k]):
            near = out[-1] if step == 1 else out[0]
            gap = (
                min(b[1] for b in lines[k]) - max(b[3] for b in near)
                if step == 1
                else (min(b[1] for b in near) - max(b[3] for b in lines[k]))
            )
            if gap >= BLOCK_GAP * digit_height:
                break
            out = [*out, lines[k]] if step == 1 else [lines[k], *out]
            k += step
    return out


def _columns(block: list[list[Box]], settled: Callable[[Box], bool], digit_height: float) -> list[tuple[float, float]]:
    """The x spans ``(left, right)`` of a block's columns: numbers read as digits whose centres lie
    together (a box of two columns' values run together is no column's), printed in at least
    :data:`COLUMN_SUPPORT` of its lines or :data:`COLUMN_LINES` of them."""
    placed = sorted(((b[0] + b[2]) / 2, n, b) for n, line in enumerate(block) for b in line if settled(b))
    groups: list[list[tuple[float, int, Box]]] = []
    for item in placed:
        if groups and item[0] - groups[-1][-1][0] <= COLUMN_SPREAD * digit_height:
            groups[-1].append(item)
        else:
            groups.append([item])
    need = min(COLUMN_SUPPORT * len(block), COLUMN_LINES) if len(block) > 2 else 1
    columns = []
    for group in groups:
        left, right = min(b[0] for _, _, b in group), max(b[2] for _, _, b in group)
        # a line prints in the column when a number of it, read or not (3 2 apart), is centred there
        lines = {n for n, line in enumerate(block) for b in line if left <= (b[0] + b[2]) / 2 <= right}
        if len(lines) >= need:
            columns.append((left, right))
    # values of two columns run into one box in a few lines centre between them: no column of its own
    centres = [(left + right) / 2 for left, right in columns]
    return [(left, right) for left, right in columns if sum(left < c < right for c in centres) < 3]


def _pitch_columns(line: list[Box], settled: Callable[[Box], bool], digit_height: float) -> list[tuple[float, float]]:
    """The x spans of a lone line's columns when its numbers stand at a regular pitch (table 4's fifteen,
    printed in one row): every gap between two numbers a whole number (1-3) of pitches, the missing
    numbers' places in those gaps, and one pitch past either end. None for a line of fewer than
    :data:`PITCH_NUMBERS` numbers or numbers at no regular pitch."""
    read = [b for b in line if settled(b)]
    centres = [(b[0] + b[2]) / 2 for b in read]
    if len(centres) < PITCH_NUMBERS:
        return []
    steps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    pitch = sorted(steps)[len(steps) // 2]
    if pitch < 1.5 * digit_height:
        return []
    grid = [centres[0] - pitch, centres[0]]
    for a, step in zip(centres, steps, strict=False):
        k = round(step / pitch)
        if not 1 <= k <= 3 or abs(step - k * pitch) > 0.2 * pitch:
            return []
        grid += [a + j * step / k for j in range(1, k + 1)]
    grid.append(centres[-1] + pitch)
    half = min(max(b[2] - b[0] for b in read) / 2, pitch / 3)
    return [(c - half, c + half) for c in grid]


def _pitched(
    block: list[list[Box]], columns: list[tuple[float, float]], settled: Callable[[Box], bool], digit_height: float
) -> list[tuple[float, float]]:
    """A short block's columns where one of its lines prints more of them at a regular pitch: a table
    begun in a page's last lines (seed 32000: 183 32 23 37 35 28 338 over two lines of a value or two) has
    too few lines to learn the columns only some of them print, and a value its ink alone shows had no
    place to be read in. The pitch's places between the line's first and last numbers, where each of the
    block's own columns stands in one of them, and the place a pitch past either end where one of the
    block's columns stands (seed 37000: the line's total printed small, left out by the detector); else the
    block's columns."""
    if len(block) >= 2 * COLUMN_LINES:
        return columns
    best = max(block, key=lambda line: sum(map(settled, line)))
    pitched = _pitch_columns(best, settled, digit_height)
    # not past its ends unless a column of the block is there: no guesses in a table
    grid = [
        (a, b)
        for k, (a, b) in enumerate(pitched)
        if 0 < k < len(pitched) - 1 or any(a <= (left + right) / 2 <= b for left, right in columns)
    ]
    if len(grid) <= len(columns):
        return columns
    if all(sum(a <= (left + right) / 2 <= b for a, b in grid) == 1 for left, right in columns):
        return grid
    return columns


def _merged(spans: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """X spans, left to right, with those less than ``gap`` apart joined into one."""
    out: list[tuple[float, float]] = []
    for left, right in spans:
        if out and left - out[-1][1] < gap:
            out[-1] = (out[-1][0], max(out[-1][1], right))
        else:
            out.append((left, right))
    return out


def _header_columns(block: list[list[Box]], words: list[Box], digit_height: float) -> list[tuple[float, float]]:
    """The columns of a table of a line or two under a header of its own (table 2's items: 行政事业性收费 |
    10 | 5 under 信息内容 | 上一年项目数量 | 本年增/减): the x spans of the words of the nearest line of words
    above its first line, within :data:`HEADER_GAP` digit heights, that stand right of the label leading
    that line (a heading read as two boxes, 本年增/ 减, is one), when each number of each line is centred in
    its own one of them (marks a digit's height apart or less are one number's: 8732 printed letter-spaced,
    2 read and 873 found by its ink); one heading over one number inside its span is a column too
    (本年处理决定数量 over 行政许可's value: seed 34003). None otherwise (no label before the line, a header
    with no place for a number, table 3's header of several lines; two numbers under one heading: a real
    report's header cells need not stand over its values)."""
    first = block[0]
    top, middle = min(b[1] for b in first), (first[0][1] + first[0][3]) / 2
    led = [w for w in words if w[1] < middle < w[3] and w[2] <= first[0][0]]
    if not led:
        return []
    label_end = max(w[2] for w in led)
    above = [w for w in words if w[0] >= label_end and w[3] <= top + 2 and top - w[3] < HEADER_GAP * digit_height]
    if not above:
        return []
    nearest = max(w[3] for w in above)
    header = sorted(w for w in above if nearest - w[3] < digit_height / 2)
    columns = _merged([(w[0], w[2]) for w in header], digit_height)
    # one heading is a column's words, not a line of a wrapped header (平潭 2022 printed without rules: table
    # 4's 未 over a stroke of 审 found by its ink had headed a value)
    if len(columns) == 1 and sum(len(HAN.findall(w[4])) for w in header) < HEADING_CHARACTERS:
        return []
    reach = SLOT_REACH * digit_height
    for line in block:
        spans = _merged([(n[0], n[2]) for n in line], digit_height)  # marks a digit apart: one number's
        homes = [[k for k, (a, b) in enumerate(columns) if a - reach <= (x0 + x1) / 2 <= b + reach] for x0, x1 in spans]
        if any(len(h) != 1 for h in homes) or len({h[0] for h in homes}) < len(spans):
            return []
        # under one heading, one number inside its span (a row of 0件 a digit apart is one span, wider)
        if len(columns) == 1 and any(x0 < columns[0][0] - reach or x1 > columns[0][1] + reach for x0, x1 in spans):
            return []
    return columns


def _tables(
    blocks: list[list[list[Box]]], read: Callable[[Box], bool], labels: list[Box], digit_height: float
) -> Iterator[list[list[Box]]]:
    """The blocks that are tables: those with a number the detector read as digits (``read``), those found
    by their ink alone in a table's shape (:func:`_ink_table`), and of the other blocks each line that is
    one alone (table 4's values in one row, a header's small characters the detector left out above it)."""
    for block in blocks:
        if any(read(b) for line in block for b in line) or _ink_table(block, labels, digit_height):
            yield block
        elif len(block) > 1:
            yield from ([line] for line in block if _ink_table([line], labels, digit_height))


def _led(line: list[Box], labels: list[Box]) -> bool:
    """Whether a label's words stand before a line's first number, on its line."""
    middle = (line[0][1] + line[0][3]) / 2
    return any(w[1] < middle < w[3] and w[2] <= line[0][0] for w in labels)


def _ink_table(block: list[list[Box]], labels: list[Box], digit_height: float) -> bool:
    """Whether a block of numbers none of which the detector read is still a table's: table 2's rows of
    small values (规章 1 0 11), table 4's fifteen single digits in one row, which the detector left out
    wholly on real reports scanned with specks at 150 dpi. Specks as high as a digit do not make one:
    every number about as high as the others; a lone line of :data:`PITCH_NUMBERS` or more at a regular
    pitch (:func:`_pitch_columns`); lines of two numbers or more, as many as the block has columns, one
    in each, every line led by a label's words."""
    heights = sorted(b[3] - b[1] for line in block for b in line)
    median = heights[len(heights) // 2]
    if heights[0] < 0.8 * median or heights[-1] > 1.25 * median:
        return False
    if len(block) == 1:
        return bool(_pitch_columns(block[0], lambda b: True, digit_height))
    if any(len(line) < 2 for line in block):
        return False
    columns = _columns(block, lambda b: True, digit_height)
    for line in block:
        if len(line) != len(columns):
            return False
        if any(not left <= (b[0] + b[2]) / 2 <= right for b, (left, right) in zip(line, columns, strict=True)):
            return False
        if not _led(line, labels):
            return False
    return True


Table = tuple[list[list[Box]], list[tuple[float, float]], bool, bool]


def _one_table(
    tables: list[Table], blocks: list[list[list[Box]]], lines: list[list[Box]], words: list[Box], digit_height: float
) -> list[Table]:
    """Blocks of one table parted by its blank rows, with the columns of the whole: 上海 2019 prints a blank
    for none, so rows of a value or two stand rows apart (5 | 3 1 | 10 2 under 821 35 2 1 859), and a block
    learns only the columns its own lines print in (the 1 of 法律服务机构 in 252 12 1, found by its ink alone,
    had no place to be read in; nor had 3 1, one line, no columns at all). A block takes the columns of the
    nearest block above it, else below, of more columns, with no header between them, where every number of
    its lines, and every column of its own, stands in one of them. ``tables`` as :func:`places` finds them,
    ``blocks`` their lines as found (before the lone numbers among them joined)."""
    reach = SLOT_REACH * digit_height

    def inside(x: float, columns: list[tuple[float, float]]) -> bool:
        return any(left - reach <= x <= right + reach for left, right in columns)

    out = list(tables)
    # down the page and back up: a block takes the columns its neighbour took (10 2 under 3 1 under 821 …)
    for k in [*range(len(out)), *reversed(range(len(out)))]:
        block, columns, _, guesses = out[k]
        for j in (k - 1, k + 1):
            if guesses or not 0 <= j < len(out) or out[j][3] or len(out[j][1]) <= len(columns):
                continue
            wider = out[j][1]
            above, below = (out[j][0][-1], block[0]) if j < k else (block[-1], out[j][0][0])
            if _header_between(above, below, words):
                continue
            centres = [(b[0] + b[2]) / 2 for line in blocks[k] for b in line] + [(a + b) / 2 for a, b in columns]
            if all(inside(x, wider) for x in centres):
                out[k] = (_with_lone_numbers(blocks[k], lines, wider, digit_height), wider, False, False)
                break
    return out


def to_part(
    boxes: Sequence[Box], kind: Callable[[Box], str], digit_height: float
) -> tuple[dict[int, list[float]], list[list[int]]]:
    """The numbers of unruled tables that one box may hold several of, found once for both kinds:

    * numbers read as one box across two columns or more of a block (``128821``, ``30 1``: two values a gap
      narrower than the detector parts), each as its index and the x positions between the columns it
      covers (midway between their centres), where it is to be parted; a block is two lines or more
      (:func:`_columns`): a lone line's columns are not known well enough to part a reading by;
    * the lines of numbers no other line's block joins (table 4's fifteen values in one row), each as the
      indexes of its numbers, left to right: where its values stand far apart, a box of several of them
      (``0021`` over 1 0 0 2) may be parted at the gaps.
    """
    kinds = {id(b): kind(b) for b in boxes}
    index = {id(b): i for i, b in enumerate(boxes)}
    numbers = [b for b in boxes if kinds[id(b)]]
    parts: dict[int, list[float]] = {}
    lone: list[list[int]] = []
    words = [b for b in boxes if is_words(b[4]) and not kinds[id(b)]]
    for block in _blocks(_lines(numbers, digit_height), words, digit_height):
        if len(block) == 1:
            lone.append([index[id(b)] for b in block[0]])
            continue
        columns = _columns(block, lambda b: kinds[id(b)] in _SETTLED, digit_height)
        centres = [(left + right) / 2 for left, right in columns]
        reach = COVER_SHARE * digit_height
        for box in (b for line in block for b in line if kinds[id(b)] in ("digits", "mark")):
            # a middle just past the box's end is covered too: a lone digit of a left-aligned column ends
            # short of the column's middle (``0 0``: 其他 and 总计, the totals below longer numbers); a
            # count's unit ends its box past its digits already (``1件`` reaches no further)
            near = 0.0 if HAN.search(box[4]) else reach
            covered = [c for c in centres if box[0] - near < c < box[2] + near]
            if len(covered) > 1:
                parts[index[id(box)]] = [(a + b) / 2 for a, b in itertools.pairwise(covered)]
    return parts, lone


@dataclass
class Places:
    """Where an unruled page's tables print what the detector may have left out (:func:`places`)."""

    #: a place of each column on each line of numbers, ``((x0, y0, x1, y1), boxes, guessed)``
    values: list[tuple[tuple[float, float, float, float], list[int], bool]] = field(default_factory=list)
    #: on each line of a table of two lines or more, the span ``(x0, y0, x1, y1)`` before its first column
    #: and after the last word the detector found on it there: where its label prints if it left it out
    labels: list[tuple[float, float, float, float]] = field(default_factory=list)


def places(
    boxes: Sequence[Box],
    kind: Callable[[Box], str],
    digit_height: float,
    printed: Callable[[Box], tuple[float, float]] | None = None,
) -> Places:
    """The places of unruled tables. Each value's place (:attr:`Places.values`): on each line of numbers,
    the place of each column its block's other lines print a number in (for a lone line, the places its
    regular pitch gives, :func:`_pitch_columns`, or at no regular pitch each number's own), reaching a
    digit's height past the numbers seen in it, never halfway to the next column; the indexes of the
    boxes it holds (none where the detector left the value out; a 0 read as ``o``, ``12`` read as ``1``
    and ``2.``, letter-spaced ``2 3`` not joined for certain); and whether it is a guess (past a lone
    line's ends, or any place of a line at no regular pitch: only a number read there with confidence
    counts). A place a label's words or a box of the next column reach into is none. Each label's place
    (:attr:`Places.labels`): the span of a table line before its first column that no word the detector
    found covers (a row's label it left out wholly: seed 21004's （一）予以公开, printed beside 23 3 0 …).

    Args:
        boxes: the page's text boxes outside ruled cells.
        kind: what a box is: ``"digits"`` a number the detector read as digits, ``"ink"`` one it left
            out that its ink shows (the columns are learnt from these two), ``"mark"`` a value read
            otherwise (not read, with doubt, letter-spaced, a round mark), ``""`` no value. A run of lines
            with no number the detector read is a table only in a table's shape (:func:`_tables`: specks
            as high as a digit in a row are none).
        digit_height: the page's digit height (:func:`parsers.ocrdoc._digit_height`).
        printed: the x span where a box's number prints (its ink, without a speck read after it); the
            box's own span when not given.
    """
    kinds = [kind(b) for b in boxes]
    kind_of = {id(b): k for b, k in zip(boxes, kinds, strict=True)}  # each box's kind judged once
    # a count's unit boxed alone is none (seed 37000: 1件's 件 had barred its column's place, and the 1 found by
    # its ink was not read), nor a value with its unit (0件), a kind of its own
    words_at = [is_words(b[4]) and not k for b, k in zip(boxes, kinds, strict=True)]
    numbers = [b for b, k in zip(boxes, kinds, strict=True) if k]

    reach = SLOT_REACH * digit_height
    found = Places()
    slots = found.values
    lines = _lines(numbers, digit_height)
    # a mark found by its ink a digit's height or less beside a number read is one of its digits the detector
    # left out (seed 21000: 11781 printed letter-spaced, read 178, its two 1s marks beside it), no column's
    glued = {
        id(b)
        for line in lines
        for b in line
        if kind_of[id(b)] == "ink"
        and any(
            kind_of[id(n)] in ("digits", "mark")
            and (0 <= n[0] - b[2] < digit_height or 0 <= b[0] - n[2] < digit_height)
            for n in line
        )
    }
    print_span = printed or (lambda box: (box[0], box[2]))
    spans = {i: print_span(b) for i, b in enumerate(boxes) if not words_at[i]}  # words are in no place

    def settled(box: Box) -> bool:
        return kind_of[id(box)] in _SETTLED and id(box) not in glued

    labels = [b for b, w in zip(boxes, words_at, strict=True) if w]

    def read(box: Box) -> bool:
        return kind_of[id(box)] == "digits"

    tables: list[Table] = []
    found_blocks = _blocks(lines, labels, digit_height)
    blocks = list(_tables(found_blocks, read, labels, digit_height))
    for block in blocks:
        guesses = False  # every place a guess: only a number read there with confidence counts
        # a table under a header of its own has the header's columns (a stray mark in two lines makes one)
        heading = _header_columns(block, labels, digit_height)
        if heading or len(block) > 1:
            columns, ends = (
                heading or _pitched(block, _columns(block, settled, digit_height), settled, digit_height),
                False,
            )
            block = _with_lone_numbers(block, lines, columns, digit_height)
        else:
            columns, ends = _pitch_columns(block[0], settled, digit_height), True
            if not columns and len(block[0]) >= PITCH_NUMBERS:
                # numbers at no regular pitch (a Word table's columns of their own widths): each its own place, a
                # stem read as [ too
                columns, guesses = sorted((b[0], b[2]) for b in block[0]), True
        tables.append((block, columns, ends, guesses))
    # a line of marks found by their ink alone, led by a row's label, in no table (上海 2019 at 150 dpi with
    # specks: 6.属于四类过程性信息's 3 1 both left out by the detector): a table's row where a table's
    # columns take it (_one_table), else no place
    in_tables = {id(line) for block in blocks for line in block}
    loose = [[line] for block in found_blocks for line in block if id(line) not in in_tables and _led(line, labels)]
    order = sorted(
        [*zip(tables, blocks, strict=True), *(((line, [], False, False), line) for line in loose)],
        key=lambda pair: min(b[1] for b in pair[1][0]),
    )
    tables = _one_table([t for t, _ in order], [b for _, b in order], lines, labels, digit_height)
    # a line of a value or two led by a label, under its own header (table 2's 行政事业性收费 and 政府集中采购
    # items): its columns are the header's
    taken = {id(line) for block, columns, _, _ in tables if columns for line in block}
    headed: list[Box] | None = None  # the line just given its header's columns
    for k, line in enumerate(lines):
        if id(line) in taken:
            continue
        columns = _header_columns([line], labels, digit_height)
        above = lines[k - 1] if k else None
        if (
            not columns
            and above is not None
            and above is headed
            and _led(line, labels)
            and min(b[1] for b in line) - max(b[3] for b in above) < BLOCK_GAP * digit_height
            and not _header_between(above, line, labels)
        ):
            # the next row of the same items, a value each, its header further up than a header stands
            # (seed 41005: 行政强制 0 under 行政处罚 21, both under 本年处理决定数量)
            columns = _header_columns([above, line], labels, digit_height)
        if columns:
            tables.append(([line], columns, False, False))
            headed = line
    for block, columns, ends, guesses in tables:
        for line in block:
            top = sorted(b[1] for b in line)[len(line) // 2]
            bottom = sorted(b[3] for b in line)[len(line) // 2]
            middle = (top + bottom) / 2
            row = [i for i, b in enumerate(boxes) if b[1] < middle < b[3]]  # the page's boxes on this line
            # and the words reaching into it: a label over two lines, its values printed between them
            beside = [
                b
                for b, w in zip(boxes, words_at, strict=True)
                if w and min(b[3], bottom) - max(b[1], top) > LINE_OVERLAP * digit_height
            ]
            if len(block) > 1 and columns:
                start, margin = columns[0][0], WORDS_MARGIN * digit_height
                said = [boxes[i][2] for i in row if words_at[i] and boxes[i][2] <= start + margin]
                found.labels.append((max(said, default=0.0), top, start - margin, bottom))
            for k, (left, right) in enumerate(columns):
                # a digit's height past the widest number seen in the column (a longer number, a digit the
                # detector left out), never past halfway to the next column: a value is printed nearer its own
                # (spans of wide values, 0件, may overlap: the columns' centres part them)
                centre = (left + right) / 2
                before = sum(columns[k - 1]) / 2 if k else -math.inf
                after = sum(columns[k + 1]) / 2 if k + 1 < len(columns) else math.inf
                x0, x1 = max(left - reach, (before + centre) / 2), min(right + reach, (centre + after) / 2)
                if len(line) == 1 and len(block) > 1 and not (line[0][0] < x1 and line[0][2] > x0):
                    continue  # a line of one value beside a block: its own place only (the rest is blank)
                on_line = [i for i in row if boxes[i][0] < x1 and boxes[i][2] > x0]
                words = [boxes[i] for i in on_line if words_at[i]]
                # a detector's box reaches a few pixels past its words (more on a skewed scan)
                margin = WORDS_MARGIN * digit_height
                if any(b[0] < right - margin and b[2] > left + margin for b in words):
                    continue  # a label's words where the column prints: no value's slot
                # a label ending just before the column (its long last line, or a line of it above or below
                # the values: seed 21005's 2.其他法律行政法规禁止 / 公开, whose 止 was read as the first place) bounds
                # the slot
                near = [b for b in beside if b[0] < x1 and b[2] > x0]
                x0 = max([x0, *(b[2] for b in near if b[2] <= left + margin)])
                x1 = min([x1, *(b[0] for b in near if b[0] >= right - margin)])
                if x1 - x0 < 2:
                    continue  # labels on both sides leave it no room
                # ink found across two columns (values with their units, 0件 0件, close enough to join) is no
                # reading: the place reads its own part of it. A box is where its marks print (seed 37004: a
                # speck read after 32, 32., reached into the next column's place and barred it)
                touching = [
                    i
                    for i in on_line
                    if not words_at[i]
                    and spans[i][0] < x1
                    and spans[i][1] > x0
                    and (kinds[i] != "ink" or before <= spans[i][0] and spans[i][1] <= after)
                ]
                if any(spans[i][0] < before or spans[i][1] > after for i in touching):
                    continue  # a box reaching the next column's middle: not this slot's to read
                if guesses and len(touching) > 1:
                    continue  # a guessed place holds one number or none
                rect = (
                    min([x0, *(boxes[i][0] for i in touching)]),
                    min([top, *(boxes[i][1] for i in touching)]),
                    max([x1, *(boxes[i][2] for i in touching)]),
                    max([bottom, *(boxes[i][3] for i in touching)]),
                )
                # a place past a lone line's ends is a guess: only a number read there with confidence counts
                slots.append((rect, touching, guesses or (ends and k in (0, len(columns) - 1))))
    return found
