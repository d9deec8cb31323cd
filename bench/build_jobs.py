"""Benchmark: ``ogi build --jobs N`` against ``--jobs 1`` on a store of PDF, DOC and scanned reports.

A raw store of generated reports is synthesised directly — text-layer PDFs, DOC saved by LibreOffice
when it is installed, and scans (a printed, stamped report scanned at 200 dpi, no text layer: OCR) —
then built from nothing with 1 worker and with N. Prints the seconds and the speed-up. Target
(issue 12): ``--jobs 2`` ≥ 1.7× ``--jobs 1`` on a 2-core machine, on a store with scans.

    python bench/build_jobs.py [--count 24] [--jobs 2] [--scans 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from archive.build import build
from parsers.convert import convert
from rawstore import RawStore
from simulate import documents as docgen
from simulate.documents.scan import render_scan


def synthesise(store_dir: Path, count: int, scans: int) -> None:
    """``count`` reports, each a file linked straight from its column: a scan for every ``scans``-th
    (0: none), else DOC for every third, else PDF."""
    store = RawStore(store_dir, crawl_id="bench")
    doc = shutil.which("soffice") is not None
    for i in range(count):
        rng = random.Random(i)
        record = docgen.random_record(rng)
        body = docgen.render_pdf(record, rng)
        if scans and i % scans == 1:
            body = render_scan(record, rng, rough=False, dpi=200)  # type: ignore[assignment]
        elif doc and i % 3 == 0:
            body = convert(docgen.render_docx(record, rng), ".docx", "doc")
        url = f"http://www.example.gov.cn/nb/{i}.{'doc' if body[:4] != b'%PDF' else 'pdf'}"
        store.put_response(url, body, "application/octet-stream", kind="file")
        store.record_report(url, None, f"bench {i}", record["year"], None, [(url, "")])
    store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scans", type=int, default=3, help="every n-th report is a scan (0: none)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        synthesise(Path(tmp) / "store", args.count, args.scans)
        took = {}
        for jobs in (1, args.jobs):
            start = time.perf_counter()
            build(Path(tmp) / f"jobs{jobs}.db", Path(tmp) / "store", progress=False, jobs=jobs)
            took[jobs] = time.perf_counter() - start
            print(f"--jobs {jobs}: {args.count} reports in {took[jobs]:.1f} s", flush=True)
        print(f"speed-up {took[1] / took[args.jobs]:.2f}× (target ≥ 1.7× for --jobs 2 on 2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
