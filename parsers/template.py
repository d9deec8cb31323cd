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
SUBTOTAL_COLUMN = "legal_person_subtotal"
SUBTOTAL_HEADER = re.compile(r"小计")


@dataclass(frozen=True)
class RowLabel:
    """One labelled row of a table.

    Attributes:
        key: canonical key in the record.
        pattern: regex searched in the row's normalised label text.
        templates: templates that have this row.
        exact: when true the pattern must match the whole label text (after
            numbering is stripped), for short generic labels such as 其他.
    """

    key: str
    pattern: re.Pattern[str]
    templates: tuple[str, ...] = (TEMPLATE_2019, TEMPLATE_2021)
    exact: bool = False


def _row(key: str, pattern: str, *templates: str, exact: bool = False) -> RowLabel:
    return RowLabel(key, re.compile(pattern), templates or (TEMPLATE_2019, TEMPLATE_2021), exact)


#: Rows of table 3 in print order.  Order matters: a row is only accepted
#: after the rows before it, so a stray label elsewhere cannot match.
APPLICATION_ROWS: tuple[RowLabel, ...] = (
    _row("new_received", r"本年(度)?新收"),
    _row("carried_over", r"上年(度)?结转"),
    _row("granted", r"予以公开"),
    _row("partially_granted", r"部分公开"),
    _row("denied_state_secret", r"国家秘密"),
    _row("denied_law_prohibited", r"法律(行政)?法规禁止"),
    _row("denied_security_stability", r"三安全一稳定|危及"),
    _row("denied_third_party", r"第三方"),
    _row("denied_internal_affairs", r"内部事务"),
    _row("denied_process_info", r"过程性"),
    _row("denied_enforcement_file", r"执法案卷"),
    _row("denied_query_item", r"查询事项"),
    _row("unable_not_held", r"不掌握"),
    _row("unable_needs_creation", r"另行制作|没有现成"),
    _row("unable_unclear", r"不明确"),
    _row("rejected_petition", r"信访|举报投诉"),
    _row("rejected_repeated", r"重复申请"),
    _row("rejected_publication", r"出版物"),
    _row("rejected_excessive", r"大量反复"),
    _row("rejected_confirmation", r"确认或重新出具|重新出具"),
    _row("other_overdue_correction", r"逾期不补|不补[正证]", TEMPLATE_2021),
    _row("other_overdue_fee", r"缴纳费用|收费通知|未按.{0,4}缴", TEMPLATE_2021),
    _row("other_misc", r"(（六）(其他处理)?)?(3[.、]?)?其他", TEMPLATE_2021, exact=True),
    _row("other_processing", r"(（六）)?其他处理", TEMPLATE_2019, exact=True),
    _row("total_processed", r"(（七）)?总计", exact=True),
    _row("carried_forward", r"结转下年度|下年度继续办理|结转下一年"),
)

#: Result rows summed by the table's own total (（七）总计).
APPLICATION_RESULT_ROWS = tuple(
    r.key for r in APPLICATION_ROWS if r.key not in ("new_received", "carried_over", "total_processed", "carried_forward")
)

# --- Table 4: review and litigation (行政复议、行政诉讼) -------------------------

REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
#: Header words that mark the start of table 4 (any two of them in a few rows).
REVIEW_HEADER = re.compile(r"行政复议|行政诉讼|结果维持|未经复议|复议后起诉|尚未审结")

# --- Table 2: active disclosure (主动公开政府信息情况) --------------------------


@dataclass(frozen=True)
class Item:
    """One item (row) of table 2 with its value columns in print order."""

    key: str
    pattern: re.Pattern[str]
    columns: tuple[str, ...]


def _item(key: str, pattern: str, *columns: str) -> Item:
    return Item(key, re.compile(pattern), columns)


_2019_COUNTS = ("previous_year", "change", "decisions")

ACTIVE_ITEMS: dict[str, tuple[Item, ...]] = {
    TEMPLATE_2021: (
        _item("regulations", r"规章", "issued", "repealed", "in_force"),
        _item("normative_documents", r"(行政)?规范性文件", "issued", "repealed", "in_force"),
        _item("licensing", r"行政许可", "decisions"),
        _item("penalty", r"行政处罚", "decisions"),
        _item("coercion", r"行政强制", "decisions"),
        _item("fees", r"(行政)?事业性收费", "amount_10k_yuan"),
    ),
    TEMPLATE_2019: (
        _item("regulations", r"规章", "new_made", "new_published", "total_published"),
        _item("normative_documents", r"(行政)?规范性文件", "new_made", "new_published", "total_published"),
        _item("licensing", r"行政许可", *_2019_COUNTS),
        _item("other_external_services", r"其他对外管理服务事项", *_2019_COUNTS),
        _item("penalty", r"行政处罚", *_2019_COUNTS),
        _item("coercion", r"行政强制", *_2019_COUNTS),
        _item("fees", r"(行政)?事业性收费", "previous_year", "change"),
        _item("centralized_procurement", r"政府集中采购", "projects", "amount"),
    ),
}

#: Columns whose values are kept as floats (money).
FLOAT_COLUMNS = frozenset({("fees", "amount_10k_yuan")})

#: Prefixes printed before an item label in some layouts (第二十条第（一）项 规章).
ITEM_PREFIX = re.compile(r"^(第二十条)?(第（[一二三四五六七八九十]+）项)?(信息内容)?")

# --- Telling the templates apart ---------------------------------------------

#: Words only one template prints (table-2 headings, table-3 rows).
TEMPLATE_MARKERS: dict[str, re.Pattern[str]] = {
    TEMPLATE_2021: re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年收费金额|逾期不补正|逾期未按收费通知"),
    TEMPLATE_2019: re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|政府集中采购|其他对外管理服务事项"),
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

#: Numbering allowed before a section heading: 一、 / 1. / （一） / 第一部分 / nothing.
SECTION_NUMBER = re.compile(
    r"^(第?[一二三四五六七八九十]+(部分)?[、.．:：\s]?|[（(][一二三四五六七八九十]+[)）]|[1-6][、.．:：\s]|[（(][1-6][)）])?"
)
#: A heading is a short line: longer lines are prose that mentions the words.
SECTION_HEADING_MAX = 40

# --- Metadata -------------------------------------------------------------------

#: Title tail: the report kind after the year.
REPORT_KIND = re.compile(
    r"(政府信息公开|政务公开|信息公开)(工作)?(年度报告|年报|工作报告|年度工作报告)|政府信息公开年度报告"
)
#: Suffixes that make a place name an agency name (平乡县 → 平乡县人民政府).
AGENCY_SUFFIXES = (
    "人民政府办公室", "人民政府办公厅", "人民政府", "政府办公室", "街道办事处", "办事处", "政府",
)
#: Place names that need a suffix to be an agency.
BARE_PLACE = re.compile(r"(省|市|县|区|旗|镇|乡|街道|自治州|盟)$")
#: Fees for applications mentioned in section 6 (信息处理费).
FEE_MENTION = re.compile(r"信息处理费|收取.{0,6}费")
NO_FEE = re.compile(r"(未|没有|不|无)(收取|收费)|收取.{0,8}(0|零)(元|万元)|信息处理费.{0,4}(为|共)?(0|零)|无")
