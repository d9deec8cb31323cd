"""Converting legacy word-processor files (DOC, WPS, RTF, ODT) to DOCX with LibreOffice, headless.

Each conversion runs in a private temporary directory with no network (:mod:`parsers.offline`) and is
given up at :data:`SECONDS`. With ``python3-uno``, one LibreOffice per process serves every conversion
(:class:`WarmOffice`, run by :mod:`parsers.unohost`); otherwise each starts ``soffice``. Why and the
figures: docs/design.md (LibreOffice) and docs/benchmarks.md.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .offline import NoIsolation, Offline

#: A conversion that takes longer is given up (a document is also bound by the parse limits).
SECONDS = 60
#: Debian's packages that provide ``soffice`` without a desktop.
PACKAGES = "libreoffice-writer-nogui (and libreoffice-calc-nogui)"
#: Documents one warm LibreOffice converts before it is replaced (a stranger's file may leave state behind).
USES = 500
#: Export filters by target extension (``soffice --convert-to`` guesses from the extension, and for DOCX
#: may pick Office Open XML Text; the warm instance needs a name for every target).
FILTERS = {
    "docx": "MS Word 2007 XML",
    "doc": "MS Word 97",
    "rtf": "Rich Text Format",
    "odt": "writer8",
    "xls": "MS Excel 97",
    "xlsx": "Calc MS Excel 2007 XML",
    "ods": "calc8",
}
_HOST = Path(__file__).with_name("unohost.py")
log = logging.getLogger(__name__)
# per process: LibreOffice's profile directory, the Python that has uno ("" if none) and the warm office
_PROFILE: dict[str, Path] = {}
_UNO_PYTHON: dict[str, str] = {}
_WARM: dict[str, WarmOffice] = {}
_OFFLINE: dict[str, Offline] = {}


class ConversionError(ValueError):
    """LibreOffice is missing, gave up, or could not read the file.

    Attributes:
        missing: LibreOffice is not installed.
    """

    def __init__(self, message: str, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def _profile() -> Path:
    if "dir" not in _PROFILE:
        _PROFILE["dir"] = Path(tempfile.mkdtemp(prefix="ogi-libreoffice-"))
        atexit.register(_remove, _PROFILE["dir"], office_sockets(_PROFILE["dir"]))
    return _PROFILE["dir"]


def office_sockets(profile: Path, pipe: str = "") -> list[Path]:
    """The named pipes a LibreOffice with this profile makes in ``/tmp`` and leaves there when killed.

    Each instance makes one to keep itself single per profile: ``SingleOfficeIPC_`` and the MD5 of the
    profile's URL in UTF-16, each byte in hex without padding (LibreOffice's ``officeipcthread.cxx``;
    checked against the pipes LibreOffice 7.4 makes). The directory is fixed; ``TMPDIR`` does not move it.

    Args:
        profile: the ``UserInstallation`` directory.
        pipe: the name of the pipe it accepts UNO connections on, if any.
    """
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le")).digest()
    names = ["SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)] + ([pipe] if pipe else [])
    return [Path(f"/tmp/OSL_PIPE_{os.getuid()}_{name}") for name in names]


def _remove(profile: Path, sockets: list[Path]) -> None:
    shutil.rmtree(profile, ignore_errors=True)
    for socket in sockets:
        socket.unlink(missing_ok=True)


def offline(cmd: list[str]) -> list[str]:
    """``cmd`` as LibreOffice must run it: where it can reach no network (:mod:`parsers.offline`).

    Raises:
        ConversionError: this machine cannot isolate it.
    """
    if "offline" not in _OFFLINE:
        _OFFLINE["offline"] = Offline()
    try:
        return _OFFLINE["offline"].command(cmd)
    except NoIsolation as exc:
        raise ConversionError(f"LibreOffice not started: {exc}") from None


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ConversionError(f"reading DOC/WPS/RTF needs LibreOffice: install Debian's {PACKAGES}", missing=True)
    return exe


def uno_python(soffice: str) -> str | None:
    """The interpreter that can ``import uno`` (LibreOffice's own, or the system's with ``python3-uno``).

    Args:
        soffice: the ``soffice`` found on the PATH (its program directory may hold a bundled Python).
    """
    if "python" not in _UNO_PYTHON:
        candidates = [str(Path(soffice).resolve().parent / "python"), "/usr/bin/python3", shutil.which("python3")]
        _UNO_PYTHON["python"] = next((c for c in candidates if c and _has_uno(c)), "")
    return _UNO_PYTHON["python"] or None


def _has_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-I", "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class WarmOffice:
    """One LibreOffice kept running for many conversions, served by ``parsers/unohost.py``.

    The host and its LibreOffice run in a session of their own, which :meth:`close` kills; when the host's
    stdin ends (this process died, even by SIGKILL) it kills LibreOffice and removes the profile itself.

    Args:
        python: an interpreter that can ``import uno``.
        soffice: LibreOffice's ``soffice``.
        seconds: time LibreOffice gets to start.
    """

    def __init__(self, python: str, soffice: str, seconds: float = SECONDS) -> None:
        pipe = f"ogi-{os.getpid()}-{secrets.token_hex(6)}"
        isolated = offline([python, "-I", str(_HOST), soffice, pipe])
        profile = Path(tempfile.mkdtemp(prefix="ogi-libreoffice-warm-"))
        self._profile, self._sockets = profile, office_sockets(profile, pipe)
        self._proc = subprocess.Popen(
            [*isolated, str(profile), *map(str, self._sockets)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._buffer = b""
        self.uses = 0
        try:
            self._answer(seconds)
        except ConversionError:
            self.close()
            raise

    def _answer(self, seconds: float) -> dict[str, object]:
        assert self._proc.stdout is not None
        fd, deadline = self._proc.stdout.fileno(), time.monotonic() + seconds
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise ConversionError(f"LibreOffice gave up after {seconds:g} s")
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise ConversionError("LibreOffice stopped (crashed or could not start)")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise ConversionError(f"LibreOffice's host said something unexpected: {line[:100]!r}")
        return answer

    @property
    def alive(self) -> bool:
        """The host (and so LibreOffice) is still running."""
        return self._proc.poll() is None

    def convert(self, source: Path, target: Path, filter_name: str, seconds: float) -> None:
        """Convert the file ``source`` into ``target`` with the export filter named.

        Raises:
            ConversionError: LibreOffice could not read it or ran over ``seconds`` (the caller closes this
                office then: it may be hung).
        """
        assert self._proc.stdin is not None
        self.uses += 1
        request = {"in": str(source), "out": str(target), "filter": filter_name}
        try:
            self._proc.stdin.write(json.dumps(request).encode() + b"\n")
            self._proc.stdin.flush()
        except OSError:
            raise ConversionError("LibreOffice stopped (crashed)") from None
        answer = self._answer(seconds)
        if "error" in answer or not target.is_file():
            raise ConversionError(f"LibreOffice could not read it ({str(answer.get('error', 'no output'))[:200]})")

    def close(self) -> None:
        """Stop the host and LibreOffice (its whole session) and remove the profile and the sockets."""
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._proc.communicate()
        _remove(self._profile, self._sockets)


def _warm(soffice: str) -> WarmOffice | None:
    office = _WARM.get("office")
    if office is not None and (office.uses >= USES or not office.alive):
        _drop_warm()
        office = None
    if office is None:
        python = uno_python(soffice)
        if python is None:
            return None
        office = _WARM["office"] = WarmOffice(python, soffice)
    return office


def _drop_warm() -> None:
    office = _WARM.pop("office", None)
    if office is not None:
        office.close()


atexit.register(_drop_warm)


def convert(data: bytes, suffix: str, target: str = "docx", seconds: float = SECONDS, warm: bool = True) -> bytes:
    """Convert a document with LibreOffice (to DOCX for the parser; the generator makes DOC and XLS this way).

    Uses the process's warm LibreOffice when a Python with ``uno`` is installed, else one ``soffice`` per
    document.

    Args:
        data: the file's bytes.
        suffix: the extension LibreOffice is shown (it reads the bytes; the name only helps).
        target: the extension to convert to (``docx``, ``doc``, ``rtf``, ``odt``, ``xls``, ``xlsx``, ``ods``).
        seconds: time allowed.
        warm: use the warm LibreOffice where one can run (``False``: one ``soffice`` for this document).

    Raises:
        ConversionError: see the class.
    """
    exe = _soffice()
    with tempfile.TemporaryDirectory(prefix="ogi-convert-") as tmp:
        source, converted = Path(tmp) / f"document{suffix}", Path(tmp) / f"converted.{target}"
        source.write_bytes(data)
        office = None
        if warm and target in FILTERS:
            try:
                office = _warm(exe)
            except ConversionError as exc:  # LibreOffice starts, but not this way: convert as before
                log.warning("no warm LibreOffice (%s): one soffice per document", exc)
                _UNO_PYTHON["python"] = ""
        if office is None:
            return _convert_once(exe, source, target, seconds)
        try:
            office.convert(source, converted, FILTERS[target], seconds)
        except ConversionError:
            _drop_warm()  # hung, crashed or merely refused: the next document gets a fresh instance
            raise
        return converted.read_bytes()


def _convert_once(exe: str, source: Path, target: str, seconds: float) -> bytes:
    """One ``soffice --convert-to`` process for one document (no Python with uno here)."""
    out = source.parent / "out"
    cmd = [
        exe,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={_profile().as_uri()}",
        "--convert-to",
        f"{target}:{FILTERS[target]}" if target in FILTERS else target,
        "--outdir",
        str(out),
        str(source),
    ]
    proc = subprocess.Popen(offline(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice starts soffice.bin: the whole group goes
        proc.communicate()
        raise ConversionError(f"LibreOffice gave up after {seconds:g} s") from None
    converted = out / f"{source.stem}.{target}"
    if not converted.is_file():
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ConversionError(f"LibreOffice could not read it ({detail[0][:200]})")
    return converted.read_bytes()
