"""The real published report in ../shared/real and the text shapes made from it (a text dump, a
``pdftotext -layout`` dump, PDF-to-markdown with pipe tables and ``<br>``) parse to its typed truth;
wording seen in real reports (agency names, fees in section 6) is read as meant."""

from __future__ import annotations

import json

import pymupdf
import pytest

from parsers import parse_document
from parsers.checks import fees_charged
from parsers.metadata import read_metadata
from tests.helpers import ROOT
from tests.seedcheck import differences

REAL = ROOT.parent / "shared" / "real"
MANIFEST = json.loads((REAL / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["kind"])
def test_real_report_and_its_text_shapes(entry):
    got = parse_document(REAL / entry["file"]).to_dict()
    want = json.loads((REAL / entry["truth"]).read_text(encoding="utf-8"))
    assert differences(got, want) == []
    assert got["template"] == entry["template"] and not got["warnings"]
    # section 6 says 收取…信息处理费3940 元 (the PDF breaks the line before 元), and the table closes
    # 6 requests for unpaid fees: the fee check holds
    fees = next(c for c in got["checks"] if c["id"] == "prose.fees")
    assert fees["ok"], fees


@pytest.mark.parametrize(
    "text, charged",
    [
        ("2024 年，市政府严格落实《政府信息公开信息处理费管理\n办法》，全年收取政府信息公开信息处理费3940\n元。", True),
        ("本年度共收取信息处理费200元，无其他需要报告的事项。", True),
        ("本机关全年收取信息处理费0.12万元。", True),
        ("本年度未收取信息处理费。", False),
        ("本年度没有产生信息处理费。", False),
        ("2023年度共收取信息处理费0元。", False),
        ("信息处理费为零。", False),
        ("无。", False),
        ("无其他需要报告的事项。", False),
        ("依据《政府信息公开信息处理费管理办法》，本机关不收取信息处理费。", False),
    ],
)
def test_fees_in_section_6(text, charged):
    assert fees_charged(text) is charged


@pytest.mark.parametrize(
    "lines, agency",
    [
        # the 政府 of 政府信息公开 is no suffix of the agency's name
        (["平潭综合实验区2023年政府信息公开工作年度报告", "平潭综合实验区政府信息公开工作坚持……"], "平潭综合实验区"),
        (["平乡县2023年政府信息公开工作年度报告", "平乡县人民政府高度重视政府信息公开工作"], "平乡县人民政府"),
    ],
)
def test_agency_names_in_real_wording(lines, agency):
    assert read_metadata([], lines).agency == agency


def test_markdown_heading_marks_and_line_breaks_are_not_text():
    text = "# 淮安市人民政府\n## 2024 年政府信息公开工作年度报告\n一、总体情况<br>正文。\n".encode()
    record = parse_document(text)
    assert record.format == "text"
    assert record.agency == "淮安市人民政府" and record.year == 2024


def test_a_hair_thin_cell_where_two_grids_meet_is_no_column():
    # 洪泽区人民政府2023年政府信息公开工作年度报告 (a Word export; public copy in
    # github.com/zxj6827111-blip/KIROGOVCOMPARE, sample_pdfs_v1/hzq2023_working.pdf), page 4: table 4
    # is drawn as one filled box per cell, and where the header's grid and the data's grid meet the data
    # row has an empty cell 2 pt wide (x 310-312) between two values. Read as a column, it shifted the row.
    from parsers.pdfdoc import read_pdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    edges = [77.5, 109.2, 140.4, 171.6, 202.8, 231.1, 259.4, 287.7, 310.0, 312.25, 343.8, 373.1, 401.4, 429.9]
    values = ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0"]
    for top, bottom, texts in ((374.6, 445.5, ["h"] * 12), (445.75, 472.3, values)):
        cells = [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b - a > 3]
        for a, b in zip(edges, edges[1:], strict=False):
            page.draw_rect(pymupdf.Rect(a + 0.25, top, b, bottom), color=(0, 0, 0), width=0.5)
        for (a, b), text in zip(cells, texts, strict=True):
            page.insert_text(((a + b) / 2 - 3, bottom - 8), text, fontsize=10.5)
    layout = read_pdf(doc.tobytes())
    row = next(r for r in layout.rows if r.table and r.cells[0] == "10")
    assert row.cells == values
