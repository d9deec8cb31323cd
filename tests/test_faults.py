"""Fault injection: ``ogi build`` and ``ogi crawl --jobdir`` killed with SIGKILL at random moments (10 and
6 times), then the same command run once more: the result equals an uninterrupted run, and the
databases pass SQLite's integrity and foreign-key checks."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from rawstore import RawStore
from simulate.portals import Farm
from tests.helpers import ROOT, archive_rows, findable

KILLS = 10
#: a crawl's kills: each costs half a crawl on average, and a crawl outlasts a build
CRAWL_KILLS = 6


def _run(cmd: list[str]) -> tuple[float, str]:
    """Run ``cmd`` to the end; returns how long it took and what it logged."""
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return time.monotonic() - start, done.stderr


def _found(log: str) -> list[str]:
    """The closing summary's "reports found" per seed."""
    return [ln.split(": ", 1)[1].split(",")[0] for ln in log.splitlines() if "crawler.extensions.summary: seed " in ln]


def _kill(cmd: list[str], delay: float) -> bool:
    """Start ``cmd`` and SIGKILL it after ``delay`` seconds; whether it was still running."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return running


def _running(marker: str) -> list[str]:
    """Processes whose command line mentions ``marker`` (orphaned workers of killed runs included)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            cmdline = proc.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            found.append(cmdline)
    return found


def _sound(db: Path) -> None:
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.slow
def test_builds_killed_at_random_then_repaired(built, tmp_path):
    """Each batch is one transaction and the parse cache holds only what was committed, so a killed build
    leaves the archive as it was before the batch; the next build carries on."""
    _, fresh, tmp, _ = built
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "ogi", "build", "--db", str(db), "--store", str(tmp / "store")]
    cmd += ["--seeds", str(tmp / "seeds.csv"), "--batch", "3"]
    timings = []
    for _ in range(2):  # how long a build from nothing takes, start-up included: the quicker of two, as a
        db.unlink(missing_ok=True)  # build slowed once by a busy machine would put most kills past the end
        timings.append(_run(cmd)[0])
    whole = min(timings)
    rng, landed = random.Random(7), 0
    for attempt in range(KILLS):
        if attempt % 5 == 0:  # from nothing again, so that kills land all through a build
            db.unlink()
        landed += _kill(cmd, rng.uniform(0.2, whole))
        if attempt % 5 == 4:
            _run(cmd)
            assert archive_rows(db) == archive_rows(fresh)
            _sound(db)
    assert landed >= KILLS * 3 // 4
    # a killed build's parse worker notices its caller is gone and exits: nothing is left running
    deadline = time.monotonic() + 10
    while _running(str(db)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _running(str(db)) == []


def _store_content(store: Path) -> dict[str, object]:
    db = RawStore(store, readonly=True).db
    db.row_factory = None
    latest = "SELECT url, sha256 FROM fetches WHERE status = 200 GROUP BY url HAVING id = MAX(id)"
    return {
        # not column_url: a report listed in two columns keeps whichever list was read first, in any crawl
        "reports": sorted(db.execute("SELECT url, adcode, title, year FROM reports")),
        "files": sorted(db.execute("SELECT report_url, file_url, link_text FROM report_files")),
        "bodies": sorted(db.execute(latest)),
    }


@pytest.mark.slow
def test_crawls_killed_at_random_then_resumed(tmp_path):
    """``kill -9`` during a crawl with JOBDIR, 6 times, then the same command: the store holds exactly
    what an uninterrupted crawl stores, and every WARC file reads to its end."""
    # big enough that Scrapy has flushed seen requests to JOBDIR before a kill (113 reports, 12 portals)
    with Farm(seed=9, reports_per_portal=4, big_portal_pages=16) as farm:
        seeds = tmp_path / "seeds.csv"
        farm.write_seeds(str(seeds))
        reference = [sys.executable, "-m", "ogi", "crawl", "--profile", "farm", "--seeds", str(seeds)]
        whole, log = _run([*reference, "--store", str(tmp_path / "reference")])
        store, job = tmp_path / "store", tmp_path / "job"
        cmd = [*reference, "--store", str(store), "--jobdir", str(job)]
        rng = random.Random(11)
        landed = sum(_kill(cmd, rng.uniform(0.3, whole)) for _ in range(CRAWL_KILLS))
        assert landed >= CRAWL_KILLS * 3 // 4
        _, resumed = _run(cmd)
        assert "was killed" in resumed
        assert _found(resumed) == _found(log)  # every seed's reports found again, not "0 seeds"
        _, again = _run(cmd)  # the same command after a finished crawl: a new crawl, not a resume of nothing
        assert _found(again) == _found(log)
    got, want = _store_content(store), _store_content(tmp_path / "reference")
    assert got["reports"] == want["reports"]
    assert got["files"] == want["files"]
    assert got["bodies"] == want["bodies"]
    assert {u for u, *_ in got["reports"]} == set(findable(farm))  # type: ignore[union-attr]
    _sound(store / "store.db")
    for warc in sorted((store / "warc").iterdir()):
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                record.content_stream().read()
