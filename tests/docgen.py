"""Generate realistic report documents from a record, in every format the parser reads.

A record (the canonical JSON, as in shared/seeds/*.expected.json) is laid out
as the official template's three tables, with merged cells, and rendered as
plain text (one cell per line, or tab rows, with drifting labels), HTML (Word
pasted with <p><span>, rowspan/colspan, &nbsp;, <br>, UTF-8 or GBK), DOCX
(merged cells) or PDF (ruled or unruled tables drawn with a CJK font, page
breaks inside tables, running headers and page numbers).  ``random_record``
varies the numbers, blanks, missing rows, totals and template so that tests
are not tuned to the seeds.  The portal farm reuses it for its report bodies.
"""

from __future__ import annotations

import copy
import html
import io
import random
from dataclasses import dataclass
from typing import Any

from parsers import template as T

Record = dict[str, Any]


@dataclass
class C:
    """A grid cell: text and spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[C]]

# --- records ------------------------------------------------------------------------

AGENCIES = [
    ("平乡县人民政府办公室", None), ("隰县人民政府", None), ("郭嘉镇人民政府", "郭嘉镇"), ("新乡县人民政府办公室", None),
    ("灵寿县人民政府", None), ("桐梓县教育局", None), ("龙游县人民政府", None), ("合江县自然资源局", None),
    ("杨凌示范区农业农村局", None), ("道里区人民政府", None), ("城关街道办事处", None), ("隆昌市卫生健康局", None),
]


def random_record(rng: random.Random, template: str | None = None, year: int | None = None) -> Record:
    """A plausible record with varied numbers, blanks, missing rows and broken totals.

    Args:
        rng: the random source (seeded by the caller for repeatable tests).
        template: force ``"2019"`` or ``"2021"``.
        year: force the report year.
    """
    template = template or rng.choice([T.TEMPLATE_2021, T.TEMPLATE_2021, T.TEMPLATE_2019])
    year = year or (rng.choice([2021, 2022, 2023, 2024]) if template == T.TEMPLATE_2021 else rng.choice([2019, 2020]))
    agency, short = rng.choice(AGENCIES)
    subtotal = rng.random() < 0.12
    columns = list(T.APPLICATION_COLUMNS)
    if subtotal:
        columns.insert(6, T.SUBTOTAL_COLUMN)
    busy = rng.random() < 0.6

    def n(scale: int = 20) -> int:
        return rng.randint(0, scale) if busy and rng.random() < 0.5 else 0

    apps: dict[str, dict[str, Any]] = {}
    for spec in T.APPLICATION_ROWS:
        if template not in spec.templates:
            continue
        row = {c: n(40 if c == "natural_person" else 5) for c in T.APPLICATION_COLUMNS[:6]}
        if subtotal:
            row[T.SUBTOTAL_COLUMN] = sum(row[c] for c in T.ORG_COLUMNS)
        row["total"] = sum(row[c] for c in ("natural_person", *T.ORG_COLUMNS))
        apps[spec.key] = {c: row[c] for c in columns}
    results = [k for k in T.APPLICATION_RESULT_ROWS if k in apps]
    for c in columns:
        apps["total_processed"][c] = sum(apps[k][c] for k in results)
        apps["new_received"][c] = apps["total_processed"][c] + apps["carried_forward"][c] - apps["carried_over"][c]
        if apps["new_received"][c] < 0:
            apps["carried_over"][c] += -apps["new_received"][c]
            apps["new_received"][c] = 0
    # Real-world damage: a missing row, blank cells, a broken total.
    if rng.random() < 0.25:
        apps.pop(rng.choice([k for k in results if k not in ("granted",)]))
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 4)):
            row = apps[rng.choice(list(apps))]
            row[rng.choice(columns)] = None
    if rng.random() < 0.2:
        row = apps[rng.choice(list(apps))]
        if row["total"] is not None:
            row["total"] += rng.randint(1, 3)
    active: dict[str, dict[str, Any]] = {}
    for item in T.ACTIVE_ITEMS[template]:
        vals: dict[str, Any] = {}
        for col in item.columns:
            if col == "amount_10k_yuan":
                vals[col] = rng.choice([0.0, round(rng.uniform(0, 5000), rng.choice([0, 2, 4])), float(rng.randint(0, 9999))])
            elif col == "change":
                vals[col] = rng.randint(-5, 5)
            elif col == "amount":
                vals[col] = rng.choice([0, rng.randint(1000, 900000)])
            else:
                vals[col] = rng.choice([0, rng.randint(0, 40), rng.randint(0, 12000)])
        active[item.key] = vals
    if rng.random() < 0.2:
        item = rng.choice(list(active))
        active[item][rng.choice(list(active[item]))] = None
    review: dict[str, dict[str, Any]] = {}
    for g in T.REVIEW_GROUPS:
        vals = {c: (rng.randint(0, 3) if rng.random() < 0.3 else 0) for c in T.REVIEW_COLUMNS[:4]}
        vals["total"] = sum(vals.values())
        review[g] = vals
    if rng.random() < 0.1:
        review["review"]["total"] = None
    return {
        "schema_version": 1,
        "agency": agency,
        "short_name": short,
        "year": year,
        "template": template,
        "active_disclosure": active,
        "applications": apps,
        "review_litigation": review,
    }


def vary(record: Record, rng: random.Random) -> Record:
    """A copy of a seed record with other numbers in the same cells (blanks and absent rows kept)."""
    out = copy.deepcopy(record)
    for table in ("active_disclosure", "applications", "review_litigation"):
        for row in out.get(table, {}).values():
            for col, v in row.items():
                if isinstance(v, float):
                    row[col] = round(rng.uniform(0, 900), 4)
                elif isinstance(v, int) and col != "change":
                    row[col] = rng.choice([0, 0, rng.randint(1, 60), rng.randint(100, 9999)])
    return out


# --- grids ----------------------------------------------------------------------------------


class Style:
    """How printed values look: blanks, digits, units (chosen per document)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.blank = rng.choice(["", "", "/", "-", "—", "无"])
        self.fullwidth = rng.random() < 0.1
        self.unit = rng.random() < 0.08
        self.thousands = rng.random() < 0.2

    def value(self, v: Any, unit: str = "件") -> str:
        if v is None:
            return self.blank
        if isinstance(v, float):
            text = f"{v:.4f}".rstrip("0").rstrip(".") if not v.is_integer() else str(int(v))
        elif self.thousands and abs(v) >= 1000:
            text = f"{v:,}"
        else:
            text = str(v)
        if self.fullwidth:
            text = text.translate({i: i + 0xFEE0 for i in range(0x21, 0x7F)})
        if self.unit and isinstance(v, int):
            text += unit
        return text


