"""The archive.db schema as data: tables (columns, keys, indexes), the full-text index, views, upgrades.

Tables are declared once in :data:`TABLES`; sqlite-utils creates them and
:func:`insert` writes rows by column name, so a column added anywhere cannot
shift values. Upgrades of an existing archive are sqlite-utils migrations
(:data:`MIGRATIONS`), applied before the tables are created.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from parsers import template as T
from parsers.checks import SUM_CHECKS, check_ids, check_kind

from . import tokenizer


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


def _values_table(layout: T.TableLayout) -> Table:
    """A statistical table's values: one row per report and template row (``row_code``: its place in the
    layout), a column per template column, and which of them the report has (bit i: column i)."""
    return Table(
        f"{layout.key}_values",
        # INTEGER affinity: a count is stored as an integer (27, not 27.0); a fee keeps its decimals (REAL)
        {"report_id": int, "row_code": int, **{c: int for c, _ in layout.columns}, "present": int},
        ("report_id", "row_code"),
        _REPORT_FK,
        per_report=True,
    )


#: The three statistical tables of the template: archive table → its row-key column.
STAT_TABLES = {"active_disclosure": "item_key", "applications": "row_key", "review_litigation": "group_key"}
#: How each is printed: its rows and columns in order (every row and column of either template).
LAYOUTS = {layout.key: layout for layout in T.layouts()}
#: Each check's code in ``check_results`` (a check id outside the template's list gets :func:`check_code`).
CHECK_CODES = {check_id: code for code, check_id in enumerate(check_ids(), 1)}


def pack_record(record: Mapping[str, Any] | None) -> bytes | None:
    """A parser record as ``document_records`` keeps it: JSON, zlib-compressed (None: the parse failed)."""
    return zlib.compress(json.dumps(record, ensure_ascii=False).encode()) if record else None


def unpack_record(packed: bytes | None) -> dict[str, Any] | None:
    """A record as :func:`pack_record` kept it."""
    return json.loads(zlib.decompress(packed)) if packed else None


def check_code(check_id: str) -> int:
    """A check id's small code (deterministic, so an incremental build equals a fresh one)."""
    return CHECK_CODES.get(check_id) or 1_000_000 + zlib.crc32(check_id.encode()) % 1_000_000


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "regions",
            {
                "adcode": str,
                "province": str,
                "prefecture": str,
                "county": str,
                "level": str,
                # the county's seat (archive/places.py), for the map
                "longitude": float,
                "latitude": float,
            },
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
                # the report's text, its sections one after another (section_spans cut it into sections);
                # reports_fts indexes it with the title
                "body": str,
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
        # each change between two versions of a report's document, in the order they were first fetched: how the
        # parse of each went, how many table cells and whether the text changed, the failed checks before and after
        Table(
            "revisions",
            {
                "report_id": int,
                "url": str,
                "role": str,
                "old_sha256": str,
                "new_sha256": str,
                "old_fetched": str,
                "new_fetched": str,
                "old_status": str,
                "new_status": str,
                "cells_changed": int,
                "prose_changed": int,
                "old_failed_checks": int,
                "new_failed_checks": int,
                "summary": str,
            },
            ("report_id", "url", "new_sha256"),
            _REPORT_FK,
            (("new_fetched",),),
            per_report=True,
        ),
        # each table cell a revision changed: its value before and after (null: blank or not read)
        Table(
            "revision_cells",
            {
                "report_id": int,
                "url": str,
                "new_sha256": str,
                "table_name": str,
                "row_key": str,
                "column_key": str,
                "old_value": int,
                "new_value": int,
            },
            ("report_id", "url", "new_sha256", "table_name", "row_key", "column_key"),
            _REPORT_FK,
            per_report=True,
        ),
        # the labels of the statistical tables, once: each cell of the template (views join them to the values)
        Table(
            "template_cells",
            {
                "table_name": str,
                "row_code": int,
                "row_key": str,
                "row_label": str,
                "column_index": int,
                "column_key": str,
                "column_label": str,
            },
            ("table_name", "row_code", "column_index"),
        ),
        *(_values_table(layout) for layout in LAYOUTS.values()),
        # the checks the template makes, once; a sum check's detail is its format with the two sides' numbers
        Table("check_kinds", {"code": int, "check_id": str, "kind": str, "detail_format": str}, "code"),
        # each report's checks: a sum check keeps its two numbers (left, right), any other its detail
        Table(
            "check_results",
            {"report_id": int, "check_code": int, "ok": int, "left": int, "right": int, "detail": str},
            ("report_id", "check_code"),
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
                # documents the revisit schedule did not ask for (requests saved)
                "not_revisited": int,
            },
            "run",
            indexes=(("started",),),
        ),
        # where each section (一、二、…) lies in its report's body, in characters (the view `sections` has its text)
        Table(
            "section_spans",
            {"report_id": int, "number": str, "start": int, "length": int},
            ("report_id", "number"),
            _REPORT_FK,
            per_report=True,
        ),
    )
}

