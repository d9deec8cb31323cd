"""``ogi build``: the raw store and the parser → archive.db (sqlite-utils).

A report is what the crawler recognised at one URL: its page (or the file a
column links to) and its attachments. Each of those documents may have
several versions in the store; every version is parsed (cached per body hash
and parser version) and listed in ``report_documents``, and the current
versions make the report's row: the best of them (the template's tables
found, most cells read; the page on ties) gives the numbers.

Everything written is a function of the store, the seeds and the parser
version, so a build after any sequence of crawls writes what a fresh build
from the same store writes. A report is rewritten when the digest of its
inputs changes, and only then.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import mimetypes
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlite_utils import Database
from tqdm import tqdm

import parsers
from crawler.seeds import read_rows
from parsers.checks import check_kind
from parsers.limits import Limits, SandboxPool
from rawstore import Fetch, RawStore, StoredReport

from . import schema, settings, tokenizer
from .parsing import Parsed, parse
from .places import places
from .rows import DocumentVersion, body_text, check_rows, revision_rows, section_rows, value_rows

if TYPE_CHECKING:
    from .parsequeue import SharedParsing

log = logging.getLogger(__name__)

# the seeds file's columns are those of the tables they fill
_SEED_REGION = tuple(schema.TABLES["regions"].columns)
_SEED_PORTAL = tuple(schema.TABLES["portals"].columns)


@dataclass
class BuildSummary:
    """What a build did: counts for the closing summary."""

    documents_parsed: int = 0
    reports: int = 0
    reports_changed: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    #: of the documents parsed, those parse workers on other machines parsed (``archive.parsequeue``)
    parsed_elsewhere: int = 0

    def __str__(self) -> str:
        failed = ", ".join(f"{n} {reason}" for reason, n in self.failures.most_common()) or "none"
        elsewhere = f" ({self.parsed_elsewhere} by parse workers)" if self.parsed_elsewhere else ""
        return (
            f"{self.documents_parsed} documents parsed{elsewhere}, {self.reports} reports "
            f"({self.reports_changed} new or changed), failures: {failed}"
        )


@dataclass(frozen=True)
class _Version:
    """One version of one document of a report."""

    role: str  # page, attachment
    url: str
    fetch: Fetch  # the first fetch that returned this body at this URL
    current: bool

    @property
    def sha256(self) -> str:
        assert self.fetch.sha256 is not None
        return self.fetch.sha256


def report_key(url: str) -> int:
    """A report's id: stable across builds and versions, from its URL.

    52 bits, so that JavaScript clients of the JSON API read it exactly.

    Args:
        url: the report page's URL.
    """
    return int(hashlib.sha1(url.encode()).hexdigest()[:13], 16)


def _cells(record: dict[str, Any]) -> int:
    return sum(v is not None for t in schema.STAT_TABLES for row in record.get(t, {}).values() for v in row.values())


def built_from(db_path: str | Path) -> Path | None:
    """The raw store an archive was built from (recorded by :func:`build`), or None.

    Args:
        db_path: the archive database.
    """
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
            row = con.execute("SELECT value FROM build_info WHERE key = 'store'").fetchone()
    except sqlite3.Error:
        return None
    return Path(row[0]) if row else None


def open_archive(db_path: str | Path) -> Database:
    """Open (or create) an archive database: pragmas, upgrades, tables.

    Args:
        db_path: the SQLite file.
    """
    tokenizer.install()  # before the connection opens: reports_fts needs ogi_cjk
    db = Database(db_path)
    # WAL and one commit per batch of reports: a commit per row costs a disk sync each
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    schema.create(db)
    return db


def build(
    db_path: str | Path = settings.DB,
    store: str | Path = settings.STORE,
    seeds: str | Path | None = None,
    reparse: bool = False,
    progress: bool = True,
    limits: Limits | None = None,
    batch: int = settings.BATCH,
    jobs: int = 1,
    frontier: str | None = None,
    queue: str | None = None,
) -> BuildSummary:
    """Build or update the archive database.

    Args:
        db_path: the SQLite file to write.
        store: the crawler's raw store.
        seeds: the seeds CSV, for regions and portals (None: regions only from the codes the crawl used).
        reparse: parse every document again (after a parser upgrade).
        progress: show a progress bar.
        limits: time and memory allowed per document.
        batch: reports written per transaction (a kill loses at most the batch being written).
        jobs: documents parsed at once, each in its own worker process (one per core is the most useful).
        frontier: a Redis URL: documents are parsed by these workers and by ``ogi parse-worker`` processes
            on other machines taking jobs from the same queue (``archive.parsequeue``).
        queue: the parse queue's name on that Redis (default ``archive``).

    Raises:
        rawstore.StoreError: no readable raw store there.
        crawler.seeds.SeedsError: a seeds file that is missing or unreadable.
        BuildRunning: another build is writing the same database.
    """
    seed_rows = read_rows(seeds)[0] if seeds is not None else []
    summary = BuildSummary()
    with (
        RawStore(store, readonly=True) as raw,
        _exclusive(Path(db_path)),
        SandboxPool(jobs, limits) as pool,
        closing(open_archive(db_path)) as db,
    ):
        with db.atomic():
            _load_regions(db, seed_rows, raw)
            _load_fetches(db, raw)
            _load_runs(db, raw)
            # `ogi serve` serves the archived copies from the store the archive was built from
            info = {"store": str(Path(store).resolve()), "parser_version": parsers.__version__}
            schema.insert(db, "build_info", ({"key": k, "value": v} for k, v in info.items()))
        builder = _ReportBuilder(db, raw, pool, reparse, summary)
        if frontier:
            from .parsequeue import DEFAULT_QUEUE, SharedParsing

            builder.shared = SharedParsing(frontier, raw.root, pool, queue or DEFAULT_QUEUE, limits)
        reports = raw.reports()
        for start in tqdm(range(0, len(reports), batch), desc="reports", unit="batch", disable=not progress):
            # the batch's new documents are parsed first, in parallel and outside the transaction;
            # one transaction per batch: a kill leaves every report of the batch as it was before
            builder.prefetch(reports[start : start + batch])
            with db.atomic():
                for report in reports[start : start + batch]:
                    builder.build(report)
        if summary.reports_changed:
            # the index in one segment, not one per batch: smaller and read once per term (~2 s at 100,000)
            with db.atomic():
                db.execute(f"INSERT INTO {schema.FTS_TABLE} ({schema.FTS_TABLE}) VALUES ('optimize')")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        summary.reports = db["reports"].count
        summary.parsed_elsewhere = builder.shared.elsewhere if builder.shared else 0
    log.info("build finished: %s", summary)
    return summary


class BuildRunning(RuntimeError):
    """Another ``ogi build`` holds the archive database."""


@contextmanager
def _exclusive(db_path: Path) -> Iterator[None]:
    """One build per database at a time: two would interleave their batches.

    A POSIX lock on ``<db>.lock``: the kernel drops it with the process (kill -9 included), and
    unlike flock() it is not inherited by the parse worker forked while it is held.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(db_path.with_name(db_path.name + ".lock"), "ab") as fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BuildRunning(f"another build is writing {db_path}; try again when it has finished") from None
        yield


