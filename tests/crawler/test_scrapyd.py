"""Scrapyd, the Scrapy ecosystem's scheduler: ``scrapyd-deploy`` sends the project to a real Scrapyd on
loopback, its HTTP API schedules ``annual_reports``, and the job's store holds the reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from rawstore import RawStore
from simulate.portals import Farm
from simulate.portals.farm import NETWORK
from simulate.redisserver import free_port
from tests.helpers import ROOT

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
#: What ``ogi crawl --profile farm`` sets (crawler/profiles.py), as Scrapyd takes settings: one per field.
FARM = {
    "OGI_ALLOWED_HOSTS": str(NETWORK),
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "1",
    "OGI_HOST_DELAY": "0",
}
#: What a deploy takes of the working tree (not the virtualenvs, stores and outputs beside it).
IGNORED = shutil.ignore_patterns(
    ".git", ".venv*", "store", "ogi-demo", "test-artifacts", "build", "*.egg-info", "__pycache__"
)


def _api(base: str, path: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(base + path, data=body, timeout=30) as r:
        return json.loads(r.read())


def _run_job(base: str, data: list[tuple[str, str]]) -> str:
    job = _api(base, "schedule.json", data)["jobid"]
    for _ in range(600):
        if any(j["id"] == job for j in _api(base, "listjobs.json?project=ogi")["finished"]):
            break
        time.sleep(0.5)
    return str(job)


def test_deploy_to_scrapyd_and_schedule_the_crawl(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    (tmp_path / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {tmp_path / 'eggs'}\nlogs_dir = {tmp_path / 'logs'}\ndbs_dir = {tmp_path / 'dbs'}\n"
        "items_dir =\nmax_proc = 1\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    server = subprocess.Popen([str(BIN / "scrapyd")], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                assert _api(base, "daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                time.sleep(0.2)
        # the deploy tool as a user runs it, from the project (a copy: it builds in place)
        project = tmp_path / "project"
        shutil.copytree(ROOT, project, ignore=IGNORED)
        deploy = subprocess.run(
            [str(BIN / "scrapyd-deploy"), "env"],
            cwd=project,
            env={**os.environ, "SCRAPYD_URL": base},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert deploy.returncode == 0, deploy.stderr[-2000:]
        assert json.loads(deploy.stdout)["status"] == "ok"
        assert _api(base, "listspiders.json?project=ogi")["spiders"] == ["annual_reports", "portal_sites"]

        with Farm(seed=4, reports_per_portal=2, big_portal_pages=2) as farm:
            seeds = farm.write_seeds(tmp_path / "seeds.csv", {"990101"})
            store = tmp_path / "store"
            settings = [("setting", f"{k}={v}") for k, v in {**FARM, "OGI_STORE": str(store)}.items()]
            job_args = [("project", "ogi"), ("spider", "annual_reports"), ("seeds", str(seeds)), *settings]
            job = _run_job(base, job_args)
            want = {u for u, r in farm.reports.items() if r.adcode == "990101"}
            log = next((tmp_path / "logs").rglob(f"{job}.log")).read_text(encoding="utf-8")
            assert "Traceback" not in log, log[-3000:]
            found = {r[0] for r in RawStore(store, readonly=True).db.execute("SELECT url FROM reports")}
            assert want and found == want, log[-3000:]
            # a second job on a store another process is writing (here: this test) does nothing, and says so
            fetches = RawStore(store, readonly=True).db.execute("SELECT COUNT(*) FROM fetches").fetchone()[0]
            with RawStore(store):
                second = _run_job(base, job_args)
            log = next((tmp_path / "logs").rglob(f"{second}.log")).read_text(encoding="utf-8")
            assert "another process is writing the raw store" in log, log[-3000:]
            assert RawStore(store, readonly=True).db.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == fetches
    finally:
        server.terminate()
        server.wait(timeout=30)
