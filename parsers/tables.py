"""Reading the three statistical tables out of rows.

A table row is found by its label (template.py), its values are the cells
after the label.  Two things make real documents hard, and both are handled
here for every format at once:

* drift — a label on one line and its values on the next (or the other way
  round), or a label wrapped around its values in a PDF;
* blanks — spacer cells from merged label columns and trailing tabs that
  look like empty values.  :func:`align` places values into columns only
  when the placement is certain (or the template's own arithmetic singles
  out one placement); otherwise the cells become null with a warning.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, lru_cache, partial
from typing import Any

from . import template as T
from .layout import Row
from .values import (
    GLUED_NUMBER,
    SIGN_UNREAD_MARK,
    SPECK_READINGS,
    UNREADABLE_MARK,
    Cell,
    SignUnread,
    doubted,
    normalise_label,
    read_cell,
)

Number = int | float
Values = dict[str, Number | None]
#: A table's sums as data: (terms, total) column keys.
Sums = Sequence[tuple[Sequence[str], str]]

#: Paragraph lines longer than this are prose, never a row label.
_MAX_PROSE_LABEL = 45


@dataclass
class Line:
    """A labelled table row after drift is mended: its key and raw value cells."""

    key: str
    cells: list[str] = field(default_factory=list)
    xs: list[float] | None = None
    filled: bool = False  # values gathered from following lines
    overflow: bool = False  # more values followed than the row has columns
    joined: bool = False  # the values ran together with nothing between them (layout.Row.joined)


Segment = tuple[str, list[str], "list[float] | None"]


def split_row(row: Row) -> list[Segment]:
    """Split a row into segments of (normalised label, value cells after it, their x positions).

    Most rows are one segment.  A row holding several labelled runs (a whole
    table read as one block of one-cell lines, or items printed side by
    side) gives one segment per label.  A cell holding a label followed by
    space-separated numbers (a PDF or text line read as one cell) is split
    first.
    """
    cells: list[str] = []
    xs: list[float] | None = [] if row.xs and len(row.xs) == len(row.cells) else None
    for n, cell in enumerate(row.cells):
        parts = _split_cell(cell)
        cells.extend(parts)
        if xs is not None and row.xs and (len(parts) == 1 or all(read_cell(p).kind == "number" for p in parts)):
            # values read as one cell ("447 7": two columns' values close together) stand where it stands
            xs += [row.xs[n]] * len(parts)
        else:
            xs = None  # a label's share of a cell is not known: no positions
    # a joined row's run of values is one cell, signs and all (``2648-18538``: 本年增/减 ran in), never a label's
    kinds = ["number" if row.joined and _JOINED_RUN.fullmatch(c) else read_cell(c).kind for c in cells]
    segments: list[Segment] = []
    start, run_start, seen_value = 0, 0, False
    for i, kind in enumerate(kinds):
        if kind == "text":
            if seen_value:
                # a new label after values: close the run; empties just before it are its spacers
                end = i
                while end > run_start and not cells[end - 1].strip():
                    end -= 1
                segments.append(_segment(cells, xs, start, run_start, end))
                start = end
            run_start, seen_value = i + 1, False
        elif cells[i].strip() and run_start > start:
            seen_value = True
    last_text = max((i for i in range(start, len(kinds)) if kinds[i] == "text"), default=start - 1)
    segments.append(_segment(cells, xs, start, last_text + 1, len(cells)))
    return segments


def _segment(cells: list[str], xs: list[float] | None, start: int, first_value: int, end: int) -> Segment:
    # a merged label cell repeated across the grid by a converter ("（七）总计|（七）总计") counts once
    parts = [c for i, c in enumerate(cells[start:first_value]) if i == 0 or c != cells[start + i - 1]]
    label = normalise_label("".join(parts))
    return label, cells[first_value:end], (xs[first_value:end] if xs is not None else None)


_JOINED_RUN = re.compile(r"[+\-−－]?\d[\d.+\-−－]*")


def _split_cell(cell: str) -> list[str]:
    if read_cell(cell).kind != "text":
        return [cell]
    tokens = cell.split()
    glued = GLUED_NUMBER.match(tokens[-1]) if tokens else None
    if glued:  # a value run into the end of its label (PDF words with no gap)
        tokens[-1:] = [glued.group("label"), glued.group("number")]
    values: list[str] = []
    while len(tokens) > 1 and read_cell(tokens[-1]).kind == "number":
        values.insert(0, tokens.pop())
    return [" ".join(tokens), *values] if values else [cell]


# --- alignment --------------------------------------------------------------------


def align(
    cells: Sequence[str],
    columns: Sequence[str],
    xs: Sequence[float] | None = None,
    ref: Sequence[float] | None = None,
    check: Callable[[Values], bool] | None = None,
) -> tuple[Values, str | None]:
    """Place a row's value cells into its columns, or refuse.

    Args:
        cells: the cells after the label, as printed ("" for empty).
        columns: column keys in print order.
        xs: x position of each cell, when the format gives positions.
        ref: x centre of each column, learnt from complete rows of the table.
        check: the template's arithmetic for this row, used only to choose
            between placements that the layout leaves open.

    Returns:
        ``(values, warning)``: every column present, null where unknown;
        the warning says why values were left null.
    """
    values, warning = _align(cells, columns, xs, ref, check)
    unreadable = sum(read_cell(c).kind == "unreadable" for c in cells)
    if unreadable and warning is None:
        warning = f"{unreadable} value(s) not read with confidence (OCR), left null: {' | '.join(cells)}"
    return values, warning


def _align(
    cells: Sequence[str],
    columns: Sequence[str],
    xs: Sequence[float] | None,
    ref: Sequence[float] | None,
    check: Callable[[Values], bool] | None,
) -> tuple[Values, str | None]:
    n, width = len(cells), len(columns)
    parsed = [read_cell(c) for c in cells]
    if any(p.kind == "text" for p in parsed):
        return _nulls(columns), f"text among values: {' | '.join(cells)}"
    if n == width:
        return _values(columns, parsed), None
    if n < width:
        if all(p.kind == "blank" for p in parsed):
            return _nulls(columns), None
        if xs is not None and ref is not None and len(ref) == width:
            placed = _place_by_x(parsed, xs, ref, columns)
            if placed is not None:
                return placed, None
        return _nulls(columns), f"{n} values for {width} columns: {' | '.join(cells)}"
    if width == 1 and len({c.strip() for c in cells}) == 1:
        # one merged cell repeated across the grid by a converter (PDF to markdown writes 447228|447228|447228)
        return _values(columns, parsed[:1]), None
    # More cells than columns: the extra ones must be empty spacers at either end.
    extra = n - width
    candidates: list[Values] = []
    for lead in range(extra + 1):
        trail = extra - lead
        ends = list(cells[:lead]) + list(cells[n - trail :])
        if all(not c.strip() for c in ends):
            cand = _values(columns, parsed[lead : n - trail])
            if cand not in candidates:
                candidates.append(cand)
    if not candidates:
        return _nulls(columns), f"{n} values for {width} columns: {' | '.join(cells)}"
    if len(candidates) > 1 and check is not None:
        passing = [c for c in candidates if check(c)]
        if len(passing) == 1:
            return passing[0], None
    if len(candidates) == 1:
        return candidates[0], None
    merged: Values = {}
    for col in columns:
        seen = {c[col] for c in candidates}
        merged[col] = seen.pop() if len(seen) == 1 else None
    return merged, f"blank cells leave the column of some values open: {' | '.join(cells)}"


#: A number as a cell prints it: no leading zero but in 0 itself (0.5 too), a minus only where allowed.
_CELL_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
#: The most characters one cell of a joined row is taken to have: a count (a billion requests is no count),
#: an amount of money (39573802895.90).
_JOINED_COUNT_MAX = 9
_JOINED_AMOUNT_MAX = 15
#: Placements a joined row is tried in before it is left null: bounded work for any input (a document has
#: at most some forty rows to place: ~0.1 s each at worst).
_JOINED_BUDGET = 20_000


def unjoin(
    cells: Sequence[str],
    columns: Sequence[str],
    sums: Sums = (),
    amounts: frozenset[str] = frozenset(),
    signed: frozenset[str] = frozenset(),
) -> tuple[Values, str | None]:
    """A joined row's values (layout.Row.joined: ``21710000218`` for 217 · 1 · 0 · 0 · 0 · 0 · 218).

    The pieces the text kept apart are the cells when there is one for each column and each prints a
    number. Otherwise the digits are split into the columns only when the template leaves one reading:
    every split where each cell prints a number of its column's type (no leading zero; a point only in an
    amount, a minus only in 本年增/减) or is blank, and the row's sums add up (a blank as 0), is tried, and
    the row is kept when exactly one split remains and it has no blank. ``6233440`` for three counts with
    no sum between them stays null; so does any row with more readings than :data:`_JOINED_BUDGET` tries.

    Args:
        cells: the pieces of the row's values, as the text separated them.
        columns: the row's columns in print order.
        sums: the row's sums as (terms, total) column keys.
        amounts: columns that hold money (decimals allowed).
        signed: columns that may be negative.
    """
    return _verdict(readings(cells, columns, sums, amounts, signed), cells, columns, sums)


def _verdict(
    found: list[Values] | None, cells: Sequence[str], columns: Sequence[str], sums: Sums
) -> tuple[Values, str | None]:
    """A joined row's values from its readings (:func:`readings`): the one reading, else nulls and why."""
    if found is not None and len(found) == 1 and all(v is not None for v in found[0].values()):
        return found[0], None
    run = "".join(c.strip() for c in cells)
    if found is None:
        why = "too many readings to try"
    elif not found:
        why = "no reading fits the row's columns" + (" and adds up" if sums else "")
    else:
        why = "more than one reading fits the row" + (" and adds up" if sums else "")
    return _nulls(columns), f"values run together with nothing between them ({run}): {why}, left null"