def _load_regions(db: Database, rows: list[dict[str, str]], raw: RawStore) -> None:
    db["regions"].upsert_all((_region(r) for r in rows), pk="adcode")  # type: ignore[union-attr]
    db["portals"].upsert_all(  # type: ignore[union-attr]
        ({k: r.get(k) or None for k in _SEED_PORTAL} for r in rows if r.get("portal_url")), pk="adcode"
    )
    # codes the crawl used that the seeds file does not name still need a region row
    for code in raw.adcodes():
        db["regions"].insert({"adcode": code}, pk="adcode", ignore=True)  # type: ignore[union-attr]


def _region(row: dict[str, str]) -> dict[str, Any]:
    """A seeds row as a region: where it lies from the seeds' own columns, else from archive/places.py."""
    region: dict[str, Any] = {k: row.get(k) or None for k in _SEED_REGION}
    place = places().get(row.get("adcode") or "")
    for column in ("longitude", "latitude"):
        try:
            region[column] = float(row[column]) if row.get(column) else getattr(place, column, None)
        except ValueError:
            region[column] = getattr(place, column, None)
    return region


def _load_fetches(db: Database, raw: RawStore) -> None:
    last = db.execute("SELECT COALESCE(MAX(id), 0) FROM fetches").fetchone()[0]
    columns = schema.TABLES["fetches"].columns
    schema.insert(db, "fetches", ({c: getattr(f, c) for c in columns} for f in raw.fetches(after_id=last)))


def _load_runs(db: Database, raw: RawStore) -> None:
    # a run's record changes until it is closed (and again when shards are merged): copied whole each build
    schema.insert(db, "crawl_runs", raw.run_rows())


