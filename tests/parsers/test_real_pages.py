"""Real report pages as their portal published them (平潭综合实验区's 2022 to 2025 reports on a TRS portal,
上海市人民政府办公厅's 2019 report on the 2019 template; tests/parsers/pages/SOURCE.md) read to every cell the
publisher printed, with the title's agency; and the page and the same report's text saved by a crawler
(tests/parsers/dumps), read by two different readers, agree on every cell both read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import parse_document
from tests.seedcheck import cells

PAGES = Path(__file__).parent / "pages"
DUMPS = Path(__file__).parent / "dumps"
TRUTH = json.loads((DUMPS / "pingtan_truth.json").read_text(encoding="utf-8"))
YEARS = (2022, 2023, 2024, 2025)
#: Checks the report fails by its own numbers: 2025 closes 2 requests for unpaid fees and says it charged none.
PUBLISHERS_OWN = {2025: {"prose.fees"}}


@pytest.mark.parametrize("year", YEARS)
def test_a_real_report_page_reads_to_every_printed_cell(year):
    got = parse_document((PAGES / f"pingtan_{year}.html").read_bytes()).to_dict()
    assert got["title"] == f"平潭综合实验区{year}年度政府信息公开工作年度报告"
    # the title names the 实验区; the page's 来源 (管委会办公室; 2022's 平潭县人民政府) and footer (主办单位) name
    # others, not the author
    assert (got["agency"], got["agency_kind"]) == ("平潭综合实验区", "county_government")
    published = {2022: "2023-02-20", 2023: "2024-03-08"}.get(year, f"{year + 1}-03-10")
    assert (got["year"], got["template"], got["published"]) == (year, "2021", published)
    assert set(got["sections"]) == {"1", "2", "3", "4", "5", "6"}
    read, truth = cells(got), cells(TRUTH[str(year)])
    # 2023's truth was typed for the text reader's hard rows (38 cells); the test below holds the rest
    assert len(read) == 200 and len(truth) == (38 if year == 2023 else 200)
    assert {k: read.get(k) for k in truth if read.get(k) != truth[k]} == {}
    assert got["warnings"] == []
    assert {c["id"] for c in got["checks"] if not c["ok"]} == PUBLISHERS_OWN.get(year, set())


@pytest.mark.parametrize("year", YEARS)
def test_the_page_and_its_crawler_text_agree_wherever_both_read(year):
    page = cells(parse_document((PAGES / f"pingtan_{year}.html").read_bytes()).to_dict())
    text = cells(parse_document((DUMPS / f"pingtan_{year}.txt").read_bytes()).to_dict())
    assert set(page) == set(text)
    assert {k: (page[k], text[k]) for k in page if text[k] is not None and text[k] != page[k]} == {}
    assert sum(v is not None for v in text.values()) == 197  # the text's 3 open cells: 行政规范性文件's run


def test_a_real_2019_template_page_with_blank_cells_reads_to_its_typed_truth():
    # 上海's 2019 report leaves a cell blank for none (135 of its 198 cells) and 总计 blank on every result row;
    # a blank is null, never 0, and the checks a blank leaves open are not failures
    got = parse_document((PAGES / "shanghai_2019.html").read_bytes()).to_dict()
    want = json.loads((PAGES / "shanghai_2019.expected.json").read_text(encoding="utf-8"))
    assert {k: got[k] for k in ("title", "agency", "year", "template")} == {
        k: want[k] for k in ("title", "agency", "year", "template")
    }
    assert (got["agency_kind"], got["published"]) == ("government_office", "2020-01-31")
    read, truth = cells(got), cells(want)
    assert len(truth) == 198 and sum(v is None for v in truth.values()) == 135
    assert read == truth
    assert got["active_disclosure"]["centralized_procurement"] == {"projects": 6, "amount": 251000}
    assert got["warnings"] == [] and all(c["ok"] for c in got["checks"])
