"""Generated reports in every format and layout parse back to the record they were drawn from.

The documents come from simulate/documents with random numbers, blanks,
missing rows, broken totals, both templates and an optional subtotal
column, so the parser is judged on documents it was not tuned to.  The bar
is the issue's: at least 99% of cells right and no wrong non-null value.
"""

from __future__ import annotations

import json
import random

import pytest

from parsers import parse_document
from simulate import documents as docgen
from tests.helpers import ROOT
from tests.seedcheck import STAT_TABLES, differences, wrong_or_lost

SHARED = ROOT.parent / "shared"
BATCH = {"text": 60, "html": 60, "docx": 30, "pdf": 30, "xlsx": 60, "ofd": 30}


#: Cells a format may leave null (with a warning) in a batch: blank cells that leave a value's column
#: open in plain text (measured: 38 of 12,075); the other formats place every value (measured: none).
NULL_SHARE = {"text": 0.005}


def _score(fmt: str, count: int, seed: int) -> tuple[int, list[str], list[str]]:
    cells, wrong, nulls = 0, [], []
    for i in range(count):
        rng = random.Random(seed + i)
        record = docgen.random_record(rng)
        data = docgen.RENDERERS[fmt](record, rng)
        got = parse_document(data).to_dict()
        want = docgen.expected(record)
        cells += sum(len(row) for t in STAT_TABLES for row in want[t].values())
        for d in differences(got, want):
            (nulls if "got None" in d else wrong).append(f"doc {i}: {d}")
    return cells, wrong, nulls


@pytest.mark.parametrize("fmt", list(BATCH))
def test_generated_documents(fmt):
    cells, wrong, nulls = _score(fmt, BATCH[fmt], seed=1000)
    assert cells > 150 * BATCH[fmt]
    assert wrong == [], "a value was read wrong (worse than missing)"
    assert len(nulls) <= NULL_SHARE.get(fmt, 0.001) * cells, nulls[:5]
    assert len(wrong) <= cells * 0.01, wrong[:10]


def test_metadata_of_generated_documents():
    for i in range(20):
        rng = random.Random(i)
        record = docgen.random_record(rng)
        fmt = rng.choice(list(BATCH))
        got = parse_document(docgen.RENDERERS[fmt](record, rng)).to_dict()
        assert (got["agency"], got["year"], got["template"]) == (
            record["agency"],
            record["year"],
            record["template"],
        ), fmt


def _html_table(rows: list[str]) -> str:
    return "<table border=1>" + "".join(rows) + "</table>"


def _seed_like_html(charset_meta: str, body_extra: str = "") -> str:
    values = "".join(f"<td><p><span>{v}</span></p></td>" for v in (3, "&nbsp;", 0, 0, 0, 0, 3))
    table3 = _html_table(
        [
            '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>',
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
            "<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
            f'<tr><td colspan="3"><p><span>一、本年新收政府信息</span><span>公开申请数量</span></p></td>{values}</tr>',
            '<tr><td colspan="3">二、上年结转政府信息公开申请数量</td>' + "<td>0</td>" * 7 + "</tr>",
            '<tr><td rowspan="2">三、本年度<br>办理结果</td><td colspan="2">（一）予以公开</td>'
            + "<td>1</td>"
            + "<td>0</td>" * 5
            + "<td>1</td></tr>",
            '<tr><td colspan="2">（七）总计</td>' + "<td>1</td>" + "<td>0</td>" * 5 + "<td>1</td></tr>",
            '<tr><td colspan="3">四、结转下年度继续办理</td><td>2</td>' + "<td>0</td>" * 5 + "<td>2</td></tr>",
        ]
    )
    return f"""<html><head>{charset_meta}<title>测试县2022年政府信息公开工作年度报告_测试县人民政府</title></head>
<body><div class="nav"><a href="/">首页</a></div><div class="TRS_Editor">
<p>测试县人民政府办公室2022年政府信息公开工作年度报告</p>
<p>一、总体情况</p><p>{"今年我县认真落实条例。" * 20}</p>{body_extra}
<p>三、收到和处理政府信息公开申请情况</p>{table3}
<p>五、存在的主要问题及改进情况</p><p>问题。</p><p>六、其他需要报告的事项</p><p>无。</p></div>
<div class="footer">网站标识码</div></body></html>"""


