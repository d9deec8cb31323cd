"""Datasette plugin ``ogi``: Chinese full-text search, the report page and archived copies.

Registered as a ``datasette`` entry point in pyproject.toml. Its
``prepare_connection`` runs after Datasette's own (``trylast``) so that its
``escape_fts`` — which the table search box calls on what the user typed —
replaces the default (see archive/fts.py).
"""

from __future__ import annotations

from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response

from parsers import template as T

from ..fts import fts_query


#: SQLite's page cache per connection (negative: KiB). The default 2 MB holds a few hundred pages, so
#: a search matching most reports reads its pages from the OS again on every row; 256 MB holds the
#: reports table and the FTS doclists of a large archive (measured: counting 100,000 matches 80 → 60 ms).
CACHE_KIB = 256 * 1024


@hookimpl(trylast=True)
def prepare_connection(conn):  # type: ignore[no-untyped-def]
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("cjk_query", 1, fts_query, deterministic=True)


# --- the report page: one report's three tables laid out like the official template ------------------

_APP_COLUMNS = list(T.APPLICATION_COLUMNS)
_ROWS = [(r.key, r.label) for r in T.APPLICATION_ROWS]
_ITEMS = {t: [(i.key, i.label, [(c, T.ACTIVE_COLUMN_LABELS[c]) for c in i.columns]) for i in items]
          for t, items in T.ACTIVE_ITEMS.items()}


def _fmt(value):  # type: ignore[no-untyped-def]
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.12g}"


async def report_page(datasette, request):  # type: ignore[no-untyped-def]
    """``/-/report/<id>``: metadata, links to the original and the archived copy, the three tables."""
    report_id = int(request.url_vars["id"])
    db = datasette.get_database()
    row = (await db.execute("SELECT * FROM reports WHERE id = ?", [report_id])).first()
    if row is None:
        return Response.html("report not found", status=404)
    values = {}
    for table, key in (("active_disclosure", "item_key"), ("applications", "row_key"), ("review_litigation", "group_key")):
        result = await db.execute(f"SELECT {key}, column_key, value FROM {table} WHERE report_id = ?", [report_id])
        values[table] = {(r[0], r[1]): r[2] for r in result.rows}
    checks = (await db.execute("SELECT check_id, detail FROM checks WHERE report_id = ? AND ok = 0", [report_id])).rows
    apps = values["applications"]
    columns = [c for c in (*_APP_COLUMNS[:6], T.SUBTOTAL_COLUMN, "total") if any(k[1] == c for k in apps)]
    context = {
        "report": dict(row),
        "database": db.name,
        "app_columns": [(c, T.COLUMN_LABELS[c]) for c in columns],
        "app_rows": [(label, [_fmt(apps.get((key, c))) for c in columns]) for key, label in _ROWS
                     if any(k[0] == key for k in apps)],
        "active": [(label, [(cl, _fmt(values["active_disclosure"].get((key, c)))) for c, cl in cols])
                   for key, label, cols in _ITEMS.get(row["template"] or "2021", []) if any(k[0] == key for k in values["active_disclosure"])],
        "review": [_fmt(values["review_litigation"].get((g, c))) for g in T.REVIEW_GROUPS for c in T.REVIEW_COLUMNS],
        "review_labels": [T.REVIEW_LABELS[c] for c in T.REVIEW_COLUMNS],
        "failed_checks": checks,
    }
    return Response.html(await datasette.render_template("ogi_report.html", context, request=request))


async def original(datasette, request):  # type: ignore[no-untyped-def]
    """``/-/original/<sha256>``: the archived body, byte for byte, from the raw store."""
    sha = request.url_vars["sha"]
    config = datasette.plugin_config("ogi") or {}
    path = Path(config.get("store", "store")) / "blobs" / sha[:2] / sha[2:4] / sha
    if not path.is_file():
        return Response.text("not in the raw store", status=404)
    db = datasette.get_database()
    doc = (await db.execute("SELECT content_type, filename FROM documents WHERE sha256 = ?", [sha])).first()
    content_type = (doc["content_type"] if doc else None) or "application/octet-stream"
    headers = {"Content-Disposition": f"inline; filename*=UTF-8''{doc['filename']}"} if doc and doc["filename"] else {}
    return Response(path.read_bytes(), content_type=content_type, headers=headers)


@hookimpl
def register_routes():  # type: ignore[no-untyped-def]
    return [(r"^/-/report/(?P<id>[0-9]{1,16})$", report_page), (r"^/-/original/(?P<sha>[0-9a-f]{64})$", original)]
