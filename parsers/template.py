"""The national report template (格式) as data: row keys, labels, columns.

Everything the parser knows about the two templates (国办公开办函〔2019〕60号 and
〔2021〕30号) lives here, apart from the logic that uses it, so that a new
label variant is a one-line change.  Patterns are matched against *normalised*
label text (see :func:`parsers.values.normalise_label`): no white space,
full-width brackets and digits folded to ASCII, numbering kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEMPLATE_2019 = "2019"
TEMPLATE_2021 = "2021"

# --- Table 3: applications (收到和处理政府信息公开申请情况) -------------------

#: Columns in print order; ``legal_person_subtotal`` (法人或其他组织小计) is only
#: present when the header has a 小计 column.
APPLICATION_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
ORG_COLUMNS = APPLICATION_COLUMNS[1:6]
COLUMN_LABELS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "legal_person_subtotal": "法人或其他组织小计",
    "total": "总计",
}
SUBTOTAL_COLUMN = "legal_person_subtotal"
SUBTOTAL_HEADER = re.compile(r"小计")


@dataclass(frozen=True)
class RowLabel:
    """One labelled row of a table.

    Attributes:
        key: canonical key in the record.
        label: the template's wording, for display.
        pattern: regex searched in the row's normalised label text.
        templates: templates that have this row.
        exact: when true the pattern must match the whole label text (after
            numbering is stripped), for short generic labels such as 其他.
    """

    key: str
    label: str
    pattern: re.Pattern[str]
    templates: tuple[str, ...] = (TEMPLATE_2019, TEMPLATE_2021)
    exact: bool = False


def _row(key: str, label: str, pattern: str, *templates: str, exact: bool = False) -> RowLabel:
    return RowLabel(key, label, re.compile(pattern), templates or (TEMPLATE_2019, TEMPLATE_2021), exact)


#: Rows of table 3 in print order.  Order matters: a row is only accepted
#: after the rows before it, so a stray label elsewhere cannot match.
APPLICATION_ROWS: tuple[RowLabel, ...] = (
    _row("new_received", "一、本年新收政府信息公开申请数量", r"本年(度)?新收"),
    _row("carried_over", "二、上年结转政府信息公开申请数量", r"上年(度)?结转"),
    _row("granted", "（一）予以公开", r"(?<![可难不])以公开"),  # OCR reads 予 as 子, 寻
    _row("partially_granted", "（二）部分公开", r"部分公开"),
    _row("denied_state_secret", "（三）1.属于国家秘密", r"国家秘密"),
    _row("denied_law_prohibited", "（三）2.其他法律行政法规禁止公开", r"法律(行政)?法规禁止|其他法律行政"),
    _row("denied_security_stability", "（三）3.危及“三安全一稳定”", r"三安全一稳定|危及"),
    _row("denied_third_party", "（三）4.保护第三方合法权益", r"第三方"),
    _row("denied_internal_affairs", "（三）5.属于三类内部事务信息", r"内部事务"),
    _row("denied_process_info", "（三）6.属于四类过程性信息", r"过程性"),
    _row("denied_enforcement_file", "（三）7.属于行政执法案卷", r"执法案卷"),
    _row("denied_query_item", "（三）8.属于行政查询事项", r"查询事项"),
    _row("unable_not_held", "（四）1.本机关不掌握相关政府信息", r"不掌握"),
    _row("unable_needs_creation", "（四）2.没有现成信息需要另行制作", r"另行制作|没有现成"),
    _row("unable_unclear", "（四）3.补正后申请内容仍不明确", r"不明确"),
    _row("rejected_petition", "（五）1.信访举报投诉类申请", r"信访|举报投诉"),
    _row("rejected_repeated", "（五）2.重复申请", r"重复[申电]请"),  # OCR reads 申 as 电
    _row("rejected_publication", "（五）3.要求提供公开出版物", r"出版物"),
    _row("rejected_excessive", "（五）4.无正当理由大量反复申请", r"大量反复"),
    _row(
        "rejected_confirmation",
        "（五）5.要求行政机关确认或重新出具已获取信息",
        r"确认或重新出具|重新出具|要求行政机关确认",
    ),
    _row("other_overdue_correction", "（六）1.申请人逾期不补正", r"逾期不补|不补[正证]", TEMPLATE_2021),
    _row("other_overdue_fee", "（六）2.申请人逾期未缴纳费用", r"缴纳费用|收费通知|未按.{0,4}缴", TEMPLATE_2021),
    _row("other_misc", "（六）3.其他", r"(（六）(其他处理)?)?(3[.、]?)?其他", TEMPLATE_2021, exact=True),
    _row("other_processing", "（六）其他处理", r"(（六）)?其他处理", TEMPLATE_2019, exact=True),
    _row("total_processed", "（七）总计", r"(（七）)?总计", exact=True),
    _row("carried_forward", "四、结转下年度继续办理", r"结转下年度|下年度继续办理|结转下一年"),
)


def application_keys(template: str | None) -> list[str]:
    """Table 3's row keys in print order for a template (``None``: the rows of both)."""
    return [r.key for r in APPLICATION_ROWS if template is None or template in r.templates]


