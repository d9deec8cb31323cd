"""Records to render: random ones with varied numbers, blanks, missing rows and broken totals, and
variations of real ones."""

from __future__ import annotations

import copy
import random
from typing import Any

from . import keys as K

Record = dict[str, Any]


AGENCIES = [
    ("平乡县人民政府办公室", None),
    ("隰县人民政府", None),
    ("郭嘉镇人民政府", "郭嘉镇"),
    ("新乡县人民政府办公室", None),
    ("灵寿县人民政府", None),
    ("桐梓县教育局", None),
    ("龙游县人民政府", None),
    ("合江县自然资源局", None),
    ("杨凌示范区农业农村局", None),
    ("道里区人民政府", None),
    ("城关街道办事处", None),
    ("隆昌市卫生健康局", None),
]


def random_record(
    rng: random.Random, template: str | None = None, year: int | None = None, damaged: bool = True
) -> Record:
    """A plausible record with varied numbers, blanks, missing rows and broken totals.

    Args:
        rng: the random source (seeded by the caller for repeatable tests).
        template: force ``"2019"`` or ``"2021"``.
        year: force the report year.
        damaged: add the damage parsers must survive (a missing row, blank cells, a broken total) at the
            rates the parser tests want; without it the tables add up, as most published reports do.
    """
    template = template or rng.choice([K.TEMPLATE_2021, K.TEMPLATE_2021, K.TEMPLATE_2019])
    year = year or (rng.choice([2021, 2022, 2023, 2024]) if template == K.TEMPLATE_2021 else rng.choice([2019, 2020]))
    agency, short = rng.choice(AGENCIES)
    subtotal = rng.random() < 0.12
    columns = list(K.APPLICATION_COLUMNS)
    if subtotal:
        columns.insert(6, K.SUBTOTAL_COLUMN)
    busy = rng.random() < 0.6

    def n(scale: int = 20) -> int:
        return rng.randint(0, scale) if busy and rng.random() < 0.5 else 0

    apps: dict[str, dict[str, Any]] = {}
    for key, templates in K.APPLICATION_ROWS:
        if template not in templates:
            continue
        row: dict[str, Any] = {c: n(40 if c == "natural_person" else 5) for c in K.APPLICATION_COLUMNS[:6]}
        if subtotal:
            row[K.SUBTOTAL_COLUMN] = sum(row[c] for c in K.ORG_COLUMNS)
        row["total"] = sum(row[c] for c in ("natural_person", *K.ORG_COLUMNS))
        apps[key] = {c: row[c] for c in columns}
    results = [k for k in K.APPLICATION_RESULT_ROWS if k in apps]
    for c in columns:
        apps["total_processed"][c] = sum(apps[k][c] for k in results)
        apps["new_received"][c] = apps["total_processed"][c] + apps["carried_forward"][c] - apps["carried_over"][c]
        if apps["new_received"][c] < 0:
            apps["carried_over"][c] += -apps["new_received"][c]
            apps["new_received"][c] = 0
    # Real-world damage: a missing row, blank cells, a broken total.
    if damaged and rng.random() < 0.25:
        apps.pop(rng.choice([k for k in results if k not in ("granted",)]))
    if damaged and rng.random() < 0.3:
        for _ in range(rng.randint(1, 4)):
            row = apps[rng.choice(list(apps))]
            row[rng.choice(columns)] = None
    if damaged and rng.random() < 0.2:
        row = apps[rng.choice(list(apps))]
        if row["total"] is not None:
            row["total"] += rng.randint(1, 3)
    active: dict[str, dict[str, Any]] = {}
    for item, item_columns in K.ACTIVE_ITEMS[template]:
        vals: dict[str, Any] = {}
        for col in item_columns:
            if col == "amount_10k_yuan":
                vals[col] = rng.choice(
                    [0.0, round(rng.uniform(0, 5000), rng.choice([0, 2, 4])), float(rng.randint(0, 9999))]
                )
            elif col == "change":
                vals[col] = rng.randint(-5, 5)
            elif col == "amount":
                vals[col] = rng.choice([0, rng.randint(1000, 900000)])
            else:
                vals[col] = rng.choice([0, rng.randint(0, 40), rng.randint(0, 12000)])
        active[item] = vals
    if damaged and rng.random() < 0.2:
        key = rng.choice(list(active))
        active[key][rng.choice(list(active[key]))] = None
    review: dict[str, dict[str, Any]] = {}
    for g in K.REVIEW_GROUPS:
        vals = {c: (rng.randint(0, 3) if rng.random() < 0.3 else 0) for c in K.REVIEW_COLUMNS[:4]}
        vals["total"] = sum(vals.values())
        review[g] = vals
    if damaged and rng.random() < 0.1:
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


