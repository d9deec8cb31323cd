"""The archive.db schema as data: tables (columns, keys, indexes), the full-text index, views, upgrades.

Tables are declared once in :data:`TABLES`; sqlite-utils creates them and
:func:`insert` writes rows by column name, so a column added anywhere cannot
shift values. Upgrades of an existing archive are sqlite-utils migrations
(:data:`MIGRATIONS`), applied before the tables are created.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations


@dataclass(frozen=True)
class Table:
    """One table of the archive.

    Attributes:
        name: the table's name.
        columns: column → Python type (str TEXT, int INTEGER, float REAL, bytes BLOB), in order.
        pk: the primary key; several columns make a WITHOUT ROWID table (stored in its key's B-tree).
        foreign_keys: (column, other table, other column).
        indexes: the columns of each index.
        per_report: rows belong to one report (``report_id``) and are rewritten with it.
    """

    name: str
    columns: dict[str, type]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    per_report: bool = False


_REPORT_FK = (("report_id", "reports", "id"),)


def _long_table(name: str, row: str) -> Table:
    """A statistical table in long form: one row per (report, template row, column)."""
    label = row.replace("_key", "_label")
    return Table(
        name,
        # INTEGER affinity: a count is stored as an integer (27, not 27.0); a fee keeps its decimals (REAL)
        {"report_id": int, row: str, label: str, "column_key": str, "column_label": str, "value": int},
        ("report_id", row, "column_key"),
        _REPORT_FK,
        per_report=True,
    )


#: The three statistical tables of the template: archive table → its row-key column.
STAT_TABLES = {"active_disclosure": "item_key", "applications": "row_key", "review_litigation": "group_key"}

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "regions",
            {"adcode": str, "province": str, "prefecture": str, "county": str, "level": str},
            "adcode",
            indexes=(("province",),),
        ),
        Table(
            "portals",
            {"adcode": str, "portal_url": str, "reports_url": str, "cms": str},
            "adcode",
            (("adcode", "regions", "adcode"),),
        ),
        # a copy of the raw store's fetch log (rawstore.schema), without the conditional-request headers
        Table(
            "fetches",
            {
                "id": int,
                "url": str,
                "final_url": str,
                "status": int,
                "content_type": str,
                "size": int,
                "sha256": str,
                "fetched_at": str,
                "adcode": str,
                "kind": str,
                "report_url": str,
                "filename": str,
                "warc_file": str,
                "warc_offset": int,
                "error": str,
                "run": str,
            },
            "id",
            (("adcode", "regions", "adcode"),),
            (("url",), ("sha256",), ("adcode",)),
        ),
        # each distinct body of a report's documents; url and the rest come from the first fetch that returned it
        Table(
            "documents",
            {
                "sha256": str,
                "url": str,
                "content_type": str,
                "size": int,
                "filename": str,
                "warc_file": str,
                "warc_offset": int,
                "format": str,
                "parse_error": str,
                "parse_error_reason": str,
                "parser_version": str,
            },
            "sha256",
            indexes=(("url",),),
        ),
        # the parse cache: the parser's record of each document (zlib-compressed JSON)
        Table("document_records", {"sha256": str, "record": bytes}, "sha256", (("sha256", "documents", "sha256"),)),
        # one row per report (a report page, or a file a column links to directly), from its current documents
        Table(
            "reports",
            {
                "id": int,
                "url": str,
                "adcode": str,
                "agency": str,
                "agency_kind": str,
                "year": int,
                "template": str,
                "title": str,
                "listed_title": str,
                "column_url": str,
                "publication_date": str,
                "publication_date_source": str,
                "first_seen": str,
                "changed_at": str,
                "source_sha256": str,
                "source_url": str,
                "versions": int,
                "parse_status": str,
                "warnings": str,
                "inputs_digest": str,
            },
            "id",
            (("adcode", "regions", "adcode"), ("source_sha256", "documents", "sha256")),
            (("adcode", "year"), ("year",), ("agency",), ("url",), ("changed_at",)),
        ),
        # every version of every document of a report: earlier versions are kept here, not as extra reports
        Table(
            "report_documents",
            {
                "report_id": int,
                "url": str,
                "sha256": str,
                "role": str,
                "first_fetched": str,
                "is_current": int,
                "is_source": int,
            },
            ("report_id", "url", "sha256"),
            (*_REPORT_FK, ("sha256", "documents", "sha256")),
            per_report=True,
        ),
        *(_long_table(name, row) for name, row in STAT_TABLES.items()),
        Table(
            "checks",
            {"report_id": int, "check_id": str, "kind": str, "ok": int, "detail": str},
            ("report_id", "check_id"),
            _REPORT_FK,
            per_report=True,
        ),
        # the main totals of each report, written with the report (a view over the long tables is too slow to facet)
        Table(
            "report_totals",
            {
                "report_id": int,
                "adcode": str,
                "province": str,
                "prefecture": str,
                "county": str,
                "agency": str,
                "agency_kind": str,
                "year": int,
                "template": str,
                "new_received": int,
                "carried_over": int,
                "granted": int,
                "total_processed": int,
                "carried_forward": int,
                "reviews": int,
                "lawsuits": int,
                "fees_10k_yuan": float,
                "failed_checks": int,
            },
            "report_id",
            _REPORT_FK,
            (("province",), ("year",), ("agency_kind",), ("template",), ("agency", "year")),
            per_report=True,
        ),
        # what the archive was built from: the raw store (for archived copies), parser version, when
        Table("build_info", {"key": str, "value": str}, "key"),
        # the raw store's run records (rawstore.runs): each crawl, when, and what it found
        Table(
            "crawl_runs",
            {
                "run": str,
                "started": str,
                "finished": str,
                "reason": str,
                "workers": int,
                "seeds": str,
                "reports_found": int,
                "reports_new": int,
                "reports_changed": int,
                "reports_unchanged": int,
                "reports_gone": int,
                "files_fetched": int,
                "fetches": int,
                "failures": str,
            },
            "run",
            indexes=(("started",),),
        ),
        Table(
            "sections",
            {"report_id": int, "number": str, "text": str},
            ("report_id", "number"),
            _REPORT_FK,
            per_report=True,
        ),
    )
}

#: Tables keyed by report_id, rewritten with their report.
REPORT_CHILD_TABLES = tuple(t.name for t in TABLES.values() if t.per_report)

FTS_TABLE = "reports_fts"
FTS = f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body, tokenize='unicode61');"

#: The deadline of the regulations (政府信息公开条例 第五十条): the report on a year is due by 31 January of the next.
DEADLINE_SQL = "({year} + 1) || '-01-31'"


def timeliness_status(report: str, year: str, published: str, first_seen: str) -> str:
    """SQL for whether a report came on time: ``on time``, ``late``, ``missing``, ``not yet due`` or
    ``date unknown`` (the views and the pages share this one rule).

    Without a stated publication date, a report the crawler saw by the deadline was on time; a report
    not found is missing only once its deadline has passed.

    Args:
        report, year, published, first_seen: SQL expressions for the report (NULL when there is none), the
            year it covers, its publication date and when the crawler first saw it.
    """
    deadline = DEADLINE_SQL.format(year=year)
    return f"""CASE
    WHEN {report} IS NULL AND date('now') <= {deadline} THEN 'not yet due'
    WHEN {report} IS NULL THEN 'missing'
    WHEN {published} IS NOT NULL AND {published} <= {deadline} THEN 'on time'
    WHEN {published} IS NOT NULL THEN 'late'
    WHEN substr({first_seen}, 1, 10) <= {deadline} THEN 'on time'
    ELSE 'date unknown'
  END"""


VIEWS = {
    # each county × year since the 2019 template: did the county government publish?
    "coverage": """
WITH years(year) AS (SELECT DISTINCT year FROM reports WHERE year >= 2019)
SELECT g.adcode, g.province, g.prefecture, g.county, y.year,
  EXISTS (SELECT 1 FROM reports r WHERE r.adcode = g.adcode AND r.year = y.year AND r.agency_kind = 'county_government') AS government_report,
  (SELECT COUNT(*) FROM reports r WHERE r.adcode = g.adcode AND r.year = y.year) AS reports
FROM regions g JOIN portals p ON p.adcode = g.adcode CROSS JOIN years y""",
    # each county × year: when the county government published its report (see timeliness_status)
    "timeliness": f"""
WITH years(year) AS (SELECT DISTINCT year FROM reports WHERE year >= 2019),
gov AS (
  SELECT adcode, year, MIN(publication_date) AS publication_date, MIN(first_seen) AS first_seen, MIN(id) AS report_id
  FROM reports WHERE agency_kind = 'county_government' GROUP BY adcode, year)
SELECT g.adcode, g.province, g.prefecture, g.county, y.year, {DEADLINE_SQL.format(year="y.year")} AS deadline,
  gov.report_id, gov.publication_date, substr(gov.first_seen, 1, 10) AS first_seen,
  {timeliness_status("gov.report_id", "y.year", "gov.publication_date", "gov.first_seen")} AS status,
  CAST(julianday(gov.publication_date) - julianday({DEADLINE_SQL.format(year="y.year")}) AS INTEGER)
    AS days_after_deadline
FROM regions g JOIN portals p ON p.adcode = g.adcode CROSS JOIN years y
LEFT JOIN gov ON gov.adcode = g.adcode AND gov.year = y.year""",
    # carried over in year N against carried forward in year N-1, same agency
    "continuity": """
SELECT cur.agency, cur.adcode, cur.year, prev.carried_forward AS previous_carried_forward,
  cur.carried_over, cur.carried_over = prev.carried_forward AS consistent
FROM report_totals cur JOIN report_totals prev ON prev.agency = cur.agency AND prev.year = cur.year - 1""",
}

_SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL", bytes: "BLOB"}

MIGRATIONS = Migrations("ogi-archive")


def _drop_derived(db: Database) -> None:
    """Drop what the build writes again from the parse cache: reports, their tables, FTS and views."""
    for name in VIEWS:
        db.execute(f"DROP VIEW IF EXISTS [{name}]")
    db.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    for name in (*REPORT_CHILD_TABLES, "reports"):
        db.execute(f"DROP TABLE IF EXISTS [{name}]")


@MIGRATIONS()
def m001_reports_keyed_by_url(db: Database) -> None:
    """Archives of the first layouts (reports keyed by URL and source hash, the county code named ``seed``).

    Drops what the build derives again from the raw store and the parse cache; keeps the parse cache
    (``documents`` and ``document_records``), so nothing is parsed again.
    """
    if "report_totals" in db.view_names():  # a view in the first layout
        db.execute("DROP VIEW report_totals")
    _drop_derived(db)
    db.execute("DROP TABLE IF EXISTS fetches")
    if "documents" in db.table_names() and "parse_error_reason" not in db["documents"].columns_dict:
        db["documents"].add_column("parse_error_reason", str)  # type: ignore[union-attr]
    db.execute("PRAGMA user_version = 0")


@MIGRATIONS()
def m002_counts_as_integers(db: Database) -> None:
    """Counts were REAL (27.0): the report tables are written again, from the parse cache, as INTEGER."""
    _drop_derived(db)


@MIGRATIONS()
def m003_publication_dates_and_check_kinds(db: Database) -> None:
    """Reports gain where their publication date comes from and when they last changed; checks their kind."""
    _drop_derived(db)


@MIGRATIONS()
def m004_fetches_name_their_run(db: Database) -> None:
    """Fetches name the crawl run that made them (the raw store's ``fetches.run``)."""
    if "fetches" in db.table_names() and "run" not in db["fetches"].columns_dict:
        db["fetches"].add_column("run", str)  # type: ignore[union-attr]


def _create_without_rowid(db: Database, table: Table) -> None:
    pk = table.pk if isinstance(table.pk, tuple) else (table.pk,)
    cols = [f"[{c}] {_SQL_TYPES[t]}" + (" NOT NULL" if c in pk else "") for c, t in table.columns.items()]
    refs = [f"FOREIGN KEY([{c}]) REFERENCES [{t}]([{tc}])" for c, t, tc in table.foreign_keys]
    keys = ", ".join(f"[{c}]" for c in pk)
    db.execute(f"CREATE TABLE [{table.name}] ({', '.join(cols + [f'PRIMARY KEY ({keys})'] + refs)}) WITHOUT ROWID")


def create(db: Database) -> None:
    """Upgrade an older archive, then create every missing table, index, the FTS table and the views.

    Args:
        db: the archive database.
    """
    MIGRATIONS.apply(db)
    for table in TABLES.values():
        if table.name in db.table_names():
            continue
        if isinstance(table.pk, tuple):
            _create_without_rowid(db, table)
        else:
            db[table.name].create(table.columns, pk=table.pk, foreign_keys=list(table.foreign_keys))  # type: ignore[union-attr]
        for cols in table.indexes:
            db[table.name].create_index(list(cols), if_not_exists=True)  # type: ignore[union-attr]
    db.executescript(FTS)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def insert(db: Database, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert or replace rows by column name (plain executemany: this is the build's hot path).

    Args:
        db: the archive database.
        table: a table of :data:`TABLES`.
        rows: one mapping per row with exactly the table's columns.

    Raises:
        KeyError: a row names a column the table does not have, or lacks one.
    """
    columns = list(TABLES[table].columns)
    values = []
    for row in rows:
        if len(row) != len(columns):
            unknown = set(row) - set(columns)
            raise KeyError(
                f"{table}: unknown columns {sorted(unknown)}"
                if unknown
                else f"{table}: missing columns {sorted(set(columns) - set(row))}"
            )
        values.append([row[c] for c in columns])
    if values:
        names = ", ".join(f"[{c}]" for c in columns)
        db.conn.executemany(
            f"INSERT OR REPLACE INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})", values
        )
