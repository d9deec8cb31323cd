"""``/-/feed.atom``: an Atom feed of new and changed reports, for everything or one county, body or search.

    /-/feed.atom                         every new or changed report
    /-/feed.atom?adcode=330825           one county
    /-/feed.atom?adcode=…&agency=…       one body
    /-/feed.atom?q=复议                  reports that match a search

Each entry is one version of a report (its id names the document the
numbers come from), so a report that changes on its portal comes back to
the top of the feed as a new entry. Written with feedgen, the library
datasette-atom uses: datasette-atom's ``.atom`` renderer fails on a query
with no rows (``max()`` of nothing), and a feed for a quiet county is often empty.
"""

from __future__ import annotations

from typing import Any

from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator

from ..fts import fts_query
from .agencies import agency_path
from .archives import archive_db

#: Entries in a feed: the newest changes.
FEED_SIZE = 50


async def feed(datasette: Any, request: Any) -> Response:
    """The newest new or changed reports, filtered by ``adcode``, ``agency`` and ``q`` when given."""
    db = archive_db(datasette)
    where, params, about = ["r.changed_at IS NOT NULL"], [], []
    for name in ("adcode", "agency"):
        value = (request.args.get(name) or "").strip()[:100]
        if value:
            where.append(f"r.{name} = ?")
            params.append(value)
            about.append(value)
    q = (request.args.get("q") or "").strip()[:200]
    if q:
        where.append("r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)")
        params.append(fts_query(q))
        about.append(f"“{q}”")
    rows = (
        await db.execute(
            "SELECT r.id, COALESCE(r.title, r.listed_title) AS title, r.agency, r.adcode, r.year, r.url, "
            "r.source_sha256, r.versions, r.changed_at, r.publication_date, t.new_received, t.total_processed, "
            "t.reviews, t.lawsuits, t.failed_checks, (SELECT rv.summary FROM revisions rv WHERE rv.report_id = r.id "
            "ORDER BY rv.new_fetched DESC LIMIT 1) AS revision "
            "FROM reports r LEFT JOIN report_totals t ON t.report_id = r.id "
            f"WHERE {' AND '.join(where)} ORDER BY r.changed_at DESC, r.id LIMIT {FEED_SIZE}",
            params,
        )
    ).rows
    fg = FeedGenerator()
    fg.id(datasette.absolute_url(request, request.path + ("?" + request.query_string if request.query_string else "")))
    fg.title("政府信息公开工作年度报告 — new and changed reports" + (": " + ", ".join(about) if about else ""))
    fg.link(href=datasette.absolute_url(request, "/"), rel="alternate")
    fg.link(href=datasette.absolute_url(request, request.path), rel="self")
    fg.updated(_timestamp(rows[0]["changed_at"]) if rows else "1970-01-01T00:00:00Z")
    for row in reversed(rows):  # feedgen puts the last added first
        entry = fg.add_entry()
        entry.id(f"urn:ogi-archive:report:{row['id']}:{row['source_sha256'] or 'none'}")
        changed = (row["versions"] or 1) > 1
        what = f": {row['revision']}" if changed and row["revision"] else ""
        entry.title(f"[{'更新 changed' if changed else '新 new'}] {row['title'] or '(untitled)'}{what}")
        entry.link(href=datasette.absolute_url(request, f"/-/report/{row['id']}"))
        entry.updated(_timestamp(row["changed_at"]))
        path = agency_path(row["adcode"], row["agency"])
        if path:
            entry.author({"name": row["agency"], "uri": datasette.absolute_url(request, path)})
        figures = ", ".join(
            f"{label} {row[key]}"
            for key, label in (
                ("new_received", "新收申请"),
                ("total_processed", "办结"),
                ("reviews", "行政复议"),
                ("lawsuits", "行政诉讼"),
                ("failed_checks", "failed checks"),
            )
            if row[key] is not None
        )
        entry.content(
            f"{row['agency'] or '?'}, {row['year'] or '?'}; published {row['publication_date'] or 'date not stated'}. "
            f"{figures}. Original: {row['url']}",
            type="text",
        )
    return Response(fg.atom_str(pretty=True), content_type="application/atom+xml; charset=utf-8")


def _timestamp(value: str) -> str:
    """An ISO time with its zone (the store writes UTC as ``…Z``; Atom requires a zone)."""
    return value if value.endswith("Z") or "+" in value[10:] else value + "Z"
