"""Benchmark: DOC, RTF, XLS and ODS — cells read exactly and documents per second.

Generates reports (DOCX and XLSX from simulate.documents, saved as DOC, RTF,
XLS and ODS by LibreOffice; not timed), then parses each in this process as
``ogi parse`` does (a DOC is converted by the process's warm LibreOffice,
``parsers.convert.WarmOffice``; ``--cold`` starts ``soffice`` per document,
as where no Python with ``uno`` is installed). Prints, per format, the share of statistic cells read
exactly, the cells read wrong (worse than missing), and documents per second.
Targets (issue 10): ≥ 99.5% of cells, no wrong value; DOC ≥ 2 documents/s.

    python bench/legacy_formats.py [--count N] [--formats doc,xls]
"""

from __future__ import annotations

import argparse
import random
import time

from parsers import parse_document
from parsers.convert import _UNO_PYTHON, convert
from simulate import documents as docgen

#: format → (generator format, LibreOffice target or None)
FORMATS = {
    "xlsx": ("xlsx", None),
    "xls": ("xlsx", "xls"),
    "ods": ("xlsx", "ods"),
    "doc": ("docx", "doc"),
    "rtf": ("docx", "rtf"),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=20, help="documents per format")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated (default: all)")
    ap.add_argument("--cold", action="store_true", help="one soffice per DOC/RTF (no warm LibreOffice)")
    args = ap.parse_args()
    if args.cold:
        _UNO_PYTHON["python"] = ""  # as on a machine without python3-uno
    print(f"{'format':6} {'docs':>5} {'cells':>6} {'exact':>8} {'wrong':>6} {'docs/s':>7}")
    for fmt in args.formats.split(","):
        source, target = FORMATS[fmt]
        docs = []
        for i in range(args.count):
            rng = random.Random(i)
            record = docgen.random_record(rng)
            data = docgen.RENDERERS[source](record, rng)
            docs.append((convert(data, f".{source}", target) if target else data, docgen.expected(record)))
        parse_document(docs[0][0])  # imports and LibreOffice's first start outside the timing
        total = exact = wrong = 0
        start = time.perf_counter()
        for data, want in docs:
            t, e, w = docgen.score(parse_document(data).to_dict(), want)
            total, exact, wrong = total + t, exact + e, wrong + w
        rate = len(docs) / (time.perf_counter() - start)
        print(f"{fmt:6} {len(docs):5d} {total:6d} {100 * exact / total:7.2f}% {wrong:6d} {rate:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
