"""Telling the 2019 and 2021 templates apart, the subtotal column, free-form reports, metadata."""

from __future__ import annotations

import random

import pytest

from parsers import parse_document
from parsers import template as T
from simulate import documents as docgen
from tests.seedcheck import differences, wrong_or_lost


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("fmt", ["html", "text", "docx"])
def test_template_detected_and_rows_match(template, fmt):
    rng = random.Random(f"{template}-{fmt}")  # a str seed is the same in every run (hash() is not)
    record = docgen.random_record(rng, template=template)
    got = parse_document(docgen.RENDERERS[fmt](record, rng)).to_dict()
    assert got["template"] == template
    assert wrong_or_lost(got, docgen.expected(record), max_nulls=2) == []
    if template == "2019":
        assert "other_processing" in got["applications"] or "other_processing" not in record["applications"]
        assert "other_misc" not in got["applications"]
        assert set(got["active_disclosure"]) <= {i.key for i in T.ACTIVE_ITEMS["2019"]}


def test_subtotal_column_does_not_shift_the_others():
    for seed in range(200):
        rng = random.Random(seed)
        record = docgen.random_record(rng)
        if "legal_person_subtotal" in record["applications"]["granted"]:
            break
    got = parse_document(docgen.render_html(record, rng)).to_dict()
    assert differences(got, docgen.expected(record)) == []
    assert "legal_person_subtotal" in got["applications"]["granted"]


def test_free_form_report_keeps_metadata_and_sections():
    text = "\n".join(
        [
            "某某县人民政府2017年政府信息公开工作年度报告",
            "一、概述",
            "2017年我县政府信息公开工作稳步推进。",
            "二、主动公开政府信息情况",
            "全年主动公开政府信息1200条。",
            "三、依申请公开政府信息情况",
            "全年收到申请12件。",
            "本年新收政府信息公开申请数量\t12",
        ]
    )
    got = parse_document(text.encode()).to_dict()
    assert (got["agency"], got["year"], got["template"]) == ("某某县人民政府", 2017, None)
    assert got["applications"] == {} and got["active_disclosure"] == {}
    assert "1" in got["sections"] and "2" in got["sections"]


@pytest.mark.parametrize(
    "lines, agency, year",
    [
        (["平乡县人民政府办公室", "2022年政府信息公开工作年度报告"], "平乡县人民政府办公室", 2022),
        (["山西省隰县人民政府", "隰县人民政府 2022 年政府信息公开工作年报"], "隰县人民政府", 2022),
        (["2023年度桐梓县教育局政府信息公开工作年度报告"], "桐梓县教育局", 2023),
        (["郭嘉镇2022年政府信息公开工作年度报告", "2022年，郭嘉镇人民政府认真执行条例。"], "郭嘉镇人民政府", 2022),
        (["龙游县人民政府", "二〇二一年政府信息公开工作年度报告"], "龙游县人民政府", 2021),
    ],
)
def test_metadata_variants(lines, agency, year):
    got = parse_document("\n".join(lines + ["一、总体情况", "正文。"]).encode()).to_dict()
    assert (got["agency"], got["year"]) == (agency, year)


def test_year_from_the_statistics_period_when_title_has_none():
    text = (
        "某某县人民政府\n政府信息公开工作年度报告\n本报告数据统计期限为2023年1月1日至12月31日。\n一、总体情况\n正文。"
    )
    got = parse_document(text.encode()).to_dict()
    assert got["year"] == 2023
