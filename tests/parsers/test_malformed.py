"""Bad input gives a clear error or a record with warnings: never a crash, a hang or a traceback."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from parsers import ParseError, parse_document
from simulate import documents as docgen
from simulate.documents import hostile
from tests.seedcheck import differences


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"   \n\t\n", "empty file"),
        (bytes(random.Random(1).randbytes(200_000)), "binary data"),
        (b"PK\x03\x04" + b"\x00garbage" * 100, "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "neither a Word"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image 1 cannot be decoded"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    ],
    ids=["empty", "blank", "junk", "bad-zip", "ole", "png", "pdf-no-pages"],
)
def test_unreadable_inputs_raise_parse_error(data, reason):
    with pytest.raises(ParseError, match=reason):
        parse_document(data)


def test_docx_that_is_not_a_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<not xml")
    with pytest.raises(ParseError, match="DOCX"):
        parse_document(buf.getvalue())


def test_truncated_pdf(rng):
    record = docgen.random_record(rng, template="2021")
    data = docgen.render_pdf(record, rng)
    for cut in (len(data) // 2, len(data) // 5, 200):
        try:
            got = parse_document(data[:cut]).to_dict()
        except ParseError as exc:
            assert "PDF" in str(exc) and exc.reason in ("broken", "unsupported")
        else:  # MuPDF repaired what it could: every value it gives must be a true one
            wrong = [d for d in differences(got, docgen.expected(record)) if "got None" not in d and "missing" not in d]
            assert wrong == [], (cut, wrong[:5])


def test_scanned_pdf_with_nothing_to_read():
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(pymupdf.Rect(50, 50, 300, 300), color=(0, 0, 0), fill=(0.5, 0.5, 0.5))
    with pytest.raises(ParseError, match="no text found on the scanned pages"):
        parse_document(doc.tobytes())


def test_html_page_that_is_not_a_report():
    page = (
        "<html><head><title>首页</title></head><body><ul>"
        + "<li><a href='/x'>新闻</a></li>" * 50
        + "</ul></body></html>"
    )
    record = parse_document(page.encode()).to_dict()
    assert record["template"] is None and record["applications"] == {}
    assert any("does not look like an annual report" in w for w in record["warnings"])


@pytest.mark.parametrize("depth", [300, 1500])
def test_deep_html_is_read_in_full(depth, rng):
    """libxml2 silently drops what lies below 256 levels (dgunning/edgartools#1114): read in full here."""
    record = docgen.random_record(rng, template="2021", year=2023)
    got = parse_document(hostile.deep_html(record, rng, depth)).to_dict()
    assert differences(got, docgen.expected(record)) == []


def test_html_deeper_than_the_parser_reads_is_refused(rng):
    page = hostile.deep_html(docgen.random_record(rng, template="2021"), rng, depth=100_000)
    with pytest.raises(ParseError) as exc:
        parse_document(page)
    assert exc.value.reason == "too_deep" and "nested deeper" in str(exc.value)


def test_zip_bomb_is_refused_before_it_is_unpacked():
    with pytest.raises(ParseError) as exc:
        parse_document(hostile.zip_bomb_docx())
    assert exc.value.reason == "too_large" and "unpacks to" in str(exc.value)
    small = hostile.zip_bomb_docx(unpacked=20 * 1024 * 1024)  # under the total, over the XML part limit
    with pytest.raises(ParseError, match="word/document.xml unpacks"):
        parse_document(small)


def test_bad_file_set_through_ogi_parse(tmp_path, rng):
    """``ogi parse`` on the bad-file set: a clear error each, the good report among them still parsed,
    and the whole run (parser worker included) under 1 GB."""
    record = docgen.random_record(rng, template="2021", year=2023)
    files = {
        "bomb.docx": hostile.zip_bomb_docx(),
        "deep.html": hostile.deep_html(record, rng),
        "corrupt.doc": hostile.corrupt_ole(rng),
        "scan.pdf": hostile.scanned_pdf(2000),
        "good.docx": docgen.render_docx(record, rng),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [str(tmp_path / n) for n in files] + ["/dev/zero"]
    probe = (
        "import resource, subprocess, sys; "
        "p = subprocess.run([sys.executable, '-m', 'ogi', 'parse', '--json', *sys.argv[1:]], capture_output=True); "
        "sys.stdout.buffer.write(p.stdout); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)"
    )
    proc = subprocess.run([sys.executable, "-c", probe, *paths], capture_output=True, text=True, timeout=600)
    *lines, last = proc.stdout.strip().splitlines()
    peak_kib, rc = map(int, last.split())
    results = {Path(r["path"]).name: r for r in map(json.loads, lines)}
    assert {n: results[n].get("reason") for n in results} == {
        "bomb.docx": "too_large",
        "deep.html": "too_deep",
        "corrupt.doc": "unsupported",
        "scan.pdf": None,  # OCR'd up to its page limit: see below
        "good.docx": None,
        "zero": "too_large",
    }
    assert "scan: only the first 12 of 2000 pages read (OCR)" in results["scan.pdf"]["warnings"]
    assert differences(results["good.docx"], docgen.expected(record)) == []
    assert rc == 1  # some failed
    assert peak_kib < 1024 * 1024, f"peak {peak_kib // 1024} MB"


def test_fifty_megabyte_inputs(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(random.Random(2).randbytes(50 * 1024 * 1024))
    with pytest.raises(ParseError, match="binary"):
        parse_document(junk)
    text = tmp_path / "big.txt"
    line = "这是一行很长的正文，不是报告。".encode() * 10 + b"\n"
    text.write_bytes(line * (50 * 1024 * 1024 // len(line)))
    record = parse_document(text)
    assert record.template is None
    assert any("not read" in w for w in record.warnings)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ParseError, match="no such file"):
        parse_document(tmp_path / "absent.pdf")
    with pytest.raises(ParseError, match="directory"):
        parse_document(tmp_path)


def test_format_is_told_by_content_not_name(tmp_path, rng):
    record = docgen.random_record(rng, template="2021")
    misnamed = tmp_path / "report.pdf"
    misnamed.write_bytes(docgen.render_html(record, rng))
    assert parse_document(misnamed).format == "html"
    docx = tmp_path / "report.html"
    docx.write_bytes(docgen.render_docx(record, rng))
    assert parse_document(docx).format == "docx"


def test_limits_stop_a_parse_that_runs_over(tmp_path):
    """The sandbox kills a parse that runs over its time, answers the next document, and a parse that
    needs more memory than allowed fails with its reason instead of taking the caller down."""
    from parsers.limits import Limits, Sandbox

    slow = tmp_path / "slow.txt"  # a FIFO nobody writes to: reading it blocks, as a hung C parser would
    import os

    os.mkfifo(slow)
    good = docgen.render_html(docgen.random_record(random.Random(3), template="2021"), random.Random(3))
    with Sandbox(Limits(seconds=1.0)) as sandbox:
        with pytest.raises(ParseError) as exc:
            sandbox.parse(slow)
        assert exc.value.reason == "timeout"
        assert sandbox.parse(good)["template"] == "2021"  # a fresh worker took over
    # the worker is forked and loads every reader, so its address space starts at this process's own
    # with the readers loaded: allow 150 MB beyond that
    import trafilatura.metadata  # noqa: F401

    from parsers import docxdoc, htmldoc, pdfdoc, textdoc  # noqa: F401

    own = int(next(ln for ln in open("/proc/self/status") if ln.startswith("VmSize:")).split()[1]) * 1024
    with Sandbox(Limits(seconds=30, memory_bytes=own + 150 * 1024 * 1024)) as sandbox:
        big = b"<html><body>" + "<p>很长的正文，不是报告。</p>".encode() * 1_500_000 + b"</body></html>"
        with pytest.raises(ParseError) as exc:
            sandbox.parse(big)
        # Python's MemoryError gives "memory", a dead worker "crashed"; libxml2 reports exhaustion as a
        # syntax error ("internal"). What matters: the caller survives and the next document parses.
        assert exc.value.reason in ("memory", "crashed", "internal")
        assert sandbox.parse(good)["template"] == "2021"


def test_reading_a_device_is_bounded():
    """The size limit counts bytes read, not what stat() says (/dev/zero has size 0 and no end)."""
    with pytest.raises(ParseError) as exc:
        parse_document("/dev/zero")
    assert exc.value.reason == "too_large"
