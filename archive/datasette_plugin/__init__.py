"""Datasette plugin ``ogi``: Chinese full-text search, the report page and archived copies.

Registered as a ``datasette`` entry point in pyproject.toml. Its
``prepare_connection`` runs after Datasette's own (``trylast``) so that its
``escape_fts`` — which the table search box calls on what the user typed —
replaces the default (see archive/fts.py).
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from parsers import template as T
from rawstore import blob_path

from .. import schema, settings
from ..fts import fts_query


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.execute(f"PRAGMA cache_size = -{settings.CACHE_KIB}")
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("cjk_query", 1, fts_query, deterministic=True)


# --- the report page: one report's three tables laid out like the official template ------------------


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.12g}"


async def report_page(datasette, request):
    """``/-/report/<id>``: metadata, links to the original and the archived copy, the three tables."""
    report_id = int(request.url_vars["id"])
    db = datasette.get_database()
    row = (await db.execute("SELECT * FROM reports WHERE id = ?", [report_id])).first()
    if row is None:
        return Response.html("report not found", status=404)
    values = {}
    for table, key in schema.STAT_TABLES.items():
        result = await db.execute(f"SELECT {key}, column_key, value FROM {table} WHERE report_id = ?", [report_id])
        values[table] = {(r[0], r[1]): r[2] for r in result.rows}
    checks = (await db.execute("SELECT check_id, detail FROM checks WHERE report_id = ? AND ok = 0", [report_id])).rows
    active, apps, review = T.layouts(row["template"] or T.TEMPLATE_2021)
    items = {i.key: i for i in T.ACTIVE_ITEMS[row["template"] or T.TEMPLATE_2021]}
    got = {name: ({k for k, _ in v}, {c for _, c in v}) for name, v in values.items()}
    columns = [(c, label) for c, label in apps.columns if c in got["applications"][1]]
    context = {
        "report": dict(row),
        "database": db.name,
        "titles": [layout.title for layout in (active, apps, review)],
        "app_columns": columns,
        "app_rows": [
            (label, [_fmt(values["applications"].get((key, c))) for c, _ in columns])
            for key, label in apps.rows
            if key in got["applications"][0]
        ],
        "active": [
            (
                label,
                [(active.column_label(c), _fmt(values["active_disclosure"].get((key, c)))) for c in items[key].columns],
            )
            for key, label in active.rows
            if key in got["active_disclosure"][0]
        ],
        "review": [_fmt(values["review_litigation"].get((g, c))) for g, _ in review.rows for c, _ in review.columns],
        "review_labels": [label for _, label in review.columns],
        "review_groups": [label for _, label in review.rows],
        "failed_checks": checks,
    }
    return Response.html(await datasette.render_template("ogi_report.html", context, request=request))


async def original(datasette, request):
    """``/-/original/<sha256>``: the archived body, byte for byte, from the raw store."""
    sha = request.url_vars["sha"]
    config = datasette.plugin_config("ogi") or {}
    path = blob_path(config.get("store", settings.STORE), sha)
    if not path.is_file():
        return Response.text("not in the raw store", status=404)
    db = datasette.get_database()
    doc = (await db.execute("SELECT content_type, filename FROM documents WHERE sha256 = ?", [sha])).first()
    content_type = (doc["content_type"] if doc else None) or "application/octet-stream"
    headers = {"Content-Disposition": f"inline; filename*=UTF-8''{doc['filename']}"} if doc and doc["filename"] else {}
    return Response(path.read_bytes(), content_type=content_type, headers=headers)


@hookimpl
def register_routes():
    return [(r"^/-/report/(?P<id>[0-9]{1,16})$", report_page), (r"^/-/original/(?P<sha>[0-9a-f]{64})$", original)]
