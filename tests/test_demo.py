"""``ogi demo --no-serve``: the farm started, crawled and built into archive.db in one command."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from simulate.portals import Farm


@pytest.mark.slow
def test_ogi_demo_no_serve(tmp_path):
    db, store = tmp_path / "archive.db", tmp_path / "store"
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "demo", "--no-serve", "--db", str(db), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    con = sqlite3.connect(db)
    expected = len(Farm(seed=0).reports)  # the demo's farm, built the same way
    assert con.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == expected
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "reports found" in proc.stderr and "documents parsed" in proc.stdout
