"""Benchmark: OCR seconds a page with the wheel's models as shipped and as the parser folds them.

Each page of each scan is read by ``parsers.ocrdoc`` twice with each pair of sessions (the shipped
models, then the folded ones, ``parsers/ocrgraph.py``; alternating, so both meet the machine alike),
on one thread. Prints each page's best seconds with each, and whether the page's reading is the same.
Target (issue 24): <= 6 s a page on one core.

    python bench/ocr_speed.py [SCAN.pdf ...]    # default: 上海 2019 printed by Chromium, scanned at 200 dpi

The default page is real and dense (53 lines of ~60 characters on its first page): the slowest kind
measured (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime
import pymupdf
from real_scans import PAGES, printed, truth  # this folder's: run as python bench/ocr_speed.py

from parsers import ocrdoc
from parsers.layout import Layout
from simulate.documents.scan import scan_pdf


def default_scan() -> bytes:
    """上海 2019's page printed by Chromium, stamped and scanned at 200 dpi (office quality)."""
    page = PAGES / "shanghai_2019.html"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = printed(page, Path(tmp))
    want = truth(page) or {}
    scan = scan_pdf(pdf, want.get("agency"), random.Random("ocr-speed"), False, 200, noise="scanner")
    assert isinstance(scan, bytes)
    return scan


def shipped(session: onnxruntime.InferenceSession, path: Path) -> onnxruntime.InferenceSession:
    return onnxruntime.InferenceSession(
        str(path), sess_options=session.get_session_options(), providers=session.get_providers()
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scans", nargs="*", type=Path, help="scanned PDFs (pages as images)")
    args = ap.parse_args()
    scans = [(p.name, p.read_bytes()) for p in args.scans] or [("shanghai_2019 (200 dpi)", default_scan())]
    engine = ocrdoc._engine()
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    folded = (engine.text_det.infer.session, engine.text_rec.session.session)
    plain = (
        shipped(folded[0], models / "ch_PP-OCRv4_det_infer.onnx"),
        shipped(folded[1], models / "ch_PP-OCRv4_rec_infer.onnx"),
    )
    totals = {"shipped": 0.0, "folded": 0.0}
    pages = same = 0
    print(f"{'scan':28} {'page':>4} {'shipped s':>10} {'folded s':>9} {'same reading':>13}")
    for name, scan in scans:
        doc = pymupdf.open(stream=scan, filetype="pdf")
        for number in range(min(doc.page_count, ocrdoc.MAX_PAGES)):
            page = doc[number]
            dpi = ocrdoc._native_dpi(page)
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
            rgb = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.h, pix.w, 3)
            best: dict[str, float] = {}
            readings: dict[str, str] = {}
            for kind, (det, rec) in (("shipped", plain), ("folded", folded)) * 2:
                engine.text_det.infer.session, engine.text_rec.session.session = det, rec
                start = time.perf_counter()
                readings[kind] = repr(ocrdoc._read_page(rgb, dpi, Layout(), number + 1))
                best[kind] = min(best.get(kind, float("inf")), time.perf_counter() - start)
            agree = readings["shipped"] == readings["folded"]
            pages, same = pages + 1, same + agree
            for kind in totals:
                totals[kind] += best[kind]
            print(
                f"{name[:28]:28} {number + 1:>4} {best['shipped']:>10.2f} {best['folded']:>9.2f} {'yes' if agree else 'NO':>13}"
            )
    engine.text_det.infer.session, engine.text_rec.session.session = folded
    print(
        f"{pages} pages: {totals['shipped'] / pages:.2f} s a page shipped, {totals['folded'] / pages:.2f} s folded "
        f"({100 * (1 - totals['folded'] / totals['shipped']):.0f}% less); the same reading on {same} of {pages} "
        "(target: <= 6 s a page)"
    )


if __name__ == "__main__":
    main()