#: Result rows summed by the table's own total (（七）总计).
APPLICATION_RESULT_ROWS = tuple(
    r.key
    for r in APPLICATION_ROWS
    if r.key not in ("new_received", "carried_over", "total_processed", "carried_forward")
)

# --- Table 4: review and litigation (行政复议、行政诉讼) -------------------------

REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_LABELS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
#: Header words that mark the start of table 4 (any two of them in a few rows).
REVIEW_HEADER = re.compile(r"行政复议|行政诉讼|结果维持|未经复议|复议后起诉|尚未审结")

# --- Table 2: active disclosure (主动公开政府信息情况) --------------------------


@dataclass(frozen=True)
class Item:
    """One item (row) of table 2 with its value columns in print order."""

    key: str
    label: str
    pattern: re.Pattern[str]
    columns: tuple[str, ...]


def _item(key: str, label: str, pattern: str, *columns: str) -> Item:
    return Item(key, label, re.compile(pattern), columns)


_2019_COUNTS = ("previous_year", "change", "decisions")

ACTIVE_ITEMS: dict[str, tuple[Item, ...]] = {
    TEMPLATE_2021: (
        _item("regulations", "规章", r"规章", "issued", "repealed", "in_force"),
        _item("normative_documents", "规范性文件", r"(行政)?规范性文件", "issued", "repealed", "in_force"),
        _item("licensing", "行政许可", r"行政许可", "decisions"),
        _item("penalty", "行政处罚", r"行政处罚", "decisions"),
        _item("coercion", "行政强制", r"行政强制", "decisions"),
        _item("fees", "行政事业性收费", r"(行政)?事业性收费", "amount_10k_yuan"),
    ),
    TEMPLATE_2019: (
        _item("regulations", "规章", r"规章", "new_made", "new_published", "total_published"),
        _item(
            "normative_documents", "规范性文件", r"(行政)?规范性文件", "new_made", "new_published", "total_published"
        ),
        _item("licensing", "行政许可", r"行政许可", *_2019_COUNTS),
        _item("other_external_services", "其他对外管理服务事项", r"其他对外管理服务事项", *_2019_COUNTS),
        _item("penalty", "行政处罚", r"行政处罚", *_2019_COUNTS),
        _item("coercion", "行政强制", r"行政强制", *_2019_COUNTS),
        _item("fees", "行政事业性收费", r"(行政)?事业性收费", "previous_year", "change"),
        _item("centralized_procurement", "政府集中采购", r"政府集中采购", "projects", "amount"),
    ),
}

ACTIVE_COLUMN_LABELS = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "处理决定数量",
    "amount_10k_yuan": "本年收费金额（万元）",
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "previous_year": "上一年项目数量",
    "change": "本年增/减",
    "projects": "采购项目数量",
    "amount": "采购总金额",
}

#: Columns whose values are kept as floats (money).
FLOAT_COLUMNS = frozenset({("fees", "amount_10k_yuan")})

# --- What a cell may hold (the template's types) ----------------------------------
#: Every other cell of the three tables is a count: a whole number, not negative. Money is an amount
#: (decimals allowed, not negative); 本年增/减 is a count with a sign. A reading that its column cannot
#: hold (3.36 requests, -6 requests: a speck read as a point or a minus) is never written.
AMOUNT_COLUMNS = frozenset({("fees", "amount_10k_yuan"), ("centralized_procurement", "amount")})
SIGNED_COLUMNS = frozenset({"change"})

