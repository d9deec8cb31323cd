"""Cell-by-cell comparison of a parsed record with an expected record (used by tests and by hand)."""

from __future__ import annotations

import json
import sys
from typing import Any

STAT_TABLES = ("active_disclosure", "applications", "review_litigation")
META = ("agency", "year", "template")


def cells(record: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    """Every statistic cell of a record by (table, row, column)."""
    return {(t, r, c): v for t in STAT_TABLES for r, row in (record.get(t) or {}).items() for c, v in row.items()}


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """Every metadata field and statistic cell where ``got`` differs from ``want``, including absent/extra rows."""
    out = [f"{k}: got {got.get(k)!r}, want {want.get(k)!r}" for k in META if k in want and got.get(k) != want[k]]
    for table in STAT_TABLES:
        g, w = got.get(table) or {}, want.get(table) or {}
        for row in sorted(set(g) | set(w)):
            if row not in w:
                out.append(f"{table}.{row}: extra row")
                continue
            if row not in g:
                out.append(f"{table}.{row}: missing row")
                continue
            for col in sorted(set(g[row]) | set(w[row])):
                gv, wv = g[row].get(col, "absent"), w[row].get(col, "absent")
                if gv != wv or type(gv) is bool:
                    out.append(f"{table}.{row}.{col}: got {gv!r}, want {wv!r}")
    return out


def wrong_or_lost(got: dict[str, Any], want: dict[str, Any], max_nulls: int) -> list[str]:
    """What is worse than an honest null (a value read as another, a row extra or missing), and a line
    when more than ``max_nulls`` cells came out null: a parser that returned nothing must not pass."""
    diff = differences(got, want)
    nulls = [d for d in diff if "got None" in d]
    out = [d for d in diff if "got None" not in d]
    if len(nulls) > max_nulls:
        out.append(f"{len(nulls)} cells null (at most {max_nulls}): {nulls[:3]} …")
    return out


if __name__ == "__main__":
    from parsers import parse_document

    for path in sys.argv[1:]:
        want = json.load(open(path.rsplit(".", 1)[0] + ".expected.json"))
        rec = parse_document(path).to_dict()
        diff = differences(rec, want)
        print(path, len(diff), "differences", rec["warnings"])
        for d in diff[:20]:
            print("  ", d)
