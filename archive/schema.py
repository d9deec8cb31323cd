"""The archive.db schema: tables (with keys and indexes), full-text index and views.

Tables are created by sqlite-utils from the column types below; views and
the FTS table are SQL kept here so that README's schema section and the
database agree.
"""

from __future__ import annotations

from sqlite_utils import Database

#: table → (columns with types, primary key, foreign keys, indexes)
TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...], list[tuple[str, str, str]], list[tuple[str, ...]]]] = {
    "regions": (
        {"adcode": str, "province": str, "prefecture": str, "county": str, "level": str},
        "adcode", [], [("province",)],
    ),
    "portals": (
        {"adcode": str, "portal_url": str, "reports_url": str, "cms": str},
        "adcode", [("adcode", "regions", "adcode")], [],
    ),
    "fetches": (
        {"id": int, "url": str, "final_url": str, "status": int, "content_type": str, "size": int, "sha256": str,
         "fetched_at": str, "seed": str, "kind": str, "report_url": str, "filename": str, "warc_file": str,
         "warc_offset": int, "error": str},
        "id", [("seed", "regions", "adcode")], [("url",), ("sha256",), ("seed",)],
    ),
    "documents": (
        {"sha256": str, "url": str, "content_type": str, "size": int, "filename": str, "warc_file": str,
         "warc_offset": int, "format": str, "parse_error": str, "parser_version": str},
        "sha256", [], [("url",)],
    ),
    "document_records": (
        {"sha256": str, "record": bytes},
        "sha256", [("sha256", "documents", "sha256")], [],
    ),
    "reports": (
        {"id": int, "url": str, "adcode": str, "agency": str, "agency_kind": str, "year": int, "template": str,
         "title": str, "listed_title": str, "column_url": str, "publication_date": str, "first_seen": str, "source_sha256": str,
         "source_url": str, "parse_status": str, "warnings": str},
        "id", [("adcode", "regions", "adcode"), ("source_sha256", "documents", "sha256")],
        [("adcode", "year"), ("year",), ("agency",), ("url",)],
    ),
    "report_documents": (
        {"report_id": int, "sha256": str, "url": str, "role": str, "is_source": int},
        ("report_id", "sha256"), [("report_id", "reports", "id"), ("sha256", "documents", "sha256")], [],
    ),
    "active_disclosure": (
        {"report_id": int, "item_key": str, "item_label": str, "column_key": str, "column_label": str, "value": float},
        ("report_id", "item_key", "column_key"), [("report_id", "reports", "id")], [],
    ),
    "applications": (
        {"report_id": int, "row_key": str, "row_label": str, "column_key": str, "column_label": str, "value": float},
        ("report_id", "row_key", "column_key"), [("report_id", "reports", "id")], [],
    ),
    "review_litigation": (
        {"report_id": int, "group_key": str, "group_label": str, "column_key": str, "column_label": str, "value": float},
        ("report_id", "group_key", "column_key"), [("report_id", "reports", "id")], [],
    ),
    "checks": (
        {"report_id": int, "check_id": str, "ok": int, "detail": str},
        ("report_id", "check_id"), [("report_id", "reports", "id")], [],
    ),
    # the main totals of each report, written with the report (a view over the long tables is too slow to facet)
    "report_totals": (
        {"report_id": int, "adcode": str, "province": str, "prefecture": str, "county": str, "agency": str,
         "agency_kind": str, "year": int, "template": str, "new_received": float, "carried_over": float,
         "granted": float, "total_processed": float, "carried_forward": float, "reviews": float, "lawsuits": float,
         "fees_10k_yuan": float, "failed_checks": int},
        "report_id", [("report_id", "reports", "id")],
        [("province",), ("year",), ("agency_kind",), ("template",), ("agency", "year")],
    ),
    "sections": (
        {"report_id": int, "number": str, "text": str},
        ("report_id", "number"), [("report_id", "reports", "id")], [],
    ),
}

FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS reports_fts USING fts5(title, body, tokenize='unicode61');
"""

VIEWS = {
    # each county × year since the 2019 template: did the county government publish?
    "coverage": """
WITH years(year) AS (SELECT DISTINCT year FROM reports WHERE year >= 2019)
SELECT g.adcode, g.province, g.prefecture, g.county, y.year,
  EXISTS (SELECT 1 FROM reports r WHERE r.adcode = g.adcode AND r.year = y.year AND r.agency_kind = 'county_government') AS government_report,
  (SELECT COUNT(*) FROM reports r WHERE r.adcode = g.adcode AND r.year = y.year) AS reports
FROM regions g JOIN portals p ON p.adcode = g.adcode CROSS JOIN years y""",
    # carried over in year N against carried forward in year N-1, same agency
    "continuity": """
SELECT cur.agency, cur.adcode, cur.year, prev.carried_forward AS previous_carried_forward,
  cur.carried_over, cur.carried_over = prev.carried_forward AS consistent
FROM report_totals cur JOIN report_totals prev ON prev.agency = cur.agency AND prev.year = cur.year - 1""",
}


_SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL", bytes: "BLOB"}

#: Stored in ``PRAGMA user_version``. Version 2: integer report ids (the FTS rowid), so a search's
#: first page is read in key order instead of sorting every match.
VERSION = 2
#: the tables keyed by report_id, rewritten with their report
REPORT_CHILD_TABLES = ("report_documents", "active_disclosure", "applications", "review_litigation", "checks",
                       "report_totals", "sections")
#: what a schema upgrade drops and the next build writes again (the fetch log and the parse cache stay)
REPORT_TABLES = (*REPORT_CHILD_TABLES, "reports")


def _create_without_rowid(db: Database, name: str, columns: dict[str, type], pk: tuple[str, ...],
                          fks: list[tuple[str, str, str]]) -> None:
    """Tables keyed by several columns are stored in their key's B-tree (half the size of table + index)."""
    cols = [f"[{c}] {_SQL_TYPES[t]}" + (" NOT NULL" if c in pk else "") for c, t in columns.items()]
    refs = [f"FOREIGN KEY([{c}]) REFERENCES [{t}]([{tc}])" for c, t, tc in fks]
    keys = ", ".join(f"[{c}]" for c in pk)
    db.execute(f"CREATE TABLE [{name}] ({', '.join(cols + [f'PRIMARY KEY ({keys})'] + refs)}) WITHOUT ROWID")


def _drop_report_tables(db: Database) -> None:
    """An archive of an older schema: drop what the build derives from the parse cache, keep the cache."""
    for name in VIEWS:
        db.execute(f"DROP VIEW IF EXISTS [{name}]")
    if "report_totals" in db.view_names():  # a view in the first schema
        db.execute("DROP VIEW report_totals")
    db.execute("DROP TABLE IF EXISTS reports_fts")
    for name in REPORT_TABLES:
        db.execute(f"DROP TABLE IF EXISTS [{name}]")


def create(db: Database) -> None:
    """Create every table, index, the FTS table and the views if missing.

    Args:
        db: the archive database.
    """
    if db.execute("PRAGMA user_version").fetchone()[0] < VERSION and "reports" in db.table_names():
        _drop_report_tables(db)
    db.execute(f"PRAGMA user_version = {VERSION}")
    for name, (columns, pk, fks, indexes) in TABLES.items():
        if name not in db.table_names():
            if isinstance(pk, tuple):
                _create_without_rowid(db, name, columns, pk, fks)
            else:
                db[name].create(columns, pk=pk, foreign_keys=fks)
            for cols in indexes:
                db[name].create_index(list(cols), if_not_exists=True)
    db.executescript(FTS)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)
