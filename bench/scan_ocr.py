"""Benchmark: scanned reports through OCR — share of statistic cells exact and wrong, seconds per page.

Generated reports (``simulate.documents.random_record``) are printed, stamped and scanned by
``simulate.documents.scan.render_scan``: *clean* scans (200–300 dpi, straight, light noise) and *rough*
ones (150–300 dpi, skew up to 2°, noise, grey paper, blur, JPEG quality 45–70), all with a red seal.
Each is parsed in this process (RapidOCR on one thread). A cell is *exact* when the parser gives the
printed value, *wrong* when it gives another number (a null is neither: it comes with a warning).
Targets (issue 10): >= 97% exact on clean and on rough scans, <= 0.3% wrong, <= 10 s per page.

    python bench/scan_ocr.py [--count 10]
"""

from __future__ import annotations

import argparse
import random
import time

import pymupdf

from parsers import parse_document
from simulate import documents as docgen
from simulate.documents.scan import NOISE_MODELS, render_scan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10, help="scans of each kind (clean, rough)")
    ap.add_argument("--seed", type=int, default=1000, help="first random seed (held-out: not the tests' seeds)")
    ap.add_argument("--verbose", action="store_true", help="a line per report")
    ap.add_argument(
        "--noise",
        choices=NOISE_MODELS,
        default="scanner",
        help="scanner: the model the reader was tuned on; speckle: copier specks, uneven paper (held out)",
    )
    ap.add_argument("--dpi", type=int, help="scan at this resolution (default: 150-300 at random)")
    ap.add_argument("--unruled", action="store_true", help="tables printed without rules (columns by position)")
    ap.add_argument("--sideways", action="store_true", help="table pages scanned on their side (landscape)")
    ap.add_argument(
        "--blank-zeros",
        action="store_true",
        help="tables 3 and 4 print a blank for none, not 0 (as 上海市人民政府办公厅's 2019 report does)",
    )
    args = ap.parse_args()
    for rough in (False, True):
        cells = exact = wrong = pages = 0
        seconds = 0.0
        for i in range(args.count):
            rng = random.Random(args.seed + i)
            record = docgen.random_record(rng, template=rng.choice(["2019", "2021"]), damaged=False)
            if args.blank_zeros:
                record = docgen.zeros_blank(record)
            scan = render_scan(
                record,
                rng,
                rough=rough,
                dpi=args.dpi,
                noise=args.noise,
                sideways=args.sideways,
                ruled=not args.unruled,
            )
            assert isinstance(scan, bytes)
            start = time.perf_counter()
            got = parse_document(scan).to_dict()
            seconds += time.perf_counter() - start
            pages += pymupdf.open(stream=scan, filetype="pdf").page_count
            total, right, bad = docgen.score(got, docgen.expected(record))
            if args.verbose:
                print(f"  seed {args.seed + i} template {record['template']}: {right}/{total}, {bad} wrong")
                for cell in docgen.wrong_cells(got, docgen.expected(record)):
                    print("    ", cell)
            cells, exact, wrong = cells + total, exact + right, wrong + bad
        kind = " ".join(
            [args.noise, *(["unruled"] if args.unruled else []), *(["sideways"] if args.sideways else [])]
            + (["blank-zeros"] if args.blank_zeros else [])
            + ["rough" if rough else "clean"]
        )
        print(
            f"{kind} scans: {args.count} reports, {pages} pages, {cells} cells: "
            f"{100 * exact / cells:.2f}% exact, {100 * wrong / cells:.2f}% wrong ({wrong} cells), "
            f"{seconds / pages:.1f} s per page (targets: >= 97%, <= 0.3%, <= 10 s)"
        )


if __name__ == "__main__":
    main()
