"""The template's keys as the generator prints them, written from the template documents
(国办公开办函〔2019〕60号 and 〔2021〕30号, as docs/record.md gives them) and not taken from the parser:
a round trip through documents drawn with the parser's own tables could not catch a wrong key there."""

from __future__ import annotations

TEMPLATE_2019 = "2019"
TEMPLATE_2021 = "2021"
BOTH = (TEMPLATE_2019, TEMPLATE_2021)

#: Table 3's value columns in print order (自然人; 商业企业 … 其他 under 法人或其他组织; 总计).
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
#: 法人或其他组织小计, printed by some reports after 其他.
SUBTOTAL_COLUMN = "legal_person_subtotal"

#: Table 3's rows in print order, with the templates that print them.
APPLICATION_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("new_received", BOTH),
    ("carried_over", BOTH),
    ("granted", BOTH),
    ("partially_granted", BOTH),
    ("denied_state_secret", BOTH),
    ("denied_law_prohibited", BOTH),
    ("denied_security_stability", BOTH),
    ("denied_third_party", BOTH),
    ("denied_internal_affairs", BOTH),
    ("denied_process_info", BOTH),
    ("denied_enforcement_file", BOTH),
    ("denied_query_item", BOTH),
    ("unable_not_held", BOTH),
    ("unable_needs_creation", BOTH),
    ("unable_unclear", BOTH),
    ("rejected_petition", BOTH),
    ("rejected_repeated", BOTH),
    ("rejected_publication", BOTH),
    ("rejected_excessive", BOTH),
    ("rejected_confirmation", BOTH),
    ("other_overdue_correction", (TEMPLATE_2021,)),
    ("other_overdue_fee", (TEMPLATE_2021,)),
    ("other_misc", (TEMPLATE_2021,)),
    ("other_processing", (TEMPLATE_2019,)),
    ("total_processed", BOTH),
    ("carried_forward", BOTH),
)
#: The rows 总计 adds up: 予以公开 … 其他处理.
APPLICATION_RESULT_ROWS = tuple(key for key, _ in APPLICATION_ROWS[2:-2])

#: Table 4: 行政复议, 行政诉讼 未经复议直接起诉, 复议后起诉; each 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

_2019_COUNTS = ("previous_year", "change", "decisions")
#: Table 2's items and their columns, per template.
ACTIVE_ITEMS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    TEMPLATE_2021: (
        ("regulations", ("issued", "repealed", "in_force")),
        ("normative_documents", ("issued", "repealed", "in_force")),
        ("licensing", ("decisions",)),
        ("penalty", ("decisions",)),
        ("coercion", ("decisions",)),
        ("fees", ("amount_10k_yuan",)),
    ),
    TEMPLATE_2019: (
        ("regulations", ("new_made", "new_published", "total_published")),
        ("normative_documents", ("new_made", "new_published", "total_published")),
        ("licensing", _2019_COUNTS),
        ("other_external_services", _2019_COUNTS),
        ("penalty", _2019_COUNTS),
        ("coercion", _2019_COUNTS),
        ("fees", ("previous_year", "change")),
        ("centralized_procurement", ("projects", "amount")),
    ),
}
