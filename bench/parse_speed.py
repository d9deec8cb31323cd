"""Benchmark: documents parsed per second, per format, on one core.

Generates documents with simulate/documents first (not timed), then parses each
batch in this one process, as ``ogi parse`` does with a list of files.
Targets (issue 2): HTML and text >= 100 docs/s, DOCX >= 30, PDF >= 10.

    python bench/parse_speed.py [--count N]
"""

from __future__ import annotations

import argparse
import random
import time

from parsers import parse_document
from simulate import documents as docgen

TARGETS = {"text": 100, "html": 100, "docx": 30, "pdf": 10, "xlsx": 30, "ofd": 10}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100, help="documents per format")
    args = ap.parse_args()
    print(f"{'format':6} {'docs':>5} {'seconds':>8} {'docs/s':>8} {'target':>7}")
    for fmt, target in TARGETS.items():
        docs = []
        for i in range(args.count):
            rng = random.Random(i)
            docs.append(docgen.RENDERERS[fmt](docgen.random_record(rng), rng))
        parse_document(docs[0])  # imports and caches outside the timing
        start = time.perf_counter()
        for data in docs:
            parse_document(data)
        elapsed = time.perf_counter() - start
        rate = len(docs) / elapsed
        print(f"{fmt:6} {len(docs):5d} {elapsed:8.2f} {rate:8.1f} {target:7d} {'ok' if rate >= target else 'SLOW'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
