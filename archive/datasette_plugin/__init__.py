"""Datasette plugin ``ogi``: the home and search pages, pages per report, agency and county, the Atom
feed, Chinese full-text search, archived copies, query limits (an archive's queries run in worker
processes killed at the time limit: archive/querypool.py).

Registered as a ``datasette`` entry point in pyproject.toml. Its
``prepare_connection`` runs after Datasette's own (``trylast``) so that its
``escape_fts`` — which the table search box calls on what the user typed —
replaces the default (see archive/fts.py). Importing it registers the ``ogi_cjk`` tokenizer that
reports_fts is indexed with (archive/tokenizer.py).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from datasette import hookimpl
from datasette.utils.asgi import Response

from parsers import template as T
from rawstore import DamagedBlob, read_body

from .. import schema, settings, tokenizer
from ..fts import fts_query
from ..querylimits import PerClientLimit, limit_connection
from ..querypool import use_pool
from ..rows import number
from ..serve import dashboards, metadata
from . import agencies, countrymap, feed, pages, revisions
from .archives import archive_db, archive_names, is_archive, only_archives

log = logging.getLogger(__name__)

try:  # plugins are imported before Datasette opens a database: every connection gets the tokenizer
    tokenizer.install()
except tokenizer.TokenizerMissing as exc:
    log.error("an archive's full-text search will fail: %s", exc)


@hookimpl(trylast=True)
def prepare_connection(conn):
    if not is_archive(conn):  # another database served beside an archive keeps Datasette's own search
        return
    conn.execute(f"PRAGMA cache_size = -{settings.CACHE_KIB}")
    limit_connection(conn)
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("cjk_query", 1, fts_query, deterministic=True)


# --- the report page: one report's three tables laid out like the official template ------------------


def _fmt(value: Any) -> str:
    return "" if value is None else number(value)


async def report_page(datasette, request):
    """``/-/report/<id>``: metadata, links to the original and the archived copy, the three tables."""
    report_id = int(request.url_vars["id"])
    db = archive_db(datasette)
    row = (await db.execute("SELECT * FROM reports WHERE id = ?", [report_id])).first()
    if row is None:
        return Response.html("report not found", status=404)
    # the same body's report on the year before, for the figures side by side
    compared = await agencies.reports_of(db, "r.id = ?", [report_id])
    if row["year"] and row["agency"]:
        compared = (
            await agencies.reports_of(
                db, "r.adcode = ? AND r.agency = ? AND r.year = ?", [row["adcode"], row["agency"], row["year"] - 1], 1
            )
        ) + compared
    values = {}
    for table, key in schema.STAT_TABLES.items():
        result = await db.execute(f"SELECT {key}, column_key, value FROM {table} WHERE report_id = ?", [report_id])
        values[table] = {(r[0], r[1]): r[2] for r in result.rows}
    checks = (
        await db.execute(
            "SELECT kind, check_id, detail FROM checks WHERE report_id = ? AND ok = 0 ORDER BY kind, check_id",
            [report_id],
        )
    ).rows
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
        "current": compared[-1],
        "previous": compared[0] if len(compared) > 1 else None,
        "years": [r["year"] for r in compared],
        "figures": agencies.compare(compared),
        "agency_path": agencies.agency_path(row["adcode"], row["agency"]),
        "revisions": await revisions.report_revisions(db, report_id),
    }
    return Response.html(await datasette.render_template("ogi_report.html", context, request=request))


#: How an archived document is served, by the format the parser found in its bytes (never by the portal's
#: Content-Type): (content type, shown in the browser). Everything else is a download.
SERVED_AS = {
    "html": ("text/html", True),
    "text": ("text/plain", True),
    "pdf": ("application/pdf", False),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    "doc": ("application/msword", False),
    "rtf": ("application/rtf", False),
    "odt": ("application/vnd.oasis.opendocument.text", False),
    "xls": ("application/vnd.ms-excel", False),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", False),
    "ofd": ("application/ofd", False),
}
#: A page written by a stranger, shown on our origin: no scripts, no plugins, no requests anywhere (its
#: images and styles stay on the portal), a unique origin without our cookies.
ORIGINAL_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\"]+')


def content_disposition(disposition: str, filename: str) -> str:
    """A Content-Disposition header (RFC 6266) with an ASCII fallback and the UTF-8 name (RFC 5987).

    Args:
        disposition: ``inline`` or ``attachment``.
        filename: the name, as the portal gave it (path parts, quotes and control characters removed).
    """
    name = _UNSAFE_NAME.sub("_", filename).strip(" .")[:150] or "document"
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


async def original(datasette, request):
    """``/-/original/<sha256>``: a report's document as archived, byte for byte, checked against its hash.

    Only documents of reports are served (the raw store also holds home pages, lists and robots.txt);
    pages and text are shown in a sandbox, everything else is a download.
    """
    sha = request.url_vars["sha"]
    db = archive_db(datasette)
    doc = (await db.execute("SELECT format, filename, url FROM documents WHERE sha256 = ?", [sha])).first()
    if doc is None:
        return Response.text("no report document with this hash", status=404)
    # the store named on the command line (ogi serve --store), else the one the archive was built from
    store = (datasette.plugin_config("ogi") or {}).get("store")
    if not store:
        built = (await db.execute("SELECT value FROM build_info WHERE key = 'store'")).first()
        store = built[0] if built else settings.STORE
    try:
        data = read_body(store, sha)
    except OSError:
        return Response.text("the archived copy is not in the raw store served here", status=404)
    except DamagedBlob as exc:
        log.error("%s: not served", exc)
        return Response.text("the archived copy is damaged (its hash does not match); not served", status=500)
    content_type, inline = SERVED_AS.get(doc["format"] or "", ("application/octet-stream", False))
    name = doc["filename"] or PurePosixPath(urlsplit(doc["url"] or "").path).name or sha[:16]
    headers = {
        "Content-Disposition": content_disposition("inline" if inline else "attachment", name),
        "Content-Security-Policy": ORIGINAL_CSP,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    return Response(data, content_type=content_type, headers=headers)


@hookimpl
def asgi_wrapper():
    return PerClientLimit


@hookimpl
def startup(datasette):
    async def inner() -> None:
        for name in archive_names(datasette):
            use_pool(datasette.get_database(name), datasette.setting("num_sql_threads"))

    return inner


@hookimpl
def get_metadata(datasette, key, database, table):
    """Titles, descriptions, search, facets, saved queries and dashboards of each archive served, so that a
    plain ``datasette archive.db`` is the same archive as ``ogi serve`` (metadata given on the command line
    still wins)."""
    names = archive_names(datasette)
    if not names or (database is not None and database not in names):
        return {}
    known = getattr(datasette, "_ogi_metadata", None)
    if known is None or known[0] != names:
        known = datasette._ogi_metadata = (names, _metadata_parts(names, only_archives(datasette)))
    parts = known[1]
    if key == "plugins":  # asked for every cell shown (render_cell plugins): only the dashboards' own
        return json.loads(parts["plugins"]) if database is None else {}
    # a copy (Datasette merges other metadata into what it is given), and only the part asked about:
    # Datasette looks metadata up for every column it shows
    return json.loads(parts.get((database, table)) or parts[(database, None)])


def _metadata_parts(names: list[str], whole: bool) -> dict[Any, str]:
    """The archives' metadata as JSON: all of it (key ``(None, None)``), per database, per table, and the
    plugins' configuration alone (key ``"plugins"``)."""
    top: dict[str, Any] = {"plugins": {"datasette-dashboards": dashboards(names[0])}}
    if whole:  # the instance is the archive: its title, description, licence and source
        top.update({k: v for k, v in metadata(names[0]).items() if k != "databases"})
    databases = {name: metadata(name)["databases"][name] for name in names}
    parts: dict[Any, str] = {"plugins": json.dumps({"plugins": top["plugins"]})}
    parts[(None, None)] = json.dumps({**top, "databases": databases})
    for name, config in databases.items():
        parts[(name, None)] = json.dumps({**top, "databases": {name: config}})
        outer = {k: v for k, v in config.items() if k not in ("tables", "queries")}
        for table, table_config in config.get("tables", {}).items():
            narrowed = {**top, "databases": {name: {**outer, "tables": {table: table_config}}}}
            parts[(name, table)] = json.dumps(narrowed)
    return parts


@hookimpl
def register_routes(datasette):
    if not archive_names(datasette):
        return []  # Datasette's own pages for a Datasette that serves no archive
    return [
        (r"^/$", pages.home),
        (r"^/-/search$", pages.search),
        (r"^/-/report/(?P<id>[0-9]{1,16})$", report_page),
        (r"^/-/agency/(?P<adcode>[0-9A-Za-z]{1,12})/(?P<name>[^/]{1,400})$", agencies.agency),
        (r"^/-/county/(?P<adcode>[0-9A-Za-z]{1,12})$", agencies.county),
        (r"^/-/feed\.atom$", feed.feed),
        (r"^/-/revisions$", revisions.revisions_page),
        (r"^/-/map$", countrymap.map_page),
        (r"^/-/original/(?P<sha>[0-9a-f]{64})$", original),
    ]
