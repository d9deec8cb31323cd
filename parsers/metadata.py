"""Title, agency (发布机关) and report year from the title hints and the opening lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from . import template as T
from .values import to_halfwidth

_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS["零"] = "0"
_CN_DIGITS["○"] = "0"
_CN_DIGITS["Ｏ"] = "0"
_YEAR = r"(?P<year>(?:19|20)\d{2}|[二][〇○零Ｏ][〇○零Ｏ一二三四五六七八九]{2})\s*年\s*度?"
_TITLE = re.compile(r"^(?P<pre>.*?)(?:关于)?" + _YEAR + r"(?P<post>.*?)(?:" + T.REPORT_KIND.pattern + r")")
_BODY_YEAR = re.compile(_YEAR + r"(?:1月1日|政府信息公开|政务公开)")
_OPENING_LINES = 15
#: The field name before a title in a page's text saved with its crawler's header lines
#: (标题:XX局2022年…年度报告): not part of the title, nor of the agency's name.
_FIELD_NAME = re.compile(r"^(?:文章标题|标题|题目)[:：]")
_MAX_AGENCY = 40


@dataclass
class Metadata:
    """What the report says about itself."""

    title: str | None = None
    agency: str | None = None
    year: int | None = None


def _year(text: str) -> int:
    return int("".join(_CN_DIGITS.get(c, c) for c in text))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", to_halfwidth(text).replace("（", "(").replace("）", ")")) if text else text


def _title_candidates(hints: Sequence[str], lines: Sequence[str]) -> list[str]:
    """Hints first, then single title lines, then titles split over two lines."""
    out = [h for h in hints if h]
    opening = [ln for ln in lines[:_OPENING_LINES] if ln.strip()]
    joined = []
    for i, line in enumerate(opening):
        if T.REPORT_KIND.search(_squash(line)):
            out.append(line)
            if i > 0 and len(_squash(opening[i - 1])) <= _MAX_AGENCY:
                joined.append(opening[i - 1] + line)  # agency on the line above the title
        elif i + 1 < len(opening) and T.REPORT_KIND.search(_squash(line + opening[i + 1])):
            joined.append(line + opening[i + 1])  # title broken inside its words
    return out + joined


def read_metadata(hints: Sequence[str], lines: Sequence[str]) -> Metadata:
    """Find title, agency and year.

    Args:
        hints: titles given by the container (HTML meta/title, document properties).
        lines: the document's text lines.
    """
    meta = Metadata()
    best: tuple[int, str, str, int] | None = None
    for cand in _title_candidates(hints, lines):
        text = _FIELD_NAME.sub("", _squash(cand))
        m = _TITLE.search(text)
        if not m:
            continue
        agency = (m.group("pre") or m.group("post")).strip("：:,，。 ")
        agency = re.sub(r"^关于", "", agency)
        if len(agency) > _MAX_AGENCY:
            continue
        score = 2 if agency else 1
        if best is None or score > best[0]:
            best = (score, text[: m.end()], agency, _year(m.group("year")))
    if best:
        _, meta.title, agency, meta.year = best
        meta.agency = agency or None
    if meta.agency is None:
        meta.agency = _agency_from_opening(lines)
    if meta.agency and T.BARE_PLACE.search(meta.agency):
        meta.agency = _full_name(meta.agency, lines) or meta.agency
    if meta.year is None:
        meta.year = _year_from_body(lines)
    return meta


def agency_kind(agency: str | None) -> str | None:
    """The kind of agency (one of ``template.AGENCY_KINDS``) from its name, or None without a name.

    Args:
        agency: the agency's name (发布机关), e.g. 平乡县人民政府办公室.
    """
    if not agency:
        return None
    if agency.endswith(T.GOVERNMENT_OFFICE_SUFFIXES):
        return "government_office"
    # the place whose government it is: named before 人民政府, or alone (平潭综合实验区2024年度…年度报告,
    # published by its 管委会办公室)
    place = next((agency[: -len(s)] for s in T.GOVERNMENT_SUFFIXES if agency.endswith(s)), None)
    if place is None:
        if agency.endswith(T.TOWNSHIP_SUFFIXES):
            return "township"
        place = agency if T.BARE_PLACE.search(agency) else None
    if place is None:
        return "department"
    return "township" if place.endswith(T.TOWNSHIP_PLACES) else "county_government"


def _agency_from_opening(lines: Sequence[str]) -> str | None:
    for line in lines[:_OPENING_LINES]:
        text = _squash(line)
        if 2 < len(text) <= _MAX_AGENCY and text.endswith(T.AGENCY_SUFFIXES + ("局", "委员会", "办公室")):
            return text
    return None


def _full_name(place: str, lines: Sequence[str]) -> str | None:
    """平乡县 → 平乡县人民政府, when the text itself uses the longer name.

    A bare 政府 after the place is prose, not a name: "平潭综合实验区政府信息公开工作…" and
    "平潭综合实验区政府高度重视…" name no 平潭综合实验区政府 (a 实验区 is run by a 管委会)."""
    counts: Counter[str] = Counter()
    pattern = re.compile(re.escape(place) + "(" + "|".join(s for s in T.AGENCY_SUFFIXES if s != "政府") + ")")
    for line in lines[:200]:
        for m in pattern.finditer(_squash(line)):
            counts[m.group(0)] += 1
    return counts.most_common(1)[0][0] if counts else None


def _year_from_body(lines: Sequence[str]) -> int | None:
    for line in lines[:40]:
        m = _BODY_YEAR.search(_squash(line))
        if m:
            return _year(m.group("year"))
    return None