#: Tables keyed by report_id, rewritten with their report.
REPORT_CHILD_TABLES = tuple(t.name for t in TABLES.values() if t.per_report)

FTS_TABLE = "reports_fts"
#: What reports_fts indexes: an external-content FTS5 index on ``reports`` (its triggers keep it current),
#: as ``sqlite-utils enable-fts`` makes one, so sqlite-utils and Datasette find it; Chinese through the
#: ``ogi_cjk`` tokenizer (archive/tokenizer.py). A report written again replaces its row; the delete that
#: makes reaches the trigger because sqlite-utils turns recursive_triggers on.
FTS_COLUMNS = ("title", "body")

#: The deadline of the regulations (政府信息公开条例 第五十条): the report on a year is due by 31 January of the next.
DEADLINE_SQL = "({year} + 1) || '-01-31'"


def timeliness_status(report: str, year: str, published: str, first_seen: str) -> str:
    """SQL for whether a report came on time: ``on time``, ``late``, ``not found``, ``not yet due`` or
    ``date unknown`` (the views and the pages share this one rule).

    Without a stated publication date, a report the crawler saw by the deadline was on time. A report
    the crawl did not find is ``not found`` once its deadline has passed: what the crawl saw, never a
    finding that the government did not publish.

    Args:
        report, year, published, first_seen: SQL expressions for the report (NULL when there is none), the
            year it covers, its publication date and when the crawler first saw it.
    """
    deadline = DEADLINE_SQL.format(year=year)
    return f"""CASE
    WHEN {report} IS NULL AND date('now') <= {deadline} THEN 'not yet due'
    WHEN {report} IS NULL THEN 'not found'
    WHEN {published} IS NOT NULL AND {published} <= {deadline} THEN 'on time'
    WHEN {published} IS NOT NULL THEN 'late'
    WHEN substr({first_seen}, 1, 10) <= {deadline} THEN 'on time'
    ELSE 'date unknown'
  END"""


def government_reports(where: str = "") -> str:
    """SQL for each county government's report on each year (the first published, first seen) that the
    timeliness rule judges (:func:`timeliness_status`).

    Args:
        where: a further condition on ``reports`` (the map asks for one year: ``year = :year``).
    """
    condition = f" AND {where}" if where else ""
    return (
        "SELECT adcode, year, MIN(publication_date) AS publication_date, MIN(first_seen) AS first_seen, "
        f"MIN(id) AS report_id FROM reports WHERE agency_kind = 'county_government'{condition} GROUP BY adcode, year"
    )


def _long_view(name: str, row: str) -> str:
    cases = " ".join(f"WHEN {i} THEN w.[{c}]" for i, (c, _) in enumerate(LAYOUTS[name].columns))
    return f"""
SELECT w.report_id, t.row_key AS {row}, t.row_label AS {row.replace("_key", "_label")}, t.column_key, t.column_label,
  CASE t.column_index {cases} END AS value
FROM [{name}_values] w JOIN template_cells t ON t.table_name = '{name}' AND t.row_code = w.row_code
WHERE w.present >> t.column_index & 1"""


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
gov AS ({government_reports()})
SELECT g.adcode, g.province, g.prefecture, g.county, y.year, {DEADLINE_SQL.format(year="y.year")} AS deadline,
  gov.report_id, gov.publication_date, substr(gov.first_seen, 1, 10) AS first_seen,
  {timeliness_status("gov.report_id", "y.year", "gov.publication_date", "gov.first_seen")} AS status,
  CAST(julianday(gov.publication_date) - julianday({DEADLINE_SQL.format(year="y.year")}) AS INTEGER)
    AS days_after_deadline