def readings(
    cells: Sequence[str],
    columns: Sequence[str],
    sums: Sums = (),
    amounts: frozenset[str] = frozenset(),
    signed: frozenset[str] = frozenset(),
    limit: int = 2,
) -> list[Values] | None:
    """The readings of a joined row that :func:`unjoin` allows (its arguments), the first ``limit`` of
    them; None when there are more than its budget can try."""
    pieces = [c.strip() for c in cells if c.strip()]
    if len(pieces) == len(columns) and all(_fits(p, c, amounts, signed) for p, c in zip(pieces, columns, strict=True)):
        return [_values(columns, [read_cell(p) for p in pieces])]
    return _splits("".join(pieces), list(columns), sums, amounts, signed, limit)


def _fits(token: str, col: str, amounts: frozenset[str], signed: frozenset[str]) -> bool:
    """The token prints a number its column may hold (its type: a point only in money, a minus only in a
    change), the way a cell prints it (no leading zero)."""
    return (
        bool(_CELL_NUMBER.fullmatch(token))
        and ("." not in token or col in amounts)
        and (not token.startswith("-") or col in signed)
    )


class _OutOfBudget(Exception):
    pass


def _splits(
    run: str, columns: list[str], sums: Sums, amounts: frozenset[str], signed: frozenset[str], limit: int
) -> list[Values] | None:
    """The splits :func:`unjoin` allows, the first ``limit`` of them; None when the budget ran out first.

    Columns are read in blocks that no sum straddles (table 4's three groups), and each block's readings
    from each place in the run are found once, so the work grows with the blocks, not with their product.
    A total whose terms are read can only print their sum."""
    index = {c: i for i, c in enumerate(columns)}
    due: dict[int, list[tuple[Sequence[str], str]]] = {}
    spans = []
    for terms, total in sums:
        at = [index[c] for c in (*terms, total)]
        due.setdefault(max(at), []).append((terms, total))
        spans.append((min(at), max(at)))
    cuts = [i for i in range(len(columns) + 1) if not any(lo < i <= hi for lo, hi in spans)]
    blocks = list(itertools.pairwise(cuts))
    widest = [(_JOINED_AMOUNT_MAX if c in amounts else _JOINED_COUNT_MAX) + (c in signed) for c in columns]
    room = [sum(widest[i:]) for i in range(len(columns) + 1)]
    steps = 0

    def options(i: int, pos: int, values: dict[str, Number | None]) -> list[tuple[Number | None, int]]:
        col = columns[i]
        for terms, total in due.get(i, []):
            if total == col and col not in amounts and all(index[t] < i for t in terms):
                target = sum(values[t] or 0 for t in terms)
                printed = str(int(target))
                out: list[tuple[Number | None, int]] = [(None, pos)] if target == 0 else []
                return out + ([(target, pos + len(printed))] if run.startswith(printed, pos) else [])
        out = [(None, pos)]  # a blank cell printed nothing
        for end in range(pos + 1, min(len(run), pos + widest[i]) + 1):
            token = run[pos:end]
            if _fits(token, col, amounts, signed):
                out.append((float(token) if "." in token else int(token), end))
        return out

    @cache
    def block(b: int, pos: int) -> tuple[tuple[int, Values], ...]:
        lo, hi = blocks[b]
        out: list[tuple[int, Values]] = []
        values: dict[str, Number | None] = {}

        def walk(i: int, pos: int) -> None:
            nonlocal steps
            steps += 1
            if steps > _JOINED_BUDGET:
                raise _OutOfBudget
            if i == hi:
                out.append((pos, dict(values)))
                return
            if len(run) - pos > room[i]:
                return
            for value, nxt in options(i, pos, values):
                values[columns[i]] = value
                if all(_adds_up_blank(values, terms, total) for terms, total in due.get(i, [])):
                    walk(i + 1, nxt)

        walk(lo, pos)
        return tuple(out)

    @cache
    def tails(b: int, pos: int) -> tuple[Values, ...]:
        if b == len(blocks):
            return ({},) if pos == len(run) else ()
        out: list[Values] = []
        for end, values in block(b, pos):
            for tail in tails(b + 1, end):
                out.append({**values, **tail})
                if len(out) >= limit:
                    return tuple(out)
        return tuple(out)

    try:
        return [{c: v[c] for c in columns} for v in tails(0, 0)]
    except _OutOfBudget:
        return None


def _adds_up_blank(v: Mapping[str, Number | None], terms: Sequence[str], total: str) -> bool:
    return abs(sum(v[c] or 0 for c in terms) - (v[total] or 0)) < 1e-6


def typed(values: Values, item: str | None = None) -> tuple[Values, list[str]]:
    """The values with every reading its column cannot hold left null, and those readings.

    A count is a whole number, not negative (本年增/减 may be negative); an amount of money may have
    decimals (template.AMOUNT_COLUMNS). Whatever the reader, 3.36 requests is a misreading (a speck
    read as a point), never the published number.

    Args:
        values: one row's values by column.
        item: the row's key, for the columns whose type depends on the row (table 2's money).
    """
    out, refused = dict(values), []
    for col, v in values.items():
        why = None
        if isinstance(v, SignUnread):
            out[col] = int(v)  # a count is never negative: the mark before it was a speck
            why = "a mark before it may be its minus sign" if col in T.SIGNED_COLUMNS and v != 0 else None
        elif v is None or (item, col) in T.AMOUNT_COLUMNS:
            why = "an amount is not negative" if v is not None and v < 0 else None
        elif not isinstance(v, int):
            why = "a count is a whole number"
        elif v < 0 and col not in T.SIGNED_COLUMNS:
            why = "a count is not negative"
        if why:
            out[col] = None
            refused.append(f"{col} {v!r} ({why})")
    return out, refused


def _minus_refused(values: Values) -> tuple[Values, list[str]]:
    """A scanned table-4 group without its readings with a minus (:func:`typed` refuses them: ``-1``, a
    speck's bar before a 1): null before the group's sum judges the rest, as the digits are likely right
    (:func:`parsers.values.doubted`). Other readings no count can be (``40.1``) stay for the sum to judge:
    their digits may be two cells' run together, and a group has no other witness (table 3's columns
    judge its rows again, :func:`_misread_after_all`)."""
    negative: Values = {c: v for c, v in values.items() if v is not None and v < 0}
    return {c: None if c in negative else v for c, v in values.items()}, typed(negative)[1]


def _refused(refused: list[str]) -> str:
    return f"a reading its column cannot hold, left null: {', '.join(refused)}"


def _values(columns: Sequence[str], parsed: Sequence[Cell]) -> Values:
    return {col: p.value for col, p in zip(columns, parsed, strict=False)}


def _nulls(columns: Sequence[str]) -> Values:
    return {col: None for col in columns}


def _place_by_x(
    parsed: Sequence[Cell], xs: Sequence[float], ref: Sequence[float], columns: Sequence[str]
) -> Values | None:
    """Assign each value to the nearest column centre; refuse on any doubt."""
    gaps = [b - a for a, b in zip(ref, ref[1:], strict=False)]
    if not gaps or min(gaps) <= 0:
        return None
    tolerance = min(gaps) * 0.4
    out = _nulls(columns)
    used: set[int] = set()
    for cell, x in zip(parsed, xs, strict=False):
        j = min(range(len(ref)), key=lambda i: abs(ref[i] - x))
        if abs(ref[j] - x) > tolerance or j in used:
            return None
        used.add(j)
        out[columns[j]] = cell.value
    return out


def _places(xs: Sequence[float], ref: Sequence[float], between: bool = False) -> list[tuple[int, ...]] | None:
    """Each reading's column, its centre within a quarter of the narrowest spacing of the table's column
    centres, or with ``between`` the two columns it stands midway between (within as much); in print order,
    each column once. None for any other row."""
    gaps = [b - a for a, b in itertools.pairwise(ref)]
    if not xs or not gaps or min(gaps) <= 0:
        return None
    reach = min(gaps) / 4
    places: list[tuple[int, ...]] = []
    for x in xs:
        home = min(range(len(ref)), key=lambda i: abs(ref[i] - x))
        pairs = [(i, i + 1) for i in range(len(ref) - 1) if between and abs((ref[i] + ref[i + 1]) / 2 - x) <= reach]
        if abs(ref[home] - x) <= reach:
            places.append((home,))
        elif len(pairs) == 1:
            places.append(pairs[0])
        else:
            return None
    order = [j for place in places for j in place]
    return places if all(a < b for a, b in itertools.pairwise(order)) else None


def _homes(cells: Sequence[str], xs: Sequence[float], ref: Sequence[float]) -> list[int] | None:
    """The column of each cell of a row whose every cell is centred on a column of its own, in order
    (:func:`_places`): on an unruled scan its placement is the table's own (a value split in two, or read a
    column off, stands nearer another column or between two). A row of fewer cells than columns prints its
    other columns blank. None for any other row."""
    if not cells or len(xs) != len(cells) or len(cells) > len(ref):
        return None
    places = _places(xs, ref)
    return None if places is None else [place[0] for place in places]


def _run_at_columns(
    cells: Sequence[str], xs: Sequence[float] | None, ref: Sequence[float] | None, columns: Sequence[str], sums: Sums
) -> tuple[Values, set[str]] | None:
    """An unruled row printed with blanks whose readings each stand at a column of its own (:func:`_homes`)
    but one, which stands midway between two columns (上海 2019 printed with horizontal rules only: 其他's
    1 and 总计's 805 read as one box, ``1805``): its digits parted between the two where exactly one parting
    makes every sum hold with the blanks as none, a total read witnessing it (767 + 35 + 2 + 1 = 805; 180 |
    5 adds up to nothing). Returns the values and the columns printed blank, or None."""
    places = _places(xs, ref, between=True) if xs and ref and len(xs) == len(cells) else None
    runs = [k for k, place in enumerate(places or []) if len(place) == 2]
    if places is None or len(runs) != 1:
        return None
    digits = cells[runs[0]].strip()
    if not digits.isdigit() or len(digits) > 2 * _JOINED_COUNT_MAX:
        return None
    found: list[Values] = []
    for head, tail in _partings(digits, 2):
        values = _nulls(columns)
        for cell, place in zip(cells, places, strict=True):
            if len(place) == 1:
                values[columns[place[0]]] = read_cell(cell).value
        left, right = places[runs[0]]
        values[columns[left]], values[columns[right]] = head, tail
        if _blanks_hold(values, sums):
            found.append(values)
    if len(found) != 1:
        return None
    return found[0], set(columns) - {columns[j] for place in places for j in place}


