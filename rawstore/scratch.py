"""Scratch folders named after the process that made them, so that a run after a ``kill -9`` removes
what the killed one left behind.

A folder is ``<tmp>/<prefix><pid>-<random>``. Making the first folder of a prefix in a process sweeps
the folders of that prefix whose process is gone and which belong to this user. A folder of a live
process is never touched; a pid reused by a later process only delays its folder's removal.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def sweep(prefix: str, parent: Path | None = None) -> int:
    """Remove this user's folders ``<prefix><pid>-…`` under ``parent`` (the temporary directory) whose
    process is no longer running; the number removed."""
    parent = Path(parent or tempfile.gettempdir())
    removed = 0
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return 0
    for entry in entries:
        pid, dash, _ = entry.name[len(prefix) :].partition("-")
        if not entry.name.startswith(prefix) or not dash or not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
    if removed:
        log.info("removed %d scratch folder(s) %s* left by processes that are gone", removed, prefix)
    return removed


class Scratch:
    """Makes this process's scratch folders of one prefix, sweeping the dead ones' first."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._swept_by: int | None = None  # the pid that swept: a forked child sweeps again

    def folder(self) -> Path:
        """A new folder; the caller removes it (or :meth:`temporary` does)."""
        if self._swept_by != os.getpid():
            sweep(self.prefix)
            self._swept_by = os.getpid()
        return Path(tempfile.mkdtemp(prefix=f"{self.prefix}{os.getpid()}-"))

    @contextmanager
    def temporary(self) -> Iterator[Path]:
        """A new folder, removed when the block ends."""
        folder = self.folder()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
