"""``ogi build``: the raw store and the parser → archive.db (sqlite-utils).

Each report the crawler found is parsed from its page body and from its
attachments; the best source (one with the template's tables, most cells
read) gives the numbers, the others are kept as the report's documents.
Parses are cached per document hash and parser version, so a re-run only
parses new or changed documents; ``reparse`` parses everything again.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import sqlite3
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from tqdm import tqdm

import parsers
from parsers import ParseError, parse_document
from parsers import template as T

from . import schema
from .fts import index_text

log = logging.getLogger(__name__)

STAT_TABLES = ("active_disclosure", "applications", "review_litigation")
#: Reports written per transaction.
BATCH = 200
_ROW_LABELS = {r.key: r.label for r in T.APPLICATION_ROWS}
_ITEM_LABELS = {i.key: i.label for items in T.ACTIVE_ITEMS.values() for i in items}


@dataclass
class BuildSummary:
    """What a build did: counts for the closing summary."""

    documents_parsed: int = 0
    reports: int = 0
    reports_changed: int = 0
    failures: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        failed = ", ".join(f"{n} {reason}" for reason, n in self.failures.most_common()) or "none"
        return (f"{self.documents_parsed} documents parsed, {self.reports} reports "
                f"({self.reports_changed} new or changed), failures: {failed}")


def report_key(url: str, sha256: str) -> int:
    """A report version's id: stable across builds, from its URL and its source document's hash.

    52 bits, so that JavaScript clients of the JSON API read it exactly.

    Args:
        url: the report page's URL.
        sha256: the hash of the document the numbers come from.
    """
    return int(hashlib.sha1(f"{url}\n{sha256}".encode()).hexdigest()[:13], 16)


def agency_kind(agency: str | None) -> str | None:
    """County government, its office, a township, or a department — from the agency's name."""
    if not agency:
        return None
    if agency.endswith(("人民政府办公室", "政府办公室", "人民政府办公厅")):
        return "government_office"
    if agency.endswith(("人民政府", "政府")):
        place = agency[: -4 if agency.endswith("人民政府") else -2]
        return "township" if place.endswith(("镇", "乡", "街道")) else "county_government"
    if agency.endswith(("街道办事处", "办事处")):
        return "township"
    return "department"


def _cells(record: dict[str, Any]) -> int:
    return sum(v is not None for t in STAT_TABLES for row in record.get(t, {}).values() for v in row.values())


def build(db_path: str | Path = "archive.db", store: str | Path = "store", seeds: str | Path = "seeds/portals.csv",
          reparse: bool = False, progress: bool = True) -> BuildSummary:
    """Build or update the archive database.

    Args:
        db_path: the SQLite file to write.
        store: the crawler's raw store (``store.db`` and blobs).
        seeds: the seeds CSV, for regions and portals.
        reparse: parse every document again (after a parser upgrade).
        progress: show a progress bar.
    """
    store = Path(store)
    if not (store / "store.db").exists():
        raise FileNotFoundError(f"no raw store at {store} (run the crawler first)")
    db = Database(db_path)
    # WAL and one commit per batch of reports: a commit per row costs a disk sync each
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    schema.create(db)
    src = sqlite3.connect(f"file:{store / 'store.db'}?mode=ro", uri=True)
    src.row_factory = sqlite3.Row
    summary = BuildSummary()
    with db.conn:
        _load_regions(db, Path(seeds), src)
        _load_fetches(db, src)
    reports = src.execute("SELECT * FROM reports ORDER BY url").fetchall()
    for start in tqdm(range(0, len(reports), BATCH), desc="reports", unit="batch", disable=not progress):
        with db.conn:
            for report in reports[start : start + BATCH]:
                _build_report(db, src, store, report, reparse, summary)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    summary.reports = db["reports"].count
    log.info("build finished: %s", summary)
    return summary


def _load_regions(db: Database, seeds: Path, src: sqlite3.Connection) -> None:
    rows = list(csv.DictReader(seeds.open(encoding="utf-8-sig"))) if seeds.exists() else []
    db["regions"].upsert_all(
        ({k: r.get(k) or None for k in ("adcode", "province", "prefecture", "county", "level")} for r in rows), pk="adcode")
    db["portals"].upsert_all(
        ({k: r.get(k) or None for k in ("adcode", "portal_url", "reports_url", "cms")} for r in rows if r.get("portal_url")),
        pk="adcode")
    # codes the crawl used that the seeds file does not name still need a region row
    for (code,) in src.execute("SELECT DISTINCT seed FROM fetches WHERE seed IS NOT NULL"):
        db["regions"].insert({"adcode": code}, pk="adcode", ignore=True)