def _signed(v: Any, style: Style) -> str:
    if isinstance(v, int) and v > 0 and style.rng.random() < 0.5:
        return "+" + style.value(v)
    return style.value(v)


def active_grid(record: Record, style: Style) -> Grid:
    """Table 2 as a grid (4 columns)."""
    a, tpl, v = record["active_disclosure"], record["template"], style.value
    grid: Grid = []

    def head(article: str, *headers: str, spans: tuple[int, ...] | None = None) -> None:
        grid.append([C(f"第二十条第（{article}）项", colspan=4)])
        spans = spans or tuple(1 for _ in headers)
        grid.append([C("信息内容")] + [C(h, colspan=s) for h, s in zip(headers, spans)])

    def row(label: str, key: str, spans: tuple[int, ...] | None = None) -> None:
        if key not in a:
            return
        vals = list(a[key].values())
        spans = spans or tuple(1 for _ in vals)
        cells = [C(_signed(x, style) if col == "change" else v(x)) for col, x in a[key].items()]
        grid.append([C(label)] + [C(c.text, colspan=s) for c, s in zip(cells, spans)])

    if tpl == T.TEMPLATE_2021:
        head("一", "本年制发件数", "本年废止件数", "现行有效件数")
        row("规章", "regulations")
        row("行政规范性文件", "normative_documents")
        head("五", "本年处理决定数量", spans=(3,))
        row("行政许可", "licensing", (3,))
        head("六", "本年处理决定数量", spans=(3,))
        row("行政处罚", "penalty", (3,))
        row("行政强制", "coercion", (3,))
        head("八", "本年收费金额（单位：万元）", spans=(3,))
        row("行政事业性收费", "fees", (3,))
    else:
        head("一", "本年新制作数量", "本年新公开数量", "对外公开总数量")
        row("规章", "regulations")
        row("规范性文件", "normative_documents")
        head("五", "上一年项目数量", "本年增/减", "处理决定数量")
        row("行政许可", "licensing")
        row("其他对外管理服务事项", "other_external_services")
        head("六", "上一年项目数量", "本年增/减", "处理决定数量")
        row("行政处罚", "penalty")
        row("行政强制", "coercion")
        head("八", "上一年项目数量", "本年增/减", spans=(1, 2))
        row("行政事业性收费", "fees", (1, 2))
        head("九", "采购项目数量", "采购总金额", spans=(1, 2))
        row("政府集中采购", "centralized_procurement", (1, 2))
    return grid