def _without_label_marks(lines: Sequence[Line], ref: Sequence[float]) -> None:
    """Unruled rows' readings a column's spacing or more left of the table's first column stand where the
    labels print, no value of the table: a speck beside a label over two lines read as a mark (seed 31000:
    ``� | 0 | 0 …`` at 1.本机关不掌握相关政府信息's second line), or a label's item number read apart from
    it. Taken out of their rows, they no longer make a row one reading too many."""
    spacing = min((b - a for a, b in itertools.pairwise(ref)), default=0.0)
    if spacing <= 0:
        return
    edge = ref[0] - spacing
    _keep_readings(lines, lambda _cell, x: x > edge)


def _without_stray_marks(lines: Sequence[Line], ref: Sequence[float]) -> None:
    """Unruled rows' marks not read (``�``, no digits) that stand at no column, between two (:func:`_places`):
    specks, no value of the table (tuning seed 34002, blank for none: ``1 | ∓3 | � | 4`` had its row null,
    though the row's readings stand at their columns and add up). A value not read stands where its column
    prints; one taken out so leaves its column blank, and the row stands only where its sums hold so."""
    _keep_readings(lines, lambda cell, x: cell.strip() != UNREADABLE_MARK or _places([x], ref) is not None)


def _keep_readings(lines: Sequence[Line], keep: Callable[[str, float], bool]) -> None:
    """The readings of rows with positions that ``keep(cell, x)`` keeps; the others taken out."""
    for line in lines:
        if line.xs is not None and len(line.xs) == len(line.cells):
            kept = [(c, x) for c, x in zip(line.cells, line.xs, strict=True) if keep(c, x)]
            line.cells, line.xs = [c for c, _ in kept], [x for _, x in kept]


def _count_in_doubt(cell: str) -> str:
    """A scanned reading no count can be, with a count's digits (``15.0``, ``-1``: the point or the bar a
    speck's), as a number read with doubt (``�150``): a gap its row's sums may fill with those digits, not a
    value that breaks the row (seed 33001: 150 read 15.0 nulled a row that adds up with 150)."""
    digits = doubted(cell, count=True)
    return cell if digits is None or doubted(cell) is not None else f"{UNREADABLE_MARK}{digits}"


def column_centres(lines: Sequence[Line], width: int) -> list[float] | None:
    """Mean x of each column over the rows that print every column, each value apart (values read as one
    box, ``30 12``, stand both where the box does: seed 32004's 总计 had put two columns' centres between
    them)."""
    full = [
        ln.xs
        for ln in lines
        if ln.xs is not None
        and len(ln.xs) == width
        and len(ln.cells) == width
        and all(a < b for a, b in itertools.pairwise(ln.xs))
    ]
    if not full:
        return None
    return [sum(xs[i] for xs in full) / len(full) for i in range(width)]


#: The most two values of one column stand apart on an unruled scan, in points (their boxes' centres: the
#: places they are read in).
VALUE_SPREAD = 3.0


def value_centres(lines: Sequence[Line], width: int) -> list[float] | None:
    """Each column's centre where the rows' values stand, for an unruled table that no row prints whole and
    whose headings are not one a cell (seed 39005, blank for none: table 3 continued on a page without its
    header, and headings over two and three lines, 自然 / 人, 社会 / 公益 / 组织): the places values of two rows or
    more stand, when there are as many as columns, each at most :data:`VALUE_SPREAD` wide. None otherwise (a
    column printing nothing all year leaves one too few; a table's rows on two pages scanned apart stand
    apart)."""
    points = sorted((x, k) for k, ln in enumerate(lines) if ln.xs and len(ln.xs) == len(ln.cells) for x in ln.xs)
    clusters: list[list[tuple[float, int]]] = []
    for point in points:
        if clusters and point[0] - clusters[-1][-1][0] <= VALUE_SPREAD / 2:
            clusters[-1].append(point)
        else:
            clusters.append([point])
    held = [c for c in clusters if len({k for _, k in c}) >= 2]
    if len(held) != width or any(c[-1][0] - c[0][0] > VALUE_SPREAD for c in held):
        return None
    return [sum(x for x, _ in c) / len(c) for c in held]


#: Words of table 3's header that head no column of their own.
_HEADER_WORDS = ("法人或其他组织", "申请人情况")


def header_centres(rows: Sequence[Row], columns: Sequence[str]) -> list[float] | None:
    """Each column's centre where its heading prints (自然人, 商业企业 … 其他, 总计, 小计), from the header's
    cells above table 3's first row that hold nothing but headings: a table with no row printing every
    column (上海 2019 leaves blank for none, and 科研机构 had none all year) has no other place its columns
    show. A cell of several headings (an unruled scan's detector reads 商业企业科研机构社会公益组织法律服务机构其他
    as one box) places each heading by its characters' share of the cell's width, as Chinese characters
    print at one width. None unless every column's heading is found once, in print order."""
    labels = {T.COLUMN_LABELS[c]: c for c in columns}
    if T.SUBTOTAL_COLUMN in columns:
        labels["小计"] = T.SUBTOTAL_COLUMN  # printed under 法人或其他组织 as often as with it
    words = sorted([*labels, *_HEADER_WORDS], key=len, reverse=True)
    found: dict[str, list[float]] = {c: [] for c in columns}
    for row in rows:
        if "本年新收" in normalise_label(row.text):
            break
        for cell, (left, right) in zip(row.cells, row.spans or [], strict=False):
            text, at, heads = normalise_label(cell), 0, []
            while at < len(text):
                word = next((w for w in words if text.startswith(w, at)), None)
                if word is None:
                    break  # a cell of other text (the 勾稽关系 note): its headings are not placed by it
                if word in labels:
                    heads.append((labels[word], left + (at + len(word) / 2) * (right - left) / len(text)))
                at += len(word)
            if text and at == len(text):
                for column, centre in heads:
                    found[column].append(centre)
    if any(len(centres) != 1 for centres in found.values()):
        return None
    ref = [found[c][0] for c in columns]
    return ref if all(a < b for a, b in itertools.pairwise(ref)) else None


# --- assembling labelled rows ---------------------------------------------------------


class Assembler:
    """Pairs labels with their values across drifted lines.

    Args:
        keys: candidate keys in print order.
        match: ``match(key, label)`` tells whether a normalised label is that key.
        width: number of value columns of a key.
        not_first: keys that cannot open the table (generic labels such as
            总计 and 其他, which are also column headings above it).
        wording: the template's wording of each key, for labels read by OCR: a label no pattern
            matches is taken for the one key still ahead whose wording it spells but for a character
            or two (:func:`near`); with two such keys ahead it is no label.
    """

    def __init__(
        self,
        keys: Sequence[str],
        match: Callable[[str, str], bool],
        width: Callable[[str], int],
        not_first: frozenset[str] = frozenset(),
        prefilter: re.Pattern[str] | None = None,
        wording: Mapping[str, str] | None = None,
    ) -> None:
        self.keys = list(keys)
        self.wording = wording
        self.not_first = not_first
        self.prefilter = prefilter
        self.match = match
        self.width = width
        self.lines: list[Line] = []
        self.pos = -1
        self.orphan: tuple[list[str], list[float] | None] | None = None
        self.fragments: list[str] = []
        self.unmatched_since_fill = 0
        self.joined = False  # the row being fed ran its values together

    def _find(self, label: str) -> str | None:
        if self.prefilter is not None and not self.prefilter.search(label):
            return None
        pending = self.lines[-1] if self.lines else None
        if pending is not None and not pending.cells and self.match(pending.key, label):
            return pending.key
        for i in range(self.pos + 1, len(self.keys)):
            if self.pos < 0 and self.keys[i] in self.not_first:
                continue
            if self.match(self.keys[i], label):
                self.pos = i
                return self.keys[i]
        return self._misread(label) if self.wording is not None else None

    def _misread(self, label: str) -> str | None:
        assert self.wording is not None
        label = label.strip(_OCR_PUNCTUATION)
        ahead = range(self.pos + 1, len(self.keys))
        found = [i for i in ahead if self.match(self.keys[i], label)]
        if not found:
            found = [i for i in ahead if near(label, self.wording[self.keys[i]])]
        if len(found) != 1 or (self.pos < 0 and self.keys[found[0]] in self.not_first):
            return None
        self.pos = found[0]
        return self.keys[self.pos]

    def feed(self, row: Row) -> None:
        """Take the next row of the table's region."""
        self.joined = row.joined
        if self.wording is not None and not row.ruled:
            row = _without_speck_cells(row)
        for label, cells, xs in split_row(row):
            self._feed(label, cells, xs, row.table)

    def _feed(self, label: str, cells: list[str], xs: list[float] | None, table: bool) -> None:
        if self.wording is not None and not label.strip(_OCR_PUNCTUATION):
            label = ""  # specks read as marks where no label prints (a scan's "+" beside a total)
        has_values = any(c.strip() for c in cells)
        if label and (table or has_values or len(label) <= _MAX_PROSE_LABEL):
            before = self.pos
            key = self._find(label)
            if key is None and self.fragments:
                # a label wrapped over lines (PDF): try it joined with the lines before
                key = self._find("".join(self.fragments[-2:]) + label) or self._find(self.fragments[-1] + label)
            if key is not None:
                self._lost_label(before)
                self._start(key, cells, xs, has_values)
                return
            self.fragments = (self.fragments + [label])[-3:]
            self.unmatched_since_fill += 1
            if not has_values:
                return
            # values beside an unknown fragment (a wrapped label's last characters) belong to a row still
            # waiting for its values, if there is one; a row that has some is another row's (a label OCR
            # misread: 2.重复电请's zeros had completed 1.信访举报投诉类申请, whose 1 was read as 一)
            pending = self.lines[-1] if self.lines else None
            if pending is not None and _count(pending.cells) and not _other_columns(pending.xs, xs):
                return
        if not has_values:
            return
        pending = self.lines[-1] if self.lines else None
        if (
            not label
            and pending is not None
            and pending.filled
            and self.orphan is None
            and self.unmatched_since_fill == 0
            and _count(pending.cells) >= self.width(pending.key)
        ):
            # values keep coming after the row is full: the columns are not what we think
            pending.overflow = True
        # on a scan, a line of values standing in the columns the row's own values hold is another row's
        # (seed 34004: （二）部分公开's label not found, its 16 5 2 2 25 had joined 予以公开's 3 2 2 5 12, printed
        # with blanks for none): it waits as values without their label (_lost_label)
        taken = self.wording is not None and pending is not None and _columns_taken(pending, xs)
        if pending is not None and _count(pending.cells) < self.width(pending.key) and not taken:
            pending.filled = True
            pending.joined = pending.joined or self.joined
            self.unmatched_since_fill = 0
            if pending.xs is not None and xs is not None and all(c.strip() for c in [*pending.cells, *cells]):
                # in column order: a cell printed at its top (an unruled total beside a label over two
                # lines) stands a line above the row's other values (a ruled row's blank cells keep their
                # places: its lines join as they come)
                merged = sorted(zip(pending.xs + xs, pending.cells + cells, strict=True), key=lambda xc: xc[0])
                pending.xs, pending.cells = [x for x, _ in merged], [c for _, c in merged]
            else:
                pending.cells.extend(cells)
                if pending.xs is not None and xs is not None:
                    pending.xs.extend(xs)
                else:
                    pending.xs = None  # positions only when every cell has one
        else:
            self.orphan = (list(cells), list(xs) if xs is not None else None)

    def _lost_label(self, before: int) -> None:
        """On a scan, a line of values between two rows found with one key between them, the row before it
        full, is that key's row, its label lost by the detector (seed 31004: 4.保护第三方合法权益's values, its
        label not read, between 3. and 5.): the template's order places it; its sums witness it as any row's."""
        pending = self.lines[-1] if self.lines else None
        if (
            self.wording is None
            or self.orphan is None
            or before < 0
            or self.pos != before + 2
            or pending is None
            or pending.key != self.keys[before]
            or _count(self.orphan[0]) < 2
        ):
            return
        self.lines.append(Line(self.keys[before + 1], list(self.orphan[0]), self.orphan[1]))
        self.orphan = None

    def _start(self, key: str, cells: list[str], xs: list[float] | None, has_values: bool) -> None:
        pending = self.lines[-1] if self.lines else None
        if pending is not None and pending.key == key and not pending.cells:
            self.lines.pop()
        line = Line(key, list(cells), list(xs) if xs is not None else None, joined=self.joined)
        if not has_values and self.orphan is not None:
            # values printed before their label (drift, or a label wrapped around them)
            line.cells, line.xs = list(self.orphan[0]), self.orphan[1]
        self.lines.append(line)
        self.orphan = None
        self.fragments = []

    def result(self) -> list[Line]:
        """The labelled rows found, in order."""
        return self.lines


