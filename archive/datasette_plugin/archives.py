"""Which of the databases Datasette serves are OGI archives: the plugin touches those and no other.

An archive is a file database with the tables ``reports`` and ``build_info`` (what ``ogi build``
writes). The same Datasette may serve unrelated databases beside it (``datasette archive.db
other.db``): their connections, search and pages stay Datasette's own.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

#: The tables that make a database an archive.
MARKS = ("reports", "build_info")


def is_archive(conn: sqlite3.Connection) -> bool:
    """The connection's main database is an OGI archive."""
    found = conn.execute(
        f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ({', '.join('?' * len(MARKS))})", MARKS
    ).fetchone()[0]
    return bool(found == len(MARKS))


def _file_is_archive(path: str) -> bool:
    try:
        with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as conn:
            return is_archive(conn)
    except sqlite3.Error:
        return False


def archive_names(datasette: Any) -> list[str]:
    """The names of the served databases that are archives, in Datasette's order (looked at once per set
    of databases: Datasette may add one while it runs)."""
    served = tuple((name, db.path) for name, db in datasette.databases.items() if db.path and not db.is_memory)
    known = getattr(datasette, "_ogi_archives", None)
    if known is None or known[0] != served:
        known = (served, [name for name, path in served if _file_is_archive(path)])
        datasette._ogi_archives = known
    return list(known[1])


def archive_db(datasette: Any) -> Any:
    """The first archive served (the one the home, search, report and agency pages show).

    Raises:
        LookupError: no archive is served (the plugin's pages are then not routed at all).
    """
    names = archive_names(datasette)
    if not names:
        raise LookupError("no OGI archive is served")
    return datasette.get_database(names[0])


def only_archives(datasette: Any) -> bool:
    """Every file database served is an archive (then the instance's title is the archive's)."""
    files = [name for name, db in datasette.databases.items() if db.path and not db.is_memory]
    return bool(files) and archive_names(datasette) == files