def _load_fetches(db: Database, src: sqlite3.Connection) -> None:
    last = db.execute("SELECT COALESCE(MAX(id), 0) FROM fetches").fetchone()[0]
    cols = list(schema.TABLES["fetches"][0])
    rows = src.execute(f"SELECT {', '.join(cols)} FROM fetches WHERE id > ?", (last,))
    db["fetches"].insert_all((dict(zip(cols, r)) for r in rows), pk="id")


def _latest(src: sqlite3.Connection, url: str) -> sqlite3.Row | None:
    return src.execute(
        "SELECT * FROM fetches WHERE url = ? AND status = 200 AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1", (url,)
    ).fetchone()


def _document(db: Database, store: Path, fetch: sqlite3.Row, reparse: bool,
              summary: BuildSummary) -> tuple[dict[str, Any] | None, bool]:
    """Parse one stored body (cached by hash and parser version); returns its record or None, and
    whether it was parsed now rather than read from the cache."""
    sha = fetch["sha256"]
    existing = db.execute("SELECT parser_version FROM documents WHERE sha256 = ?", (sha,)).fetchone()
    if existing and existing[0] == parsers.__version__ and not reparse:
        cache = db.execute("SELECT record FROM document_records WHERE sha256 = ?", (sha,)).fetchone()
        return (json.loads(zlib.decompress(cache[0])) if cache and cache[0] else None), False
    blob = store / "blobs" / sha[:2] / sha[2:4] / sha
    record, error = None, None
    try:
        record = parse_document(blob, content_type=fetch["content_type"], url=fetch["url"]).to_dict()
    except ParseError as exc:
        error = str(exc)
    except Exception as exc:  # a parser bug is recorded, the build goes on
        error = f"internal error: {type(exc).__name__}: {exc}"
    summary.documents_parsed += 1
    if error:
        summary.failures[error.split(":")[0]] += 1
    db["documents"].upsert({
        "sha256": sha, "url": fetch["url"], "content_type": fetch["content_type"], "size": fetch["size"],
        "filename": fetch["filename"], "warc_file": fetch["warc_file"], "warc_offset": fetch["warc_offset"],
        "format": record.get("format") if record else None, "parse_error": error, "parser_version": parsers.__version__,
    }, pk="sha256")
    packed = zlib.compress(json.dumps(record, ensure_ascii=False).encode()) if record else None
    db.execute("INSERT OR REPLACE INTO document_records (sha256, record) VALUES (?, ?)", (sha, packed))
    return record, True


