"""The raw store: every response kept unchanged, for re-parsing and replay years later.

Layout under the store directory (:data:`DEFAULT_ROOT` unless told otherwise)::

    warc/<crawl>-<n>.warc.gz   request and response records (warcio), replayable by pywb: the bodies
    blobs/ab/cd/<sha256>       a cache of bodies by SHA-256, kept only when asked for (rawstore.bodies)
    store.db                   SQLite (rawstore.schema): the fetch log, reports and their files

The crawler writes through :class:`RawStore`; the archive build, the
Datasette plugin, the benchmarks and the tests read through it. What a
*version* is lives here too: the versions of a URL are the distinct bodies
its successful fetches returned, oldest first; the latest is the current one.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, NamedTuple

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import bodies, runs, schema
from .bodies import blob_path

log = logging.getLogger(__name__)

#: Where a store lives unless told otherwise (the crawler's ``OGI_STORE``, ``ogi build --store``).
DEFAULT_ROOT = "store"
#: Every record is WARC 1.1 (the warcinfo record says so too).
WARC_VERSION = "1.1"
#: A 304 to a conditional request: the revisit profile that says the server found it unchanged.
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
#: The target URI of the DOM a headless browser drew for a page: this, then the page's URL.
DOM_PREFIX = "urn:dom:"
#: WARC files are rolled over past this size.
WARC_MAX_BYTES = 512 * 1024 * 1024


class StoreError(Exception):
    """A store that cannot be opened (missing, not a store, corrupt); the message says which."""


@dataclass
class Fetch:
    """One row of the fetch log (``fetches``); ``id`` and ``fetched_at`` are set when it is logged."""

    url: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    adcode: str | None = None
    kind: str | None = None
    report_url: str | None = None
    filename: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    error: str | None = None
    run: str | None = None
    id: int | None = None
    fetched_at: str | None = None


class StoreBusy(StoreError):
    """Another process is writing the store (a second crawl of it, from Scrapyd or by hand)."""


class UrlHistory(NamedTuple):
    """What the fetch log shows of one URL (:meth:`RawStore.history`)."""

    #: when it was last asked for and answered (200 or 304)
    last_checked: str
    #: when its current body was first fetched
    current_since: str
    #: how many bodies it has had
    versions: int
    #: the server's Last-Modified for the current body, as sent
    last_modified: str | None


@dataclass(frozen=True)
class StoredReport:
    """A report the crawler recognised (``reports``), with the URLs of its attachments."""

    url: str
    adcode: str | None
    title: str | None
    year: int | None
    column_url: str | None
    first_seen: str | None
    last_seen: str | None
    files: tuple[str, ...] = ()
    listed_date: str | None = None
    first_run: str | None = None
    last_run: str | None = None


class _Capture(NamedTuple):
    """What a revisit or conversion record names of the response record it refers to."""

    id: str
    uri: str
    date: str
    digest: str


#: The headers of a response record that make a :class:`_Capture`, in its fields' order.
_CAPTURE_HEADERS = ("WARC-Record-ID", "WARC-Target-URI", "WARC-Date", "WARC-Payload-Digest")


FETCH_COLUMNS = tuple(f.name for f in fields(Fetch))
# a page's drawn DOM (kind 'rendered') is another form of a version, not a version of the URL
_SUCCESS = "status = 200 AND sha256 IS NOT NULL AND kind IS NOT 'rendered'"


#: The longest request body a fetch key carries as it is; a longer one (an ASP.NET __VIEWSTATE) by its digest.
POST_KEY_BYTES = 2048


def fetch_key(method: str, url: str, body: bytes = b"") -> str:
    """What the fetch log files a request under: its URL, and for a POST its body appended to the query as
    pywb indexes POST captures (``__wb_method=post&<form>``), so that one list API asked for page 1 and
    page 2 at the same URL is two URLs of the store, not one URL whose body changes."""
    if method.upper() != "POST":
        return url
    if len(body) <= POST_KEY_BYTES:
        data = body.decode("latin-1")
    else:
        data = "__wb_post_sha256=" + hashlib.sha256(body).hexdigest()
    base, _, fragment = url.partition("#")
    joined = f"{base}{'&' if '?' in base else '?'}__wb_method=post&{data}"
    return f"{joined}#{fragment}" if fragment else joined


def new_run_id() -> str:
    """A name for a crawl run: when it started (UTC) and a random suffix, so that names sort by time."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]


def _fetch(row: sqlite3.Row | None) -> Fetch | None:
    return None if row is None else Fetch(**{k: row[k] for k in FETCH_COLUMNS})