#: Prefixes printed before an item label in some layouts (第二十条第（一）项 规章), and the column headings
#: above it when a page's text runs the header into the first label (第二十条第（五）项信息内容本年处理决定数量行政许可).
ITEM_PREFIX = re.compile(
    r"^(第二十条)?(第（[一二三四五六七八九十]+）项)?(信息内容)?"
    r"(本年制发件数|本年废止件数|现行有效件数|本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增/减"
    r"|(本年)?处理决定数量|本年收费金额(（(单位:?)?万元）)?|采购项目数量|采购总金额)*"
)

# --- Telling the templates apart ---------------------------------------------

#: Words only one template prints (table-2 headings, table-3 rows).
TEMPLATE_MARKERS: dict[str, re.Pattern[str]] = {
    TEMPLATE_2021: re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年收费金额|逾期不补正|逾期未按收费通知"),
    TEMPLATE_2019: re.compile(
        r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|政府集中采购|其他对外管理服务事项"
    ),
}

# --- Sections -----------------------------------------------------------------

#: Section number → pattern searched in a short heading line.
SECTION_HEADINGS: dict[str, re.Pattern[str]] = {
    "1": re.compile(r"总体情况|总体概况|基本情况|概述"),
    "2": re.compile(r"主动公开(政府)?信息(情况)?$|主动公开政府信息情况|主动公开情况"),
    "3": re.compile(r"收到和处理政府信息公开申请|依申请公开(政府信息)?情况|政府信息公开申请(情况|办理情况)"),
    "4": re.compile(r"(行政复议|行政诉讼).*情况|被申请行政复议|提起行政诉讼"),
    "5": re.compile(r"存在的?主要问题|问题及改进|存在的问题|改进情况"),
    "6": re.compile(r"其他需要报告的事项|其他需要报告|其它需要报告"),
}

#: The sections holding the template's tables 二、三、四 (their text keeps only the prose).
TABLE_SECTIONS = ("2", "3", "4")
#: How each section is numbered in a heading (一、总体情况).
SECTION_NUMERALS = dict(zip(SECTION_HEADINGS, "一二三四五六", strict=True))

#: Numbering allowed before a section heading: 一、 / 1. / 第一部分 / nothing.
#: （一） is not allowed: it numbers sub-headings inside a section.
SECTION_NUMBER = re.compile(r"^(第?[一二三四五六七八九十]+(部分)?[、.．:：\s]?|[1-6][、.．:：\s])?")
#: A heading is a short line: longer lines are prose that mentions the words,
#: unless a numbered heading ends with punctuation and its paragraph runs on.
SECTION_HEADING_MAX = 40
SECTION_HEADING_END = re.compile(r"[。.:：]")

# --- Metadata -------------------------------------------------------------------

