"""Parsing shared through Redis: a build's documents parsed by a parse worker in another process (another
machine's copy of the store), the same archive as a build alone, a job taken and never answered parsed by
the build itself, and queue entries that are not jobs refused."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from redis import Redis

from archive.build import build
from archive.parsequeue import Job, SharedParsing, keys
from parsers.limits import Limits, SandboxPool
from rawstore import Fetch, RawStore
from simulate import documents as docgen
from simulate.redisserver import redis_server
from tests.helpers import ROOT, archive_rows, needs_redis


def _store(path: Path, count: int) -> list[str]:
    """A store of ``count`` PDF reports linked straight from a column; returns their bodies' hashes."""
    shas = []
    with RawStore(path, crawl_id="t") as store:
        for i in range(count):
            rng = random.Random(i)
            record = docgen.random_record(rng)
            body = docgen.render_pdf(record, rng)
            url = f"http://www.example.gov.cn/nb/{i}.pdf"
            sha = store.put_blob(body)
            shas.append(sha)
            store.log_fetch(Fetch(url=url, final_url=url, status=200, size=len(body), sha256=sha, kind="file"))
            store.record_report(url, None, f"report {i}", record["year"], None, [(url, "")])
    return shas


@needs_redis
def test_a_parse_worker_elsewhere_shares_the_build(tmp_path):
    store = tmp_path / "store"
    _store(store, 8)
    # the worker's machine holds its own copy of the bodies
    copy = tmp_path / "elsewhere"
    shutil.copytree(store / "blobs", copy / "blobs")
    with redis_server() as url:
        cmd = [sys.executable, "-m", "ogi", "parse-worker", "--frontier", url, "--store", str(copy)]
        worker = subprocess.Popen([*cmd, "--idle-exit", "60"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not Redis.from_url(url).scard(keys("archive")[2]) and time.monotonic() < deadline:
                time.sleep(0.1)  # the worker is serving the queue
            shared = build(tmp_path / "shared.db", store, progress=False, jobs=1, frontier=url)
        finally:
            worker.terminate()
            log = worker.communicate(timeout=30)[1]
    assert shared.documents_parsed == 8 and shared.parsed_elsewhere >= 1, log[-2000:]
    alone = build(tmp_path / "alone.db", store, progress=False, jobs=1)
    assert alone.parsed_elsewhere == 0
    assert archive_rows(tmp_path / "shared.db") == archive_rows(tmp_path / "alone.db")


@needs_redis
def test_a_job_taken_and_never_answered_is_parsed_by_the_build(tmp_path):
    store = tmp_path / "store"
    shas = _store(store, 2)
    jobs = [Job((sha,), "application/pdf", f"http://x/{i}.pdf") for i, sha in enumerate(shas)]
    with redis_server() as url, SandboxPool(1) as pool:
        # a worker that takes a job and dies with it
        server = Redis.from_url(url)
        thief = threading.Thread(target=lambda: server.blpop([keys("t")[0]], timeout=30))
        thief.start()
        shared = SharedParsing(url, store, pool, queue="t", limits=Limits(seconds=1))
        results = shared.parse_all(jobs)
        thief.join()
    assert [r[0]["year"] for r in results] == [random_year(0), random_year(1)]
    assert shared.here == 2 and shared.elsewhere == 0


def random_year(i: int) -> int:
    return int(docgen.random_record(random.Random(i))["year"])


@pytest.mark.parametrize(
    "entry",
    [b"not json", b"[]", b'{"shas": []}', b'{"shas": ["../../../etc/passwd"]}', b'{"shas": [1]}'],
)
def test_an_entry_that_is_not_a_job_is_refused(entry):
    with pytest.raises(ValueError):
        Job.loads(entry)
