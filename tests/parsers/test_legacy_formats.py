"""Word 97 DOC, WPS, RTF and ODT (through LibreOffice), XLS, XLSX, ODS and WPS ET workbooks (through
python-calamine) and OFD parse to the records they were made from. The generator writes DOCX, XLSX and
OFD; the other formats are those files saved by LibreOffice, as an office worker's "Save as" makes them."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time

import pytest

from parsers import ParseError, parse_document
from parsers.convert import ConversionError, convert
from simulate import documents as docgen
from simulate.documents.ofd import render_ofd
from simulate.documents.xlsx import render_xlsx
from tests.helpers import program, without
from tests.seedcheck import differences

SEEDS = (11, 12, 13)


@pytest.fixture(scope="module")
def soffice():
    found = program("office")
    if found is None:
        without("office")
    return found


def _record(seed: int) -> tuple[dict, random.Random]:
    rng = random.Random(seed)
    return docgen.random_record(rng, template=rng.choice(["2019", "2021"])), rng


@pytest.mark.parametrize("seed", SEEDS)
def test_xlsx(seed):
    record, rng = _record(seed)
    got = parse_document(render_xlsx(record, rng)).to_dict()
    assert got["format"] == "xlsx"
    assert differences(got, docgen.expected(record)) == []


@pytest.mark.parametrize("target, read_as", [("xls", "xls"), ("ods", "ods")])
@pytest.mark.parametrize("seed", SEEDS)
def test_workbooks_saved_by_libreoffice(soffice, seed, target, read_as):
    record, rng = _record(seed)
    data = convert(render_xlsx(record, rng), ".xlsx", target)
    got = parse_document(data).to_dict()
    assert got["format"] == read_as
    assert differences(got, docgen.expected(record)) == []


@pytest.mark.parametrize("target", ["doc", "rtf", "odt"])
@pytest.mark.parametrize("seed", SEEDS)
def test_word_processor_files(soffice, seed, target):
    record, rng = _record(seed)
    data = convert(docgen.render_docx(record, rng), ".docx", target)
    got = parse_document(data).to_dict()
    assert got["format"] == target
    assert differences(got, docgen.expected(record)) == []


def test_wps_and_et_are_told_by_content(soffice, tmp_path):
    """WPS writes Word 97 and Excel 97 files under its own extensions: the bytes decide."""
    record, rng = _record(21)
    (tmp_path / "report.wps").write_bytes(convert(docgen.render_docx(record, rng), ".docx", "doc"))
    (tmp_path / "tables.et").write_bytes(convert(render_xlsx(record, rng), ".xlsx", "xls"))
    for name, fmt in (("report.wps", "doc"), ("tables.et", "xls")):
        got = parse_document(tmp_path / name).to_dict()
        assert got["format"] == fmt and differences(got, docgen.expected(record)) == []


def test_without_libreoffice_the_error_says_what_to_install(soffice, tmp_path):
    record, rng = _record(22)
    doc = tmp_path / "report.doc"
    doc.write_bytes(convert(docgen.render_docx(record, rng), ".docx", "doc"))
    env = {**os.environ, "PATH": os.path.dirname(sys.executable)}  # python, but no soffice
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "parse", "--json", str(doc)], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "install Debian's libreoffice-writer-nogui" in proc.stdout


def test_a_conversion_over_its_time_is_given_up(soffice):
    record, rng = _record(23)
    with pytest.raises(ConversionError, match="gave up"):
        convert(docgen.render_docx(record, rng), ".docx", "doc", seconds=0.05)


@pytest.fixture(scope="module")
def uno_python(soffice):
    from parsers.convert import uno_python

    found = uno_python(soffice)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("no Python with LibreOffice's uno module: .ci/run installs python3-uno")
        pytest.skip("no Python with LibreOffice's uno module (apt-get install python3-uno)")
    return found


def test_one_warm_libreoffice_serves_many_documents_and_is_replaced_after_a_failure(uno_python):
    """DOC is converted by a LibreOffice kept running (not one start per document); a file it cannot
    read is a clear error, and the next document gets a fresh instance."""
    from parsers.convert import _WARM

    docs = []
    for seed in (31, 32, 33):
        record, rng = _record(seed)
        docs.append((convert(docgen.render_docx(record, rng), ".docx", "doc"), docgen.expected(record)))
    office = _WARM["office"]
    uses = office.uses
    assert all(socket.exists() for socket in office._sockets)  # the names LibreOffice gives its pipes
    for data, want in docs:
        assert differences(parse_document(data).to_dict(), want) == []
    assert _WARM["office"] is office and office.uses == uses + 3
    with pytest.raises(ParseError) as exc:  # an OLE file with a Word stream name and nothing readable in it
        parse_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "WordDocument".encode("utf-16-le"))
    assert exc.value.reason == "broken" and "LibreOffice" in str(exc.value)
    assert differences(parse_document(docs[0][0]).to_dict(), docs[0][1]) == []
    assert _WARM["office"] is not office
    assert not any(socket.exists() for socket in office._sockets) and not office._profile.exists()


def test_without_uno_each_document_starts_soffice(soffice):
    record, rng = _record(34)
    data = convert(docgen.render_docx(record, rng), ".docx", "doc", warm=False)
    assert differences(parse_document(convert(data, ".doc", warm=False)).to_dict(), docgen.expected(record)) == []


def test_a_warm_libreoffice_that_cannot_start_falls_back_to_one_soffice_per_document(
    uno_python, tmp_path, monkeypatch, caplog
):
    from parsers import convert as converter

    broken = tmp_path / "host.py"
    broken.write_text("import sys\nprint('Fatal Python error: not a host')\nsys.exit(1)\n")
    converter._drop_warm()
    monkeypatch.setattr(converter, "_HOST", broken)
    monkeypatch.setitem(converter._UNO_PYTHON, "python", uno_python)
    record, rng = _record(36)
    with caplog.at_level("WARNING", logger="parsers.convert"):
        data = convert(docgen.render_docx(record, rng), ".docx", "doc")
    assert "no warm LibreOffice" in caplog.text and converter._UNO_PYTHON["python"] == ""
    assert "office" not in converter._WARM
    assert differences(parse_document(data).to_dict(), docgen.expected(record)) == []


def test_the_warm_libreoffice_dies_with_the_process_that_started_it(uno_python, tmp_path):
    """kill -9 of a parse worker must not leave a LibreOffice running: the host's stdin ends, and it kills
    LibreOffice and removes its profile and the named pipes LibreOffice made in /tmp."""
    record, rng = _record(35)
    (tmp_path / "report.docx").write_bytes(docgen.render_docx(record, rng))
    script = (
        "import sys, time\n"
        "from parsers.convert import _WARM, convert\n"
        f"convert(open({str(tmp_path / 'report.docx')!r}, 'rb').read(), '.docx', 'doc')\n"
        "print(_WARM['office']._proc.pid, _WARM['office']._profile, *_WARM['office']._sockets, flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    pid, profile, *sockets = proc.stdout.readline().split()
    session = int(pid)
    assert len(sockets) == 2 and all(os.path.exists(socket) for socket in sockets)
    os.killpg(session, 0)  # the host and LibreOffice run
    proc.kill()
    proc.wait()
    for _ in range(100):
        try:
            os.killpg(session, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("LibreOffice outlived the process killed with SIGKILL")
    assert not os.path.exists(profile) and not any(os.path.exists(socket) for socket in sockets)


def test_broken_workbook_and_unknown_ole_file():
    with pytest.raises(ParseError) as exc:
        parse_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "Workbook".encode("utf-16-le"))
    assert exc.value.reason == "broken" and "spreadsheet" in str(exc.value)
    with pytest.raises(ParseError) as exc:
        parse_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 600)
    assert exc.value.reason == "unsupported"


def test_a_sheet_that_spans_every_cell_is_contained():
    """calamine lays a sheet out as a full grid: A1 and XFD1048576 make it abort. In the parse worker that
    is a clear failure, and the next workbook parses."""
    from parsers.limits import Sandbox
    from simulate.documents.hostile import sheet_bomb_xlsx

    record, rng = _record(24)
    with Sandbox() as sandbox:
        with pytest.raises(ParseError) as exc:
            sandbox.parse(sheet_bomb_xlsx())
        assert exc.value.reason in ("crashed", "memory", "too_large")
        got = sandbox.parse(render_xlsx(record, rng))
    assert differences(got, docgen.expected(record)) == []


@pytest.mark.parametrize("glyphs", [False, True], ids=["runs", "glyphs"])
@pytest.mark.parametrize("seed", SEEDS)
def test_ofd(seed, glyphs):
    """Text runs with DeltaX advances, or one TextCode per character (merged back into words)."""
    record, rng = _record(seed)
    got = parse_document(render_ofd(record, rng, glyphs=glyphs)).to_dict()
    assert got["format"] == "ofd"
    assert differences(got, docgen.expected(record)) == []


def test_ofd_without_text_and_broken_ofd():
    import io
    import zipfile

    def package(parts: dict[str, str]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, xml in parts.items():
                z.writestr(name, xml)
        return buf.getvalue()

    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    ofd = f"<ofd:OFD {ns}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    document = f'<ofd:Document {ns}><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'
    scan = f'<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:ImageObject ID="2" ResourceID="3"/></ofd:Layer></ofd:Content></ofd:Page>'
    parts = {"OFD.xml": ofd, "Doc_0/Document.xml": document, "Doc_0/Pages/Page_0/Content.xml": scan}
    with pytest.raises(ParseError, match="no text layer"):
        parse_document(package(parts))
    with pytest.raises(ParseError, match="broken OFD") as exc:
        parse_document(package({"OFD.xml": ofd}))
    assert exc.value.reason == "broken"