#: Title tail: the report kind after the year.
REPORT_KIND = re.compile(
    r"(政府信息公开|政务公开|信息公开)(工作)?(年度报告|年报|工作报告|年度工作报告)|政府信息公开年度报告"
)
#: Suffixes that make a place name an agency name (平乡县 → 平乡县人民政府).
AGENCY_SUFFIXES = (
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
    "政府办公室",
    "街道办事处",
    "办事处",
    "政府",
)
#: Kinds of agency (机关类别), told by the end of its name, most specific first: a government office
#: (政府办公室), a township or street (乡镇、街道) government, a county-level government (县级人民政府);
#: any other name is a department (部门).
GOVERNMENT_OFFICE_SUFFIXES = ("人民政府办公室", "政府办公室", "人民政府办公厅")
GOVERNMENT_SUFFIXES = ("人民政府", "政府")
TOWNSHIP_PLACES = ("镇", "乡", "街道")
TOWNSHIP_SUFFIXES = ("街道办事处", "办事处")
AGENCY_KINDS = ("county_government", "government_office", "department", "township")
#: Place names that need a suffix to be an agency.
BARE_PLACE = re.compile(r"(省|市|县|区|旗|镇|乡|街道|自治州|盟)$")
#: Fees for applications in section 6 (信息处理费), read from its text with the whitespace removed (a PDF
#: breaks "3940\n元" over lines): an amount charged, a mention, and the ways of saying none was charged.
FEE_AMOUNT = re.compile(r"(?:信息处理费|收取[^。；;]{0,12}?费)[^。；;\d]{0,8}?(?P<amount>\d+(?:\.\d+)?)万?元")
FEE_MENTION = re.compile(r"信息处理费|收取.{0,6}费")
NO_FEE = re.compile(r"(未|没有|不|无)(收取|收费|产生)|零元|信息处理费[^。；;\d]{0,4}(为|共)?零|^无[。.]?$")
#: Figures the prose states (全年共受理政府信息公开申请3119件，答复3050件…另有103件顺延到下年度), read from the
#: text with whitespace removed: prose check → (pattern with group ``n``, the table cells it should equal).
#: Cells are (table, row, column); several tuples are alternatives (the received count may include the
#: requests carried over: 共受理申请36件（含上年结转3件）), summed when a tuple names several rows.
_N = r"(?P<n>\d+)"
PROSE_FIGURES: dict[str, tuple[re.Pattern[str], tuple[tuple[tuple[str, str, str], ...], ...]]] = {
    "new_received": (
        re.compile(r"(?:收到|受理|新收|接收|接到)[^。；;，,（(]{0,16}?申请(?:公开)?(?:件数|共计|共|数量)?" + _N + "件"),
        (
            (("applications", "new_received", "total"),),
            (("applications", "new_received", "total"), ("applications", "carried_over", "total")),
        ),
    ),
    "total_processed": (
        re.compile(r"(?:答复|办结|办复)(?:申请|数量|件数|数)?(?:共计|共)?" + _N + "件"),
        ((("applications", "total_processed", "total"),),),
    ),
    "carried_forward": (
        re.compile(_N + r"件[^。；;，,\d]{0,6}?(?:顺延|结转|转入)[至到]?下一?年度?"),
        ((("applications", "carried_forward", "total"),),),
    ),
    "reviews": (
        re.compile(r"(?<!未发生)(?<!无)行政复议(?:案件)?(?:共计|共)?" + _N + "[件起宗]"),
        ((("review_litigation", "review", "total"),),),
    ),
    "lawsuits": (
        re.compile(r"(?<!未发生)(?<!无)行政诉讼(?:案件)?(?:共计|共)?" + _N + "[件起宗]"),
        (
            (
                ("review_litigation", "litigation_direct", "total"),
                ("review_litigation", "litigation_after_review", "total"),
            ),
        ),
    ),
}

# --- Layout: how the three tables are printed (the report page, `ogi parse`, the generator) --------------


@dataclass(frozen=True)
class TableLayout:
    """One statistical table as the template prints it.

    Attributes:
        key: the record's key for the table.
        title: its caption (表二 …).
        rows: (row key, label) in print order; for table 2 the items of the template.
        columns: (column key, label) in print order.
    """

    key: str
    title: str
    rows: tuple[tuple[str, str], ...]
    columns: tuple[tuple[str, str], ...]

    def row_label(self, key: str) -> str:
        """The printed label of a row key (the key itself when the template has no such row)."""
        return dict(self.rows).get(key, key)

    def column_label(self, key: str) -> str:
        """The printed label of a column key (the key itself when unknown)."""
        return dict(self.columns).get(key, key)


def layouts(template: str | None = None) -> tuple[TableLayout, TableLayout, TableLayout]:
    """Tables 2, 3 and 4 of a template; without one, every row and column either template has.

    Args:
        template: ``"2019"``, ``"2021"`` or None.
    """
    templates = [template] if template else [TEMPLATE_2021, TEMPLATE_2019]
    items: dict[str, Item] = {}
    for t in templates:  # a row both templates have keeps the first one's label
        items.update({i.key: i for i in ACTIVE_ITEMS[t] if i.key not in items})
    item_columns = dict.fromkeys(c for t in templates for i in ACTIVE_ITEMS[t] for c in i.columns)
    app_columns = (*APPLICATION_COLUMNS[:6], SUBTOTAL_COLUMN, "total")
    return (
        TableLayout(
            "active_disclosure",
            "表二 主动公开政府信息情况",
            tuple((k, i.label) for k, i in items.items()),
            tuple((c, ACTIVE_COLUMN_LABELS[c]) for c in item_columns),
        ),
        TableLayout(
            "applications",
            "表三 收到和处理政府信息公开申请情况",
            tuple((r.key, r.label) for r in APPLICATION_ROWS if set(templates) & set(r.templates)),
            tuple((c, COLUMN_LABELS[c]) for c in app_columns),
        ),
        TableLayout(
            "review_litigation",
            "表四 政府信息公开行政复议、行政诉讼情况",
            tuple((g, REVIEW_LABELS[g]) for g in REVIEW_GROUPS),
            tuple((c, REVIEW_LABELS[c]) for c in REVIEW_COLUMNS),
        ),
    )
