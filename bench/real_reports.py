"""Benchmark: real reports read from their published form, cell by cell against truth typed by hand, and
their agency against the title's.

The set is every real report with typed truth this project has: the 淮安 PDF in ../shared/real and the
text shapes made from it, the five ../shared/seeds texts, 平潭综合实验区's 2022–2025 report pages
(tests/parsers/pages/SOURCE.md; 2023's truth is typed for 38 of its cells) and 上海市人民政府办公厅's 2019
report (its truth beside it, ``shanghai_2019.expected.json``). Target
(issue 24): ≥ 99.9% of cells exact, none wrong, the agency right on every one.

    python bench/real_reports.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from parsers import parse_document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PAGES = ROOT / "tests" / "parsers" / "pages"
TABLES = ("active_disclosure", "applications", "review_litigation")


def reports() -> list[tuple[Path, dict[str, Any]]]:
    """(document, truth) for every real report with truth typed by hand; a page's truth names its agency."""
    real = SHARED / "real"
    out = [(real / e["file"], _json(real / e["truth"])) for e in _json(real / "manifest.json")]
    out += [(p, _json(p.with_name(p.stem + ".expected.json"))) for p in sorted((SHARED / "seeds").glob("*.txt"))]
    truth = _json(ROOT / "tests" / "parsers" / "dumps" / "pingtan_truth.json")
    for page in sorted(PAGES.glob("pingtan_*.html")):
        out.append((page, {**truth[page.stem.rsplit("_", 1)[1]], "agency": "平潭综合实验区"}))
    # a page with its truth typed beside it (上海 2019)
    out += [
        (p, _json(t)) for p in sorted(PAGES.glob("*.html")) if (t := p.with_name(p.stem + ".expected.json")).exists()
    ]
    return out


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def cells(record: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    """Every statistic cell of a record by (table, row, column); a script of its own, as text_dumps.py is."""
    return {(t, r, c): v for t in TABLES for r, row in (record.get(t) or {}).items() for c, v in row.items()}


def main() -> int:
    print(f"{'report':<44}{'format':<7}{'cells':>6}{'exact':>7}{'null':>6}{'wrong':>7}  agency")
    totals: dict[str, list[int]] = {}
    agencies_wrong = 0
    for path, want in reports():
        started = time.perf_counter()
        got = parse_document(path.read_bytes()).to_dict()
        seconds = time.perf_counter() - started
        g, w = cells(got), cells(want)
        # a fee of 0.0 is the 0 the truth types; a bool is never a count (as tests/seedcheck.py)
        exact = sum(g.get(k) == v and type(g.get(k)) is not bool for k, v in w.items())
        null = sum(g.get(k) is None for k, v in w.items() if v is not None)
        wrong = len(w) - exact - null
        fmt = path.suffix.lstrip(".")
        row = totals.setdefault(fmt, [0, 0, 0, 0, 0])
        agency_ok = got["agency"] == want["agency"]
        agencies_wrong += not agency_ok
        for i, n in enumerate((1, len(w), exact, null, wrong)):
            row[i] += n
        print(
            f"{path.name[:43]:<44}{fmt:<7}{len(w):>6}{exact:>7}{null:>6}{wrong:>7}  "
            f"{'right' if agency_ok else 'WRONG ' + repr(got['agency'])} ({seconds:.2f} s)"
        )
    print()
    for fmt, (docs, n, exact, null, wrong) in sorted(totals.items()):
        print(f"{fmt}: {docs} reports, {n} cells, {exact / n:.2%} exact, {null} null, {wrong} wrong")
    n, exact, wrong = (sum(r[i] for r in totals.values()) for i in (1, 2, 4))
    print(f"all: {exact / n:.2%} of {n} cells exact, {wrong} wrong, agency wrong on {agencies_wrong}")
    return 1 if wrong or agencies_wrong else 0


if __name__ == "__main__":
    sys.exit(main())