def balance(record: Record) -> Record:
    """Make a record's tables add up as the template requires, in place: each row's subtotal and total,
    总计 as the sum of the results, 新收 = 总计 + 结转下年 − 上年结转, each review/lawsuit total. Blank
    cells and absent rows stay as they are.

    Args:
        record: the record (returned, for chaining).
    """
    apps, parts = record["applications"], ("natural_person", *K.ORG_COLUMNS)
    for row in apps.values():
        if all(isinstance(row.get(c), int) for c in parts):
            if K.SUBTOTAL_COLUMN in row:
                row[K.SUBTOTAL_COLUMN] = sum(row[c] for c in K.ORG_COLUMNS)
            if "total" in row:
                row["total"] = sum(row[c] for c in parts)
    results = [apps[k] for k in K.APPLICATION_RESULT_ROWS if k in apps]
    ends = ("total_processed", "new_received", "carried_forward", "carried_over")
    if all(k in apps for k in ends):
        processed, new, forward, over = (apps[k] for k in ends)
        for c in processed:
            values = [r.get(c) for r in results]
            if all(isinstance(v, int) for v in values) and isinstance(forward.get(c), int):
                processed[c] = sum(values)
                over[c] = min(over.get(c) or 0, processed[c] + forward[c])
                new[c] = processed[c] + forward[c] - over[c]
    for vals in record["review_litigation"].values():
        if all(isinstance(vals.get(c), int) for c in K.REVIEW_COLUMNS[:4]) and "total" in vals:
            vals["total"] = sum(vals[c] for c in K.REVIEW_COLUMNS[:4])
    return record


def zeros_blank(record: Record) -> Record:
    """A copy of a record whose tables 3 and 4 print a blank for none, not 0, as 上海市人民政府办公厅's 2019
    report does (tests/parsers/pages/shanghai_2019.html: 135 of its 198 cells blank); a blank is null."""
    out = copy.deepcopy(record)
    for table in ("applications", "review_litigation"):
        for row in out.get(table, {}).values():
            for col, v in row.items():
                if v == 0 and not isinstance(v, float):
                    row[col] = None
    return out


def vary(record: Record, rng: random.Random) -> Record:
    """A copy of a seed record with other numbers in the same cells (blanks and absent rows kept).

    The numbers are of a county body's size, as in the seeds: requests come mostly from natural persons
    (tens to a few hundred a year), rarely from organisations; reviews and lawsuits are few; the counts of
    table 2 (licences, penalties) run to thousands.
    """
    out = copy.deepcopy(record)
    for table in ("active_disclosure", "applications", "review_litigation"):
        for row in out.get(table, {}).values():
            for col, v in row.items():
                if isinstance(v, float):
                    row[col] = round(rng.uniform(0, 900), 4)
                elif not isinstance(v, int) or col == "change":
                    continue
                elif table == "active_disclosure":
                    row[col] = rng.choice([0, 0, rng.randint(1, 60), rng.randint(100, 9999)])
                elif table == "review_litigation":
                    row[col] = rng.choice([0, 0, 0, rng.randint(1, 3)])
                elif col == "natural_person":
                    row[col] = rng.choice([0, rng.randint(1, 12), rng.randint(1, 60), rng.randint(50, 400)])
                else:
                    row[col] = rng.choice([0, 0, 0, 0, rng.randint(1, 6)])
    return out
