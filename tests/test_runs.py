"""Scheduled runs and run records: ``ogi run`` twice on the farm (the second incremental, its record saying
what changed), the lock that keeps two runs apart, the shipped schedule files, the counts' rules."""

from __future__ import annotations

import fcntl
import json
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ogi.cli import build_parser
from rawstore import RawStore
from rawstore.runs import finish, start
from simulate.portals import Farm, Page
from tests.helpers import ROOT, unlist

STATIC = "990101"  # the farm's plain static portal: its lists are two pages of <li> links


def ogi_run(tmp: Path, seeds: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "ogi", "run", "--profile", "farm", "--seeds", str(seeds)]
    cmd += ["--store", str(tmp / "store"), "--db", str(tmp / "archive.db"), "--summary", str(tmp / "summary.txt")]
    return subprocess.run([*cmd, *extra], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_the_schedule_runs_twice_and_the_second_run_says_what_changed(tmp_path):
    seeds = tmp_path / "seeds.csv"
    with Farm(seed=11, reports_per_portal=4, big_portal_pages=2) as farm:
        farm.write_seeds(seeds, only=[STATIC])
        reports = sorted((r for r in farm.reports.values() if r.adcode == STATIC and not r.files), key=lambda r: r.url)
        hidden, dropped, edited = reports[0], reports[1], reports[2]
        restore = unlist(farm, hidden.url)  # published only after the first run

        first = ogi_run(tmp_path, seeds)
        assert first.returncode == 0, first.stderr[-3000:]
        # the summary is printed (for cron's mail) and written; the archive was built
        assert first.stdout.startswith("Crawl run ") and "finished" in first.stdout
        assert (tmp_path / "summary.txt").read_text(encoding="utf-8").strip() == first.stdout.strip()
        assert "Build: " in first.stdout
        found = re.search(r"reports: (\d+) found — (\d+) new, 0 changed, 0 unchanged", first.stdout)
        assert found and found.group(1) == found.group(2), first.stdout
        n = int(found.group(1))

        for (portal, route), page in restore.items():
            portal.routes[route] = page  # type: ignore[attr-defined]
        unlist(farm, dropped.url)
        portal, route = farm.route(edited.url)
        old = portal.routes[route]
        assert isinstance(old, Page)
        portal.routes[route] = Page(old.body.replace(b"</body>", b"<p>\xe6\x9b\xb4\xe6\xad\xa3</p></body>"))

        second = ogi_run(tmp_path, seeds)
        assert second.returncode == 0, second.stderr[-3000:]
        assert f"reports: {n} found — 1 new, 1 changed, {n - 2} unchanged; gone since the run before: 1" in (
            second.stdout
        ), second.stdout

    with RawStore(tmp_path / "store", readonly=True) as raw:
        runs = raw.run_rows()
        assert [r["reason"] for r in runs] == ["finished", "finished"]
        assert json.loads(runs[1]["seeds"]) == [STATIC]
        new = raw.db.execute("SELECT url FROM reports WHERE first_run = ?", (runs[1]["run"],)).fetchall()
        assert [r[0] for r in new] == [hidden.url]
        # the farm's broken entries are failures by reason, each URL once (retries are not counted twice)
        failures = json.loads(runs[1]["failures"])
        assert failures["HTTP 404"] >= 1 and failures["HTTP 403"] == 1 and failures["HTTP 412"] == 1
    # the archive shows the records
    db = sqlite3.connect(tmp_path / "archive.db")
    assert db.execute("SELECT run, reports_new, reports_gone FROM crawl_runs ORDER BY started, run").fetchall() == [
        (runs[0]["run"], n, 0),
        (runs[1]["run"], 1, 1),
    ]
    # the run and its fetches are joined in SQL
    fetched = db.execute("SELECT COUNT(*) FROM fetches WHERE run = ?", (runs[1]["run"],)).fetchone()[0]
    assert fetched == runs[1]["fetches"] > 0


def test_a_run_started_while_another_holds_the_store_does_nothing(tmp_path):
    seeds = tmp_path / "seeds.csv"
    seeds.write_text("adcode,portal_url\n", encoding="utf-8")
    (tmp_path / "store").mkdir()
    with open(tmp_path / "store" / "run.lock", "ab") as fh:
        fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = ogi_run(tmp_path, seeds)
    assert proc.returncode == 75, proc.stderr[-2000:]
    assert "another run is using" in proc.stderr
    assert not (tmp_path / "store" / "store.db").exists() and not (tmp_path / "archive.db").exists()


def _shipped_commands() -> list[list[str]]:
    service = (ROOT / "deploy/systemd/ogi-run.service").read_text(encoding="utf-8")
    cron = (ROOT / "deploy/cron/ogi-run.cron").read_text(encoding="utf-8")
    lines = [line.split("=", 1)[1] for line in service.splitlines() if line.startswith("ExecStart=")]
    lines += [line.split("&&", 1)[1].split("2>>")[0] for line in cron.splitlines() if re.match(r"^[\d*]", line)]
    return [shlex.split(line) for line in lines]


def test_the_shipped_schedules_call_ogi_run_with_options_it_takes():
    commands = _shipped_commands()
    assert len(commands) == 2
    for argv in commands:
        assert Path(argv[0]).name == "ogi" and argv[1] == "run"
        args = build_parser().parse_args(argv[1:])  # exits (SystemExit) on an option ogi does not take
        assert args.func.__name__ == "cmd_run" and args.summary
    timer = (ROOT / "deploy/systemd/ogi-run.timer").read_text(encoding="utf-8")
    assert "OnCalendar=" in timer and "Persistent=true" in timer
    service = (ROOT / "deploy/systemd/ogi-run.service").read_text(encoding="utf-8")
    assert "SuccessExitStatus=75" in service  # a run that found another running is not a failure


def test_a_killed_run_has_no_reason_and_no_gone_count(tmp_path):
    with RawStore(tmp_path, run="r1") as store:
        store.start_run(["1"])
        store.record_report("http://a/1", "1", "t", 2023, None, [])
        store.finish_run("finished")
    with RawStore(tmp_path, run="r2") as store:
        store.start_run(["1"])  # … and killed: never finished
    with RawStore(tmp_path, readonly=True) as raw:
        record = raw.run_record()
    assert record is not None and record.run == "r2" and record.reason is None and record.finished is None
    assert "did not finish" in record.summary() and record.reports_gone is None


def test_gone_is_counted_only_for_a_finished_run(tmp_path):
    db = sqlite3.connect(":memory:")
    from rawstore import schema

    schema.upgrade(db)
    start(db, "a", ["1"])
    db.execute("INSERT INTO reports (url, adcode, first_run, last_run) VALUES ('u1','1','a','a'), ('u2','1','a','a')")
    assert finish(db, "a", "finished").reports_new == 2
    start(db, "b", ["1"])
    db.execute("UPDATE runs SET started = '9999' WHERE run = 'b'")  # after a, whatever the clock says
    db.execute("UPDATE reports SET last_run = 'b' WHERE url = 'u1'")
    assert finish(db, "b", "closespider_timeout").reports_gone is None  # stopped early: it has not looked
    assert finish(db, "b", "finished").reports_gone == 1
    with pytest.raises(KeyError):
        finish(db, "nope", "finished")
