"""Pages per government body (``/-/agency/<adcode>/<name>``) and per county (``/-/county/<adcode>``).

An agency page lists the body's reports by year, its main figures side by
side across years with the change from the year before, its failed checks,
and whether each report came on time. A county page shows when its
government published each year, every body of the county that reported,
and the county government's figures. Both link to the report pages and to
the figures as CSV (Datasette's table export, unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote, urlencode

from datasette.utils.asgi import Response

from .. import schema
from .archives import archive_db

#: The main figures compared across years: report_totals column → label.
FIGURES = {
    "new_received": "新收申请 new requests",
    "carried_over": "上年结转 carried over",
    "total_processed": "办结 answered",
    "granted": "予以公开 granted",
    "carried_forward": "结转下年 carried forward",
    "reviews": "行政复议 reviews",
    "lawsuits": "行政诉讼 lawsuits",
    "failed_checks": "未通过的校验 failed checks",
}
#: Agencies of one county shown on its page (a county has a few dozen bodies that report).
MAX_AGENCIES = 500
#: An agency's name as it may appear in a URL (the parser caps names well below this).
MAX_NAME = 100

_REPORT_COLUMNS = (
    "r.id, r.year, COALESCE(r.title, r.listed_title) AS title, r.agency, r.agency_kind, r.url, r.source_sha256, "
    "r.publication_date, r.publication_date_source, substr(r.first_seen, 1, 10) AS first_seen, "
    f"{schema.timeliness_status('r.id', 'r.year', 'r.publication_date', 'r.first_seen')} AS timeliness"
)


def agency_path(adcode: str | None, agency: str | None) -> str | None:
    """The path of an agency's page, or None without a county code and a name.

    Args:
        adcode: the county's GB/T 2260 code; agency: the body's name as the report states it.
    """
    if not adcode or not agency:
        return None
    return f"/-/agency/{quote(adcode, safe='')}/{quote(agency, safe='')}"


def compare(rows: list[dict[str, Any]]) -> list[tuple[str, list[tuple[Any, Any]]]]:
    """Figure → (value, change from the year before) per year, years in the order of ``rows`` (oldest first).

    The change is None when either year's figure is missing or the years are not consecutive.
    """
    table = []
    for key, label in FIGURES.items():
        cells = []
        for i, row in enumerate(rows):
            value, change = row.get(key), None
            if i and value is not None and rows[i - 1][key] is not None:
                prev = rows[i - 1]
                if prev["year"] is not None and row["year"] == prev["year"] + 1:
                    change = value - prev[key]
            cells.append((value, change))
        table.append((label, cells))
    return table


def _one_per_year(reports: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first report of each year, oldest year first (a second copy of a year's report adds no figures)."""
    first: dict[int, dict[str, Any]] = {}
    for r in reports:
        if r["year"] is not None:
            first.setdefault(r["year"], r)
    return [first[y] for y in sorted(first)]


async def reports_of(db: Any, where: str, params: list[Any], limit: int = 10_000) -> list[dict[str, Any]]:
    """Reports with their publication, timeliness and main figures, oldest year first.

    Args:
        db: the archive (a Datasette database); where: an SQL condition on reports ``r``; params: its values.
        limit: at most this many reports.
    """
    figures = ", ".join(f"t.{k}" for k in FIGURES)
    rows = await db.execute(
        f"SELECT {_REPORT_COLUMNS}, {figures} FROM reports r LEFT JOIN report_totals t ON t.report_id = r.id "
        f"WHERE {where} ORDER BY r.year, r.id LIMIT {int(limit)}",
        params,
    )
    return [dict(r) for r in rows.rows]


