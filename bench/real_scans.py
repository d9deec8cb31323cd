"""Benchmark: real report layouts, printed and scanned, through OCR — cells exact and wrong per degradation.

Real reports are Word documents and web pages laid out by their publishers (their own fonts, tables
broken across pages, header grids that differ from the data's, labels over several lines). Each one is
printed as its users would print it — a PDF as it is, HTML through Chromium, DOC/DOCX/WPS through
LibreOffice — stamped with a seal on its last page and scanned with each degradation below, then read
by OCR. The truth is the record typed by hand (``../shared/real``), or for another real report the
record of its own text layer when that passes every check of the template (a report whose own sums
fail is left out, since its text cannot be the judge). A cell is *exact* when the scan gives the printed
value, *wrong* when it gives another number; a null is neither (it comes with a warning).

Keep the reports measured here out of tuning: they are the held-out evidence (issue 24's targets:
>= 97% exact, <= 0.1% wrong on scans of real layouts; <= 6 s a page).

    python bench/real_scans.py [REPORT ...]    # default: the real PDF in ../shared/real

The printers run without a network (``unshare -n`` where the system has it): a stranger's document
must not reach anything while it is laid out.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

from parsers import ParseError, parse_document
from simulate import documents as docgen
from simulate.documents.scan import scan_pdf

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "real"

#: (name, noise model, dpi, rough): office-quality and poor scans under the model the reader was tuned
#: on, and the speckle model it was not tuned on.
DEGRADATIONS = (
    ("office 200 dpi", "scanner", 200, False),
    ("rough 150 dpi", "scanner", 150, True),
    ("speckle 200 dpi", "speckle", 200, False),
    ("speckle 150 dpi", "speckle", 150, True),
)
PRINT_SECONDS = 120


def _offline(command: list[str]) -> list[str]:
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n", *command]
    return command


def printed(path: Path, work: Path) -> bytes:
    """The report as printed on paper: a PDF."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        return data
    if path.suffix.lower() in (".html", ".htm"):
        out = work / "page.pdf"
        chromium = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={work / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            path.resolve().as_uri(),
        ]
        subprocess.run(_offline(command), capture_output=True, timeout=PRINT_SECONDS, check=False)
        return out.read_bytes()
    command = [
        "soffice",
        f"-env:UserInstallation={(work / 'office').as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(path.resolve()),
    ]
    subprocess.run(_offline(command), capture_output=True, timeout=PRINT_SECONDS, check=False)
    return (work / (path.stem + ".pdf")).read_bytes()


def truth(path: Path) -> dict | None:
    """The record typed by hand beside the file, or the text layer's own when every check holds."""
    typed = path.with_name(path.stem + ".expected.json")
    if typed.exists():
        return json.loads(typed.read_text(encoding="utf-8"))
    try:
        record = parse_document(path).to_dict()
    except ParseError as exc:
        print(f"  {path.name}: not read ({exc})")
        return None
    failed = [c["id"] for c in record["checks"] if not c["ok"] and not c["id"].startswith("prose.")]
    if failed or record["template"] is None:
        print(f"  {path.name}: left out, its own text fails {failed or 'the template'}")
        return None
    return record


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reports", nargs="*", type=Path, help="real reports (PDF, HTML, DOC, DOCX, WPS)")
    ap.add_argument("--seed", type=int, default=24, help="random seed of the seal and the noise")
    ap.add_argument("--verbose", action="store_true", help="each wrong cell")
    args = ap.parse_args()
    reports = args.reports or sorted(p for p in SHARED_REAL.glob("*.pdf"))
    sheets: list[tuple[Path, bytes, dict]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, path in enumerate(reports):
            want = truth(path)
            if want is None:
                continue
            work = Path(tmp) / str(n)
            work.mkdir()
            try:
                sheets.append((path, printed(path, work), want))
            except (OSError, subprocess.SubprocessError) as exc:
                print(f"  {path.name}: not printed ({exc})")
    if not sheets:
        sys.exit("no real report to measure")
    print(f"{len(sheets)} real report(s): {', '.join(p.name for p, _, _ in sheets)}")
    for name, noise, dpi, rough in DEGRADATIONS:
        cells = exact = wrong = pages = 0
        seconds = 0.0
        for path, pdf, want in sheets:
            rng = random.Random(f"{args.seed}-{path.name}-{name}")
            scan = scan_pdf(pdf, want.get("agency"), rng, rough, dpi, noise=noise)
            assert isinstance(scan, bytes)
            start = time.perf_counter()
            got = parse_document(scan).to_dict()
            seconds += time.perf_counter() - start
            pages += pymupdf.open(stream=scan, filetype="pdf").page_count
            total, right, bad = docgen.score(got, want)
            cells, exact, wrong = cells + total, exact + right, wrong + bad
            if args.verbose:
                print(f"  {name} {path.name}: {right}/{total} exact, {bad} wrong")
                for cell in docgen.wrong_cells(got, want):
                    print("    ", cell)
        print(
            f"{name}: {pages} pages, {cells} cells: {100 * exact / cells:.2f}% exact, "
            f"{100 * wrong / cells:.2f}% wrong ({wrong} cells), {seconds / pages:.1f} s per page "
            f"(targets: >= 97%, <= 0.1%, <= 6 s)"
        )


if __name__ == "__main__":
    main()
