"""Merging store shards (one per crawl worker) into one store that ``ogi build`` reads like any other.

Each shard is a whole store (``warc/``, ``store.db``, a ``blobs/`` cache if kept). Merging copies what the
target lacks: WARC files by name (names are unique per crawling process), cached bodies by hash (hard links
where the disk allows), then the shard's new fetch-log rows, reports, report files and run records, in one transaction
per merge. What was merged from each shard is remembered (``merged_shards``: the last fetch id taken), so
merging again after more crawling takes only what is new, and a merge killed at any point is repaired by
running it again: files are copied before the rows that name them, and the rows with the progress.

Fetch rows of all shards are interleaved by time, so that the latest fetch of a URL is still the one with
the highest id. A report listed by several shards keeps its earliest first sighting and its latest last
one. The run records of a distributed run (one row per shard) become one, closed again from the merged
tables (``rawstore.runs``): it finished if any worker finished, since a worker finishes only when the
whole frontier is done.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path

from . import runs
from .store import FETCH_COLUMNS, RawStore, StoreError, blob_path

log = logging.getLogger(__name__)


@dataclass
class MergeSummary:
    """What a merge took from its shards."""

    shards: int = 0
    fetches: int = 0
    blobs: int = 0
    warc_files: int = 0
    reports: int = 0
    runs: int = 0

    def __str__(self) -> str:
        return (
            f"{self.shards} shards: {self.fetches} fetches, {self.reports} reports, {self.blobs} bodies, "
            f"{self.warc_files} WARC files, {self.runs} runs"
        )


def _copy(src: Path, dst: Path) -> None:
    """Put a file in place whole or not at all (a hard link where the disk allows)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copyfile(src, tmp)
    tmp.replace(dst)


def _open_shard(path: Path) -> sqlite3.Connection:
    # RawStore checks it is a store, upgrades an old one and rolls back what a killed writer left
    db = RawStore(path, readonly=True).db
    db.row_factory = sqlite3.Row
    return db


def merge(shards: list[str | Path], into: str | Path) -> MergeSummary:
    """Merge store shards into one store (created if missing); safe to run again at any time.

    Args:
        shards: the shards' store directories.
        into: the store to merge into (not one of the shards).

    Raises:
        StoreError: a shard that is not a readable store, or the target among the shards.
    """
    target = Path(into)
    paths = list(dict.fromkeys(Path(s).resolve() for s in shards))  # a shard named twice is one shard
    if any(p.resolve() == target.resolve() for p in paths):
        raise StoreError(f"{target} is one of the shards: merge into another directory")
    summary = MergeSummary(shards=len(paths))
    with RawStore(target) as out, ExitStack() as stack:
        db = out.db
        shards_db = [stack.enter_context(closing(_open_shard(p))) for p in paths]
        ranges: dict[str, tuple[int, int]] = {}  # shard → (merged up to, merging up to)
        for path, shard in zip(paths, shards_db, strict=True):
            key = str(path.resolve())
            done = db.execute("SELECT last_fetch FROM merged_shards WHERE shard = ?", (key,)).fetchone()
            last = shard.execute("SELECT COALESCE(MAX(id), 0) FROM fetches").fetchone()[0]
            ranges[key] = (done[0] if done else 0, last)
            # files before the rows that name them: a kill between leaves files nobody names yet
            summary.warc_files += _copy_files(path, out, shard, ranges[key][0], summary)
        # each shard's log is in time order already: merged as streams, never held whole
        streams = [
            _keyed(index, _rows(shard, low, high))
            for index, (shard, (low, high)) in enumerate(zip(shards_db, ranges.values(), strict=True))
        ]
        columns = [c for c in FETCH_COLUMNS if c != "id"]
        with db:  # one transaction: the rows, and how far each shard is merged
            inserted = db.executemany(
                f"INSERT INTO fetches ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                ([row[c] for c in columns] for _, row in heapq.merge(*streams, key=lambda t: t[0])),
            )
            summary.fetches = max(inserted.rowcount, 0)
            touched: set[str] = set()
            for shard in shards_db:
                summary.reports += _merge_reports(db, shard)
                touched |= _merge_runs(db, shard)
            db.executemany(
                "INSERT INTO merged_shards (shard, last_fetch) VALUES (?, ?)"
                " ON CONFLICT(shard) DO UPDATE SET last_fetch = excluded.last_fetch",
                [(key, high) for key, (_, high) in ranges.items()],
            )
        for run in sorted(touched):
            _close_run(db, run, shards_db)
        summary.runs = len(touched)
    log.info("merged into %s: %s", target, summary)
    return summary


def _rows(shard: sqlite3.Connection, low: int, high: int) -> Iterator[sqlite3.Row]:
    yield from shard.execute("SELECT * FROM fetches WHERE id > ? AND id <= ? ORDER BY id", (low, high))