_FULL_LABELS = {
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密", "denied_law_prohibited": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”", "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息", "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷", "denied_query_item": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息", "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确", "rejected_petition": "1.信访举报投诉类申请",
    "rejected_repeated": "2.重复申请", "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请", "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_overdue_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他", "other_processing": "（六）其他处理", "total_processed": "（七）总计",
}
_GROUPS = [
    ("（三）不予公开", [k for k in T.APPLICATION_RESULT_ROWS if k.startswith("denied")]),
    ("（四）无法提供", [k for k in T.APPLICATION_RESULT_ROWS if k.startswith("unable")]),
    ("（五）不予处理", [k for k in T.APPLICATION_RESULT_ROWS if k.startswith("rejected")]),
    ("（六）其他处理", ["other_overdue_correction", "other_overdue_fee", "other_misc"]),
]


def applications_grid(record: Record, style: Style) -> Grid:
    """Table 3 as a grid: three label columns, then the value columns."""
    apps = record["applications"]
    columns = list(dict.fromkeys(c for row in apps.values() for c in row)) or list(T.APPLICATION_COLUMNS)
    subtotal = T.SUBTOTAL_COLUMN in columns
    org_n = 6 if subtotal else 5
    grid: Grid = [
        [C("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3), C("申请人情况", colspan=len(columns))],
        [C("自然人", rowspan=2), C("法人或其他组织", colspan=org_n), C("总计", rowspan=2)],
        [C("商业企业"), C("科研机构"), C("社会公益组织"), C("法律服务机构"), C("其他")] + ([C("小计")] if subtotal else []),
    ]

    def values(key: str) -> list[C]:
        return [C(style.value(apps[key].get(c))) for c in columns]

    for key, label in (("new_received", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量")):
        if key in apps:
            grid.append([C(label, colspan=3)] + values(key))
    body: Grid = []
    for key in ("granted", "partially_granted"):
        if key in apps:
            body.append([C(_FULL_LABELS[key], colspan=2)] + values(key))
    for group, keys in _GROUPS:
        present = [k for k in keys if k in apps]
        if not present:
            if group.startswith("（六）") and "other_processing" in apps:
                body.append([C("（六）其他处理", colspan=2)] + values("other_processing"))
            continue
        for i, key in enumerate(present):
            lead = [C(group, rowspan=len(present))] if i == 0 else []
            body.append(lead + [C(_FULL_LABELS[key])] + values(key))
    if "total_processed" in apps:
        body.append([C("（七）总计", colspan=2)] + values("total_processed"))
    if body:
        body[0].insert(0, C("三、本年度办理结果", rowspan=len(body)))
    grid += body
    if "carried_forward" in apps:
        grid.append([C("四、结转下年度继续办理", colspan=3)] + values("carried_forward"))
    return grid


def review_grid(record: Record, style: Style) -> Grid:
    """Table 4 as a grid (15 value columns)."""
    r = record["review_litigation"]
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [C("行政复议", colspan=5), C("行政诉讼", colspan=10)],
        [C(h, rowspan=2) for h in heads] + [C("未经复议直接起诉", colspan=5), C("复议后起诉", colspan=5)],
        [C(h) for h in heads * 2],
        [C(style.value(r.get(g, {}).get(c))) for g in T.REVIEW_GROUPS for c in T.REVIEW_COLUMNS],
    ]


# --- document text ------------------------------------------------------------------------------

_PROSE = [
    "坚持以公开为常态、不公开为例外，主动公开涉及公众利益调整、需要公众广泛知晓的政府信息。",
    "严格执行政府信息公开申请办理规范，依据答复格式文本制作答复书、告知书。",
    "加强政府网站和政务新媒体管理，按月开展信息上传“三审三校”专项检查。",
    "将政务公开工作纳入年度综合考评内容进行考核，促进政府信息公开工作常态化。",
]
_HEADINGS = {
    "1": ["一、总体情况", "一、 总体情况", "总体情况", "1.总体情况"],
    "2": ["二、主动公开政府信息情况", "二、主动公开政府信息情况"],
    "3": ["三、收到和处理政府信息公开申请情况"],
    "4": ["四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"],
    "5": ["五、存在的主要问题及改进情况"],
    "6": ["六、其他需要报告的事项"],
}


def outline(record: Record, rng: random.Random) -> list[tuple[str, Any]]:
    """The document as parts: ("title", [lines]), ("p", text), ("h", heading), ("table", grid)."""
    style = Style(rng)
    agency, year = record["agency"], record["year"]
    printed_agency = record.get("short_name") or agency
    kind = rng.choice(["政府信息公开工作年度报告", "政府信息公开工作年报", "政府信息公开年度报告"])
    title_lines = rng.choice([
        [f"{printed_agency}{year}年{kind}"],
        [printed_agency, f"{year}年度{kind}"],
        [f"{printed_agency} {year} 年{kind}"],
    ])
    parts: list[tuple[str, Any]] = [("title", title_lines)]
    parts.append(("p", f"本报告根据《中华人民共和国政府信息公开条例》要求编制，数据统计期限为{year}年1月1日至12月31日。"))
    h = {k: rng.choice(v) for k, v in _HEADINGS.items()}
    parts.append(("h", h["1"]))
    parts.append(("p", f"{year}年，{agency}认真贯彻落实政务公开工作要求。" + rng.choice(_PROSE)))
    parts.append(("p", "（一）主动公开情况。" + rng.choice(_PROSE)))
    parts.append(("p", "（二）依申请公开情况。" + rng.choice(_PROSE)))
    parts.append(("h", h["2"]))
    parts.append(("table", active_grid(record, style)))
    parts.append(("h", h["3"]))
    parts.append(("table", applications_grid(record, style)))
    parts.append(("h", h["4"]))
    parts.append(("table", review_grid(record, style)))
    parts.append(("h", h["5"]))
    parts.append(("p", "主要问题是公开内容不够丰富。下一步将加强培训，规范公开内容。"))
    parts.append(("h", h["6"]))
    parts.append(("p", rng.choice(["本机关未收取信息处理费。", "无。", "本年度未收取政府信息公开信息处理费。"])))
    return parts


# --- renderers --------------------------------------------------------------------------------------


def _expand(grid: Grid) -> list[list[tuple[C, bool, bool]]]:
    """Place cells on a full grid: (cell, is_origin, is_row_origin) per position."""
    out: list[list[Any]] = []
    pending: dict[tuple[int, int], tuple[C, bool]] = {}
    for r, row in enumerate(grid):
        line: list[Any] = []
        col = 0
        cells = iter(row)
        while True:
            while (r, col) in pending:
                cell, row_origin = pending.pop((r, col))
                line.append((cell, False, row_origin))
                col += 1
            cell = next(cells, None)
            if cell is None:
                break
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr == 0 and dc == 0:
                        line.append((cell, True, True))
                    elif dr == 0:
                        line.append((cell, False, True))
                    else:
                        pending[(r + dr, col + dc)] = (cell, False)
            col += cell.colspan
        out.append(line)
    return out


def render_text(record: Record, rng: random.Random, layout: str | None = None) -> bytes:
    """Plain text: ``cells`` (one per line, rows between blank lines, as seeds 000/002/004),
    ``stream`` (one cell per line, no row breaks, as text copied out of a PDF) or
    ``tabs`` (tab-separated rows, as seeds 001/003), with drifting labels."""
    layout = layout or rng.choice(["cells", "cells", "stream", "tabs", "tabs"])
    out: list[str] = []
    drift = rng.random() < 0.5
    for kind, part in outline(record, rng):
        if kind == "title":
            out.extend(part)
        elif kind in ("p", "h"):
            out.append(part)
            if rng.random() < 0.5:
                out.append("")
        else:
            out.append("")
            for line in _expand(part):
                if layout == "cells":
                    cells = [c.text if origin else "" for c, origin, row_origin in line if origin or not row_origin]
                    labels = [x for x in cells if x and not _is_num(x)]
                    if drift and labels and len(cells) > len(labels) + 1 and rng.random() < 0.15:
                        # the label drifts out of its row, above its values (seed 002)
                        first_value = max(i for i, x in enumerate(cells) if x in labels) + 1
                        out.extend(["\t" + x for x in cells[:first_value - 1]] + [cells[first_value - 1], ""])
                        out.extend("\t" + x for x in cells[first_value:])
                    else:
                        out.extend("\t" + x for x in cells)
                    out.append("")
                elif layout == "stream":
                    out.extend(c.text for c, origin, _ in line if origin)
                else:
                    cells = [c.text if origin else "" for c, origin, _ in line]
                    if drift and rng.random() < 0.1 and cells and not cells[0] and len(cells) > 2 and cells[1] and not _is_num(cells[1]):
                        cells = cells[1:] + [""]  # the label drifts one column left (seed 001)
                    out.append("\t".join(cells) + rng.choice(["", "\t"]))
            out.append("")
    encoding = rng.choice(["utf-8", "utf-8", "gb18030"])
    return "\n".join(out).encode(encoding)


def _is_num(text: str) -> bool:
    from parsers.values import read_cell

    return read_cell(text).kind != "text"


def render_html(record: Record, rng: random.Random, encoding: str | None = None) -> bytes:
    """A portal page: navigation, a Word-pasted body with span-wrapped cells, footer."""
    encoding = encoding or rng.choice(["utf-8", "utf-8", "gbk"])
    declare = rng.random() < 0.7
    word = rng.random() < 0.6
    body: list[str] = []
    title = ""
    for kind, part in outline(record, rng):
        if kind == "title":
            title = "".join(part).replace(" ", "")
            body.append("".join(f'<p class="title" align="center"><b>{html.escape(x)}</b></p>' for x in part))
        elif kind == "h":
            body.append(f"<p><strong>{html.escape(part)}</strong></p>" if word else f"<h3>{html.escape(part)}</h3>")
        elif kind == "p":
            body.append(f'<p style="text-indent:2em"><span style="font-family:仿宋">{html.escape(part)}</span></p>')
        else:
            body.append(_html_table(part, rng, word))
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={"gb2312" if encoding == "gbk" else encoding}">' if declare else ""
    page = f"""<!DOCTYPE html><html><head>{meta}<title>{html.escape(title)}_{html.escape(record['agency'])}</title>
<meta name="ArticleTitle" content="{html.escape(title)}"></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zfxxgk/nb/">2020年政府信息公开工作年度报告</a></li></ul></div>
<div class="main"><div class="position">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<div class="article"><h1>{html.escape(title)}</h1><div class="info">发布时间：{record['year'] + 1}-03-20 来源：{html.escape(record['agency'])}</div>
<div class="TRS_Editor">{''.join(body)}</div></div></div>
<div class="footer">主办单位：{html.escape(record['agency'])} 网站标识码：1305320001 冀ICP备12345678号</div>
</body></html>"""
    return page.encode(encoding, errors="xmlcharrefreplace")


def _html_cell_text(text: str, rng: random.Random, word: bool) -> str:
    if not text:
        return rng.choice(["", "&nbsp;", " "])
    esc = html.escape(text)
    if len(text) > 10 and rng.random() < 0.3:
        cut = rng.randint(3, len(text) - 3)
        esc = html.escape(text[:cut]) + "<br>" + html.escape(text[cut:])
    if word:
        return f'<p align="center"><span style="font-size:10.5pt;font-family:宋体">{esc}</span></p>'
    return esc


def _html_table(grid: Grid, rng: random.Random, word: bool) -> str:
    if rng.random() < 0.2:  # an editor that writes merged cells out as empty ones
        grid = [[C(c.text if origin else "") for c, origin, _ in line] for line in _expand(grid)]
    rows = []
    for row in grid:
        cells = []
        for c in row:
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            cells.append(f'<td{span} valign="center">{_html_cell_text(c.text, rng, word)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="0" class="MsoNormalTable"><tbody>' + "".join(rows) + "</tbody></table>"


def render_docx(record: Record, rng: random.Random) -> bytes:
    """A Word document with the tables' merged cells as Word merges."""
    import docx

    document = docx.Document()
    for kind, part in outline(record, rng):
        if kind == "title":
            for line in part:
                document.add_paragraph(line)
        elif kind in ("h", "p"):
            document.add_paragraph(part)
        else:
            placed = _expand(part)
            ncols = max(len(r) for r in placed)
            table = document.add_table(rows=len(placed), cols=ncols)
            table.style = "Table Grid"
            # all cell objects taken once: table.cell() rescans the table (quadratic); merges are disjoint
            grid = table._cells
            for r, line in enumerate(placed):
                for col, (cell, origin, _) in enumerate(line):
                    if origin:
                        target = grid[r * ncols + col]
                        if cell.rowspan > 1 or cell.colspan > 1:
                            target = target.merge(grid[(r + cell.rowspan - 1) * ncols + col + cell.colspan - 1])
                        target.text = cell.text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def render_pdf(record: Record, rng: random.Random, ruled: bool | None = None) -> bytes:
    """A PDF drawn with PyMuPDF's CJK font: ruled or unruled tables, page breaks, running header and page numbers."""
    import pymupdf

    ruled = rng.random() < 0.7 if ruled is None else ruled
    doc = pymupdf.open()
    width, height, margin = 595, 842, 56
    fs = 9.0
    state = {"page": None, "y": 0.0}
    running = f"{record['agency']}政府信息公开工作年度报告" if rng.random() < 0.5 else None

    def new_page() -> None:
        # one Shape per page, committed once: drawing cell by cell on the page is ten times slower
        if state["page"] is not None:
            state["page"].commit()
        page = doc.new_page(width=width, height=height).new_shape()
        if running:
            page.insert_text((margin, 30), running, fontname="china-s", fontsize=8)
        page.insert_text((width / 2 - 10, height - 25), f"- {doc.page_count} -", fontname="china-s", fontsize=9)
        state["page"], state["y"] = page, margin + 10

    def ensure(h: float) -> None:
        if state["page"] is None or state["y"] + h > height - margin:
            new_page()

    def line(text: str, size: float = 10.5) -> None:
        per = int((width - 2 * margin) / size)
        for i in range(0, max(len(text), 1), per):
            ensure(size * 1.6)
            state["page"].insert_text((margin, state["y"] + size), text[i:i + per], fontname="china-s", fontsize=size)
            state["y"] += size * 1.6

    for kind, part in outline(record, rng):
        if kind == "title":
            for t in part:
                line(t, 14)
        elif kind in ("h", "p"):
            line(part)
        else:
            _pdf_table(part, doc, state, ensure, ruled, fs, margin, width)
            state["y"] += 8
    if state["page"] is not None:
        state["page"].commit()
    return doc.tobytes()


def _pdf_table(grid: Grid, doc: Any, state: dict, ensure: Any, ruled: bool, fs: float, margin: float, width: float) -> None:
    import pymupdf


    def length(text: str, size: float) -> float:
        return pymupdf.get_text_length(text, fontname="china-s", fontsize=size)

    placed = _expand(grid)
    ncols = max(len(r) for r in placed)
    label_cols = 3 if ncols >= 10 and ncols <= 11 else (1 if ncols == 4 else 0)
    total_w = width - 2 * margin
    if label_cols:
        label_w = [total_w * 0.16, total_w * 0.16, total_w * 0.24][:label_cols] if label_cols == 3 else [total_w * 0.4]
        rest = (total_w - sum(label_w)) / (ncols - label_cols)
        widths = label_w + [rest] * (ncols - label_cols)
    else:
        widths = [total_w / ncols] * ncols
    xs = [margin + sum(widths[:i]) for i in range(ncols + 1)]

    def wrap(text: str, w: float) -> list[str]:
        lines, current = [], ""
        for ch in text:
            if current and length(current + ch, fs) > w - 4:
                lines.append(current)
                current = ""
            current += ch
        return lines + [current]

    heights = []
    for line in placed:
        h = fs * 2.2
        for col, (cell, origin, _) in enumerate(line):
            if origin and cell.rowspan == 1:
                w = xs[min(col + cell.colspan, ncols)] - xs[col]
                h = max(h, len(wrap(cell.text, w)) * fs * 1.3 + fs)
        heights.append(h)
    for r, line in enumerate(placed):
        ensure(heights[r])
        page, y = state["page"], state["y"]
        for col, (cell, origin, row_origin) in enumerate(line):
            if not origin:
                continue
            w = xs[min(col + cell.colspan, ncols)] - xs[col]
            # a merged cell broken by a page keeps its text on the first page
            h = sum(heights[r:r + cell.rowspan]) if y + sum(heights[r:r + cell.rowspan]) <= 842 - margin else heights[r]
            rect = pymupdf.Rect(xs[col], y, xs[col] + w, y + h)
            if ruled:
                page.draw_rect(rect)
                page.finish(color=(0, 0, 0), width=0.5)
            size = fs
            if _is_num(cell.text):  # numbers shrink rather than wrap, as Word does
                while size > 4 and length(cell.text, size) > w - 8:
                    size -= 0.5
                lines = [cell.text]
            else:
                lines = wrap(cell.text, w)
            top = y + (h - len(lines) * fs * 1.3) / 2
            for i, t in enumerate(lines):
                tw = length(t, size)
                page.insert_text((xs[col] + (w - tw) / 2, top + (i + 1) * fs * 1.3 - 2), t, fontname="china-s", fontsize=size)
        state["y"] += heights[r]


RENDERERS = {
    "text": render_text,
    "html": render_html,
    "docx": render_docx,
    "pdf": render_pdf,
}


def expected(record: Record) -> Record:
    """The record a parser must produce from a rendered document (render-only fields dropped)."""
    out = {k: v for k, v in record.items() if k != "short_name"}
    return out