#: Marks OCR reads out of specks at a label's ends (``3.其他，``), and a neighbouring cell's unreadable
#: mark joined to it (``�3、其他``: the merged group cell （六）其他处理 beside it).
_OCR_PUNCTUATION = SPECK_READINGS + "。.、+$#" + UNREADABLE_MARK
#: Marks OCR reads out of specks, alone or before a value's digits; not a mark left for a value not read.
_SPECK_MARKS = frozenset(_OCR_PUNCTUATION) - {UNREADABLE_MARK}


def _without_speck_cells(row: Row) -> Row:
    """An unruled scan's row without the cells OCR read out of specks alone (a ``+`` between two values), and
    with such marks taken off a value's front (``+ ∓0``, a speck touching a 0: seed 31002): they stand in no
    column, and as a label's text they parted the row's values in two."""
    kept: list[int] = []
    cells: list[str] = []
    for n, cell in enumerate(row.cells):
        head, _, tail = cell.rpartition(" ")
        if head and set(head.replace(" ", "")) <= _SPECK_MARKS and read_cell(tail).kind == "number":
            cell = tail
        elif cell and set(cell.replace(" ", "")) <= _SPECK_MARKS:
            continue
        kept.append(n)
        cells.append(cell)

    def only(kept_of: list[Any] | None) -> list[Any] | None:
        return [kept_of[n] for n in kept] if kept_of is not None and len(kept_of) == len(row.cells) else None

    return Row(cells, table=row.table, xs=only(row.xs), joined=row.joined, spans=only(row.spans))


#: A label misread by OCR is matched on wordings of at least this many characters: a shorter one
#: (其他, 总计, 重复申请) has too few to tell a misread character from another label.
NEAR_MIN = 5


@lru_cache(maxsize=256)
def _wording_core(wording: str) -> str:
    """A row's wording as a label is matched: normalised, its numbering left out (the template's few
    wordings, asked for by every label OCR misread)."""
    return _strip_number(normalise_label(wording))


def near(label: str, wording: str) -> bool:
    """The label spells the template's wording (its numbering left out) but for one character, or two
    in a wording of nine or more, with the characters it shares in one run no longer than the wording
    and one more (``1.属于国家私密`` for 属于国家秘密, ``结转不年度继续办理``); other characters
    around that run (a group label's fragment in the same cell) do not count.

    Args:
        label: a normalised label read by OCR.
        wording: the template's wording of a row, numbered or not.
    """
    core = _wording_core(wording)
    if len(core) < NEAR_MIN:
        return False
    blocks = [b for b in SequenceMatcher(None, label, core, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return False
    shared = sum(b.size for b in blocks)
    run = blocks[-1].a + blocks[-1].size - blocks[0].a
    return shared >= len(core) - (1 if len(core) < 9 else 2) and run <= len(core) + 1


def _other_columns(have: Sequence[float] | None, new: Sequence[float] | None) -> bool:
    """Values at x positions ``new`` stand in columns none of ``have`` holds: each is further from all of
    them than half the spacing of the values beside it (a row's other values, printed on the line below
    its label's first, beside the label's next line)."""
    if not have or not new:
        return False

    def spacing(xs: Sequence[float]) -> float | None:
        ordered = sorted(xs)
        return min((b - a for a, b in itertools.pairwise(ordered)), default=None)

    pitch = spacing(new) or spacing(have)
    return pitch is not None and (spacing([*have, *new]) or 0.0) > pitch / 2


def _columns_taken(row: Line, new: Sequence[float] | None) -> bool:
    """A value at x positions ``new`` stands where one of the row's values does (not its blank cells):
    nearer to it than half the narrower spacing of the two lines' values."""
    if row.xs is None or new is None or len(row.xs) != len(row.cells):
        return False
    have = [x for x, cell in zip(row.xs, row.cells, strict=True) if cell.strip()]
    if not have or not new:
        return False
    pitches = [b - a for xs in (sorted(have), sorted(new)) for a, b in itertools.pairwise(xs)]
    if not pitches:
        return False
    return any(abs(x - y) < min(pitches) / 2 for x in new for y in have)


def _count(cells: Sequence[str]) -> int:
    """Cells that count towards a row's width: empties at the ends are spacers."""
    return len(_without_spacers(cells))


def _without_spacers(cells: Sequence[str]) -> list[str]:
    """A row's cells without the empty ones at its ends."""
    out = _lstrip(cells)
    while out and not out[-1].strip():
        out.pop()
    return out


# --- table 3 ------------------------------------------------------------------------


@dataclass
class TableResult:
    """One table read: values by key, warnings, and the labels that were found."""

    values: dict[str, Values] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def application_columns(rows: Sequence[Row]) -> tuple[str, ...]:
    """Table-3 columns in print order, with 法人或其他组织小计 where the header has it.

    The header is every cell above the first data row; the subtotal goes
    right after 自然人 when printed before 商业企业, else after 其他.
    """
    header: list[str] = []
    for row in rows:
        text = normalise_label(row.text)
        if "本年新收" in text:
            if row.joined:  # the header ran into the first row's label
                header.append(text[: text.index("本年新收")])
            break
        header.extend(normalise_label(c) for c in row.cells if len(c) <= 20)
    printed = "|".join(header)
    sub = T.SUBTOTAL_HEADER.search(printed)
    if sub is None:
        return T.APPLICATION_COLUMNS
    commercial = printed.find("商业")
    cols = list(T.APPLICATION_COLUMNS)
    cols.insert(1 if 0 <= commercial and sub.start() < commercial else 6, T.SUBTOTAL_COLUMN)
    return tuple(cols)


def _application_match(key: str, label: str) -> bool:
    spec = _APPLICATION_BY_KEY[key]
    if spec.exact:
        # a short label is matched whole, less what OCR reads out of specks at its ends (``3、.其他·``)
        bare = label.strip(_OCR_PUNCTUATION)
        unnumbered = _strip_number(bare)  # and a speck read after the numbering: （六）.其他处理
        return any(spec.pattern.fullmatch(t) for t in (unnumbered, unnumbered.strip(_OCR_PUNCTUATION), bare, label))
    return bool(spec.pattern.search(label))


_APPLICATION_BY_KEY = {r.key: r for r in T.APPLICATION_ROWS}
_WORDING = {r.key: r.label for r in T.APPLICATION_ROWS}
_APPLICATION_ANY = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in T.APPLICATION_ROWS))
#: A label's numbering (三、 （七） 3.), as printed or as OCR reads it (``（七总计``: a bracket lost in a speck's
#: shadow, ``七)总计`` the opening one; ``3、.其他``: a speck read as a point; ``（.七）总计``: one read inside the
#: bracket).
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|（[.·]?[一二三四五六七八九十]+[.·]?）?|[一二三四五六七八九十]+[.·]?）|\d+[.、]*)+"
)