@pytest.mark.parametrize(
    "meta, encoding",
    [
        ('<meta charset="utf-8">', "utf-8"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk"),  # declares GB2312, sends GBK
        ("", "gb18030"),  # declares nothing
        ('<meta charset="utf-8">', "gb18030"),  # declares one, sends another
    ],
)
def test_html_encodings_spans_and_blanks(meta, encoding):
    page = _seed_like_html(meta, "<p>镕（GBK-only character）</p>").encode(encoding)
    got = parse_document(page).to_dict()
    assert got["agency"] == "测试县人民政府办公室" and got["year"] == 2022
    apps = got["applications"]
    assert apps["new_received"] == {
        "natural_person": 3,
        "commercial": None,
        "research": 0,
        "social_welfare": 0,
        "legal_service": 0,
        "other_org": 0,
        "total": 3,
    }
    assert apps["granted"]["total"] == 1 and apps["carried_forward"]["natural_person"] == 2
    assert "partially_granted" not in apps  # absent rows stay absent
    assert "镕" in got["sections"]["1"]


def test_html_layout_table_around_the_report():
    inner = _seed_like_html('<meta charset="utf-8">')
    body = inner.split("<body>")[1].split("</body>")[0]
    page = f'<html><head><meta charset="utf-8"></head><body><table><tr><td>{body}</td></tr></table></body></html>'
    got = parse_document(page.encode()).to_dict()
    assert got["applications"]["new_received"]["total"] == 3


def test_docx_merged_cells(rng):
    record = docgen.random_record(rng, template="2021")
    got = parse_document(docgen.render_docx(record, rng)).to_dict()
    assert differences(got, docgen.expected(record)) == []


@pytest.mark.parametrize("ruled", [True, False])
def test_pdf_ruled_and_positioned_words(ruled):
    rng = random.Random(7 if ruled else 8)
    record = docgen.random_record(rng, template="2021")
    data = docgen.render_pdf(record, rng, ruled=ruled)
    got = parse_document(data).to_dict()
    assert wrong_or_lost(got, docgen.expected(record), max_nulls=2) == []


def test_pdf_page_numbers_do_not_become_values(rng):
    # long prose pushes table 3 over a page break with a page number in between
    record = docgen.random_record(rng, template="2021")
    for seed in range(5):
        r = random.Random(seed)
        data = docgen.render_pdf(record, r, ruled=bool(seed % 2))
        got = parse_document(data).to_dict()
        assert wrong_or_lost(got, docgen.expected(record), max_nulls=2) == []


@pytest.mark.parametrize("ruled", [True, False])
def test_pdf_tables_that_repeat_their_header_on_the_next_page(ruled):
    """Word repeats a table's header rows on every page it breaks onto (重复标题行: OOXML's <w:tblHeader/>,
    "Repeat Table Row on Every New Page"; Chromium prints a <thead> the same way): the repeated header is
    no row of values."""
    import pymupdf

    for seed in range(6):
        rng = random.Random(seed)
        record = docgen.random_record(rng, template=rng.choice(["2019", "2021"]))
        data = docgen.render_pdf(record, rng, ruled=ruled, repeat_header=True)
        pages = ["".join(p.get_text().split()) for p in pymupdf.open(stream=data, filetype="pdf")]
        assert sum("申请人情况" in p for p in pages) == 2  # table 3 broke, and its header came again
        assert differences(parse_document(data).to_dict(), docgen.expected(record)) == []


@pytest.mark.parametrize("layout", ["cells", "tabs"])
def test_text_layouts(layout):
    for seed in range(10):
        rng = random.Random(seed)
        record = docgen.random_record(rng)
        got = parse_document(docgen.render_text(record, rng, layout=layout)).to_dict()
        assert wrong_or_lost(got, docgen.expected(record), max_nulls=2) == []


def test_the_generator_keys_are_those_of_the_real_reports():
    """The generator's own table of keys (not the parser's) against the records typed by hand from the
    real reports in ../shared: a wrong key in either the generator or the parser fails a round trip."""
    from simulate.documents import keys as K

    typed_by_hand = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SHARED.glob("*/*.expected.json"))]
    assert len(typed_by_hand) >= 6
    rows_2021 = [key for key, templates in K.APPLICATION_ROWS if "2021" in templates]
    for want in typed_by_hand:
        assert set(want["applications"]) <= set(rows_2021) and len(want["applications"]) >= len(rows_2021) - 1
        assert all(tuple(row) == K.APPLICATION_COLUMNS for row in want["applications"].values())
        assert want["active_disclosure"] == {
            key: {c: want["active_disclosure"][key][c] for c in columns} for key, columns in K.ACTIVE_ITEMS["2021"]
        }
        assert {g: tuple(v) for g, v in want["review_litigation"].items()} == dict.fromkeys(
            K.REVIEW_GROUPS, K.REVIEW_COLUMNS
        )
