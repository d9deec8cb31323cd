"""Each body kept once: the WARC records are the store of record, ``blobs/`` a cache that is off unless
asked for; a store of the layout that kept both is upgraded in place, and a kill during it loses nothing."""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

from rawstore import Fetch, RawStore, body_file, decoded, read_body
from rawstore import schema as store_schema
from rawstore.bodies import MAX_DECODED
from tests.helpers import ROOT


def _exchange(store: RawStore, url: str, body: bytes, encoding: str = "") -> str:
    """What the crawler's middleware does with one response."""
    sent = gzip.compress(body) if encoding == "gzip" else body
    headers = [("Content-Type", "text/html")] + ([("Content-Encoding", encoding)] if encoding else [])
    warc_file, offset = store.write_exchange(url, "GET", [], b"", 200, "OK", headers, sent)
    sha = store.keep(decoded(sent, encoding))
    store.log_fetch(Fetch(url, url, 200, "text/html", len(body), sha, warc_file=warc_file, warc_offset=offset))
    return sha


def test_a_body_is_read_back_from_its_warc_record(tmp_path):
    store = RawStore(tmp_path)
    plain = _exchange(store, "http://x.gov.cn/a.html", "<p>政府信息公开</p>".encode())
    packed = _exchange(store, "http://x.gov.cn/b.html", b"<p>gzip</p>" * 100, "gzip")
    assert not any((tmp_path / "blobs").rglob("*"))  # no cache unless asked for
    assert store.read_body(plain) == "<p>政府信息公开</p>".encode()
    assert read_body(tmp_path, packed) == b"<p>gzip</p>" * 100  # the encoding undone, as when it was kept
    with body_file(tmp_path, packed) as path:
        assert path.read_bytes() == b"<p>gzip</p>" * 100
    cached = RawStore(tmp_path / "cached", blob_cache=True)
    sha = _exchange(cached, "http://x.gov.cn/c.html", b"kept twice")
    assert cached.blob_path(sha).read_bytes() == b"kept twice"


def test_decoding_is_bounded_and_never_fails():
    assert decoded(gzip.compress(b"a") + gzip.compress(b"b"), "gzip") == b"ab"  # several members
    assert decoded(zlib.compress(b"deflated"), "deflate") == b"deflated"
    assert decoded(b"not gzip", "gzip") == b"not gzip"
    assert decoded(gzip.compress(b"cut short")[:-12], "gzip") == gzip.compress(b"cut short")[:-12]
    bomb = gzip.compress(b"\0" * (MAX_DECODED + 1))
    assert decoded(bomb, "gzip") == bomb  # kept as sent, never expanded past the bound


def _old_layout(root: Path) -> dict[str, bytes]:
    """A store as the crawler kept it before: every body cached beside its WARC record, and some bodies
    (a synthesised store's) in blobs only."""
    store = RawStore(root, blob_cache=True)
    bodies = {}
    for i in range(30):
        body = f"<html>report {i} 行政复议</html>".encode() * (i + 1)
        bodies[_exchange(store, f"http://x.gov.cn/r{i}.html", body, "gzip" if i % 2 else "")] = body
    for i in range(10):
        body = f"blob only {i}".encode()
        sha = store.put_blob(body)
        store.log_fetch(Fetch(f"http://x.gov.cn/b{i}.html", None, 200, "text/plain", len(body), sha))
        bodies[sha] = body
    store.close()
    con = sqlite3.connect(root / "store.db")
    con.executescript("DROP TABLE store_info; PRAGMA user_version = 4;")
    con.close()
    return bodies


def _all_readable(root: Path, bodies: dict[str, bytes]) -> None:
    for sha, body in bodies.items():
        assert read_body(root, sha) == body and hashlib.sha256(body).hexdigest() == sha


def test_an_old_store_keeps_each_body_once_after_its_upgrade(tmp_path):
    root = tmp_path / "store"
    bodies = _old_layout(root)
    with RawStore(root, readonly=True):  # a reader upgrades the tables, and leaves the bodies to a writer
        pass
    assert len([p for p in (root / "blobs").rglob("*") if p.is_file()]) == 40
    RawStore(root).close()
    assert not any((root / "blobs").iterdir())  # nor the folders they were in
    _all_readable(root, bodies)
    con = sqlite3.connect(root / "store.db")
    assert not store_schema.blobs_pending(con)
    resources = con.execute("SELECT COUNT(DISTINCT warc_offset) FROM fetches WHERE url LIKE '%/b%'").fetchone()[0]
    assert resources == 10  # the blob-only bodies now have records of their own


def test_a_kill_during_the_upgrade_loses_nothing(tmp_path):
    root = tmp_path / "store"
    bodies = _old_layout(root)
    killer = (  # the process dies (kill -9) as it drops its 12th cached body
        "import os, signal, pathlib, sys\n"
        "from rawstore import RawStore\n"
        "real, n = pathlib.Path.unlink, [0]\n"
        "def unlink(self, *a, **k):\n"
        "    n[0] += 1\n"
        "    if n[0] == 12 and 'blobs' in str(self): os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(self, *a, **k)\n"
        "pathlib.Path.unlink = unlink\n"
        "RawStore(sys.argv[1])\n"
    )
    proc = subprocess.run([sys.executable, "-c", killer, str(root)], cwd=ROOT, timeout=120)
    assert proc.returncode == -9
    left = [p for p in (root / "blobs").rglob("*") if p.is_file()]
    assert 0 < len(left) < 40
    _all_readable(root, bodies)
    RawStore(root).close()  # the same command again finishes the upgrade
    assert not [p for p in (root / "blobs").rglob("*") if p.is_file()]
    _all_readable(root, bodies)
    assert os.path.getsize(root / "store.db") > 0


def test_bodies_take_their_own_room_once(tmp_path):
    """Bytes on disk against the bodies compressed, for report-sized bodies: the real PDF of ../shared/real
    and the seed reports as pages; a WARC record's headers and its request record are the only extra."""
    shared = ROOT.parent / "shared"
    bodies = [p.read_bytes() for p in sorted((shared / "real").glob("*.pdf"))]
    bodies += [
        ("<html><body>" + p.read_text(encoding="utf-8") + "</body></html>").encode()
        for p in sorted((shared / "seeds").glob("*.txt"))
    ]
    assert len(bodies) >= 6
    store = RawStore(tmp_path / "store")
    for i, body in enumerate(bodies):
        _exchange(store, f"http://x.gov.cn/{i}", body, "gzip" if i % 2 else "")
    store.close()
    on_disk = sum(p.stat().st_size for p in (tmp_path / "store").rglob("*") if p.is_file() and p.suffix == ".gz")
    on_disk += sum(p.stat().st_size for p in (tmp_path / "store" / "blobs").rglob("*") if p.is_file())
    compressed = sum(min(len(b), len(gzip.compress(b))) for b in bodies)
    assert on_disk <= 1.05 * compressed, (on_disk, compressed)
