"""Crawl runs: the record of what each run of the crawler found (``runs`` in ``store.db``).

A run is opened when a crawl starts and closed when it stops; its counts (found, new, changed, unchanged,
gone, files, failures by reason) are worked out from the store's own tables, so one store, a worker's
shard and merged shards give the same numbers. What each count means: docs/operations.md (run record).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: Finish reasons after which "gone" can be told: the run looked at everything its seeds list.
COMPLETE = ("finished",)


@dataclass
class RunRecord:
    """One crawl run and what it found (a row of ``runs``)."""

    run: str
    started: str
    finished: str | None = None
    reason: str | None = None
    workers: int = 1
    seeds: list[str] = field(default_factory=list)
    reports_found: int = 0
    reports_new: int = 0
    reports_changed: int = 0
    reports_unchanged: int = 0
    reports_gone: int | None = None
    files_fetched: int = 0
    fetches: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    #: documents found again but not asked for, their revisit not due (requests saved)
    not_revisited: int = 0

    def summary(self) -> str:
        """A plain-text summary for a mail or a chat message."""
        state = f"{self.reason}" if self.reason else "did not finish (killed, or still running)"
        gone = "not known (the run did not finish)" if self.reports_gone is None else str(self.reports_gone)
        lines = [
            f"Crawl run {self.run}: {state}",
            f"  {self.started} → {self.finished or '…'}; {len(self.seeds)} seed{'' if len(self.seeds) == 1 else 's'}"
            + (f", {self.workers} workers" if self.workers > 1 else ""),
            f"  reports: {self.reports_found} found — {self.reports_new} new, {self.reports_changed} changed, "
            f"{self.reports_unchanged} unchanged; gone since the run before: {gone}",
            f"  {self.files_fetched} files fetched, {self.fetches} responses in all"
            + (f"; {self.not_revisited} documents not revisited, not due yet" if self.not_revisited else ""),
        ]
        if self.failures:
            total = sum(self.failures.values())
            by = ", ".join(f"{n} {why}" for why, n in sorted(self.failures.items(), key=lambda kv: (-kv[1], kv[0])))
            lines.append(f"  {total} failures: {by}")
        else:
            lines.append("  no failures")
        return "\n".join(lines)


def now() -> str:
    """The time as runs record it (UTC, seconds, ISO 8601)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def start(db: sqlite3.Connection, run: str, seeds: list[str]) -> None:
    """Open a run (a worker that restarts into the same run keeps its start and its seeds).

    Args:
        db: a writable connection to ``store.db``.
        run: the run's name.
        seeds: the county codes it starts from.
    """
    db.execute(
        "INSERT INTO runs (run, started, workers, seeds) VALUES (?, ?, 1, ?)"
        " ON CONFLICT(run) DO UPDATE SET finished = NULL, reason = NULL",
        (run, now(), json.dumps(sorted(set(seeds)))),
    )
    db.commit()


def finish(
    db: sqlite3.Connection,
    run: str,
    reason: str | None,
    finished: str | None = None,
    seeds: list[str] | None = None,
) -> RunRecord:
    """Close a run: its reason, the time, and the counts worked out from the store.

    Args:
        db: a writable connection to ``store.db``.
        run: the run's name (opened by :func:`start`).
        reason: why it stopped (``finished``, ``shutdown``, ``closespider_timeout``…); None leaves it open.
        finished: when it stopped (default now).
        seeds: the county codes it started from, added to those it was opened with.
    """
    row = db.execute("SELECT started, seeds FROM runs WHERE run = ?", (run,)).fetchone()
    if row is None:
        raise KeyError(f"no run {run!r} in this store")
    if seeds:
        codes = sorted(set(json.loads(row[1] or "[]")) | set(seeds))
        db.execute("UPDATE runs SET seeds = ? WHERE run = ?", (json.dumps(codes), run))
        row = (row[0], json.dumps(codes))
    counts = _counts(db, run, row[0], json.loads(row[1] or "[]"), complete=reason in COMPLETE)
    db.execute(
        f"UPDATE runs SET finished = ?, reason = ?, {', '.join(f'{k} = ?' for k in counts)} WHERE run = ?",
        (finished or now() if reason else None, reason, *counts.values(), run),
    )
    db.commit()
    record = get(db, run)
    assert record is not None
    return record


