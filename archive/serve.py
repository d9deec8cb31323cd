"""``ogi serve``: Datasette on archive.db, read-only, with metadata, facets and saved queries."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from parsers import template as T
from parsers.limits import set_memory_limit, within_inherited

from . import settings

SAVED_QUERIES: dict[str, dict[str, str]] = {
    "most_requests": {
        "title": "Most requests per county and year (申请最多的县区)",
        "sql": "SELECT province, prefecture, county, year, SUM(new_received) AS new_requests, COUNT(*) AS reports\n"
        "FROM report_totals WHERE new_received IS NOT NULL\nGROUP BY adcode, year ORDER BY new_requests DESC LIMIT 100",
    },
    "balance_failures": {
        "title": "Reports whose balance check fails (勾稽关系不平)",
        "sql": "SELECT r.agency, r.year, r.url, c.check_id, c.detail\nFROM checks c JOIN reports r ON r.id = c.report_id\n"
        "WHERE c.check_id LIKE 'applications.balance.%' AND c.ok = 0 ORDER BY r.year DESC, r.agency",
    },
    "granted_share_by_year": {
        "title": "Share of requests granted, by year (予以公开比例)",
        "sql": "SELECT year, SUM(granted) AS granted, SUM(total_processed) AS processed,\n"
        "ROUND(1.0 * SUM(granted) / NULLIF(SUM(total_processed), 0), 3) AS share\n"
        "FROM report_totals WHERE template IS NOT NULL GROUP BY year ORDER BY year",
    },
    "missing_reports": {
        "title": "Governments whose report for a year the crawl did not find (未找到年报)",
        "sql": "SELECT province, prefecture, county, year FROM coverage WHERE government_report = 0 ORDER BY year DESC, adcode",
    },
    "late_reports": {
        "title": "County governments that published late, or whose report the crawl did not find (年报未按时发布或未找到)",
        "sql": "SELECT province, prefecture, county, year, status, publication_date, days_after_deadline, report_id\n"
        "FROM timeliness WHERE status IN ('late', 'not found')\nORDER BY year DESC, status, days_after_deadline DESC",
    },
    "prose_disagrees": {
        "title": "Reports whose text states other figures than their tables (正文与表格不一致)",
        "sql": "SELECT r.agency, r.year, c.check_id, c.detail, r.id AS report_id\nFROM checks c JOIN reports r ON r.id = c.report_id\n"
        "WHERE c.kind = 'prose' AND c.ok = 0 ORDER BY r.year DESC, r.agency",
    },
    "year_over_year": {
        "title": "Biggest year-over-year changes in requests (申请量变化)",
        "sql": "SELECT cur.agency, cur.year, prev.new_received AS previous, cur.new_received AS current,\n"
        "cur.new_received - prev.new_received AS change\nFROM report_totals cur JOIN report_totals prev\n"
        "ON prev.agency = cur.agency AND prev.year = cur.year - 1\n"
        "WHERE cur.new_received IS NOT NULL AND prev.new_received IS NOT NULL\n"
        "ORDER BY ABS(cur.new_received - prev.new_received) DESC LIMIT 100",
    },
    "numbers_changed": {
        "title": "Reports whose numbers changed after they went up (发布后数字被修改)",
        "sql": "SELECT r.agency, r.year, rv.old_fetched, rv.new_fetched, rv.cells_changed, rv.summary,\n"
        "rv.old_failed_checks, rv.new_failed_checks, r.id AS report_id\nFROM revisions rv JOIN reports r ON r.id = rv.report_id\n"
        "WHERE rv.cells_changed > 0 ORDER BY rv.new_fetched DESC",
    },
    "search": {
        "title": "Full-text search (全文检索): titles and sections",
        "sql": "SELECT r.agency, r.year, r.title, r.url FROM reports_fts f JOIN reports r ON r.id = f.rowid\n"
        "WHERE reports_fts MATCH cjk_query(:q) ORDER BY rank LIMIT 100",
    },
}


def metadata(database: str = "archive") -> dict[str, Any]:
    """Datasette metadata: titles (Chinese and English), descriptions, column labels, facets, saved queries.

    Args:
        database: the database's name in Datasette (the file name without .db).
    """
    search = {"fts_table": "reports_fts", "fts_pk": "id", "searchmode": "escaped"}
    stat_columns = {
        "value": "the number printed in the cell (null: printed blank, /, -, 无, or unreadable)",
        "column_label": "column heading in the national template",
    }
    return {
        "title": "政府信息公开工作年度报告档案 — Open archive of OGI annual reports",
        "description": "Annual reports on open government information (政府信息公开工作年度报告) of Chinese county "
        "governments, their departments and townships: the originals, their statistics and text.",
        "license": "Data: public government information; database: CC BY 4.0",
        "source": "County government portals (政府门户网站), crawled and archived as WARC",
        "databases": {
            database: {
                "queries": SAVED_QUERIES,
                "tables": {
                    "reports": {
                        # no default facets: each would repeat the search over every match (all 100,000 reports
                        # for 复议); faceted search is on report_totals
                        "description": "One row per report (报告); its numbers come from source_url. "
                        "Search titles and sections here; report_totals has the same search with facets.",
                        **search,
                        "columns": {
                            "agency": "发布机关 publishing body",
                            "agency_kind": "county_government, government_office, department or township",
                            "year": "the year the report covers",
                            "template": "2019 or 2021 national template; null for free-form reports",
                            "publication_date": "发布日期 as the portal states it (see publication_date_source)",
                            "publication_date_source": "page: the report page's 发布时间; list: the date beside it "
                            "in the column's list; null: not stated (or not possible: after first_seen)",
                            "changed_at": "when the document the numbers come from was first fetched",
                        },
                    },
                    "report_totals": {
                        "description": "Main totals of each report (wide view), with search and facets.",
                        "facets": ["province", "year", "agency_kind", "template"],
                        **search,
                        "fts_pk": "report_id",
                    },
                    "applications": {
                        "description": f"{T.layouts()[1].title}, long form.",
                        "facets": ["row_label", "column_label"],
                        "columns": {
                            **stat_columns,
                            "row_label": "row in the template: "
                            + "; ".join(label for _, label in T.layouts()[1].rows[:4])
                            + " …",
                        },
                    },
                    "active_disclosure": {
                        "description": f"{T.layouts()[0].title}, long form.",
                        "facets": ["item_label"],
                        "columns": stat_columns,
                    },
                    "review_litigation": {
                        "description": f"{T.layouts()[2].title}, long form.",
                        "facets": ["group_label"],
                        "columns": stat_columns,
                    },
                    "checks": {
                        "description": "The template's own consistency checks (勾稽关系, kind 'tables') and the "
                        "figures the text states against the tables (kind 'prose').",
                        "facets": ["kind", "ok"],
                    },
                    "timeliness": {
                        "description": "Each county × year: did the county government publish its report by 31 "
                        "January of the next year (政府信息公开条例 第五十条)? Dates from the report page's 发布时间 or "
                        "the column's list; without one, a report seen by the deadline counts as on time.",
                        "facets": ["year", "status", "province"],
                    },
                    "coverage": {
                        "description": "Each county × year: did the county government publish a report?",
                        "facets": ["province", "year", "government_report"],
                    },
                    "continuity": {"description": "Carried over in year N against carried forward in year N−1."},
                    "regions": {"description": "GB/T 2260 county-level divisions.", "facets": ["province", "level"]},
                    "revisions": {
                        "description": "Each change between two versions of a report's document, in the order they "
                        "were first fetched: cells changed (null: one version has no tables read), whether the "
                        "text changed, failed checks before and after. /-/revisions lists those that changed numbers.",
                        "facets": ["role", "new_status"],
                    },
                    "revision_cells": {
                        "description": "Each table cell a revision changed: its value before and after."
                    },
                },
            }
        },
    }


def dashboards(database: str = "archive") -> dict[str, Any]:
    """Charts (datasette-dashboards, Vega-Lite bundled with the plugin, so they work offline)."""

    def chart(
        title: str,
        query: str,
        mark: str,
        x: str,
        y: str,
        color: str | None = None,
        colors: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        encoding: dict[str, Any] = {
            "x": {"field": x, "type": "ordinal", "title": x},
            "y": {"field": y, "type": "quantitative", "title": y},
        }
        if color:
            encoding["color"] = {"field": color, "type": "nominal"}
            if colors:
                encoding["color"]["scale"] = {"domain": list(colors), "range": list(colors.values())}
        return {
            "title": title,
            "db": database,
            "query": query,
            "library": "vega-lite",
            "display": {"mark": {"type": mark, "tooltip": True}, "encoding": encoding},
        }

    return {
        "ogi": {
            "title": "政府信息公开年报 — overview",
            "description": "Requests and answers across all archived reports.",
            "layout": [["requests", "granted"], ["reports", "timeliness"]],
            "charts": {
                "requests": chart(
                    "新收申请 New requests by year",
                    "SELECT year, SUM(new_received) AS requests FROM report_totals "
                    "WHERE template IS NOT NULL GROUP BY year ORDER BY year",
                    "bar",
                    "year",
                    "requests",
                ),
                "granted": chart(
                    "予以公开比例 Share granted by year",
                    "SELECT year, ROUND(1.0 * SUM(granted) / NULLIF(SUM(total_processed), 0), 3) AS share "
                    "FROM report_totals WHERE template IS NOT NULL GROUP BY year ORDER BY year",
                    "line",
                    "year",
                    "share",
                ),
                "reports": chart(
                    "年报数量 Reports by year and kind of agency",
                    "SELECT year, agency_kind, COUNT(*) AS reports FROM reports GROUP BY year, agency_kind",
                    "bar",
                    "year",
                    "reports",
                    "agency_kind",
                ),
                "timeliness": chart(
                    "按时发布 Did county governments publish by 31 January?",
                    "SELECT year, status, COUNT(*) AS counties FROM timeliness GROUP BY year, status",
                    "bar",
                    "year",
                    "counties",
                    "status",
                    {
                        "on time": "#2e7d32",
                        "late": "#f9a825",
                        "date unknown": "#90a4ae",
                        "not found": "#8d6e63",
                        "not yet due": "#cfd8dc",
                    },
                ),
            },
        }
    }


def serve(
    db: str | Path = settings.DB,
    host: str = settings.HOST,
    port: int = settings.PORT,
    time_limit_ms: int = settings.SQL_TIME_LIMIT_MS,
    store: str | Path = settings.STORE,
    memory_bytes: int = settings.SERVE_MEMORY_BYTES,
) -> NoReturn:
    """Run Datasette on the archive (immutable) in place of this process, until interrupted.

    Args:
        db: the archive database.
        host, port: where to listen.
        time_limit_ms: SQL time limit per query.
        store: the raw store, for the archived copies linked from report pages.
        memory_bytes: address space allowed to the server process (0: no limit).
    """
    db = Path(db)
    meta = db.with_suffix(".metadata.json")
    # the rest (titles, search, saved queries, dashboards) comes from the plugin, as for `datasette archive.db`
    config = {"plugins": {"ogi": {"store": str(Path(store).resolve())}}}
    meta.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        str(db),
        "--metadata",
        str(meta),
        "-h",
        host,
        "-p",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        str(time_limit_ms),
        "--setting",
        "default_facet_size",
        str(settings.FACET_SIZE),
        # suggesting facets scans every column of every search result: too slow for 100,000 reports
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "num_sql_threads",
        str(settings.SQL_THREADS),
        "--setting",
        "max_returned_rows",
        "1000",
    ]
    print(f"serving {db} at http://{host}:{port}/", flush=True)
    # inherited through exec: a query that outruns every other limit fails, the server stays up
    set_memory_limit(within_inherited(memory_bytes, "ogi serve"))
    # Datasette takes this process's place: a child would outlive a SIGTERM sent to `ogi serve`
    os.execv(sys.executable, cmd)
