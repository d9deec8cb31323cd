"""A readable summary of one record for the terminal: metadata, the three tables aligned, failed checks."""

from __future__ import annotations

import unicodedata
from typing import Any

from parsers import template as T


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _cell(value: Any) -> str:
    if value is None:
        return "·"
    return f"{value:.12g}" if isinstance(value, float) else str(value)


def format_table(title: str, rows: list[tuple[str, list[Any]]], headers: list[str]) -> str:
    """Lay out a table with CJK-aware column widths.

    Args:
        title: a caption line.
        rows: ``(label, values)`` pairs.
        headers: column headings for the values.
    """
    if not rows:
        return f"{title}: not found"
    label_w = max(_width(label) for label, _ in rows)
    widths = [max(_width(h), *(_width(_cell(v[i])) for _, v in rows if i < len(v))) for i, h in enumerate(headers)]
    lines = [title, "  " + _pad("", label_w) + "  " + "  ".join(_pad(h, w, True) for h, w in zip(headers, widths))]
    for label, values in rows:
        cells = "  ".join(_pad(_cell(values[i]) if i < len(values) else "", w, True) for i, w in enumerate(widths))
        lines.append("  " + _pad(label, label_w) + "  " + cells)
    return "\n".join(lines)


def summarise(path: str, record: dict[str, Any]) -> str:
    """The text shown by ``ogi parse`` without ``--json``.

    Args:
        path: the input path as given.
        record: the record as a dict (``Record.to_dict()``).
    """
    out = [f"== {path}"]
    if "error" in record:
        return "\n".join(out + [f"error: {record['error']}"])
    out.append(
        f"agency: {record['agency'] or '?'}   year: {record['year'] or '?'}   template: {record['template'] or 'none'}"
        f"   format: {record.get('format')}"
    )
    out.append(f"title: {record['title'] or '?'}")
    if record["template"]:
        items = {it.key: it for t in T.ACTIVE_ITEMS.values() for it in t}
        active = record["active_disclosure"]
        rows2 = []
        for key, cols in active.items():
            rows2.append((items[key].label, [f"{T.ACTIVE_COLUMN_LABELS[c]}={_cell(v)}" for c, v in cols.items()]))
        out.append(format_table("表二 主动公开政府信息情况", rows2, [""] * max((len(v) for _, v in rows2), default=0)))
        apps = record["applications"]
        columns = list(dict.fromkeys(c for row in apps.values() for c in row))
        labels = {r.key: r.label for r in T.APPLICATION_ROWS}
        out.append(format_table(
            "表三 收到和处理政府信息公开申请情况",
            [(labels[k], [row.get(c) for c in columns]) for k, row in apps.items()],
            [T.COLUMN_LABELS[c] for c in columns],
        ))
        review = record["review_litigation"]
        out.append(format_table(
            "表四 政府信息公开行政复议、行政诉讼情况",
            [(T.REVIEW_LABELS[g], [row.get(c) for c in T.REVIEW_COLUMNS]) for g, row in review.items()],
            [T.REVIEW_LABELS[c] for c in T.REVIEW_COLUMNS],
        ))
        failed = [c for c in record["checks"] if not c["ok"]]
        out.append(f"checks: {len(record['checks']) - len(failed)} ok, {len(failed)} failed")
        out.extend(f"  FAILED {c['id']}: {c['detail']}" for c in failed)
    out.append(f"sections: {', '.join(sorted(record['sections'])) or 'none found'}")
    out.extend(f"warning: {w}" for w in record["warnings"])
    return "\n".join(out)