def _counts(db: sqlite3.Connection, run: str, started: str, seeds: list[str], complete: bool) -> dict[str, Any]:
    one = lambda sql, *args: db.execute(sql, (run, *args)).fetchone()[0]  # noqa: E731
    found = one("SELECT COUNT(*) FROM reports WHERE last_run = ?")
    new = one("SELECT COUNT(*) FROM reports WHERE first_run = ?")
    # a body no run before this one fetched for that URL (fetches from before run records count as before)
    changed = one(
        """WITH seen AS (
             SELECT url, url AS doc FROM reports WHERE last_run = ?1 AND first_run IS NOT ?1
             UNION SELECT r.url, f.file_url FROM reports r JOIN report_files f ON f.report_url = r.url
             WHERE r.last_run = ?1 AND r.first_run IS NOT ?1)
           SELECT COUNT(DISTINCT seen.url) FROM seen JOIN fetches f ON f.url = seen.doc
           WHERE f.run = ?1 AND f.status = 200 AND f.sha256 IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM fetches g WHERE g.url = f.url AND g.sha256 = f.sha256 AND g.run IS NOT ?1
             AND (g.run IS NULL OR g.run IN (SELECT run FROM runs WHERE started <= ?2)))""",
        started,
    )
    gone = None
    if complete:
        previous = db.execute(
            "SELECT run FROM runs WHERE run != ? AND (started < ? OR (started = ? AND run < ?))"
            " ORDER BY started DESC, run DESC LIMIT 1",
            (run, started, started, run),
        ).fetchone()
        codes = json.dumps(seeds)
        gone = (
            one(
                "SELECT COUNT(*) FROM reports WHERE last_run IS NOT ? AND last_run = ?"
                " AND adcode IN (SELECT value FROM json_each(?))",
                previous[0],
                codes,
            )
            if previous
            else 0
        )
    # a URL whose last attempt in the run failed (a retry that succeeded is not a failure)
    failures = dict(
        db.execute(
            "SELECT CASE WHEN error IS NOT NULL THEN substr(error, 1, instr(error || ':', ':') - 1)"
            " ELSE 'HTTP ' || status END AS why, COUNT(*) FROM fetches"
            " WHERE id IN (SELECT MAX(id) FROM fetches WHERE run = ? GROUP BY url)"
            " AND (error IS NOT NULL OR status >= 400) GROUP BY why",
            (run,),
        ).fetchall()
    )
    return {
        "reports_found": found,
        "reports_new": new,
        "reports_changed": changed,
        "reports_unchanged": found - new - changed,
        "reports_gone": gone,
        "files_fetched": one("SELECT COUNT(*) FROM fetches WHERE run = ? AND kind = 'file' AND status = 200"),
        "fetches": one("SELECT COUNT(*) FROM fetches WHERE run = ?"),
        "failures": json.dumps(failures, ensure_ascii=False) if failures else None,
        "not_revisited": one("SELECT COUNT(*) FROM revisits WHERE run = ?"),
    }


def get(db: sqlite3.Connection, run: str) -> RunRecord | None:
    """The record of one run, or None.

    Args:
        db: a connection to ``store.db``.
        run: the run's name.
    """
    cursor = db.execute("SELECT * FROM runs WHERE run = ?", (run,))
    row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip([c[0] for c in cursor.description], row, strict=True))
    values["seeds"] = json.loads(values["seeds"] or "[]")
    values["failures"] = json.loads(values["failures"] or "{}")
    values["workers"] = values["workers"] or 1
    for key in (
        "reports_found",
        "reports_new",
        "reports_changed",
        "reports_unchanged",
        "files_fetched",
        "fetches",
        "not_revisited",
    ):
        values[key] = values[key] or 0
    return RunRecord(**values)


def latest(db: sqlite3.Connection) -> RunRecord | None:
    """The run that started last, or None.

    Args:
        db: a connection to ``store.db``.
    """
    row = db.execute("SELECT run FROM runs ORDER BY started DESC, run DESC LIMIT 1").fetchone()
    return get(db, row[0]) if row else None
