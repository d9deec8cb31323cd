"""A page's text as a crawler saves it (a county archive's ``page.txt``, issue 24): header lines
(``标题:``, ``发布时间:``, ``来源:``), then the whole article on one line, paragraphs and table cells split by
single spaces, blank cells gone. The dumps here are made mechanically from the real reports in
../shared (their text with every run of white space made one space), so the truth is theirs."""

from __future__ import annotations

import json

import pytest

from parsers import parse_document
from parsers.metadata import read_metadata
from tests.helpers import ROOT
from tests.seedcheck import differences

SHARED = ROOT.parent / "shared"
REPORTS = sorted((SHARED / "seeds").glob("*.txt")) + [SHARED / "real" / "real_09_huaian_szf_2024_pdftext.txt"]


def _dump(text: str, title: str, agency: str) -> str:
    return f"标题:{title}\n发布时间:2023-01-20 10:05\n来源:{agency}\n浏览次数:37\n\n" + " ".join(text.split())


def _report(path):
    text = path.read_text(encoding="utf-8")
    want = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    at = next(i for i, line in enumerate(lines) if "报告" in line or "年报" in line)
    title = want.get("title") or (lines[at] if want["agency"][:2] in lines[at] else lines[at - 1] + lines[at])
    return text, title, want


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem[:3])
def test_a_one_line_dump_reads_as_the_report(path):
    text, title, want = _report(path)
    dump = _dump(text, title, want["agency"])
    assert dump.count("\n") == 5  # the article is one line
    got = parse_document(dump.encode()).to_dict()
    assert differences(got, want) == []
    assert got["title"] == title.replace(" ", "") and not got["title"].startswith("标题")
    assert got["published"] == "2023-01-20"
    assert got["warnings"] == []


def test_a_row_whose_blank_left_no_piece_is_null_never_shifted():
    path = SHARED / "seeds" / "000_976e77ab14f5ccf4.txt"
    text, title, want = _report(path)
    pieces = " ".join(text.split()).split(" ")
    # the first value of 上年结转 printed blank: its piece is gone, so 6 values remain for 7 columns
    at = pieces.index("二、上年结转政府信息公开申请数量") + 1
    del pieces[at]
    got = parse_document(("标题:" + title + "\n" + " ".join(pieces)).encode()).to_dict()
    diff = differences(got, want)
    assert diff and all("carried_over" in d and "got None" in d for d in diff)
    assert set(got["applications"]["carried_over"].values()) == {None}
    assert any("carried_over: 6 values for 7 columns" in w for w in got["warnings"])


@pytest.mark.parametrize(
    "lines, agency",
    [
        # a crawler's header line names the field, not the agency
        (["标题:桐梓县教育局2022年政府信息公开工作年度报告", "发布时间:2023-01-20"], "桐梓县教育局"),
        (["标题：桐梓县教育局2022年政府信息公开工作年度报告"], "桐梓县教育局"),
        # prose's bare 政府 after the place is no name (a 实验区 is run by a 管委会)
        (
            ["平潭综合实验区2023年政府信息公开工作年度报告", "平潭综合实验区政府高度重视政务公开工作。"],
            "平潭综合实验区",
        ),
    ],
)
def test_agency_from_crawler_titles_and_prose(lines, agency):
    assert read_metadata([], lines).agency == agency