class RawStore:
    """One raw store: writes WARC records, blobs and the fetch log; answers what it holds.

    Args:
        root: the store directory.
        readonly: open for reading only (the archive build, the plugin); the store must exist. Otherwise
            the store is this process's to write until :meth:`close` (a lock on ``writer.lock``).
        blob_cache: also keep each new body as a file under ``blobs/`` (the WARC record holds it anyway).
        crawl_id: prefix of this process's WARC files (writing only; unique per process, so that the shards
            of one run never name two files alike).
        run: the crawl run its fetches and reports are counted to (default: ``crawl_id``; the workers of a
            distributed crawl share one).

    Raises:
        StoreError: a read-only store that does not exist or whose ``store.db`` is not a database.
        StoreBusy: another process is writing the store.
    """

    def __init__(
        self,
        root: str | Path = DEFAULT_ROOT,
        readonly: bool = False,
        crawl_id: str | None = None,
        run: str | None = None,
        blob_cache: bool = False,
    ) -> None:
        self.root = Path(root)
        self.readonly = readonly
        self.blob_cache = blob_cache
        db_path = self.root / "store.db"
        if readonly:
            if not db_path.is_file():
                raise StoreError(f"no raw store at {self.root} (run the crawler first: `ogi crawl`)")
        else:
            (self.root / "warc").mkdir(parents=True, exist_ok=True)
            (self.root / "blobs").mkdir(parents=True, exist_ok=True)
            self._writer = self._take_writer_lock()
        self.crawl_id = crawl_id or new_run_id()
        self.run = run or self.crawl_id
        try:
            self.db = self._connect(db_path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{db_path} is not a readable store database: {exc}") from None
        self.db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self._warc_n = 0
        self._warc: IO[bytes] | None = None
        self._warc_path: Path | None = None
        if not readonly and schema.blobs_pending(self.db):
            self._bodies_into_warc()

    def _take_writer_lock(self) -> IO[bytes]:
        # one writing process per store: two crawls of it (two Scrapyd jobs) would ask every portal twice
        # and count one run's reports to the other. A POSIX lock: the kernel drops it with the process,
        # kill -9 included, and the same process may open the store again.
        fh = open(self.root / "writer.lock", "ab")
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise StoreBusy(
                f"another process is writing the raw store {self.root} (it holds {self.root / 'writer.lock'}):"
                " this crawl does nothing"
            ) from None
        return fh

    def _connect(self, db_path: Path) -> sqlite3.Connection:
        if not self.readonly:
            db = sqlite3.connect(db_path, check_same_thread=False)
            schema.upgrade(db)
            return db
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
        try:
            stale = schema.needs_upgrade(db)
        except sqlite3.OperationalError as exc:
            if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
                raise
            # a writer killed mid-transaction left a hot journal, which only a writable connection rolls
            # back: opened once for writing (the rollback restores the last commit), then read
            stale = True
        if stale:
            # or a store written by an older crawler: upgraded in place once, then read
            db.close()
            with sqlite3.connect(db_path) as rw:
                schema.upgrade(rw)
            rw.close()
            db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
        return db

    # --- blobs ------------------------------------------------------------------------------------

    def blob_path(self, sha256: str) -> Path:
        """Where the body with this hash is cached."""
        return blob_path(self.root, sha256)

    def read_body(self, sha256: str) -> bytes:
        """The body with this hash, checked against it (see :func:`rawstore.bodies.read_body`)."""
        return bodies.read_body(self.root, sha256, self.db)

    def put_blob(self, body: bytes) -> str:
        """Cache a body as a file by content; returns its SHA-256."""
        sha = hashlib.sha256(body).hexdigest()
        path = self.blob_path(sha)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
            tmp.write_bytes(body)
            tmp.replace(path)
        return sha

    def keep(self, body: bytes) -> str:
        """The SHA-256 a body is known by; cached as a file too when the store keeps a blob cache (its WARC
        record is written by :meth:`write_exchange` or :meth:`write_conversion`)."""
        return self.put_blob(body) if self.blob_cache else hashlib.sha256(body).hexdigest()

    def _bodies_into_warc(self) -> None:
        """Upgrade a store of the layout that kept every body twice: a cached body whose WARC record gives
        it back is dropped; one without such a record is first written to a ``resource`` record of its
        own, which its fetches then name. Each body is done and committed on its own, so a kill loses
        nothing and running again goes on where it stopped."""
        shas = [sha for (sha,) in self.db.execute("SELECT DISTINCT sha256 FROM fetches WHERE sha256 IS NOT NULL")]
        dropped = written = 0
        for sha in shas:
            try:
                path = self.blob_path(sha)
            except ValueError:
                continue
            if not path.is_file():
                continue
            body = path.read_bytes()
            if hashlib.sha256(body).hexdigest() != sha:
                log.warning("cached body %s… is damaged: kept as it is", sha[:16])
                continue
            where = bodies.location(self.db, sha)
            try:
                intact = where is not None and bodies.record_body(self.root, *where) == body
            except Exception:  # a damaged record: the cached body is written again
                intact = False
            if not intact:
                first = self.db.execute(
                    "SELECT url, content_type FROM fetches WHERE sha256 = ? AND status = 200 ORDER BY id LIMIT 1",
                    (sha,),
                ).fetchone()
                if first is None:
                    continue  # no successful fetch names it: nothing would find its record
                warc_file, offset = self.write_resource(first[0], first[1] or "application/octet-stream", body)
                if self._warc is not None:
                    os.fsync(self._warc.fileno())
                self.db.execute(
                    "UPDATE fetches SET warc_file = ?, warc_offset = ? WHERE sha256 = ? AND status = 200",
                    (warc_file, offset, sha),
                )
                self.db.commit()
                written += 1
            path.unlink()
            for folder in (path.parent, path.parent.parent):  # blobs/ab/cd/ left empty
                try:
                    folder.rmdir()
                except OSError:
                    break
            dropped += 1
        schema.blobs_done(self.db)
        log.info("store %s: %d cached bodies dropped (%d written to WARC first)", self.root, dropped, written)

    # --- writing ------------------------------------------------------------------------------------

    def _warc_writer(self) -> tuple[WARCWriter, IO[bytes], Path]:
        if self._warc is None or self._warc_path is None or self._warc_path.stat().st_size > WARC_MAX_BYTES:
            if self._warc is not None:
                self._warc.close()
            self._warc_n += 1
            self._warc_path = self.root / "warc" / f"{self.crawl_id}-{self._warc_n:05d}.warc.gz"
            self._warc = open(self._warc_path, "ab")
            writer = WARCWriter(self._warc, gzip=True, warc_version=WARC_VERSION)
            writer.write_record(
                writer.create_warcinfo_record(
                    self._warc_path.name, {"software": "ogi-archive crawler", "format": "WARC File Format 1.1"}
                )
            )
            return writer, self._warc, self._warc_path
        return WARCWriter(self._warc, gzip=True, warc_version=WARC_VERSION), self._warc, self._warc_path

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
        not_modified: Fetch | None = None,
    ) -> tuple[str, int]:
        """Append a response record and its request record to the current WARC file.

        Args:
            not_modified: for a 304 answering a conditional request, the fetch of the capture it
                revalidates: the answer is then a ``revisit`` record (WARC 1.1's server-not-modified
                profile, no HTTP block) that refers to it, so that replay of the latest capture gives the
                document.

        Returns:
            ``(warc file name, offset of the response record)``.
        """
        referred = self._capture(not_modified) if status == 304 else None
        with self._lock:
            writer, fh, path = self._warc_writer()
            offset = fh.tell()
            http = StatusAndHeaders(f"{status} {reason}".strip(), response_headers, protocol="HTTP/1.1")
            if referred is not None:
                # no HTTP block: replay tools (pywb) then answer with the capture it refers to, status and
                # headers included, where a 304 block would be replayed as an empty 304; the ETag and
                # Last-Modified it carried are in the fetch log
                response = writer.create_revisit_record(url, referred.digest, referred.uri, referred.date)
                response.rec_headers.replace_header("WARC-Profile", NOT_MODIFIED_PROFILE)
                response.rec_headers.add_header("WARC-Refers-To", referred.id)
            else:
                response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            path_qs = url.split("/", 3)[3] if url.count("/") >= 3 else ""
            req_http = StatusAndHeaders(f"{method} /{path_qs} HTTP/1.1", request_headers, is_http_request=True)
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(request_body), http_headers=req_http)
            request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
            writer.write_record(response)
            writer.write_record(request)
            fh.flush()
            return path.name, offset

    def write_conversion(
        self, url: str, content_type: str, body: bytes, source: Fetch | None = None
    ) -> tuple[str, int]:
        """Append a ``conversion`` record: another form of a page than the server sent (the DOM a headless
        browser drew after the page's scripts ran), kept beside the page's own response record.

        Args:
            source: the fetch of the page as the server sent it (its record is named in ``WARC-Refers-To``).

        Returns:
            ``(warc file name, offset of the record)``.
        """
        referred = self._capture(source)
        # under a name of its own (as Browsertrix keeps a page's text, ``urn:text:<url>``): replay tools
        # index every record with a target URI, and the drawn DOM must not stand in for the page
        return self._write_content(DOM_PREFIX + url, "conversion", content_type, body, referred)

    def put_response(self, url: str, body: bytes, content_type: str, **fetch: Any) -> str:
        """Keep a body as a crawl would: a 200 response record and its fetch (synthesised stores: the
        benchmarks, tests). Returns the body's SHA-256.

        Args:
            fetch: further fields of its :class:`Fetch` (``kind``, ``adcode``, ``report_url``, …).
        """
        warc_file, offset = self.write_exchange(url, "GET", [], b"", 200, "OK", [("Content-Type", content_type)], body)
        sha = self.keep(body)
        self.log_fetch(
            Fetch(url, url, 200, content_type, len(body), sha, warc_file=warc_file, warc_offset=offset, **fetch)
        )
        return sha

    def write_resource(self, url: str, content_type: str, body: bytes) -> tuple[str, int]:
        """Append a ``resource`` record: a body kept without the exchange that brought it.

        Returns:
            ``(warc file name, offset of the record)``.
        """
        return self._write_content(url, "resource", content_type, body)

    def _write_content(
        self, uri: str, kind: str, content_type: str, body: bytes, referred: _Capture | None = None
    ) -> tuple[str, int]:
        """Append a record whose block is the body itself (no HTTP headers), referring to a capture."""
        with self._lock:
            writer, fh, path = self._warc_writer()
            offset = fh.tell()
            record = writer.create_warc_record(
                uri, kind, payload=io.BytesIO(body), warc_content_type=content_type, length=len(body)
            )
            if referred is not None:
                record.rec_headers.add_header("WARC-Refers-To", referred.id)
            writer.write_record(record)
            fh.flush()
            return path.name, offset

    def _capture(self, fetch: Fetch | None) -> _Capture | None:
        """The response record a successful fetch wrote: its id, target URI, date and payload digest (None
        when the fetch has no record, or its file cannot be read: the caller writes a plain record)."""
        if fetch is None or not fetch.warc_file or fetch.warc_offset is None:
            return None
        try:
            with bodies.record_at(self.root, fetch.warc_file, fetch.warc_offset) as record:
                headers = record.rec_headers
        except (OSError, ValueError) as exc:
            log.warning("%s at %s: cannot read the record referred to (%s)", fetch.warc_file, fetch.warc_offset, exc)
            return None
        found = _Capture(*(headers.get_header(h) for h in _CAPTURE_HEADERS))
        return found if all(found) else None

    def log_fetch(self, fetch: Fetch) -> None:
        """Record one fetch (success or failure) in the fetch log."""
        row = {k: v for k, v in zip(FETCH_COLUMNS, astuple(fetch), strict=False) if k != "id"}
        row["fetched_at"] = fetch.fetched_at or runs.now()
        row["run"] = fetch.run or self.run
        with self._lock:
            self.db.execute(f"INSERT INTO fetches ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})", row)
            self.db.commit()

    def record_report(
        self,
        url: str,
        adcode: str | None,
        title: str,
        year: int | None,
        column_url: str | None,
        files: list[tuple[str, str]],
        listed_date: str | None = None,
    ) -> None:
        """Record a report page and the files that belong to it.

        Args:
            url: the report page (or the file, for a file linked straight from a column).
            adcode: the government's GB/T 2260 code.
            title: the title as listed; year: the year it covers; column_url: the list it was found on.
            files: ``(URL, link text)`` of each attachment.
            listed_date: the date the list prints beside it (ISO 8601); a run that sees none keeps the last.
        """
        now = runs.now()
        with self._lock:
            self.db.execute(
                "INSERT INTO reports (url, adcode, title, year, column_url, first_seen, last_seen, listed_date,"
                " first_run, last_run) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET"
                " last_seen=excluded.last_seen, last_run=excluded.last_run, title=excluded.title,"
                " listed_date=COALESCE(excluded.listed_date, listed_date)",
                (url, adcode, title, year, column_url, now, now, listed_date, self.run, self.run),
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO report_files (report_url, file_url, link_text) VALUES (?,?,?)",
                [(url, f, text) for f, text in files],
            )
            self.db.commit()

    def record_revisit(self, url: str, last_checked: str | None, due: str | None) -> None:
        """Record that this run found a document again and did not ask for it, its revisit not being due.

        Args:
            url: the document's fetch key.
            last_checked: when it was last asked for; due: when its next revisit is due.
        """
        with self._lock:
            self.db.execute(
                "INSERT OR REPLACE INTO revisits (url, run, last_checked, due) VALUES (?, ?, ?, ?)",
                (url, self.run, last_checked, due),
            )
            self.db.commit()

    def start_run(self, seeds: list[str]) -> None:
        """Open this store's run (:attr:`run`) in the run records (see :mod:`rawstore.runs`).

        Args:
            seeds: the county codes the run starts from.
        """
        with self._lock:
            runs.start(self.db, self.run, seeds)

    def finish_run(self, reason: str | None, seeds: list[str] | None = None) -> runs.RunRecord:
        """Close this store's run with why it stopped, and count what it found.

        Args:
            reason: Scrapy's finish reason.
            seeds: the county codes the run started from, when only known by now.
        """
        with self._lock:
            return runs.finish(self.db, self.run, reason, seeds=seeds)

    # --- reading ------------------------------------------------------------------------------------

    def run_rows(self) -> list[dict[str, Any]]:
        """Every run record as stored (``runs``' columns), oldest first."""
        return [dict(r) for r in self.db.execute("SELECT * FROM runs ORDER BY started, run")]

    def run_record(self, run: str | None = None) -> runs.RunRecord | None:
        """The record of a run (default: the latest), or None."""
        return runs.get(self.db, run) if run else runs.latest(self.db)

    def latest(self, url: str) -> Fetch | None:
        """The latest successful (200) fetch of a URL: its current version."""
        return _fetch(
            self.db.execute(
                f"SELECT * FROM fetches WHERE url = ? AND {_SUCCESS} ORDER BY id DESC LIMIT 1", (url,)
            ).fetchone()
        )

    def history(self, url: str, current: Fetch) -> UrlHistory:
        """What the fetch log shows of a URL, for its revisit schedule (crawler/revisits.py).

        Args:
            url: the fetch key.
            current: its latest successful fetch (:meth:`latest`).
        """
        checked, since, versions = self.db.execute(
            "SELECT MAX(CASE WHEN status IN (200, 304) THEN fetched_at END),"
            " MIN(CASE WHEN sha256 = ? AND status = 200 THEN fetched_at END),"
            f" COUNT(DISTINCT CASE WHEN {_SUCCESS} THEN sha256 END) FROM fetches WHERE url = ?",
            (current.sha256, url),
        ).fetchone()
        return UrlHistory(checked, since, versions, current.last_modified)

    def versions(self, url: str) -> list[Fetch]:
        """Every version of a URL, oldest first: the first successful fetch of each distinct body."""
        rows = self.db.execute(
            f"SELECT * FROM fetches WHERE id IN (SELECT MIN(id) FROM fetches WHERE url = ? AND {_SUCCESS} GROUP BY sha256)"
            " ORDER BY id",
            (url,),
        ).fetchall()
        return [f for f in map(_fetch, rows) if f is not None]

    def first_fetch(self, sha256: str) -> Fetch | None:
        """The first successful fetch that returned this body (its URL, type and file name, whatever came later)."""
        return _fetch(
            self.db.execute(
                f"SELECT * FROM fetches WHERE sha256 = ? AND {_SUCCESS} ORDER BY id LIMIT 1", (sha256,)
            ).fetchone()
        )

    def fetches(self, after_id: int = 0) -> Iterator[Fetch]:
        """The fetch log from ``after_id`` on, in order (the archive copies it incrementally)."""
        for row in self.db.execute("SELECT * FROM fetches WHERE id > ? ORDER BY id", (after_id,)):
            fetch = _fetch(row)
            assert fetch is not None
            yield fetch

    def adcodes(self) -> list[str]:
        """The county codes the crawl used."""
        return [
            r[0] for r in self.db.execute("SELECT DISTINCT adcode FROM fetches WHERE adcode IS NOT NULL ORDER BY 1")
        ]

    def reports(self) -> list[StoredReport]:
        """Every recognised report, in URL order, with its attachments' URLs in the order its page lists them
        (the order a report published as page images is read in)."""
        files: dict[str, list[str]] = {}
        for report_url, file_url in self.db.execute("SELECT report_url, file_url FROM report_files ORDER BY rowid"):
            files.setdefault(report_url, []).append(file_url)
        return [
            StoredReport(**{k: r[k] for k in r.keys()}, files=tuple(files.get(r["url"], ())))
            for r in self.db.execute("SELECT * FROM reports ORDER BY url")
        ]

    def close(self) -> None:
        """Close the WARC file and the database; let another process write the store."""
        with self._lock:
            if self._warc is not None:
                self._warc.close()
                self._warc = None
            self.db.close()
            if not self.readonly:
                self._writer.close()

    def __enter__(self) -> RawStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