def _strip_number(label: str) -> str:
    return _NUMBERING.sub("", label)


def _row_sums(columns: Sequence[str]) -> Sums:
    """A table-3 row's sums: its total is its parts (and the 小计 column, if printed, the organisations')."""
    sums = [([c for c in columns if c in ("natural_person", *T.ORG_COLUMNS)], "total")]
    if T.SUBTOTAL_COLUMN in columns:
        sums.append((list(T.ORG_COLUMNS), T.SUBTOTAL_COLUMN))
    return sums


def _adds_up(v: Values, terms: Sequence[str], total: str) -> bool:
    if any(v.get(c) is None for c in (*terms, total)):
        return False
    return abs(sum(v[c] for c in terms) - v[total]) < 1e-6  # type: ignore[misc, operator]


def _holds(v: Values, sums: Sums) -> bool:
    """Every sum adds up (all values read)."""
    return all(_adds_up(v, terms, total) for terms, total in sums)


def _beyond(v: Values, sums: Sums) -> bool:
    """Parts read that already exceed their total: counts are never negative, so a row with blanks or
    unreadable cells may still be told wrong (a total of 0 beside a part of 6)."""
    for terms, total in sums:
        known = [v[c] for c in terms if v.get(c) is not None]
        if v.get(total) is not None and sum(known) > v[total] + 1e-6:  # type: ignore[operator, arg-type]
            return True
    return False


def _blanks_hold(v: Values, sums: Sums) -> bool:
    """A row printed with blanks for none (上海 2019 leaves 135 of its 198 cells so): every sum whose total
    is read adds up with the blanks as none, and one of them has a part read to witness."""
    witnessed = False
    for terms, total in sums:
        if v.get(total) is None:
            continue
        if not _adds_up_blank(v, terms, total):
            return False
        witnessed = witnessed or any(v.get(c) is not None for c in terms)
    return witnessed


def _blanks_refute(
    cells: Sequence[str], columns: Sequence[str], values: Values, warning: str | None, sums: Sums
) -> bool:
    """A row of one cell a column, every cell read (a number, or printed blank: none), whose sum with a total
    read does not hold with the blanks as none: a reading is wrong (generated seed 29002, blanks printed
    无: ``17件`` read ``7件`` beside 1 + 4 + 2 + 无 + 1 and 25 was written, as a row with a blank was
    never summed)."""
    if warning is not None or len(cells) != len(columns) or _complete(values):
        return False
    return any(values.get(total) is not None and not _adds_up_blank(values, terms, total) for terms, total in sums)


def _complete(v: Values) -> bool:
    return all(x is not None for x in v.values())


def _misplaced(cells: Sequence[str], values: Values, warning: str | None, check: Callable[[Values], bool]) -> bool:
    """A scanned row to place again: placed whole but not adding up, or more readings than columns."""
    if warning is None:
        return _complete(values) and not check(values)
    readings = [read_cell(c) for c in cells if c.strip()]
    return len(readings) > len(values) and all(r.kind == "number" for r in readings)


def witnessed(cells: Sequence[str], columns: Sequence[str], check: Callable[[Values], bool]) -> tuple[Values, str]:
    """A scanned row whose readings, placed by the page's geometry, break the template's sums.

    On a scan a broken sum is far more often a misreading or a value put in the wrong cell (a header
    grid that does not line up with the data's) than the publisher's error, so the sums serve as a second
    witness for the *placement*: the other placements the readings allow (in print order, with the
    blanks the grid put between them taken out, or one or two surplus readings left out) are tried, and
    one is kept only when it is the only one that adds up. No value is changed; otherwise the row is null.

    Args:
        cells: the row's cells as read.
        columns: its columns in print order.
        check: the template's sums for the row.
    """
    parsed = [read_cell(c) for c in cells if c.strip()]
    numbers = [p for p in parsed if p.kind == "number"]
    found: list[Values] = []
    if len(numbers) == len(parsed) and len(columns) <= len(numbers) <= len(columns) + 2:
        for keep in itertools.combinations(range(len(numbers)), len(columns)):
            candidate = _values(columns, [numbers[i] for i in keep])
            if check(candidate) and candidate not in found:
                found.append(candidate)
    read = " | ".join(cells)
    if len(found) == 1:
        return found[0], f"placed by the template's sums (as laid out on the scan it did not add up): {read}"
    return _nulls(columns), f"does not add up as read from the scan, left null: {read}"


def _scan_witness(
    cells: Sequence[str],
    columns: Sequence[str],
    values: Values,
    warning: str | None,
    sums: Sums,
    doubts: Mapping[str, int],
    unruled: bool = False,
    at_columns: bool = False,
) -> tuple[Values, str | None]:
    """A scanned row's placement, as the template's sums witness it: placed again (:func:`witnessed`)
    when it does not add up (a row with a blank too, the blank as none: :func:`_blanks_refute`); null when its readings were put in columns by position alone and do not
    add up, or when its known parts already exceed its total. On an unruled scan (no rules bound the
    cells: a digit lost, a label's box holding a value, letter-spacing taken for a column) a row is kept
    only when it is whole and its sums confirm it, its readings with doubt (``doubts``, :func:`_doubts`)
    taken. A row of fewer readings than columns, each centred on a column of its own (``at_columns``,
    :func:`_homes`), prints the others blank: it stands when its sums hold with the blanks, and the
    marks not read, as none (:func:`_blanks_hold`) — the columns place its readings, its total witnesses
    them, and a mark not read stays null."""
    read = " | ".join(cells)
    check = partial(_holds, sums=sums)
    if _misplaced(cells, values, warning, check) or _blanks_refute(cells, columns, values, warning, sums):
        return witnessed(cells, columns, check)
    if unruled and not (warning is None and _complete(values) and check(values)):
        if at_columns and _blanks_hold(values, sums):
            return values, warning  # a reading not read (a blank's dash, or a 0) is none to the sums, and null
        if at_columns and doubts and _blanks_hold(filled := {**values, **doubts}, sums):
            # its readings with doubt where the row's sum holds with them (seed 27000: 27 | �27): kept
            said = ", ".join(f"{column} {reading}" for column, reading in doubts.items())
            return filled, f"read with doubt ({said}), kept: its sums hold with them, the blanks as none"
        # its readings with doubt (a 10 whose thin 1 the detector lost, �10) may complete it: the row stands
        # when its sums hold with them, and each is kept where the sums of which it is the only unknown
        # confirm it (_doubts_confirmed)
        if not (doubts and _complete(filled := {**values, **doubts}) and check(filled)):
            parted = _parted_by_sums(cells, columns, check)
            if parted is not None:
                return parted, f"values run together on an unruled scan, parted where the sums hold: {read}"
            return _nulls(columns), f"read from an unruled scan and its sums cannot confirm it, left null: {read}"
    if warning is None and len(cells) < len(columns) and not check(values):
        return _nulls(columns), f"placed by position alone and its sums cannot confirm it, left null: {read}"
    if _beyond(values, sums):
        return _nulls(columns), f"parts exceed the total as read from the scan, left null: {read}"
    return values, warning


def _as_printed(digits: str) -> bool:
    """Digits as print writes a number: no leading 0 but 0 itself."""
    return digits == "0" or not digits.startswith("0")


def _partings(piece: str, n: int) -> Iterator[list[int]]:
    """Each way a run of digits parts into ``n`` numbers as print writes them (:func:`_as_printed`)."""
    if n == 1:
        if _as_printed(piece):
            yield [int(piece)]
        return
    for cut in range(1, len(piece) - n + 2):
        head = piece[:cut]
        if _as_printed(head):
            for rest in _partings(piece[cut:], n - 1):
                yield [int(head), *rest]


def _parted_by_sums(cells: Sequence[str], columns: Sequence[str], check: Callable[[Values], bool]) -> Values | None:
    """An unruled row read as fewer numbers than it has columns, one or two of them two columns' values
    run together (``2932 53`` read as 293253): each way of parting the readings' digits into the columns,
    every reading kept whole or parted where its digits begin a number (no leading 0), is tried, and the
    row is kept when exactly one adds up. Only plain counts are parted (no mark, point or doubt); the
    readings' own boundaries stay."""
    pieces = [c.strip().lstrip(SIGN_UNREAD_MARK) for c in cells if c.strip()]  # table 3 has no minus
    extra = len(columns) - len(pieces)
    if not pieces or not 1 <= extra <= _RUN_TOGETHER_MAX:
        return None
    if not all(p.isdigit() and len(p) <= (extra + 1) * _JOINED_COUNT_MAX for p in pieces):
        return None  # a reading no count, or no few counts run together, can print (bounded work)

    found: list[Values] = []
    for shares in itertools.product(range(1, extra + 2), repeat=len(pieces)):
        if sum(shares) != len(columns):
            continue
        for split in itertools.product(*(list(_partings(p, n)) for p, n in zip(pieces, shares, strict=True))):
            values: Values = dict(zip(columns, [v for part in split for v in part], strict=True))
            if check(values) and values not in found:
                found.append(values)
                if len(found) > 1:
                    return None
    return found[0] if found else None


def _read_apart(
    cells: Sequence[str], xs: Sequence[float] | None, columns: Sequence[str], check: Callable[[Values], bool]
) -> Values | None:
    """An unruled row read as more numbers than it has columns, a value's digits read apart in one box (seed
    31004: 21 and 18 in one box, read ``21 1 ∓8``, each part standing where the box does): each way of
    joining neighbouring readings of one box, as many joins as the row has readings too many, is tried, and
    the row is kept when exactly one adds up. Only plain counts are joined (no mark, point or doubt; a mark
    between the digits, ``∓``, is a speck: table 3 has no minus), each as print writes it (:func:`_as_printed`)."""
    if xs is None or len(xs) != len(cells) or not all(c.strip() for c in cells):
        return None
    pieces = [c.strip().lstrip(SIGN_UNREAD_MARK) for c in cells]
    extra = len(pieces) - len(columns)
    if not 1 <= extra <= _RUN_TOGETHER_MAX or not all(p.isdigit() for p in pieces):
        return None
    joints = [k for k in range(len(pieces) - 1) if xs[k] == xs[k + 1]]  # the parts of one box share its x
    found: list[Values] = []
    for chosen in itertools.combinations(joints, extra):
        numbers: list[str] = []
        for k, piece in enumerate(pieces):
            if k - 1 in chosen:
                numbers[-1] += piece
            else:
                numbers.append(piece)
        if not all(_as_printed(n) for n in numbers):
            continue
        values: Values = dict(zip(columns, map(int, numbers), strict=True))
        if check(values) and values not in found:
            found.append(values)
    return found[0] if len(found) == 1 else None


