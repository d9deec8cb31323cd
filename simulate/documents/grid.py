"""The template's three tables as grids of cells with spans, and the report's outline, for every renderer."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from . import keys as K
from .records import Record


@dataclass
class C:
    """A grid cell: text and spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[C]]


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
        grid.append([C("信息内容")] + [C(h, colspan=s) for h, s in zip(headers, spans, strict=False)])

    def row(label: str, key: str, spans: tuple[int, ...] | None = None) -> None:
        if key not in a:
            return
        vals = list(a[key].values())
        spans = spans or tuple(1 for _ in vals)
        cells = [C(_signed(x, style) if col == "change" else v(x)) for col, x in a[key].items()]
        grid.append([C(label)] + [C(c.text, colspan=s) for c, s in zip(cells, spans, strict=False)])

    if tpl == K.TEMPLATE_2021:
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
    "denied_state_secret": "1.属于国家秘密",
    "denied_law_prohibited": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”",
    "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息",
    "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷",
    "denied_query_item": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息",
    "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确",
    "rejected_petition": "1.信访举报投诉类申请",
    "rejected_repeated": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请",
    "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_overdue_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
    "other_processing": "（六）其他处理",
    "total_processed": "（七）总计",
}


_GROUPS = [
    ("（三）不予公开", [k for k in K.APPLICATION_RESULT_ROWS if k.startswith("denied")]),
    ("（四）无法提供", [k for k in K.APPLICATION_RESULT_ROWS if k.startswith("unable")]),
    ("（五）不予处理", [k for k in K.APPLICATION_RESULT_ROWS if k.startswith("rejected")]),
    ("（六）其他处理", ["other_overdue_correction", "other_overdue_fee", "other_misc"]),
]


def applications_grid(record: Record, style: Style) -> Grid:
    """Table 3 as a grid: three label columns, then the value columns."""
    apps = record["applications"]
    columns = list(dict.fromkeys(c for row in apps.values() for c in row)) or list(K.APPLICATION_COLUMNS)
    subtotal = K.SUBTOTAL_COLUMN in columns
    org_n = 6 if subtotal else 5
    grid: Grid = [
        [
            C("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
            C("申请人情况", colspan=len(columns)),
        ],
        [C("自然人", rowspan=2), C("法人或其他组织", colspan=org_n), C("总计", rowspan=2)],
        [C("商业企业"), C("科研机构"), C("社会公益组织"), C("法律服务机构"), C("其他")]
        + ([C("小计")] if subtotal else []),
    ]

    def values(key: str) -> list[C]:
        return [C(style.value(apps[key].get(c))) for c in columns]

    for key, label in (
        ("new_received", "一、本年新收政府信息公开申请数量"),
        ("carried_over", "二、上年结转政府信息公开申请数量"),
    ):
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
        [C(style.value(r.get(g, {}).get(c))) for g in K.REVIEW_GROUPS for c in K.REVIEW_COLUMNS],
    ]


_PROSE = [
    "坚持以公开为常态、不公开为例外，主动公开涉及公众利益调整、需要公众广泛知晓的政府信息。",
    "严格执行政府信息公开申请办理规范，依据答复格式文本制作答复书、告知书。",
    "加强政府网站和政务新媒体管理，按月开展信息上传“三审三校”专项检查。",
    "将政务公开工作纳入年度综合考评内容进行考核，促进政府信息公开工作常态化。",
]


def _requests_prose(record: Record, rng: random.Random) -> str:
    """How section 1 states the year's requests, in the wordings of real reports (shared/seeds 000, 003, 004;
    shared/real: 全年共受理政府信息公开申请3119件，答复3050件…另有103件顺延到下年度)."""
    apps = record.get("applications", {})
    new, done, forward = (apps.get(k, {}).get("total") for k in ("new_received", "total_processed", "carried_forward"))
    if new is None or done is None:
        return ""
    text = rng.choice(
        ["全年共受理政府信息公开申请{}件，", "共收到依申请公开件数{}件，", "本年度新收政府信息公开申请{}件，"]
    )
    text = text.format(new) + rng.choice(["答复{}件", "申请办结数{}件", "办结{}件"]).format(done)
    return text + (f"，另有{forward}件顺延到下年度。" if forward else "。")


def _fees_prose(record: Record, rng: random.Random) -> str:
    """Section 6 on fees, as real reports word it: a fee notice that went unpaid (the table's 逾期未缴费 row)
    means fees were charged that year (shared/real: 全年收取政府信息公开信息处理费3940元)."""
    unpaid = record.get("applications", {}).get("other_overdue_fee", {}).get("total")
    if unpaid:
        return f"{record['year']}年，严格落实《政府信息公开信息处理费管理办法》，全年收取信息处理费{rng.randint(1, 80) * 50}元。"
    return rng.choice(["本机关未收取信息处理费。", "无。", "本年度未收取政府信息公开信息处理费。"])


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
    title_lines = rng.choice(
        [
            [f"{printed_agency}{year}年{kind}"],
            [printed_agency, f"{year}年度{kind}"],
            [f"{printed_agency} {year} 年{kind}"],
        ]
    )
    parts: list[tuple[str, Any]] = [("title", title_lines)]
    parts.append(
        ("p", f"本报告根据《中华人民共和国政府信息公开条例》要求编制，数据统计期限为{year}年1月1日至12月31日。")
    )
    h = {k: rng.choice(v) for k, v in _HEADINGS.items()}
    parts.append(("h", h["1"]))
    parts.append(("p", f"{year}年，{agency}认真贯彻落实政务公开工作要求。" + rng.choice(_PROSE)))
    parts.append(("p", "（一）主动公开情况。" + rng.choice(_PROSE)))
    parts.append(("p", "（二）依申请公开情况。" + _requests_prose(record, rng) + rng.choice(_PROSE)))
    parts.append(("h", h["2"]))
    parts.append(("table", active_grid(record, style)))
    parts.append(("h", h["3"]))
    parts.append(("table", applications_grid(record, style)))
    parts.append(("h", h["4"]))
    parts.append(("table", review_grid(record, style)))
    parts.append(("h", h["5"]))
    parts.append(("p", "主要问题是公开内容不够丰富。下一步将加强培训，规范公开内容。"))
    parts.append(("h", h["6"]))
    parts.append(("p", _fees_prose(record, rng)))
    return parts


def expand(grid: Grid) -> list[list[tuple[C, bool, bool]]]:
    """Place cells on a full grid: (cell, is_origin, is_row_origin) per position."""
    out: list[list[Any]] = []
    pending: dict[tuple[int, int], tuple[C, bool]] = {}
    cell: C | None
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


#: What :class:`Style` prints for a value: a number (full-width digits, a sign, thousands commas, a
#: decimal part, the unit 件) or a blank mark.
_PRINTED_VALUE = re.compile(r"[+-]?\d[\d,]*(\.\d+)?件?|/|-|—|无|")


def is_num(text: str) -> bool:
    """True for a cell the generator printed as a value (a number or a blank), not a label."""
    plain = text.strip().translate({i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)})
    return _PRINTED_VALUE.fullmatch(plain) is not None
