"""Converting legacy word-processor files (DOC, WPS, RTF, ODT) to DOCX with LibreOffice, headless.

County portals publish many reports as Word 97 ``.doc`` and Kingsoft ``.wps``
files (often a Word 97 file inside). LibreOffice reads them all; its DOCX is
then read like any other. Each conversion runs in a private temporary
directory, in its own process group, killed at :data:`SECONDS`. The user
profile LibreOffice needs is kept for the life of the process (first start
~2 s, later ones ~1 s) and removed at exit.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

#: A conversion that takes longer is given up (a document is also bound by the parse limits).
SECONDS = 60
#: Debian's packages that provide ``soffice`` without a desktop.
PACKAGES = "libreoffice-writer-nogui (and libreoffice-calc-nogui)"
_PROFILE: dict[str, Path] = {}
# LibreOffice picks an export filter by extension; DOCX needs naming (else it may write Office Open XML Text)
_FILTERS = {"docx": "docx:MS Word 2007 XML"}


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
        atexit.register(shutil.rmtree, _PROFILE["dir"], True)
    return _PROFILE["dir"]


def convert(data: bytes, suffix: str, target: str = "docx", seconds: float = SECONDS) -> bytes:
    """Convert a document with LibreOffice (to DOCX for the parser; the generator makes DOC and XLS this way).

    Args:
        data: the file's bytes.
        suffix: the extension LibreOffice is shown (it reads the bytes; the name only helps).
        target: the extension to convert to (``docx``, ``doc``, ``rtf``, ``odt``, ``xls``, ``ods``).
        seconds: time allowed.

    Raises:
        ConversionError: see the class.
    """
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ConversionError(f"reading DOC/WPS/RTF needs LibreOffice: install Debian's {PACKAGES}", missing=True)
    with tempfile.TemporaryDirectory(prefix="ogi-convert-") as tmp:
        source, out = Path(tmp) / f"document{suffix}", Path(tmp) / "out"
        source.write_bytes(data)
        cmd = [
            exe,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={_profile().as_uri()}",
            "--convert-to",
            _FILTERS.get(target, target),
            "--outdir",
            str(out),
            str(source),
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice starts soffice.bin: the whole group goes
            proc.communicate()
            raise ConversionError(f"LibreOffice gave up after {seconds:g} s") from None
        converted = out / f"document.{target}"
        if not converted.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise ConversionError(f"LibreOffice could not read it ({detail[0][:200]})")
        return converted.read_bytes()