class _ReportBuilder:
    """Writes one report at a time: its documents parsed (or read from the cache), its row and child rows."""

    def __init__(self, db: Database, raw: RawStore, pool: SandboxPool, reparse: bool, summary: BuildSummary) -> None:
        self.db, self.raw, self.pool, self.reparse, self.summary = db, raw, pool, reparse, summary
        self.parsed_now: set[str] = set()
        #: what :meth:`prefetch` found for the batch: report URL → its versions; sha → (record, error, reason)
        self.listed: dict[str, list[_Version]] = {}
        self.ready: dict[str, Parsed] = {}
        #: a parse queue shared with other machines (None: this build's workers parse everything)
        self.shared: SharedParsing | None = None

    def versions(self, report: StoredReport) -> Iterator[_Version]:
        for role, url in [("page", report.url), *(("attachment", f) for f in report.files if f != report.url)]:
            latest = self.raw.latest(url)
            for fetch in self.raw.versions(url):
                yield _Version(role, url, fetch, latest is not None and fetch.sha256 == latest.sha256)

    def build(self, report: StoredReport) -> None:
        versions = self.listed.pop(report.url, None) or list(self.versions(report))
        current = [v for v in versions if v.current]
        if not current:
            self.summary.failures["no document fetched"] += 1
            return
        report_id = report_key(report.url)
        region = self.db.execute(
            "SELECT province, prefecture, county FROM regions WHERE adcode = ?", (report.adcode,)
        ).fetchone() or (None, None, None)
        digest = _digest(report, versions, tuple(region))
        existing = self.db.execute("SELECT url, inputs_digest FROM reports WHERE id = ?", (report_id,)).fetchone()
        if existing and existing[0] != report.url:
            self.summary.failures["report id collision"] += 1
            log.error("report id %d of %s is taken by %s; report not loaded", report_id, report.url, existing[0])
            return
        if existing and existing[1] == digest and not self.reparse:
            return  # the digest holds the parser version: a new parser rewrites every report
        # a report published as page images: its pages are read together, in order, not one by one
        pages = _pages(versions)
        records: dict[str, dict[str, Any] | None] = {}
        for v in versions:
            if v in pages:
                self.page_entry(v)
                records[v.sha256] = None
            else:
                records[v.sha256] = self.document(v.sha256)
        self.summary.reports_changed += 1
        candidates = [(v, records[v.sha256]) for v in current]
        if pages:
            candidates.append((pages[0], self.page_images([v for v in pages if v.current])))
        # the best source: has the template's tables, then most cells read; the page wins ties
        source, best = max(
            candidates,
            key=lambda c: (bool((c[1] or {}).get("template")), _cells(c[1] or {}), c[0].role == "page"),
        )
        record = best or {}
        page = next((records[v.sha256] for v in current if v.role == "page"), None) or {}
        published = publication_date(report, page.get("published"), record.get("year") or report.year)
        # page images are read together, not one by one: a page's versions are no revisions of the report's
        alone = [v for v in versions if v not in pages]
        revisions = revision_rows(
            report_id,
            (DocumentVersion(v.role, v.url, v.sha256, v.fetch.fetched_at) for v in alone),
            records,
            self.reasons({v.sha256 for v in alone if records[v.sha256] is None}),
        )
        self.write(report, report_id, record, source, versions, published, tuple(region), digest, revisions)

    def reasons(self, shas: set[str]) -> dict[str, str | None]:
        """Why each of these bodies could not be parsed (the parse cache's reason)."""
        if not shas:
            return {}
        marks = ", ".join("?" * len(shas))
        return dict(
            self.db.execute(
                f"SELECT sha256, parse_error_reason FROM documents WHERE sha256 IN ({marks})", list(shas)
            ).fetchall()
        )

    def _cached(self, sha: str) -> bool:
        cached = self.db.execute("SELECT parser_version FROM documents WHERE sha256 = ?", (sha,)).fetchone()
        return sha in self.parsed_now or bool(cached and cached[0] == parsers.__version__ and not self.reparse)

    def prefetch(self, reports: list[StoredReport]) -> None:
        """Parse the documents of these reports that the cache does not hold, ``jobs`` at a time."""
        for r in reports:  # kept for build(), which would otherwise ask the store again
            self.listed[r.url] = list(self.versions(r))
        pages = {v.sha256 for r in reports for v in _pages(self.listed[r.url])}  # read together, in build()
        shas = list(
            dict.fromkeys(v.sha256 for r in reports for v in self.listed[r.url] if v.sha256 and v.sha256 not in pages)
        )
        todo = [(sha, self.raw.first_fetch(sha)) for sha in shas if sha not in self.ready and not self._cached(sha)]
        found = [(sha, first) for sha, first in todo if first is not None]
        if self.shared is not None:
            from .parsequeue import Job

            parsed = self.shared.parse_all([Job((sha,), first.content_type, first.url) for sha, first in found])
        else:
            parsed = self.pool.map([partial(parse, self.raw.root, sha, first) for sha, first in found])
        self.ready.update(zip((sha for sha, _ in found), parsed, strict=True))

    def page_images(self, pages: list[_Version]) -> dict[str, Any] | None:
        """The record of a report's page images read together (OCR), cached under a key made of their hashes.

        The cache row (``documents``) names the first page's URL and says how many pages it read; the
        report's archived copy stays the first page's body.
        """
        key = "pages-" + hashlib.sha256("\n".join(v.sha256 for v in pages).encode()).hexdigest()
        if self._cached(key):
            return self._cached_record(key)
        first = pages[0].fetch
        parsed = parse(self.raw.root, [v.sha256 for v in pages], first, self.pool)
        self.summary.documents_parsed += 1
        size = sum(v.fetch.size or 0 for v in pages)
        return self._store_record(key, parsed, first, f"image/* ({len(pages)} pages)", size)

    def page_entry(self, version: _Version) -> None:
        """A page image's cache row, without a parse of its own (its record is the pages' together)."""
        if not self._cached(version.sha256):
            fetch = version.fetch
            self._store_record(version.sha256, (None, None, None), fetch, fetch.content_type, fetch.size)

    def _cached_record(self, sha: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT record FROM document_records WHERE sha256 = ?", (sha,)).fetchone()
        return schema.unpack_record(row[0]) if row else None

    def document(self, sha: str) -> dict[str, Any] | None:
        """A body's record: from the parse cache when its parser version is current, else parsed now."""
        if self._cached(sha):
            return self._cached_record(sha)
        first = self.raw.first_fetch(sha)
        assert first is not None
        parsed = self.ready.pop(sha) if sha in self.ready else parse(self.raw.root, sha, first, self.pool)
        self.summary.documents_parsed += 1
        return self._store_record(sha, parsed, first, first.content_type, first.size)

    def _store_record(
        self, sha: str, parsed: Parsed, first: Fetch, content_type: str | None, size: int | None
    ) -> dict[str, Any] | None:
        """Keep a parse's outcome in the parse cache (``documents``, ``document_records``); count its failure."""
        record, error, reason = parsed
        if reason:
            self.summary.failures[reason] += 1
        self.parsed_now.add(sha)
        schema.insert(
            self.db,
            "documents",
            [
                {
                    "sha256": sha,
                    "url": first.url,
                    "content_type": content_type,
                    "size": size,
                    "filename": first.filename,
                    "warc_file": first.warc_file,
                    "warc_offset": first.warc_offset,
                    "format": record.get("format") if record else None,
                    "parse_error": error,
                    "parse_error_reason": reason,
                    "parser_version": parsers.__version__,
                }
            ],
        )
        schema.insert(self.db, "document_records", [{"sha256": sha, "record": schema.pack_record(record)}])
        return record

    def write(
        self,
        report: StoredReport,
        report_id: int,
        record: dict[str, Any],
        source: _Version,
        versions: list[_Version],
        published: tuple[str | None, str | None],
        region: tuple[Any, ...],
        digest: str,
        revisions: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], []),
    ) -> None:
        db = self.db
        for table in schema.REPORT_CHILD_TABLES:
            db.conn.execute(f"DELETE FROM [{table}] WHERE report_id = ?", (report_id,))
        title = record.get("title") or report.title
        sections = record.get("sections", {})
        schema.insert(
            db,
            "reports",
            [
                {
                    "id": report_id,
                    "url": report.url,
                    "adcode": report.adcode,
                    "agency": record.get("agency"),
                    "agency_kind": record.get("agency_kind"),
                    "year": record.get("year") or report.year,
                    "template": record.get("template"),
                    "title": title,
                    "listed_title": report.title,
                    "column_url": report.column_url,
                    "publication_date": published[0],
                    "publication_date_source": published[1],
                    "first_seen": report.first_seen,
                    # when the version the numbers come from was first fetched: a new or changed report
                    "changed_at": max(v.fetch.fetched_at or "" for v in versions if v.current) or None,
                    "source_sha256": source.sha256,
                    "source_url": source.url,
                    "versions": len({v.sha256 for v in versions if v.role == source.role and v.url == source.url}),
                    "parse_status": "ok" if record.get("template") else ("no tables" if record else "failed"),
                    "warnings": json.dumps(record.get("warnings", []), ensure_ascii=False),
                    "inputs_digest": digest,
                    "body": body_text(sections),
                }
            ],
        )
        schema.insert(
            db,
            "report_documents",
            (
                {
                    "report_id": report_id,
                    "url": v.url,
                    "sha256": v.sha256,
                    "role": v.role,
                    "first_fetched": v.fetch.fetched_at,
                    "is_current": int(v.current),
                    "is_source": int(v is source),
                }
                for v in versions
            ),
        )
        schema.insert(db, "revisions", revisions[0])
        schema.insert(db, "revision_cells", revisions[1])
        for table in schema.STAT_TABLES:
            schema.insert(db, f"{table}_values", value_rows(report_id, table, record.get(table, {})))
        checks = record.get("checks", [])
        unlisted = {c["id"] for c in checks} - schema.CHECK_CODES.keys()
        schema.insert(  # a check the template's list lacks (a record of another parser version) still has a name
            db,
            "check_kinds",
            (
                {"code": schema.check_code(i), "check_id": i, "kind": check_kind(i), "detail_format": None}
                for i in sorted(unlisted)
            ),
        )
        schema.insert(db, "check_results", check_rows(report_id, checks))
        schema.insert(db, "section_spans", section_rows(report_id, sections))
        schema.insert(db, "report_totals", [_totals(report_id, report.adcode, region, record)])


