"""The raw store: every response kept unchanged, for re-parsing and replay years later.

Layout under the store directory (``OGI_STORE``, default ``store/``)::

    warc/<crawl>-<n>.warc.gz   request and response records (warcio), replayable by pywb
    blobs/ab/cd/<sha256>       each distinct body once, named by its SHA-256
    store.db                   SQLite: fetches (the fetch log) and reports

``store.db`` is the interface for the archive build: ``fetches`` says what
was fetched, when, with what outcome and where its bytes are (blob and WARC
offset); ``reports`` says which fetched documents make up which report.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SCHEMA = """
CREATE TABLE IF NOT EXISTS fetches (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER,
    content_type TEXT,
    size INTEGER,
    sha256 TEXT,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL,
    seed TEXT,
    kind TEXT,
    report_url TEXT,
    filename TEXT,
    warc_file TEXT,
    warc_offset INTEGER,
    error TEXT
);
CREATE INDEX IF NOT EXISTS fetches_url ON fetches(url);
CREATE INDEX IF NOT EXISTS fetches_sha ON fetches(sha256);
CREATE TABLE IF NOT EXISTS reports (
    url TEXT PRIMARY KEY,
    seed TEXT,
    title TEXT,
    year INTEGER,
    column_url TEXT,
    first_seen TEXT,
    last_seen TEXT
);
CREATE TABLE IF NOT EXISTS report_files (
    report_url TEXT NOT NULL,
    file_url TEXT NOT NULL,
    link_text TEXT,
    PRIMARY KEY (report_url, file_url)
);
"""

#: WARC files are rolled over past this size.
WARC_MAX_BYTES = 512 * 1024 * 1024


@dataclass
class Fetch:
    """One fetch as recorded in the log."""

    url: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    seed: str | None = None
    kind: str | None = None
    report_url: str | None = None
    filename: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    error: str | None = None


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RawStore:
    """Writes WARC records, blobs and the fetch log; answers what is already known.

    Args:
        root: the store directory (created if missing).
        crawl_id: prefix of this run's WARC files.
    """

    def __init__(self, root: str | Path, crawl_id: str | None = None) -> None:
        self.root = Path(root)
        (self.root / "warc").mkdir(parents=True, exist_ok=True)
        (self.root / "blobs").mkdir(parents=True, exist_ok=True)
        self.crawl_id = crawl_id or datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.db = sqlite3.connect(self.root / "store.db", check_same_thread=False)
        self.db.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._warc_n = 0
        self._warc = None
        self._warc_path: Path | None = None

    # --- writing -------------------------------------------------------------------

    def blob_path(self, sha256: str) -> Path:
        """Where the body with this hash is kept."""
        return self.root / "blobs" / sha256[:2] / sha256[2:4] / sha256

    def put_blob(self, body: bytes) -> str:
        """Keep a body once, by content; returns its SHA-256."""
        sha = hashlib.sha256(body).hexdigest()
        path = self.blob_path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(body)
            tmp.replace(path)
        return sha

    def _warc_writer(self) -> tuple[WARCWriter, Path]:
        if self._warc is None or (self._warc_path and self._warc_path.stat().st_size > WARC_MAX_BYTES):
            if self._warc is not None:
                self._warc.close()
            self._warc_n += 1
            self._warc_path = self.root / "warc" / f"{self.crawl_id}-{self._warc_n:05d}.warc.gz"
            self._warc = open(self._warc_path, "ab")
            writer = WARCWriter(self._warc, gzip=True)
            writer.write_record(writer.create_warcinfo_record(
                self._warc_path.name, {"software": "ogi-archive crawler", "format": "WARC File Format 1.1"}
            ))
        return WARCWriter(self._warc, gzip=True), self._warc_path  # type: ignore[return-value]

    def write_exchange(
        self,
        url: str,
        method: str,
        request_headers: list[tuple[str, str]],
        request_body: bytes,
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
    ) -> tuple[str, int]:
        """Append a response record and its request record to the current WARC file.

        Returns:
            ``(warc file name, offset of the response record)``.
        """
        with self._lock:
            writer, path = self._warc_writer()
            offset = self._warc.tell()  # type: ignore[union-attr]
            http = StatusAndHeaders(f"{status} {reason}".strip(), response_headers, protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            path_qs = url.split("/", 3)[3] if url.count("/") >= 3 else ""
            req_http = StatusAndHeaders(f"{method} /{path_qs} HTTP/1.1", request_headers, is_http_request=True)
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(request_body), http_headers=req_http)
            request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
            writer.write_record(response)
            writer.write_record(request)
            self._warc.flush()  # type: ignore[union-attr]
            return path.name, offset

    def log_fetch(self, fetch: Fetch) -> None:
        """Record one fetch (success or failure) in the fetch log."""
        with self._lock:
            self.db.execute(
                "INSERT INTO fetches (url, final_url, status, content_type, size, sha256, etag, last_modified,"
                " fetched_at, seed, kind, report_url, filename, warc_file, warc_offset, error)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (fetch.url, fetch.final_url, fetch.status, fetch.content_type, fetch.size, fetch.sha256, fetch.etag,
                 fetch.last_modified, _now(), fetch.seed, fetch.kind, fetch.report_url, fetch.filename,
                 fetch.warc_file, fetch.warc_offset, fetch.error),
            )
            self.db.commit()

    def record_report(self, url: str, seed: str | None, title: str, year: int | None, column_url: str | None,
                      files: list[tuple[str, str]]) -> None:
        """Record a report page and the files that belong to it."""
        now = _now()
        with self._lock:
            self.db.execute(
                "INSERT INTO reports (url, seed, title, year, column_url, first_seen, last_seen) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET last_seen=excluded.last_seen, title=excluded.title",
                (url, seed, title, year, column_url, now, now),
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO report_files (report_url, file_url, link_text) VALUES (?,?,?)",
                [(url, f, text) for f, text in files],
            )
            self.db.commit()

    # --- reading ----------------------------------------------------------------------

    def last_success(self, url: str) -> Fetch | None:
        """The latest successful (200) fetch of a URL, for conditional requests."""
        row = self.db.execute(
            "SELECT url, final_url, status, content_type, size, sha256, etag, last_modified FROM fetches"
            " WHERE url = ? AND status = 200 AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return Fetch(*row)

    def versions(self, url: str) -> list[str]:
        """Distinct bodies fetched at a URL, oldest first."""
        rows = self.db.execute(
            "SELECT sha256 FROM fetches WHERE url = ? AND status = 200 AND sha256 IS NOT NULL GROUP BY sha256 ORDER BY MIN(id)",
            (url,),
        ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        """Close the WARC file and the database."""
        with self._lock:
            if self._warc is not None:
                self._warc.close()
                self._warc = None
            self.db.close()
