"""``sqlite-utils search archive.db reports …``, the real command line: the reports that hold the word, as
rows of ``reports``, for words of every length, a county's name and traditional characters."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from tests.helpers import NONSENSE, reports_containing, search_words


def _search(db: Path, word: str) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(db), "reports", word, "--csv"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def test_search_finds_the_reports_that_hold_the_word(built):
    _, db, _, _ = built
    for word in search_words(db):
        rows = _search(db, word)
        assert {int(r["id"]) for r in rows} == reports_containing(db, word), word
        assert (len(rows) > 0) == (word != NONSENSE), word
        assert all(r["agency"] and r["url"] for r in rows), word  # rows of reports, not of the index


def test_without_the_tokenizer_a_search_fails_and_says_why(built):
    """A client without this package's plugins (plain sqlite3) gets SQLite's error, never an empty answer."""
    _, db, _, _ = built
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("
            "\"SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH '复议'\").fetchall()",
            str(db),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0 and "no such tokenizer: ogi_cjk" in proc.stderr
