"""Reading one table cell: normalised labels and the value rules of docs/record.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Full-width ASCII (！..～) → ASCII, ideographic space → space; brackets are
# kept full-width afterwards so labels compare as （一）.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_WS = re.compile(r"\s+")


def to_halfwidth(text: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII."""
    return text.translate(_FULLWIDTH)


@lru_cache(maxsize=16384)
def normalise_label(text: str) -> str:
    """Label text for matching: ASCII digits, （） brackets, no white space.

    Args:
        text: the label as printed, possibly spread over several cells.
    """
    t = to_halfwidth(text).replace("(", "（").replace(")", "）")
    t = t.replace("．", ".").replace("。", ".").replace("\u201c", "").replace("\u201d", "").replace('"', "")
    return _WS.sub("", t)


#: Cells printed but holding no value.
BLANK_MARKERS = frozenset(
    {"", "/", "-", "—", "——", "－", "无", "\\", "／", "–", "__", "_", "－－", "--", "空", "x", "X", "×"}
)

#: The units a value may be printed with (12件, 3 万元), and their characters.
UNITS = ("件", "万元", "元", "个", "项", "次", "条", "人", "家", "宗", "份", "笔", "起", "%", "％")
UNIT_CHARACTERS = "".join(dict.fromkeys("".join(u for u in UNITS if u not in "%％")))
#: A value's unit read alone ("0件" with its 0 left out of the detector's box): a number not read, no label.
UNIT_ALONE = re.compile(r"件|个|项|次|条|万?元")
_UNIT = "(?:" + "|".join(UNITS) + ")"
_NUMBER = re.compile(
    r"^(?P<sign>[+\-−－＋]?)\s*(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*" + _UNIT + r"?$"
)


#: What OCR reads a speck of dust or toner as, beside a number or a label (never a point or a minus: in a
#: number those may be print).
SPECK_READINGS = "：:*·'`\"，,;；°^~"

#: A Han character: a label's, a heading's or a unit's.
HAN = re.compile(r"[\u3400-\u9fff]")
#: A label with a value run into its end (a PDF word with no gap, a detector's one box): the label ends in a
#: Han character or a closing bracket.
GLUED_NUMBER = re.compile(r"^(?P<label>.*[\u4e00-\u9fff）)”])(?P<number>[0-9０-９][0-9０-９,，]*(件|个|项|次|条)?)$")

#: Han characters that are no unit of a value: a cell holding one is a label's.
_LABEL_WORDS = re.compile(r"[\u4e00-\u9fff](?<![" + UNIT_CHARACTERS + "])")
_SPACED_DIGITS = re.compile(r"\d[\s\u00a0]+[+\-−－＋]?\d")


@dataclass(frozen=True)
class Cell:
    """A table cell read under the value rules.

    Attributes:
        kind: ``"number"``, ``"blank"`` (printed empty or /, -, 无), ``"unreadable"`` (a number OCR could
            not read with confidence: :data:`UNREADABLE_MARK`) or ``"text"``.
        value: the number for ``"number"`` cells, else None.
    """

    kind: str
    value: int | float | None = None


BLANK = Cell("blank")
TEXT = Cell("text")
#: What OCR writes for a number it could not read with confidence: a value of its own kind, null, never a guess.
UNREADABLE_MARK = "\ufffd"
UNREADABLE = Cell("unreadable")
#: What OCR writes before a number with a small mark just before it, which may be a minus sign or a speck
#: (at 150 dpi a hyphen-minus is a dot of two or three pixels): the column's type decides.
SIGN_UNREAD_MARK = "\u2213"


#: A number OCR read with doubt, kept after the mark for the table's sums to witness (``�17``): the cell is
#: still unreadable; :func:`doubted` gives the reading.
_DOUBTED = re.compile("^" + UNREADABLE_MARK + r"(?P<num>0|[1-9]\d*)\s*" + _UNIT + "?$")


#: A number read with one point (``1.8件``), or with a minus (``-1件``).
_POINTED = re.compile(r"^(?P<whole>\d+)\.(?P<part>\d+)\s*" + _UNIT + "?$")
_MINUSED = re.compile(r"^-(?P<num>0|[1-9]\d*)\s*" + _UNIT + "?$")


def doubted(text: str, count: bool = False) -> int | None:
    """The whole number OCR read with doubt in a cell it marked unreadable (``�17``, ``�0件``), or None.
    With ``count``, a cell that must hold a count: also the digits of a reading with a point (``1.8件``: a
    count has none, so the point was a speck's, and 18 is read with doubt; ``0.5`` is no count's digits)
    or a minus (``-1``: a count is never negative, so the bar before it was a speck's, or a rule's).

    Such a reading is never a value on its own: a table keeps it only where the template's sums, read
    everywhere else, confirm it (tables.py).
    """
    t = to_halfwidth(text).strip()
    m = _DOUBTED.match(t) or (_MINUSED.match(t) if count else None)
    if m:
        return int(m.group("num"))
    pointed = _POINTED.match(t) if count else None
    digits = pointed.group("whole") + pointed.group("part") if pointed else ""
    return int(digits) if digits and not digits.startswith("0") else None


class SignUnread(int):
    """A whole number read without a sign that may have had one: a count (never negative) is the number;
    a column with a sign (本年增/减) cannot tell, so its value is null."""


@lru_cache(maxsize=65536)
def read_cell(text: str) -> Cell:
    """Read one cell under docs/record.md's value rules.

    Args:
        text: the cell as printed.

    Returns:
        A number cell (int unless printed with a decimal point), a blank cell,
        or a text cell (labels and anything else that is not a value).
    """
    t = to_halfwidth(text).strip()
    if UNREADABLE_MARK in t:
        # a label's words beside the mark (a header cell ``� 其他结 果`` with a speck in it) make it a label; a
        # unit alone (``�件``) is still a number's
        return TEXT if _LABEL_WORDS.search(t.replace(UNREADABLE_MARK, "")) else UNREADABLE
    if t.startswith(SIGN_UNREAD_MARK):
        cell = read_cell(t[1:])
        return Cell("number", SignUnread(cell.value)) if isinstance(cell.value, int) and cell.value >= 0 else cell
    if _SPACED_DIGITS.search(t):
        return TEXT  # "25 15" is two cells run together, never the number 2515
    t = _WS.sub("", t)
    if t in BLANK_MARKERS:
        return BLANK
    m = _NUMBER.match(t)
    if not m:
        return TEXT
    num = m.group("num").replace(",", "").replace("，", "")
    value: int | float = float(num) if "." in num else int(num)
    if m.group("sign") in ("-", "−", "－"):
        value = -value
    return Cell("number", value)


def is_value(text: str) -> bool:
    """True when a cell holds a value or a blank, not label text."""
    return read_cell(text).kind != "text"


def is_words(text: str) -> bool:
    """True when a reading has a Chinese character and is no value's unit read alone (a scan's ``件`` boxed
    apart from its count's digits): a label's or a heading's words, or a value printed with its unit (0件),
    which :func:`is_value` tells apart."""
    return HAN.search(text) is not None and not UNIT_ALONE.fullmatch(text)