FROM regions g JOIN portals p ON p.adcode = g.adcode CROSS JOIN years y
LEFT JOIN gov ON gov.adcode = g.adcode AND gov.year = y.year""",
    # carried over in year N against carried forward in year N-1, same agency
    # the statistical tables in long form, with their labels, for people: one row per report and cell
    **{name: _long_view(name, row) for name, row in STAT_TABLES.items()},
    # each report's checks with their detail
    "checks": """
SELECT c.report_id, k.check_id, k.kind, c.ok,
  COALESCE(c.detail, replace(replace(k.detail_format, '{left}', c.left), '{right}', c.right)) AS detail
FROM check_results c JOIN check_kinds k ON k.code = c.check_code""",
    # each report's sections (一、二、…) with their text, cut from its body
    "sections": """
SELECT s.report_id, s.number, substr(r.body, s.start, s.length) AS text
FROM section_spans s JOIN reports r ON r.id = s.report_id""",
    "continuity": """
SELECT cur.agency, cur.adcode, cur.year, prev.carried_forward AS previous_carried_forward,
  cur.carried_over, cur.carried_over = prev.carried_forward AS consistent
FROM report_totals cur JOIN report_totals prev ON prev.agency = cur.agency AND prev.year = cur.year - 1""",
}

_SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL", bytes: "BLOB"}

MIGRATIONS = Migrations("ogi-archive")


def _drop_derived(db: Database) -> None:
    """Drop what the build writes again from the parse cache: reports, their tables, FTS and views
    (of this layout and of earlier ones)."""
    kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')").fetchall())
    for name in (*VIEWS, FTS_TABLE, "sections", *REPORT_CHILD_TABLES, "reports"):
        if name in kinds:
            db.execute(f"DROP {kinds.pop(name).upper()} [{name}]")


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


@MIGRATIONS()
def m005_compact(db: Database) -> None:
    """Each fact once: a report's text in ``reports.body`` (sections become spans of it), indexed by
    reports_fts through the ``ogi_cjk`` tokenizer instead of a bigram copy; the statistical tables' and
    checks' labels in ``template_cells`` and ``check_kinds``, the values keyed by small codes (the long
    tables of before are views of the same name)."""
    _drop_derived(db)


@MIGRATIONS()
def m006_revisions(db: Database) -> None:
    """Reports gain their revisions (what changed between versions of their documents): the report
    tables are written again from the parse cache, revisions with them."""
    _drop_derived(db)


@MIGRATIONS()
def m007_regions_on_the_map(db: Database) -> None:
    """Regions gain where they lie (longitude, latitude), for the map; every build fills them again."""
    if "regions" in db.table_names():
        for column in ("longitude", "latitude"):
            if column not in db["regions"].columns_dict:
                db["regions"].add_column(column, float)  # type: ignore[union-attr]


@MIGRATIONS()
def m008_runs_count_requests_saved(db: Database) -> None:
    """Run records say how many documents the revisit schedule did not ask for."""
    if "crawl_runs" in db.table_names() and "not_revisited" not in db["crawl_runs"].columns_dict:
        db["crawl_runs"].add_column("not_revisited", int)  # type: ignore[union-attr]


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
    db["reports"].enable_fts(  # type: ignore[union-attr]
        list(FTS_COLUMNS), fts_version="FTS5", tokenize=tokenizer.NAME, create_triggers=True, replace=True
    )
    with db.atomic():
        _write_labels(db)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def _write_labels(db: Database) -> None:
    """The template's cells and checks (a function of the parser's template, written on every open)."""
    insert(
        db,
        "template_cells",
        (
            {
                "table_name": name,
                "row_code": r,
                "row_key": row,
                "row_label": row_label,
                "column_index": c,
                "column_key": column,
                "column_label": column_label,
            }
            for name, layout in LAYOUTS.items()
            for r, (row, row_label) in enumerate(layout.rows)
            for c, (column, column_label) in enumerate(layout.columns)
        ),
    )
    insert(
        db,
        "check_kinds",
        (
            {"code": code, "check_id": i, "kind": check_kind(i), "detail_format": SUM_CHECKS.get(i.rsplit(".", 1)[0])}
            for i, code in CHECK_CODES.items()
        ),
    )


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
