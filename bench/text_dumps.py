"""Benchmark: real page-text dumps whose cells ran together — cells read, null, and exact or wrong where the
publisher's HTML gives the truth.

The dumps are 平潭综合实验区's 2020–2025 report pages as a public archive crawl saved their text
(tests/parsers/dumps/SOURCE.md): no separator between a row's values (``21710000218``). A cell is read
only where the template leaves one reading, so the figures to watch are *wrong* (must be 0) and the
share read. 2024 and 2023 were the reader's tuning set; the other years are held out.

    python bench/text_dumps.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from parsers import parse_document

ROOT = Path(__file__).resolve().parent.parent
DUMPS = ROOT / "tests" / "parsers" / "dumps"
TABLES = ("active_disclosure", "applications", "review_litigation")
TUNED = {2023, 2024}


def cells(record: dict) -> dict[tuple[str, str, str], object]:
    """Every statistic cell of a record by (table, row, column)."""
    return {(t, r, c): v for t in TABLES for r, row in (record.get(t) or {}).items() for c, v in row.items()}


def main() -> int:
    truth = json.loads((DUMPS / "pingtan_truth.json").read_text(encoding="utf-8"))
    print(f"{'dump':<18}{'set':<10}{'cells':>6}{'read':>6}{'null':>6}{'truth':>7}{'exact':>7}{'wrong':>7}{'s':>7}")
    totals = [0, 0, 0, 0, 0, 0]
    for path in sorted(DUMPS.glob("pingtan_*.txt")):
        year = int(path.stem.rsplit("_", 1)[1])
        started = time.perf_counter()
        got = cells(parse_document(path.read_bytes()).to_dict())
        seconds = time.perf_counter() - started
        want = cells(truth.get(str(year), {}))
        read = sum(v is not None for v in got.values())
        exact = sum(got.get(k) == v for k, v in want.items())
        wrong = sum(got.get(k) is not None and got.get(k) != v for k, v in want.items())
        row = [len(got), read, len(got) - read, len(want), exact, wrong]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        kind = "tuned" if year in TUNED else "held out"
        print(
            f"{path.stem:<18}{kind:<10}" + "".join(f"{n:>6}" if i < 3 else f"{n:>7}" for i, n in enumerate(row)), end=""
        )
        print(f"{seconds:>7.2f}")
    print(f"{'all':<28}" + "".join(f"{n:>6}" if i < 3 else f"{n:>7}" for i, n in enumerate(totals)))
    print(
        f"read {totals[1] / totals[0]:.1%} of cells; exact {totals[4]}/{totals[3]} where the HTML is known, wrong {totals[5]}"
    )
    return 1 if totals[5] else 0


if __name__ == "__main__":
    sys.exit(main())
