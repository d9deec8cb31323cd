"""A warm LibreOffice for many conversions: run by the Python that has LibreOffice's ``uno`` module.

Not imported by the package: :mod:`parsers.convert` starts this file, with no network, under the
interpreter that can ``import uno`` (Debian's ``python3-uno``). It reads one JSON request per line on
stdin — ``{"in": path, "out": path, "filter": name}`` — and answers one line: ``{"ok": true}`` or
``{"error": text}``. When stdin ends it kills LibreOffice, removes its profile and pipes, and exits.
Documents load hidden, read-only, macros never run, links not updated. Why: docs/design.md (LibreOffice).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import uno  # only in the interpreter LibreOffice ships for (or Debian's python3-uno)
from com.sun.star.beans import PropertyValue

#: Seconds LibreOffice gets to start listening.
START_SECONDS = 60.0
#: soffice.bin's exit code for "start me again" (after it has made a new profile); oosplash does this
#: restart when LibreOffice is started the usual way.
RESTART = 81


def _props(**values: object) -> tuple[object, ...]:
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def _start(soffice: str, pipe: str, profile: Path, sockets: list[Path]) -> tuple[subprocess.Popen[bytes], Any]:
    accept = f"pipe,name={pipe};urp;StarOffice.ComponentContext"
    # soffice.bin itself, not the oosplash launcher that forks it: then killing this child kills LibreOffice
    binary = Path(soffice).resolve().with_name("soffice.bin")
    command = [str(binary) if binary.is_file() else soffice, "--headless", "--invisible", "--nologo",
               "--nodefault", "--norestore", "--nolockcheck", "--nofirststartwizard",
               f"-env:UserInstallation={profile.as_uri()}", f"--accept={accept}"]  # fmt: skip
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_SECONDS

    def launch() -> subprocess.Popen[bytes]:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    office = launch()
    while True:
        try:
            context = resolver.resolve(f"uno:{accept}")
            break
        except Exception:  # NoConnectException until soffice listens
            if office.poll() == RESTART:
                office = launch()
            elif office.poll() is not None or time.monotonic() > deadline:
                _end(office, profile, sockets)
                raise
            time.sleep(0.05)
    return office, context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def _convert(desktop: Any, source: str, target: str, filter_name: str) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source),
        "_blank",
        0,
        # MacroExecutionMode 0 = NEVER_EXECUTE, UpdateDocMode 0 = NO_UPDATE (not enough: see the docstring)
        _props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0),
    )
    if document is None:
        raise ValueError("LibreOffice could not read it")
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), _props(FilterName=filter_name, Overwrite=True))
    finally:
        document.close(True)


def _end(office: subprocess.Popen[bytes], profile: Path, sockets: list[Path]) -> None:
    office.kill()
    office.wait()
    shutil.rmtree(profile, ignore_errors=True)
    for socket in sockets:  # a killed LibreOffice leaves its named pipes in /tmp
        socket.unlink(missing_ok=True)


def _read_requests(
    requests: queue.SimpleQueue[str], office: subprocess.Popen[bytes], profile: Path, sockets: list[Path]
) -> None:
    """Hand each line of stdin on; when stdin ends, end everything, whatever the main thread is waiting on."""
    for line in sys.stdin:
        requests.put(line)
    _end(office, profile, sockets)
    os._exit(0)


def main() -> int:
    """Serve conversion requests on stdin until it ends.

    Arguments: soffice path, pipe name, profile dir, then the named pipes to remove at the end.
    """
    soffice, pipe, profile, sockets = sys.argv[1], sys.argv[2], Path(sys.argv[3]), [Path(a) for a in sys.argv[4:]]
    office, desktop = _start(soffice, pipe, profile, sockets)
    requests: queue.SimpleQueue[str] = queue.SimpleQueue()
    threading.Thread(target=_read_requests, args=(requests, office, profile, sockets), daemon=True).start()
    print(json.dumps({"ready": True}), flush=True)
    while True:
        request = json.loads(requests.get())
        try:
            _convert(desktop, request["in"], request["out"], request["filter"])
            answer: dict[str, object] = {"ok": True}
        except Exception as exc:  # the document's failure (UNO raises its own exception types)
            answer = {"error": f"{type(exc).__name__}: {str(exc).strip()[:300]}"}
        print(json.dumps(answer), flush=True)
        if office.poll() is not None:  # the document took LibreOffice down: the caller starts another
            _end(office, profile, sockets)
            return 1


if __name__ == "__main__":
    raise SystemExit(main())