def _keyed(index: int, rows: Iterator[sqlite3.Row]) -> Iterator[tuple[tuple[str, int, int], sqlite3.Row]]:
    for row in rows:
        yield (row["fetched_at"] or "", index, row["id"]), row


def _copy_files(path: Path, out: RawStore, shard: sqlite3.Connection, after: int, summary: MergeSummary) -> int:
    """Copy the shard's WARC files the target lacks (or holds shorter: still being written when last
    merged), and the bodies its fetches after ``after`` name."""
    copied = 0
    for warc in sorted((path / "warc").glob("*.warc.gz")):
        dst = out.root / "warc" / warc.name
        if not dst.exists() or dst.stat().st_size < warc.stat().st_size:
            _copy(warc, dst)
            copied += 1
    for (sha,) in shard.execute("SELECT DISTINCT sha256 FROM fetches WHERE sha256 IS NOT NULL AND id > ?", (after,)):
        try:
            src, dst = blob_path(path, sha), out.blob_path(sha)
        except ValueError:  # not a hash: a damaged or tampered store.db names no file of ours
            log.warning("shard %s: a fetch names %.80r as its body: not a SHA-256, skipped", path, sha)
            continue
        if not dst.exists() and src.exists():
            _copy(src, dst)
            summary.blobs += 1
    return copied


def _merge_reports(db: sqlite3.Connection, shard: sqlite3.Connection) -> int:
    reports = shard.execute(
        "SELECT url, adcode, title, year, column_url, first_seen, last_seen, listed_date, first_run, last_run"
        " FROM reports"
    ).fetchall()
    db.executemany(
        """INSERT INTO reports (url, adcode, title, year, column_url, first_seen, last_seen, listed_date,
             first_run, last_run) VALUES (?,?,?,?,?,?,?,?,?,?)
           ON CONFLICT(url) DO UPDATE SET
             first_run = CASE WHEN excluded.first_seen < first_seen THEN excluded.first_run ELSE first_run END,
             first_seen = MIN(first_seen, excluded.first_seen),
             title = CASE WHEN excluded.last_seen >= last_seen THEN excluded.title ELSE title END,
             last_run = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_run ELSE last_run END,
             listed_date = COALESCE(CASE WHEN excluded.last_seen >= last_seen THEN excluded.listed_date END,
                                    listed_date, excluded.listed_date),
             last_seen = MAX(last_seen, excluded.last_seen)""",
        [tuple(r) for r in reports],
    )
    db.executemany(
        "INSERT OR IGNORE INTO report_files (report_url, file_url, link_text) VALUES (?,?,?)",
        shard.execute("SELECT report_url, file_url, link_text FROM report_files ORDER BY rowid"),
    )
    if shard.execute("SELECT 1 FROM sqlite_master WHERE name = 'revisits'").fetchone():  # a shard of layout 6 on
        db.executemany(
            "INSERT OR IGNORE INTO revisits (url, run, last_checked, due) VALUES (?,?,?,?)",
            shard.execute("SELECT url, run, last_checked, due FROM revisits"),
        )
    return len(reports)


def _merge_runs(db: sqlite3.Connection, shard: sqlite3.Connection) -> set[str]:
    names = set()
    for row in shard.execute("SELECT run, started, seeds FROM runs"):
        names.add(row["run"])
        db.execute(
            "INSERT INTO runs (run, started, workers, seeds) VALUES (?, ?, 0, ?)"
            " ON CONFLICT(run) DO UPDATE SET started = MIN(started, excluded.started)",
            (row["run"], row["started"], row["seeds"]),
        )
    return names


def _close_run(db: sqlite3.Connection, run: str, shards: list[sqlite3.Connection]) -> None:
    """One record for a run from its shards' records, counted again from the merged tables."""
    parts = [
        dict(row)
        for shard in shards
        for row in shard.execute("SELECT finished, reason, seeds FROM runs WHERE run = ?", (run,))
    ]
    previous = db.execute("SELECT workers, seeds FROM runs WHERE run = ?", (run,)).fetchone()
    seeds = set(json.loads(previous[1] or "[]"))
    for part in parts:
        seeds |= set(json.loads(part["seeds"] or "[]"))
    reasons = [p["reason"] for p in parts]
    reason = "finished" if "finished" in reasons else next((r for r in reasons if r), None)
    finished = max((p["finished"] for p in parts if p["finished"]), default=None)
    db.execute(
        "UPDATE runs SET seeds = ?, workers = MAX(COALESCE(workers, 0), ?) WHERE run = ?",
        (json.dumps(sorted(seeds)), len(parts), run),
    )
    db.commit()
    runs.finish(db, run, reason, finished=finished)
