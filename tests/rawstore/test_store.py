"""The raw store: one description of its tables, blobs named only by their hash, clear errors on a
store that is missing or not a store, and an old store upgraded when opened."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import fields

import pytest

from archive import schema as archive_schema
from rawstore import DamagedBlob, Fetch, RawStore, StoreError, blob_path, body_file
from rawstore import schema as store_schema


def test_fetch_record_and_table_agree():
    assert {f.name for f in fields(Fetch)} == set(store_schema.TABLES["fetches"])
    # the archive's copy of the fetch log takes its columns from the store's
    assert set(archive_schema.TABLES["fetches"].columns) <= set(store_schema.TABLES["fetches"])


def test_blob_names_are_hashes_only(tmp_path):
    sha = "ab" * 32
    assert blob_path(tmp_path, sha) == tmp_path / "blobs" / "ab" / "ab" / sha
    for bad in ("../../../etc/passwd", "AB" * 32, "ab" * 31, "ab" * 32 + "/x"):
        with pytest.raises(ValueError):
            blob_path(tmp_path, bad)


def test_blobs_are_checked_against_their_hash(tmp_path):
    store = RawStore(tmp_path)
    sha = store.put_blob(b"report body")
    assert store.read_body(sha) == b"report body"
    with body_file(tmp_path, sha) as path:
        assert path.read_bytes() == b"report body"
    blob_path(tmp_path, sha).write_bytes(b"report b0dy")  # one flipped byte on disk
    with pytest.raises(DamagedBlob):
        store.read_body(sha)
    with pytest.raises(DamagedBlob), body_file(tmp_path, sha):
        pass
    with pytest.raises(FileNotFoundError):
        store.read_body("0" * 64)


def test_missing_and_corrupt_stores_are_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="no raw store"):
        RawStore(tmp_path / "absent", readonly=True)
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "store.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a readable store database"):
        RawStore(corrupt, readonly=True)
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "build", "--db", str(tmp_path / "a.db"), "--store", str(corrupt)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "not a readable store database" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "a.db").exists()


def test_a_store_of_the_first_layout_is_upgraded_when_opened(tmp_path):
    """Stores written before the county code was called adcode (``seed`` columns, no user_version)."""
    root = tmp_path / "old"
    root.mkdir()
    con = sqlite3.connect(root / "store.db")
    con.executescript(
        "CREATE TABLE fetches (id INTEGER PRIMARY KEY, url TEXT NOT NULL, final_url TEXT, status INTEGER,"
        " content_type TEXT, size INTEGER, sha256 TEXT, etag TEXT, last_modified TEXT, fetched_at TEXT NOT NULL,"
        " seed TEXT, kind TEXT, report_url TEXT, filename TEXT, warc_file TEXT, warc_offset INTEGER, error TEXT);"
        "CREATE TABLE reports (url TEXT PRIMARY KEY, seed TEXT, title TEXT, year INTEGER, column_url TEXT,"
        " first_seen TEXT, last_seen TEXT);"
        "CREATE TABLE report_files (report_url TEXT NOT NULL, file_url TEXT NOT NULL, link_text TEXT,"
        " PRIMARY KEY (report_url, file_url));"
        f"INSERT INTO fetches (url, status, sha256, fetched_at, seed) VALUES ('http://a/r.html', 200, '{'c' * 64}',"
        " '2024-01-01T00:00:00Z', '130532');"
        "INSERT INTO reports (url, seed, title) VALUES ('http://a/r.html', '130532', 't');"
    )
    con.commit()
    con.close()
    with RawStore(root, readonly=True) as store:
        assert store.adcodes() == ["130532"]
        assert store.reports()[0].adcode == "130532"
        latest = store.latest("http://a/r.html")
        assert latest is not None and latest.adcode == "130532"


def test_a_store_whose_writer_was_killed_mid_transaction_is_read(tmp_path):
    """kill -9 of the crawler in the middle of a write leaves a hot journal (store.db-journal) that only a
    writable connection can roll back: reading the store (ogi build, ogi merge) rolls it back first instead
    of failing with "attempt to write a readonly database"."""
    with RawStore(tmp_path) as store:
        store.log_fetch(Fetch("http://x.gov.cn/a.html", "http://x.gov.cn/a.html", 200, "text/html", 1, None))
    writer = (
        "import sqlite3, sys, time\n"
        f"db = sqlite3.connect({str(tmp_path / 'store.db')!r}, isolation_level=None)\n"
        "db.execute('PRAGMA cache_size = 1')\n"  # a small cache: pages reach the file before the commit
        "db.execute('BEGIN IMMEDIATE')\n"
        "db.execute(\"UPDATE fetches SET url = 'http://x.gov.cn/half-written.html'\")\n"
        "for _ in range(200):\n"
        "    db.execute(\"INSERT INTO fetches (url, fetched_at) VALUES (hex(randomblob(2000)), 'now')\")\n"
        "print('writing', flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.kill()
    proc.wait()
    assert (tmp_path / "store.db-journal").exists()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # what a read-only reader meets
        sqlite3.connect(f"file:{tmp_path / 'store.db'}?mode=ro", uri=True).execute("SELECT 1 FROM fetches").fetchall()
    with RawStore(tmp_path, readonly=True) as store:
        assert [url for (url,) in store.db.execute("SELECT url FROM fetches")] == ["http://x.gov.cn/a.html"]
