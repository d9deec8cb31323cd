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
    lines = [
        title,
        "  " + _pad("", label_w) + "  " + "  ".join(_pad(h, w, True) for h, w in zip(headers, widths, strict=False)),
    ]
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
        active, apps, review = T.layouts(record["template"])
        values = record["active_disclosure"]
        rows2 = [
            (active.row_label(k), [f"{active.column_label(c)}={_cell(v)}" for c, v in cols.items()])
            for k, cols in values.items()
        ]
        out.append(format_table(active.title, rows2, [""] * max((len(v) for _, v in rows2), default=0)))
        for layout in (apps, review):
            table = record[layout.key]
            columns = [c for c, _ in layout.columns if any(c in row for row in table.values())]
            out.append(
                format_table(
                    layout.title,
                    [(layout.row_label(k), [row.get(c) for c in columns]) for k, row in table.items()],
                    [layout.column_label(c) for c in columns],
                )
            )
        failed = [c for c in record["checks"] if not c["ok"]]
        out.append(f"checks: {len(record['checks']) - len(failed)} ok, {len(failed)} failed")
        out.extend(f"  FAILED {c['id']}: {c['detail']}" for c in failed)
    out.append(f"sections: {', '.join(sorted(record['sections'])) or 'none found'}")
    out.extend(f"warning: {w}" for w in record["warnings"])
    return "\n".join(out)