#: At most this many columns' values run into the readings of one unruled row (:func:`_parted_by_sums`).
_RUN_TOGETHER_MAX = 2


def read_applications(rows: Sequence[Row], template: str | None, scanned: bool = False) -> TableResult:
    """Read table 3 (requests received and how they were answered).

    Args:
        rows: the rows of the section that holds the table.
        template: ``"2019"``, ``"2021"`` or None (both row sets allowed).
        scanned: the rows were read by OCR: a row that breaks its sums is placed again or left null
            (:func:`witnessed`); in a text layer the digits are the printed ones, and a broken sum is
            the report's own, kept and shown by the checks.
    """
    columns = application_columns(rows)
    keys = T.application_keys(template)
    generic = frozenset(r.key for r in T.APPLICATION_ROWS if r.exact)
    asm = Assembler(
        keys,
        _application_match,
        lambda _key: len(columns),
        generic,
        None if scanned else _APPLICATION_ANY,
        _WORDING if scanned else None,
    )
    for row in rows:
        asm.feed(row)
    lines = asm.result()
    unruled = scanned and not any(r.ruled for r in rows)
    ref = column_centres(lines, len(columns))
    if ref is None and unruled:
        # no row prints every column: the headings place them, or where the values stand
        ref = header_centres(rows, columns) or value_centres(lines, len(columns))
    if unruled and ref is not None:
        _without_label_marks(lines, ref)
        _without_stray_marks(lines, ref)
    result = TableResult()
    sums = _row_sums(columns)
    check = partial(_holds, sums=sums)
    warning: str | None
    open_rows: dict[str, tuple[list[Values], str]] = {}
    unconfirmed: dict[str, Values] = {}
    pending: dict[str, Values] = {}  # unruled rows at the columns that no sum of their own witnesses
    blank: dict[str, set[str]] = {}  # the columns each unruled row prints nothing in
    doubts: dict[str, dict[str, int]] = {}
    for line in lines:
        refused: list[str] = []
        if line.overflow:
            values, warning = _nulls(columns), f"more values than columns: {' | '.join(line.cells)} …"
        elif line.joined:
            # one search for both: the row's own reading, and the few the column sums may choose among
            options = readings(line.cells, columns, sums, limit=_TABLE_READINGS + 1)
            values, warning = _verdict(options, line.cells, columns, sums)
            if warning and options is not None and 1 < len(options) <= _TABLE_READINGS:
                result.values[line.key], open_rows[line.key] = values, (options, warning or "")
                continue
        else:
            if scanned:
                line.cells = [_count_in_doubt(cell) for cell in line.cells]
            values, warning = align(line.cells, columns, line.xs, ref, check)
            if scanned:
                # a reading no count can be (-1, 40.1) is null before the sums judge the rest of its row:
                # its digits are a reading with doubt the sums may confirm; the columns judge the row after
                values, refused = typed(values)
                # one cell a column, as the rules (or on an unruled page the positions) parted them: each
                # reading's column may still confirm it
                placed = values if len(line.cells) == len(columns) else None
                # an unruled row printing every column where the table's columns stand is placed as between rules;
                # one printing fewer, each where a column stands, prints the others blank (_scan_witness)
                homes = _homes(line.cells, line.xs, ref) if unruled and line.xs and ref else None
                at_columns = homes is not None
                whole = at_columns and len(line.cells) == len(columns)
                if homes is not None or unruled and not any(c.strip() for c in line.cells):
                    blank[line.key] = set(columns) - {columns[h] for h in homes or ()}
                shown = values
                doubts[line.key] = _doubts(line.cells, columns, None if whole else homes)
                run = _run_at_columns(line.cells, line.xs, ref, columns, sums) if unruled and homes is None else None
                apart = (
                    _read_apart(line.cells, line.xs, columns, check) if unruled and homes is None and not run else None
                )
                read = " | ".join(line.cells)
                if run is not None:
                    values, blank[line.key] = run
                    warning = f"values run together on an unruled scan, parted between their columns where the sums hold: {read}"
                elif apart is not None:
                    values = apart
                    warning = f"a value's digits read apart on an unruled scan, joined where the sums hold: {read}"
                else:
                    values, warning = _scan_witness(
                        line.cells,
                        columns,
                        values,
                        warning,
                        sums,
                        doubts[line.key],
                        unruled and not whole,
                        at_columns and not whole,
                    )
                if placed is not None and all(v is None for v in values.values()):
                    unconfirmed[line.key] = placed
                elif at_columns and not whole and all(v is None for v in values.values()) and _unsummed(shown, sums):
                    pending[line.key] = shown
        values, more = typed(values)
        # a reading refused but kept after all, its doubted digits witnessed by the row's sum (2.7 as 27), is
        # not said to be null
        refused = [r for r in [*refused, *more] if values.get(r.split(" ", 1)[0]) is None]
        result.values[line.key] = values
        for said in (warning, refused and _refused(refused)):
            if said:
                result.warnings.append(f"table 3 row {line.key}: {said}")
    if open_rows:
        _by_column_sums(result, open_rows)
    if scanned:
        results = [k for k in keys if k in T.APPLICATION_RESULT_ROWS]
        _blank_rows_confirmed(result, pending, blank, columns, results)
        _cells_confirmed_by_columns(result, unconfirmed, columns, results)
        disagreeing = _unread_cells_witnessed(result, columns, sums, results)
        _cells_confirmed_by_columns(result, disagreeing, columns, results)
        # a reading with doubt kept may close a column sum for a reading of a row left null, and back
        equations, down = (
            _table_sums(result.values, columns, sums, results),
            _table_sums(result.values, columns, [], results),
        )
        left = {
            key: {c: v for c, v in read.items() if v is not None}
            for key, read in {**unconfirmed, **disagreeing}.items()
        }
        while said := _doubts_confirmed(result.values, doubts, equations) + _doubts_confirmed(
            result.values, left, down, "read as"
        ):
            result.warnings += [f"table 3 row {s}" for s in said]
        _misread_after_all(result, sums, down)
    return result


def _misread_after_all(result: TableResult, sums: Sums, down: Sequence[_Sum]) -> None:
    """Scanned rows of table 3 that the table as finally read refutes, left null: a row whose readings
    exceed its total, and a row its own sums cannot confirm (a cell not read) in a column whose sum, read
    whole, fails (a row that adds up is confirmed by its own sum). Seed 14003: 本年新收 read ``� | 14 | 16 |
    1819 |  | 18 | 40.1`` (18 and 19 run together, a speck for a point in 401) kept 1819 once its total was
    refused and then confirmed down its column; its column says 18. ``down``: the table's column sums."""
    table = result.values
    confirmed = {key for key, values in table.items() if _complete(values) and _holds(values, sums)}
    refuted = {key for key, values in table.items() if _beyond(values, sums)}
    for left, right in down:
        places = (*left, *right)
        if all(table[k][c] is not None for k, c in places) and not _sum_holds(table, (left, right)):
            refuted |= {k for k, _ in places if k not in confirmed}
    for key in [k for k in table if k in refuted]:
        read = _as_read(table[key])
        table[key] = _nulls(list(table[key]))
        result.warnings.append(f"table 3 row {key}: the table's sums refute it as finally read, left null: {read}")


def _doubts(cells: Sequence[str], columns: Sequence[str], homes: Sequence[int] | None = None) -> dict[str, int]:
    """The numbers OCR read with doubt in a row of counts of one cell a column (:func:`parsers.values.doubted`:
    ``�0``, and ``1.8`` as 18), by column; none in a row whose cells the grid did not part one a column. An
    unruled row's cells may stand at columns of their own, ``homes`` (:func:`_homes`)."""
    if homes is not None:
        placed = [columns[h] for h in homes]
    else:
        cells = _without_spacers(cells)
        if len(cells) != len(columns):
            return {}
        placed = list(columns)
    return {col: d for col, cell in zip(placed, cells, strict=True) if (d := doubted(cell, count=True)) is not None}


def _doubts_confirmed(
    table: dict[str, Values],
    doubts: Mapping[str, Mapping[str, Number]],
    equations: Sequence[_Sum],
    how: str = "read with doubt as",
) -> list[str]:
    """Cells left null that OCR read with doubt (a 0 at 0.5), kept where the template's sums confirm the
    reading: every sum of which the cell is the only unknown holds with it, and there is one. The reading
    is the recogniser's, made without the sums; they only witness it (a 10 read as 0 with doubt stays null:
    its sums say 10). A reading so kept may close a further sum (a fixpoint). The same serves the readings
    of a row left null (a reading of it is wrong) with the column sums alone (``how``: "read as"). Returns
    what was kept, as ``"<row>: <column> <how> <n>, kept after all: …"``."""
    said = []
    grown = True
    while grown:
        grown = False
        for key, row in doubts.items():
            for col, reading in row.items():
                if key not in table or table[key].get(col, 0) is not None:
                    continue
                place = (key, col)
                closing = [
                    (left, right)
                    for left, right in equations
                    if place in (*left, *right)
                    and all(table[k][c] is not None for k, c in (*left, *right) if (k, c) != place)
                ]
                trial = {**table, key: {**table[key], col: reading}}
                if closing and all(_sum_holds(trial, s) for s in closing):
                    table[key][col], grown = reading, True
                    said.append(f"{key}: {col} {how} {reading}, kept after all: {len(closing)} sum(s) confirm it")
                elif reading == 0 and any(_leaves_nothing(table, s, place) for s in equations):
                    table[key][col], grown = reading, True
                    said.append(f"{key}: {col} {how} 0, kept after all: its sum leaves nothing to the cells not read")
    return said


