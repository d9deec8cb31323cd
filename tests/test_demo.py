"""``ogi demo --no-serve``: the farm started, crawled and built into archive.db in one command, in a
directory of its own."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from simulate.portals import Farm
from tests.helpers import findable


@pytest.mark.slow
def test_ogi_demo_no_serve(tmp_path):
    folder = tmp_path / "demo"
    db = folder / "archive.db"
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "demo", "--no-serve", "--dir", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    con = sqlite3.connect(db)
    expected = len(findable(Farm(seed=0)))  # the demo's farm, built the same way
    assert con.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == expected
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "reports found" in proc.stderr and "documents parsed" in proc.stdout
    # the demo republishes two reports and crawls their portal again: one revision of the numbers, one of the text
    revisions = con.execute("SELECT cells_changed, prose_changed FROM revisions ORDER BY cells_changed").fetchall()
    assert revisions == [(0, 1), (2, 0)]


def test_ogi_demo_leaves_other_directories_alone(tmp_path):
    """The demo replaces only what it wrote: a directory holding anything else is refused."""
    mine = tmp_path / "archive.db"
    mine.write_bytes(b"a real archive")
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "demo", "--no-serve", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "was not made by `ogi demo`" in proc.stderr
    assert mine.read_bytes() == b"a real archive"
