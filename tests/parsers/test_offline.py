"""Programs that read strangers' files reach no network: LibreOffice fetches nothing a document links.

The canary is an HTTP server on 127.0.0.3 (loopback, outside every farm) that records each connection;
the documents link it every way LibreOffice follows a link while it loads (``simulate.documents.hostile``).
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.request

import pytest

from parsers import convert
from parsers.offline import MODES, NoIsolation, Offline
from simulate.documents.hostile import linked_documents
from tests.helpers import needs_libreoffice

#: Forms LibreOffice 7.4 fetched while loading before conversions were isolated (measured with this canary).
FETCHED_BEFORE = {"image (ODT)", "OLE object (ODT)", "DDE section (ODT)", "image (DOC)"}


class Canary(http.server.ThreadingHTTPServer):
    """Records every connection made to it (a request or not)."""

    def __init__(self) -> None:
        self.connections: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler) -> None:  # noqa: N802,N805
                self_.connections.append(f"{handler.command} {handler.path}")
                handler.send_response(200)
                handler.send_header("Content-Length", "0")
                handler.end_headers()

            do_HEAD = do_OPTIONS = do_PROPFIND = do_POST = do_GET  # noqa: N815

            def log_message(handler, *args: object) -> None:  # noqa: N805
                pass

        self_ = self
        super().__init__(("127.0.0.3", 0), Handler)

    def verify_request(self, request: object, client_address: object) -> bool:
        self.connections.append(f"connect from {client_address}")
        return True

    @property
    def base(self) -> str:
        return f"http://127.0.0.3:{self.server_address[1]}"


@pytest.fixture(scope="module")
def canary():
    server = Canary()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    urllib.request.urlopen(server.base + "/reachable", timeout=5).read()  # the canary answers this process
    assert server.connections
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def documents(canary):
    made = linked_documents(canary.base)
    canary.connections.clear()  # making the Word 97 forms is a conversion too
    return made


@pytest.fixture
def isolation(monkeypatch):
    """Sets the isolation convert uses (a fresh warm office for each test)."""

    def use(offline: Offline | None) -> None:
        convert._drop_warm()
        if offline is None:  # the control: LibreOffice as it ran before
            monkeypatch.setattr(convert, "offline", lambda cmd: cmd)
        else:
            monkeypatch.setitem(convert._OFFLINE, "offline", offline)

    yield use
    convert._drop_warm()


def _convert_all(documents: dict[str, tuple[str, bytes]], warm: bool, canary: Canary) -> dict[str, list[str]]:
    reached = {}
    for form, (suffix, data) in documents.items():
        canary.connections.clear()
        try:
            convert.convert(data, suffix, warm=warm)
        except convert.ConversionError:
            pass  # a document that cannot be read is fine; a connection is not
        reached[form] = list(canary.connections)
    return reached


@needs_libreoffice
def test_the_linked_forms_reach_the_canary_when_libreoffice_has_a_network(canary, documents, isolation):
    """The control: without isolation the documents do make LibreOffice connect (so the test below can fail)."""
    isolation(None)
    reached = _convert_all(documents, True, canary)
    assert {form for form, hits in reached.items() if hits} >= FETCHED_BEFORE, reached


@needs_libreoffice
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("warm", [True, False], ids=["warm", "one-shot"])
def test_libreoffice_fetches_nothing_a_document_links(canary, documents, isolation, mode, warm):
    offline = Offline((mode,))
    if not offline.modes and not os.environ.get("CI"):
        pytest.skip(f"no {mode} on this machine")
    isolation(offline)
    reached = _convert_all(documents, warm, canary)
    assert reached == {form: [] for form in documents}
    # and it still converts: the linked image's document is read, its text kept
    assert b"word/document.xml" in convert.convert(documents["image (ODT)"][1], ".odt", warm=warm)


def test_by_default_both_namespace_and_filter_where_the_machine_allows():
    offline = Offline()
    assert offline.modes == [m for m in MODES if Offline((m,)).modes]
    assert "filter" in offline.modes or sys.platform != "linux"


def test_the_filter_leaves_a_program_only_unix_sockets():
    probe = (
        "import socket\n"
        "socket.socket(socket.AF_UNIX).close()\n"
        "for family in (socket.AF_INET, socket.AF_INET6):\n"
        "    try:\n"
        "        socket.socket(family, socket.SOCK_DGRAM)\n"
        "    except PermissionError:\n"
        "        continue\n"
        "    raise SystemExit(f'{family} opened')\n"
        "import subprocess, sys\n"  # and its children inherit the filter
        "subprocess.run([sys.executable, '-c', 'import socket; socket.socket()'], check=True)\n"
    )
    proc = subprocess.run(Offline(("filter",)).command([sys.executable, "-c", probe]), capture_output=True, text=True)
    assert proc.returncode != 0 and "PermissionError" in proc.stderr and "opened" not in proc.stderr


def test_without_any_isolation_libreoffice_is_not_started(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no unshare
    offline = Offline(("namespace",))
    assert offline.modes == []
    with pytest.raises(NoIsolation):
        offline.command(["soffice"])
    monkeypatch.setitem(convert._OFFLINE, "offline", offline)
    monkeypatch.setattr(convert, "_soffice", lambda: "soffice")
    with pytest.raises(convert.ConversionError, match="LibreOffice not started: cannot start it without a network"):
        convert.convert(b"{\\rtf1 x}", ".rtf", warm=False)
    with pytest.raises(ValueError, match="OGI_OFFLINE"):
        Offline(("nothing",))


def test_parse_workers_run_under_the_filter():
    """lxml, MuPDF, onnxruntime and the rest read strangers' bytes in the parse worker: it has no socket
    but Unix ones (seccomp mode 2, a filter), and still converts through LibreOffice."""
    from parsers.limits import Sandbox

    with Sandbox() as sandbox:
        assert sandbox.parse("某县2024年政府信息公开工作年度报告\n".encode())["format"] == "text"  # the worker is up
        status = open(f"/proc/{sandbox._process.pid}/status").read()
        assert "Seccomp:\t2" in status
        if shutil.which("soffice") or os.environ.get("CI"):
            rtf = b"{\\rtf1\\ansi 2024\\par}"
            assert sandbox.parse(rtf)["format"] == "rtf"