def _leaves_nothing(table: Mapping[str, Values], places: _Sum, place: _Place) -> bool:
    """The sum's other side read whole and equal to what is read of ``place``'s side: every count there not
    read is 0, as no count is below 0 (a row of 0s whose total reads 0, two of its 0s read with doubt:
    seed 35001)."""
    left, right = places
    own, other = (left, right) if place in left else (right, left) if place in right else ([], [])
    known = [v for k, c in own if (k, c) != place and (v := table[k].get(c)) is not None]
    facing = [v for k, c in other if (v := table[k].get(c)) is not None]
    return bool(own) and len(facing) == len(other) and abs(sum(known) - sum(facing)) < 1e-6


#: A cell's place in table 3: (row key, column); and a sum of the table: places on its two sides.
_Place = tuple[str, str]
_Sum = tuple[list[_Place], list[_Place]]


def _table_sums(table: Mapping[str, Values], columns: Sequence[str], sums: Sums, results: Sequence[str]) -> list[_Sum]:
    """Table 3's sums as ``(left, right)`` lists of places whose values add up alike: each row's own, and,
    when every result row of the template was found, each column's (the results add up to 总计; 新收 +
    上年结转 = 总计 + 结转下年度)."""
    out: list[_Sum] = [([(key, c) for c in terms], [(key, total)]) for key in table for terms, total in sums]
    ends = ("new_received", "carried_over", "total_processed", "carried_forward")
    if all(k in table for k in results):
        for c in columns:
            if "total_processed" in table:
                out.append(([(k, c) for k in results], [("total_processed", c)]))
            if all(k in table for k in ends):
                out.append(([(ends[0], c), (ends[1], c)], [(ends[2], c), (ends[3], c)]))
    return out


def _cells_confirmed_by_columns(
    result: TableResult, unconfirmed: Mapping[str, Values], columns: Sequence[str], results: Sequence[str]
) -> None:
    """Scanned rows left null as a whole (73 read as 7 beside a total of 183): a reading of theirs is wrong,
    but not every one. A reading is kept when a sum down its column, read everywhere else, holds with it:
    another witness than its row says that this is the value printed there. A reading so kept may witness
    another row's in a sum it closes; the others stay null. No value is ever worked out from the sums, and
    two rows wrong in one column never confirm each other there: that column's sums have two unknowns."""
    table = result.values
    equations = _table_sums(table, columns, [], results)
    kept = {key: dict.fromkeys(read) for key, read in unconfirmed.items()}
    grown = True
    while grown:
        grown = False
        for key, read in unconfirmed.items():
            for col, value in read.items():
                if value is None or kept[key][col] is not None:
                    continue
                trial = {**table, **kept, key: {**kept[key], col: value}}
                if any((key, col) in (*left, *right) and _sum_holds(trial, (left, right)) for left, right in equations):
                    kept[key][col], grown = value, True
    for key, values in kept.items():
        if any(v is not None for v in values.values()):
            table[key] = values
            said = (
                f"{sum(v is not None for v in values.values())} of its values kept, each confirmed by its column's sum"
            )
            result.warnings.append(f"table 3 row {key}: {said}, the others left null")


def _unsummed(v: Values, sums: Sums) -> bool:
    """A row none of whose sums has its total read: nothing witnesses its readings, nor refutes them."""
    return all(v.get(total) is None for _, total in sums)


def _blank_rows_confirmed(
    result: TableResult,
    pending: Mapping[str, Values],
    blank: Mapping[str, set[str]],
    columns: Sequence[str],
    results: Sequence[str],
) -> None:
    """Unruled rows printed with blanks for none, each reading where a column stands, that no sum of their own
    witnesses (上海 2019 prints 总计 blank on every result row: 258 | 12 | 1 | 1 and nothing to add up to):
    a reading is kept when its column's sum holds with the table as read, these rows' readings, and every
    column a row prints nothing in as none. All such rows' readings in a column are witnessed together, as
    a row's sum witnesses its parts together: none of these rows was refuted (a row whose own sums fail is
    :func:`_cells_confirmed_by_columns`'s, one unknown at a time). A mark not read leaves its column's
    sums unjudged; no value is ever worked out from a sum, and a blank stays null."""
    table = result.values

    def shown(key: str, column: str) -> Number | None:
        if table[key][column] is not None:
            return table[key][column]
        if key in pending and pending[key][column] is not None:
            return pending[key][column]
        return 0 if column in blank.get(key, ()) else None

    kept = {key: _nulls(list(read)) for key, read in pending.items()}
    for left, right in _table_sums(table, columns, [], results):
        sides = [[shown(k, c) for k, c in side] for side in (left, right)]
        if any(v is None for side in sides for v in side) or abs(sum(sides[0]) - sum(sides[1])) > 1e-6:  # type: ignore[arg-type]
            continue
        for key, column in (*left, *right):
            if key in pending and table[key][column] is None:
                kept[key][column] = pending[key][column]
    for key, values in kept.items():
        if any(v is not None for v in values.values()):
            table[key] = values
            said = f"{sum(v is not None for v in values.values())} of its values kept, each confirmed by its column's sum with the blanks as none"
            result.warnings.append(f"table 3 row {key}: {said}")


def _unread_cells_witnessed(
    result: TableResult, columns: Sequence[str], sums: Sums, results: Sequence[str]
) -> dict[str, Values]:
    """Scanned rows with a cell not read, whose sums can therefore not confirm them: a row is left null when
    the table's sums, each taken where that cell is its only unknown, disagree on what the cell must hold
    (its row's sum says 9 where its column's says 0, or one says less than 0): a reading of the row is wrong
    (110 read as 119). A wrong reading makes the other such rows of its column disagree too; when leaving
    one row null settles every disagreement, only that row is. The sums only judge readings; no value is
    ever worked out from them. Returns the rows left null, as they were read."""
    table = result.values
    equations = _table_sums(table, columns, sums, results)
    doubted = _disagreeing(table, equations)
    if len(doubted) > 1:
        settling = [k for k in doubted if not _disagreeing({**table, k: _nulls(list(table[k]))}, equations)]
        doubted = settling if len(settling) == 1 else doubted
    readings = {key: table[key] for key in doubted}
    for key, values in readings.items():
        read = _as_read(values)
        table[key] = _nulls(list(values))
        said = "the table's sums disagree on a value not read (a reading is wrong), left null"
        result.warnings.append(f"table 3 row {key}: {said}: {read}")
    return readings


def _as_read(values: Values) -> str:
    """A row's values for a warning, a cell not read as the unreadable mark."""
    return " | ".join(UNREADABLE_MARK if v is None else str(v) for v in values.values())


def _disagreeing(table: Mapping[str, Values], equations: list[_Sum]) -> list[str]:
    """Rows holding a cell not read on whose value the sums it is the only unknown of disagree."""
    out = []
    for key, values in table.items():
        for col in (c for c, v in values.items() if v is None):
            must = set()
            for left, right in equations:
                if (key, col) not in left and (key, col) not in right:
                    continue
                known = [(p, table.get(p[0], {}).get(p[1])) for p in (*left, *right) if p != (key, col)]
                if any(v is None for _, v in known):
                    continue
                rest = sum((1 if p in left else -1) * v for p, v in known)  # type: ignore[operator, misc]
                must.add(round(rest if (key, col) in right else -rest, 6))
            if len(must) > 1 or any(v < 0 for v in must):
                out.append(key)
                break
    return out


#: Readings a joined row may have for the table's column sums to choose among, and the combinations of
#: such rows tried (beyond either, the rows stay null).
_TABLE_READINGS = 8
_TABLE_COMBOS = 4096


def _by_column_sums(result: TableResult, open_rows: Mapping[str, tuple[list[Values], str]]) -> None:
    """Joined rows of table 3 that their own sums leave open (``220000022``: 22 · 0 · … · 22 or
    2 · 20 · 0 · … · 22), read by the table's sums down each column (the results add up to 总计; 新收 +
    上年结转 = 总计 + 结转下年度): the readings are kept only when exactly one combination of the open rows'
    readings makes every column add up, else the rows stay null. The digits are the printed ones; only
    where each cell starts is chosen."""
    keys = list(open_rows)
    size = math.prod(len(open_rows[k][0]) for k in keys)
    fits: list[tuple[Values, ...]] = []
    if size <= _TABLE_COMBOS:
        for combo in itertools.product(*(open_rows[k][0] for k in keys)):
            # a reading's blank counts as 0 here, so that a reading with a blank can make another one doubtful
            read: dict[str, Values] = {
                k: {c: v or 0 for c, v in values.items()} for k, values in zip(keys, combo, strict=True)
            }
            if _columns_add_up({**result.values, **read}):
                fits.append(combo)
                if len(fits) > 1:
                    break
    chosen = dict(zip(keys, fits[0], strict=True)) if len(fits) == 1 else {}
    for key in keys:
        values = chosen.get(key)
        if values is not None and all(v is not None for v in values.values()):
            result.values[key] = values
            said = "read by the table's sums down each column (its own leave more than one reading)"
            result.warnings.append(f"table 3 row {key}: values run together with nothing between them: {said}")
        else:
            result.warnings.append(f"table 3 row {key}: {open_rows[key][1]}")


def _columns_add_up(table: Mapping[str, Values]) -> bool:
    """Every column of table 3 adds up: its result rows to 总计, and 新收 + 上年结转 to 总计 + 结转下年度."""
    results = [k for k in T.APPLICATION_RESULT_ROWS if k in table]
    ends = ("new_received", "carried_over", "total_processed", "carried_forward")
    if not results or any(k not in table for k in ends):
        return False
    return all(_sum_holds(table, s) for s in _table_sums(table, list(table["total_processed"]), [], results))


