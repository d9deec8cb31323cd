"""Scratch folders: a body copied for a parse worker, or the crawl's Chromium launcher, left behind by a
``kill -9`` is removed by the next run that makes one; a live process's folder never is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from rawstore import Fetch, RawStore, decoded
from rawstore.scratch import Scratch, sweep
from tests.helpers import ROOT, dead_pid


def test_sweep_removes_only_dead_processes_folders(tmp_path):
    dead, mine = dead_pid(), os.getpid()
    (tmp_path / f"ogi-body-{dead}-abc").mkdir()
    (tmp_path / f"ogi-body-{dead}-abc" / "body").write_bytes(b"x")
    (tmp_path / f"ogi-body-{mine}-def").mkdir()  # a live process's
    (tmp_path / f"ogi-body-{dead}-file").write_bytes(b"not a folder")
    (tmp_path / "ogi-body-nopid").mkdir()  # not ours to judge
    (tmp_path / f"ogi-chromium-{dead}-ghi").mkdir()  # another prefix
    assert sweep("ogi-body-", tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"ogi-body-{mine}-def", f"ogi-body-{dead}-file", "ogi-body-nopid", f"ogi-chromium-{dead}-ghi"]
    )


def test_a_folder_is_named_after_its_process_and_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    (tmp_path / f"ogi-test-{dead_pid()}-old").mkdir()
    scratch = Scratch("ogi-test-")
    with scratch.temporary() as folder:
        assert folder.parent == tmp_path and folder.name.startswith(f"ogi-test-{os.getpid()}-")
        assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # the dead one's swept first
    assert not any(tmp_path.iterdir())


_HOLD_A_COPY = """
import sys, time
from rawstore import body_file
with body_file(sys.argv[1], sys.argv[2]) as path:
    print(path, flush=True)
    time.sleep(60)
"""


def test_a_body_copy_left_by_kill_9_is_removed_by_the_next_run(tmp_path):
    store = RawStore(tmp_path / "store")  # no blob cache: a body is copied out of its WARC record
    warc_file, offset = store.write_exchange(
        "http://x.gov.cn/a.pdf", "GET", [], b"", 200, "OK", [("Content-Type", "application/pdf")], b"%PDF-1.4 x"
    )
    sha = store.keep(decoded(b"%PDF-1.4 x", ""))
    store.log_fetch(
        Fetch(
            "http://x.gov.cn/a.pdf",
            "http://x.gov.cn/a.pdf",
            200,
            "application/pdf",
            10,
            sha,
            warc_file=warc_file,
            warc_offset=offset,
        )
    )
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", textwrap.dedent(_HOLD_A_COPY), str(tmp_path / "store"), sha]
    for _ in range(2):
        holder = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None
        copy = holder.stdout.readline().strip()
        assert open(copy, "rb").read() == b"%PDF-1.4 x"
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    left = [p.name for p in temp.iterdir()]
    assert len(left) == 1 and left[0].startswith(f"ogi-body-{holder.pid}-")  # the first run's is gone