def _pages(versions: list[_Version]) -> list[_Version]:
    """The page images of a report published as scans: its image attachments when two or more are current
    (in the order its page lists them; earlier versions of them too), else none."""
    images = [v for v in versions if v.role == "attachment" and _is_image(v.fetch)]
    return images if sum(v.current for v in images) >= 2 else []


def _is_image(fetch: Fetch) -> bool:
    """A page image (by its Content-Type, else its URL's extension)."""
    by_name = mimetypes.guess_type(urlsplit(fetch.final_url or fetch.url).path)[0] or ""
    return any(kind.lower().startswith("image/") for kind in (fetch.content_type or "", by_name))


def _digest(report: StoredReport, versions: list[_Version], region: tuple[Any, ...]) -> str:
    """Everything a report's rows are made from; the report is rewritten when this changes."""
    inputs = [
        parsers.__version__,
        report.url,
        report.adcode,
        report.title,
        report.year,
        report.column_url,
        report.first_seen,
        report.listed_date,
        list(region),
        [(v.role, v.url, v.sha256, v.fetch.fetched_at, v.current) for v in versions],
    ]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode()).hexdigest()


def publication_date(report: StoredReport, page_date: str | None, year: int | None) -> tuple[str | None, str | None]:
    """When the report was published, and where that date was read: ``page`` (the 发布时间 on the report
    page) or ``list`` (the date beside it in the column's list).

    A date that cannot be true is not used: one after the crawler first saw the report, or one before
    December of the year the report covers (a report on 2023 is written after 2023 ends).

    Args:
        report: the report as the crawler recorded it (its list date and when it was first seen).
        page_date: the date the report page states (the parser's ``published``), ISO 8601.
        year: the year the report covers, when known.
    """
    seen = (report.first_seen or "9999")[:10]
    earliest = f"{year}-12-01" if year else "1990-01-01"
    for date, source in ((page_date, "page"), (report.listed_date, "list")):
        if date and earliest <= date[:10] <= seen:
            return date[:10], source
    return None, None


def _totals(report_id: int, adcode: str | None, region: tuple[Any, ...], record: dict[str, Any]) -> dict[str, Any]:
    apps = record.get("applications", {})
    review = record.get("review_litigation", {})
    lawsuits = [review.get(g, {}).get("total") for g in ("litigation_direct", "litigation_after_review")]
    province, prefecture, county = region
    return {
        "report_id": report_id,
        "adcode": adcode,
        "province": province,
        "prefecture": prefecture,
        "county": county,
        "agency": record.get("agency"),
        "agency_kind": record.get("agency_kind"),
        "year": record.get("year"),
        "template": record.get("template"),
        **{
            key: apps.get(key, {}).get("total")
            for key in ("new_received", "carried_over", "granted", "total_processed", "carried_forward")
        },
        "reviews": review.get("review", {}).get("total"),
        "lawsuits": sum(lawsuits) if None not in lawsuits and review else None,
        "fees_10k_yuan": record.get("active_disclosure", {}).get("fees", {}).get("amount_10k_yuan"),
        "failed_checks": sum(1 for c in record.get("checks", []) if not c["ok"]),
    }