def _sum_holds(table: Mapping[str, Values], places: _Sum) -> bool:
    """Both sides of a sum read, and equal."""
    left, right = ([table[k].get(c) for k, c in side] for side in places)
    if None in left or None in right:
        return False
    return abs(sum(left) - sum(right)) < 1e-6  # type: ignore[arg-type]


# --- table 4 ------------------------------------------------------------------------

#: A table-4 group's sum: upheld + corrected + other + pending = total.
_GROUP_SUM: Sums = [(list(T.REVIEW_COLUMNS[:4]), "total")]
_REVIEW_FLAT = tuple(f"{g}.{c}" for g in T.REVIEW_GROUPS for c in T.REVIEW_COLUMNS)
#: The groups' sums as places of the table (group, column).
_GROUP_SUMS: list[_Sum] = [([(g, c) for c in T.REVIEW_COLUMNS[:4]], [(g, "total")]) for g in T.REVIEW_GROUPS]


#: The three groups' sums over the fifteen numbers in a row.
_REVIEW_SUMS: Sums = [([f"{g}.{c}" for c in T.REVIEW_COLUMNS[:4]], f"{g}.total") for g in T.REVIEW_GROUPS]
_review_check = partial(_holds, sums=_REVIEW_SUMS)


def read_review(rows: Sequence[Row], scanned: bool = False) -> TableResult:
    """Read table 4 (administrative reviews and lawsuits): fifteen numbers after its header.

    Args:
        rows: the rows of the section that holds the table.
        scanned: the rows were read by OCR: a group whose parts do not add up to its total is left null.
    """
    result = TableResult()
    start = next(
        (i for i, r in enumerate(rows) if len(T.REVIEW_HEADER.findall(normalise_label(r.text))) >= 1 and r.table), None
    )
    if start is None:
        start = next(
            (i for i, r in enumerate(rows) if len(T.REVIEW_HEADER.findall(normalise_label(r.text))) >= 2), None
        )
    if start is None:
        return result
    cells: list[str] = []
    xs: list[float] | None = []
    joined = False
    segments = ((row, seg) for row in rows[start:] for seg in split_row(row))
    for row, (label, values, vxs) in segments:
        if not any(v.strip() for v in values):
            if cells and label and not T.REVIEW_HEADER.search(label):
                break
            continue
        if not cells and _header_specks(row, values):
            continue
        if label and len(label) > 12 and not T.REVIEW_HEADER.search(label):
            if cells:
                break
            continue
        # a row of exactly fifteen cells is the table's: its first cell blank is a value not read (a thin 1)
        cells.extend(values if cells or len(values) == len(_REVIEW_FLAT) else _lstrip(values))
        joined = joined or row.joined
        xs = xs + list(vxs) if xs is not None and vxs is not None else None
        if _count(cells) >= len(_REVIEW_FLAT):
            break
    if not cells:
        return result
    if joined:
        flat, warning = unjoin(cells, _REVIEW_FLAT, _REVIEW_SUMS)
    else:
        flat, warning = align(cells, _REVIEW_FLAT, check=_review_check)
    # an unruled scan's row printed with blanks for none: its readings where the group headings place them,
    # found from the first line naming one (行政复议 on a line of its own is no table's row: seed 32002)
    ref = None
    if scanned and warning and xs and not any(r.ruled for r in rows):
        heading = next(i for i, r in enumerate(rows) if T.REVIEW_HEADER.search(normalise_label(r.text)))
        ref = review_centres(rows[heading:])
    homes = _homes(cells, xs, ref) if ref and xs else None
    if homes is not None:
        flat = _nulls(_REVIEW_FLAT)
        for cell, home in zip(cells, homes, strict=True):
            flat[_REVIEW_FLAT[home]] = read_cell(cell).value
        warning = None
    elif scanned and warning is not None and _misplaced(cells, flat, warning, _review_check):
        flat, warning = witnessed(cells, _REVIEW_FLAT, _review_check)
    if warning:
        result.warnings.append(f"table 4: {warning}")
    for g in T.REVIEW_GROUPS:
        group: Values = {c: flat[f"{g}.{c}"] for c in T.REVIEW_COLUMNS}
        refused: list[str] = []
        if scanned:
            group, refused = _minus_refused(group)
        # a group printed with blanks stands when its total, read, witnesses its readings (_blanks_hold)
        blanks = (
            homes is not None and any(v is not None for v in group.values()) and not _blanks_hold(group, _GROUP_SUM)
        )
        if scanned and (_complete(group) and not _holds(group, _GROUP_SUM) or _beyond(group, _GROUP_SUM) or blanks):
            read = " | ".join(str(group[c]) for c in T.REVIEW_COLUMNS)
            result.warnings.append(f"table 4 {g}: does not add up as read from the scan, left null: {read}")
            group = _nulls(T.REVIEW_COLUMNS)
        group, more = typed(group)
        if refused or more:
            result.warnings.append(f"table 4 {g}: {_refused(refused + more)}")
        result.values[g] = group
    if scanned and not joined:
        doubts: dict[str, dict[str, int]] = {}
        for place, reading in _doubts(cells, _REVIEW_FLAT).items():
            g, c = place.split(".")
            doubts.setdefault(g, {})[c] = reading
        result.warnings += [f"table 4 {said}" for said in _doubts_confirmed(result.values, doubts, _GROUP_SUMS)]
    return result


#: Table 4's group headings, each printed over its group's five columns.
_GROUP_HEADINGS = ("行政复议", "未经复议直接起诉", "复议后起诉")
#: The groups' centres stand at one spacing within this share of it (the template's equal columns).
_GROUP_SPREAD = 0.1


def review_centres(rows: Sequence[Row]) -> list[float] | None:
    """Table 4's fifteen column centres from its header, for an unruled scan's row printed with blanks for
    none (``3 | 3`` for 15 columns): each group heading (行政复议, 未经复议直接起诉, 复议后起诉) a cell of its own
    centred over its five columns, the three at one spacing, the columns a fifth of it apart. None when a
    heading is not found once, or the three stand at no one spacing (columns of their own widths: 上海 2019).
    The official template (govnianbao's 政务公开年报模版.docx) draws the fifteen at 32.5 pt each."""
    found: dict[str, list[float]] = {h: [] for h in _GROUP_HEADINGS}
    for row in rows:
        for cell, (left, right) in zip(row.cells, row.spans or [], strict=False):
            # a speck read beside a heading is no part of it (seed 34004: 未经复议直接起诉·)
            if (text := normalise_label(cell).strip(_OCR_PUNCTUATION)) in found:
                found[text].append((left + right) / 2)
    if any(len(centres) != 1 for centres in found.values()):
        return None
    first, second, third = (found[h][0] for h in _GROUP_HEADINGS)
    steps = (second - first, third - second)
    if min(steps) <= 0 or abs(steps[0] - steps[1]) > _GROUP_SPREAD * max(steps):
        return None
    pitch = (third - first) / 10
    return [centre + (k - 2) * pitch for centre in (first, second, third) for k in range(5)]


#: The characters of table 4's header wordings: a row of nothing else is a header, its words wrapped in
#: narrow cells as they may be (结果维 | 持).
_REVIEW_HEADER_CHARACTERS = frozenset("".join(T.REVIEW_LABELS.values()))


def _header_specks(row: Row, values: Sequence[str]) -> bool:
    """A scanned header row of table 4 (未经复议直接起诉 …, or its wrapped column words 结果维 | 结果纠 | …)
    whose only "values" are marks OCR could not read: specks among its words, not the first of the fifteen
    numbers."""
    marks = [v.strip() for v in values if v.strip()]
    if not all(m.startswith(UNREADABLE_MARK) for m in marks):
        return False
    words = [c.strip() for c in row.cells if c.strip() and not c.strip().startswith(UNREADABLE_MARK)]
    wrapped = len(words) >= 3 and all(set(w) <= _REVIEW_HEADER_CHARACTERS for w in words)
    return wrapped or bool(T.REVIEW_HEADER.search(normalise_label(row.text)))


def _lstrip(cells: Sequence[str]) -> list[str]:
    out = list(cells)
    while out and not out[0].strip():
        out.pop(0)
    return out


# --- table 2 ------------------------------------------------------------------------

_UNIT_SUFFIX = re.compile(r"（[^）]*）$")


def read_active(rows: Sequence[Row], template: str) -> TableResult:
    """Read table 2 (active disclosure under Article 20).

    Args:
        rows: the rows of the section that holds the table.
        template: ``"2019"`` or ``"2021"``; the items and columns differ.
    """
    items = {it.key: it for it in T.ACTIVE_ITEMS[template]}

    def match(key: str, label: str) -> bool:
        core = T.ITEM_PREFIX.sub("", label.strip(_OCR_PUNCTUATION))
        core = _UNIT_SUFFIX.sub("", core) or core
        return bool(items[key].pattern.fullmatch(core))

    asm = Assembler(list(items), match, lambda key: len(items[key].columns))
    for row in rows:
        asm.feed(row)
    result = TableResult()
    lines = asm.result()
    warning: str | None
    for line in lines:
        columns = items[line.key].columns
        same_width = [ln for ln in lines if len(items[ln.key].columns) == len(columns)]
        if line.overflow:
            values, warning = _nulls(columns), f"more values than columns: {' | '.join(line.cells)} …"
        elif line.joined:
            amounts = frozenset(c for c in columns if (line.key, c) in T.AMOUNT_COLUMNS)
            values, warning = unjoin(line.cells, columns, (), amounts, T.SIGNED_COLUMNS)
        else:
            values, warning = align(line.cells, columns, line.xs, column_centres(same_width, len(columns)))
        values, refused = typed(values, line.key)
        for col in columns:
            if (line.key, col) in T.FLOAT_COLUMNS and values[col] is not None:
                values[col] = float(values[col])  # type: ignore[arg-type]
        result.values[line.key] = values
        for said in (warning, refused and _refused(refused)):
            if said:
                result.warnings.append(f"table 2 item {line.key}: {said}")
    return result
