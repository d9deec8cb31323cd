"""Finding the six section headings (一、总体情况 … 六、其他需要报告的事项)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from . import template as T
from .layout import Row
from .values import normalise_label

SECTION_NUMBERS = tuple(T.SECTION_HEADINGS)


def find_headings(lines: Sequence[str]) -> dict[str, int]:
    """Line index of each section heading found, in document order.

    A heading is a short line whose text after an optional 一、/1./第一部分
    number matches the section's wording; sub-headings numbered （一） are
    not headings.  Sections are taken in order, so a later section's words
    in an earlier section's prose cannot take its place.

    Args:
        lines: the document's text lines.
    """
    found: dict[str, int] = {}
    start = 0
    for number in SECTION_NUMBERS:
        for i in range(start, len(lines)):
            if _is_heading(lines[i], number):
                found[number] = i
                start = i + 1
                break
    return found


def _is_heading(line: str, number: str) -> bool:
    text = normalise_label(line)
    if not text:
        return False
    m = T.SECTION_NUMBER.match(text)
    rest = text[m.end() :] if m else text
    if rest.startswith("（"):
        return False
    if len(text) > T.SECTION_HEADING_MAX or text.endswith(("。", ".", "；", ";")):
        # a numbered heading run into its first paragraph: 一、总体情况。2022年，…
        if not (m and m.group(0)) or not T.SECTION_HEADING_END.search(rest[: T.SECTION_HEADING_MAX]):
            return False
        end = T.SECTION_HEADING_END.search(rest[: T.SECTION_HEADING_MAX])
        assert end is not None  # checked above
        rest = rest[: end.start()]
    return bool(T.SECTION_HEADINGS[number].search(rest))


def section_texts(
    rows: Sequence[Row], headings: dict[str, int], without_tables: Collection[str] = ()
) -> dict[str, str]:
    """Text of each found section: its heading line, then the lines after it up to the next heading.

    Args:
        rows: the document's rows (the indices of ``headings``).
        headings: from :func:`find_headings`.
        without_tables: sections whose table rows are left out — those of a template report's three
            tables, which the record keeps as data (their labels and numbers would only repeat the
            template in every report's text and in the full-text index).
    """
    order = sorted(headings.items(), key=lambda kv: kv[1])
    out = {}
    for (number, index), nxt in zip(order, [*order[1:], (None, len(rows))], strict=False):
        keep = (
            r.text for i, r in enumerate(rows[index : nxt[1]]) if i == 0 or not (r.table and number in without_tables)
        )
        out[number] = "\n".join(line for line in keep if line.strip())
    return out


def region(headings: dict[str, int], number: str, total: int) -> tuple[int, int]:
    """Row range ``[start, end)`` of a section, widened to its neighbours when its heading is missing.

    Args:
        headings: from :func:`find_headings`.
        number: the section number ("2", "3", "4").
        total: number of rows in the document.
    """
    if number in headings:
        start = headings[number]
    else:
        start = max((i for n, i in headings.items() if n < number), default=0)
    end = min((i for n, i in headings.items() if n > number and i > start), default=total)
    return start, end