def _build_report(db: Database, src: sqlite3.Connection, store: Path, report: sqlite3.Row, reparse: bool,
                  summary: BuildSummary) -> None:
    candidates: list[tuple[str, str, sqlite3.Row]] = []  # (role, url, fetch)
    page = _latest(src, report["url"])
    if page is not None:
        candidates.append(("page", report["url"], page))
    for (file_url,) in src.execute("SELECT file_url FROM report_files WHERE report_url = ? ORDER BY file_url", (report["url"],)):
        fetch = _latest(src, file_url)
        if fetch is not None and fetch["sha256"] != (page["sha256"] if page else None):
            candidates.append(("attachment", file_url, fetch))
    if not candidates:
        summary.failures["no document fetched"] += 1
        return
    documents = [_document(db, store, fetch, reparse, summary) for _, _, fetch in candidates]
    parsed = [(role, url, fetch, record) for (role, url, fetch), (record, _) in zip(candidates, documents)]
    # a document parsed again (new parser version) rewrites its report even when the report's id is unchanged
    fresh = any(now for _, now in documents)
    # the best source: has the template's tables, then most cells read; the page wins ties
    best = max(parsed, key=lambda p: (p[3] is not None and p[3].get("template") is not None, _cells(p[3] or {}), p[0] == "page"))
    role, url, fetch, record = best
    report_id = report_key(report["url"], fetch["sha256"])
    existing = db.execute("SELECT url FROM reports WHERE id = ?", (report_id,)).fetchone()
    if existing and existing[0] != report["url"]:
        summary.failures["report id collision"] += 1
        log.error("report id %d of %s is taken by %s; report not loaded", report_id, report["url"], existing[0])
        return
    if existing and not (reparse or fresh):
        return
    summary.reports_changed += 1
    for table in schema.REPORT_CHILD_TABLES:
        db.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
    record = record or {}
    db["reports"].upsert({
        "id": report_id, "url": report["url"], "adcode": report["seed"], "agency": record.get("agency"),
        "agency_kind": agency_kind(record.get("agency")), "year": record.get("year") or report["year"],
        "template": record.get("template"), "title": record.get("title") or report["title"],
        "listed_title": report["title"], "column_url": report["column_url"],
        "publication_date": _publication_date(store, page["sha256"]) if page is not None else None,
        "first_seen": report["first_seen"],
        "source_sha256": fetch["sha256"], "source_url": url,
        "parse_status": "ok" if record.get("template") else ("no tables" if record else "failed"),
        "warnings": json.dumps(record.get("warnings", []), ensure_ascii=False),
    }, pk="id")
    _insert(db, "report_documents", [(report_id, f["sha256"], u, r, int(f is fetch)) for r, u, f, _ in parsed])
    _statistics(db, report_id, record)
    _insert(db, "checks", [(report_id, c["id"], int(c["ok"]), c["detail"]) for c in record.get("checks", [])])
    _insert(db, "sections", [(report_id, n, t) for n, t in record.get("sections", {}).items()])
    _totals(db, report_id, report["seed"], record)
    body = "\n".join(record.get("sections", {}).values())
    db.execute("DELETE FROM reports_fts WHERE rowid = ?", (report_id,))
    db.execute("INSERT INTO reports_fts (rowid, title, body) VALUES (?, ?, ?)",
               (report_id, index_text(record.get("title") or report["title"]), index_text(body)))


_PUBLISHED = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期)\s*[:：]\s*(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})")


def _publication_date(store: Path, sha: str) -> str | None:
    """The date a report page says it was published (发布时间：2024-03-20), as ISO 8601."""
    try:
        head = (store / "blobs" / sha[:2] / sha[2:4] / sha).read_bytes()[:200_000]
    except OSError:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            m = _PUBLISHED.search(head.decode(encoding))
        except UnicodeDecodeError:
            continue
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None
    return None


def _insert(db: Database, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert rows in the table's column order (plain executemany: this is the build's hot path)."""
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.conn.executemany(f"INSERT OR REPLACE INTO [{table}] VALUES ({marks})", rows)


def _totals(db: Database, report_id: int, adcode: str | None, record: dict[str, Any]) -> None:
    region = db.execute("SELECT province, prefecture, county FROM regions WHERE adcode = ?", (adcode,)).fetchone() or (None,) * 3
    apps = record.get("applications", {})
    total = lambda key: apps.get(key, {}).get("total")  # noqa: E731
    review = record.get("review_litigation", {})
    lawsuits = [review.get(g, {}).get("total") for g in ("litigation_direct", "litigation_after_review")]
    _insert(db, "report_totals", [(
        report_id, adcode, *region, record.get("agency"), agency_kind(record.get("agency")), record.get("year"),
        record.get("template"), total("new_received"), total("carried_over"), total("granted"), total("total_processed"),
        total("carried_forward"), review.get("review", {}).get("total"),
        sum(lawsuits) if None not in lawsuits and review else None,
        record.get("active_disclosure", {}).get("fees", {}).get("amount_10k_yuan"),
        sum(1 for c in record.get("checks", []) if not c["ok"]),
    )])


def _statistics(db: Database, report_id: int, record: dict[str, Any]) -> None:
    tables = (("active_disclosure", _ITEM_LABELS, T.ACTIVE_COLUMN_LABELS), ("applications", _ROW_LABELS, T.COLUMN_LABELS),
              ("review_litigation", T.REVIEW_LABELS, T.REVIEW_LABELS))
    for table, labels, column_labels in tables:
        _insert(db, table, [
            (report_id, key, labels.get(key, key), col, column_labels.get(col, col), value)
            for key, cols in record.get(table, {}).items() for col, value in cols.items()
        ])
