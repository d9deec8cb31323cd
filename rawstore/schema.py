"""``store.db``: the raw store's tables, as data, and their upgrades.

The crawler writes these tables and the archive build reads them; nothing
else knows their columns. Upgrades are numbered steps recorded in
``PRAGMA user_version`` (the store is plain sqlite3, written from Scrapy's
threads, so it does not carry sqlite-utils).
"""

from __future__ import annotations

import sqlite3

#: table → column definitions, in order (the dataclasses in ``rawstore.store`` mirror them).
TABLES: dict[str, dict[str, str]] = {
    # the fetch log: one row per response or failure
    "fetches": {
        "id": "INTEGER PRIMARY KEY",
        "url": "TEXT NOT NULL",
        "final_url": "TEXT",
        "status": "INTEGER",
        "content_type": "TEXT",
        "size": "INTEGER",
        "sha256": "TEXT",
        "etag": "TEXT",
        "last_modified": "TEXT",
        "fetched_at": "TEXT NOT NULL",
        "adcode": "TEXT",
        "kind": "TEXT",
        "report_url": "TEXT",
        "filename": "TEXT",
        "warc_file": "TEXT",
        "warc_offset": "INTEGER",
        "error": "TEXT",
        # the crawl run that made it (``runs.run``)
        "run": "TEXT",
    },
    # one row per report page (or file linked straight from a column) the crawler recognised
    "reports": {
        "url": "TEXT PRIMARY KEY",
        "adcode": "TEXT",
        "title": "TEXT",
        "year": "INTEGER",
        "column_url": "TEXT",
        "first_seen": "TEXT",
        "last_seen": "TEXT",
        # the date the column's list prints beside the report (its publication date as the portal states it)
        "listed_date": "TEXT",
        # the first and the latest crawl run that listed it
        "first_run": "TEXT",
        "last_run": "TEXT",
    },
    # the attachments linked from a report page
    "report_files": {
        "report_url": "TEXT NOT NULL",
        "file_url": "TEXT NOT NULL",
        "link_text": "TEXT",
    },
    # one row per crawl run (rawstore.runs): when, which seeds, what it found; the counts are worked out
    # from the tables above when the run ends, and again when shards are merged
    "runs": {
        "run": "TEXT PRIMARY KEY",
        "started": "TEXT NOT NULL",
        "finished": "TEXT",
        # why it stopped (Scrapy's finish reason); NULL while it runs, or after kill -9
        "reason": "TEXT",
        # the store shards (crawl workers) that took part
        "workers": "INTEGER",
        # JSON list of the seeds' county codes it started from
        "seeds": "TEXT",
        "reports_found": "INTEGER",
        "reports_new": "INTEGER",
        "reports_changed": "INTEGER",
        "reports_unchanged": "INTEGER",
        "reports_gone": "INTEGER",
        "files_fetched": "INTEGER",
        "fetches": "INTEGER",
        # JSON object: failure reason → count
        "failures": "TEXT",
        # documents the revisit schedule did not ask for in this run (requests saved): ``revisits``
        "not_revisited": "INTEGER",
    },
    # a document the crawl found again but did not ask for, its revisit not being due (crawler/revisits.py):
    # which run, when it was last checked and when it is due
    "revisits": {
        "url": "TEXT NOT NULL",
        "run": "TEXT NOT NULL",
        "last_checked": "TEXT",
        "due": "TEXT",
    },
    # facts about the store itself: ``bodies`` = ``warc`` once its bodies are kept in WARC records only
    "store_info": {"key": "TEXT PRIMARY KEY", "value": "TEXT"},
    # a store merged from shards (rawstore.merge): how far each shard's fetch log is merged
    "merged_shards": {
        "shard": "TEXT PRIMARY KEY",
        "last_fetch": "INTEGER NOT NULL",
    },
}
PRIMARY_KEYS = {"report_files": ("report_url", "file_url"), "revisits": ("url", "run")}
INDEXES = {
    "fetches_url": ("fetches", "url"),
    "fetches_sha": ("fetches", "sha256"),
    "fetches_run": ("fetches", "run"),
    "reports_last_run": ("reports", "last_run"),
}

#: ``PRAGMA user_version`` of a store of this layout. 1: the county code was ``seed``; 2: ``adcode``;
#: 3: reports have ``listed_date``; 4: crawl runs (``runs``, ``fetches.run``, ``reports.first_run``/``last_run``);
#: 5: ``store_info`` (a store of 4 or before cached every body beside its WARC record: see
#: :func:`blobs_pending`); 6: ``revisits``, ``runs.not_revisited``.
VERSION = 6


def _create_sql() -> str:
    statements = []
    for table, columns in TABLES.items():
        cols = [f"{name} {decl}" for name, decl in columns.items()]
        if table in PRIMARY_KEYS:
            cols.append(f"PRIMARY KEY ({', '.join(PRIMARY_KEYS[table])})")
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})")
    statements += [f"CREATE INDEX IF NOT EXISTS {name} ON {t}({c})" for name, (t, c) in INDEXES.items()]
    return ";\n".join(statements) + ";"


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def upgrade(db: sqlite3.Connection) -> None:
    """Create the tables if missing and bring an older store up to :data:`VERSION`.

    Args:
        db: a writable connection to ``store.db``.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    new = "fetches" not in _tables(db)
    if version < 2:
        # the county code had another name on the crawler's side than on the archive's
        for table in ("fetches", "reports"):
            if "seed" in _columns(db, table):
                db.execute(f"ALTER TABLE {table} RENAME COLUMN seed TO adcode")
    added = {
        3: {"reports": ["listed_date"]},
        4: {"fetches": ["run"], "reports": ["first_run", "last_run"]},
        6: {"runs": ["not_revisited"]},
    }
    for step, tables in added.items():
        for table, names in tables.items():
            if version < step and table in _tables(db):
                for name in sorted(set(names) - _columns(db, table)):
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {TABLES[table][name]}")
    db.executescript(_create_sql())
    if new:
        blobs_done(db)  # a new store keeps its bodies in WARC records from the start
    db.execute(f"PRAGMA user_version = {VERSION}")
    db.commit()


def blobs_pending(db: sqlite3.Connection) -> bool:
    """Whether the store still caches the bodies of the layout before WARC-only bodies (done once, by the
    first writer to open it: :meth:`rawstore.RawStore._bodies_into_warc`)."""
    return db.execute("SELECT 1 FROM store_info WHERE key = 'bodies' AND value = 'warc'").fetchone() is None


def blobs_done(db: sqlite3.Connection) -> None:
    """Record that the store's bodies are in its WARC records (any file under ``blobs/`` is a cache)."""
    db.execute("INSERT OR REPLACE INTO store_info (key, value) VALUES ('bodies', 'warc')")
    db.commit()


def needs_upgrade(db: sqlite3.Connection) -> bool:
    """Whether ``store.db`` is of an older layout (or has no tables yet).

    Args:
        db: any connection to ``store.db``.
    """
    return bool(db.execute("PRAGMA user_version").fetchone()[0] < VERSION)