async def agency(datasette: Any, request: Any) -> Response:
    """``/-/agency/<adcode>/<name>``: one body's reports, figures across years, checks, timeliness."""
    adcode, name = request.url_vars["adcode"], unquote(request.url_vars["name"])
    if len(name) > MAX_NAME:
        return Response.html("no such agency", status=404)
    db = archive_db(datasette)
    reports = await reports_of(db, "r.adcode = ? AND r.agency = ?", [adcode, name])
    if not reports:
        return Response.html("no reports of this agency in the archive", status=404)
    region = (await db.execute("SELECT * FROM regions WHERE adcode = ?", [adcode])).first()
    ids = [r["id"] for r in reports]
    marks = ", ".join("?" * len(ids))
    failed = (
        await db.execute(
            f"SELECT report_id, check_id, kind, detail FROM checks WHERE ok = 0 AND report_id IN ({marks}) "
            "ORDER BY report_id, kind, check_id",
            ids,
        )
    ).rows
    continuity = (
        await db.execute(
            "SELECT year, previous_carried_forward, carried_over, consistent FROM continuity "
            "WHERE agency = ? AND adcode = ? ORDER BY year",
            [name, adcode],
        )
    ).rows
    years = _one_per_year(reports)
    by_id = {r["id"]: r for r in reports}
    context = {
        "database": db.name,
        "name": name,
        "adcode": adcode,
        "region": dict(region) if region else None,
        "kind": reports[-1]["agency_kind"],
        "reports": list(reversed(reports)),
        "years": [r["year"] for r in years],
        "figures": compare(years),
        "failed": [
            (by_id[c["report_id"]]["year"], c["report_id"], c["kind"], c["check_id"], c["detail"]) for c in failed
        ],
        "continuity": [dict(c) for c in continuity],
        "csv_url": f"/{db.name}/report_totals.csv?" + urlencode({"adcode": adcode, "agency": name, "_sort": "year"}),
    }
    return Response.html(await datasette.render_template("ogi_agency.html", context, request=request))


async def county(datasette: Any, request: Any) -> Response:
    """``/-/county/<adcode>``: the county government's timeliness and figures, every body that reported."""
    adcode = request.url_vars["adcode"]
    db = archive_db(datasette)
    region = (await db.execute("SELECT * FROM regions WHERE adcode = ?", [adcode])).first()
    reports = await reports_of(db, "r.adcode = ?", [adcode])
    if region is None and not reports:
        return Response.html("no such county in the archive", status=404)
    portal = (await db.execute("SELECT portal_url FROM portals WHERE adcode = ?", [adcode])).first()
    timeliness = (
        await db.execute(
            "SELECT year, report_id, publication_date, first_seen, status, days_after_deadline FROM timeliness "
            "WHERE adcode = ? ORDER BY year DESC",
            [adcode],
        )
    ).rows
    # where the crawl looked, and when it last did: "not found" is what the crawl saw there
    columns = [
        r[0]
        for r in (
            await db.execute(
                "SELECT reports_url FROM portals WHERE adcode = :a AND reports_url IS NOT NULL UNION "
                "SELECT column_url FROM reports WHERE adcode = :a AND column_url IS NOT NULL LIMIT 10",
                {"a": adcode},
            )
        ).rows
    ]
    crawled = (await db.execute("SELECT MAX(substr(COALESCE(finished, started), 1, 10)) FROM crawl_runs")).first()
    years = sorted({r["year"] for r in reports if r["year"] is not None}, reverse=True)
    agencies: dict[tuple[str, str], dict[int, list[dict[str, Any]]]] = {}
    for r in reports:
        if r["agency"]:
            agencies.setdefault((r["agency_kind"] or "", r["agency"]), {}).setdefault(r["year"], []).append(r)
    per_year = _one_per_year(r for r in reports if r["agency_kind"] == "county_government")
    context = {
        "database": db.name,
        "adcode": adcode,
        "region": dict(region) if region else {"adcode": adcode},
        "portal": portal[0] if portal else None,
        "timeliness": [dict(t) for t in timeliness],
        "looked": {"columns": columns, "crawled": crawled[0] if crawled else None},
        "years": years,
        "agencies": [
            (kind, name, agency_path(adcode, name), cells)
            for (kind, name), cells in sorted(agencies.items(), key=lambda kv: (kv[0][0] != "county_government", kv[0]))
        ][:MAX_AGENCIES],
        "government_years": [r["year"] for r in per_year],
        "figures": compare(per_year),
        "unnamed": sum(1 for r in reports if not r["agency"]),
        "csv_url": f"/{db.name}/report_totals.csv?" + urlencode({"adcode": adcode, "_sort": "year"}),
    }
    return Response.html(await datasette.render_template("ogi_county.html", context, request=request))
