"""Silent revisions: what changed between the versions of a report's documents.

    /-/revisions                       reports whose numbers changed after they went up, newest first
    /-/revisions?province=…&year=…     narrowed

A report page lists its own revisions (:func:`report_revisions`): the cells that changed (old → new),
the paragraphs that changed, the checks before and after, the dates each version was first fetched and
both archived originals. The build writes what the numbers did (``revisions``, ``revision_cells``:
archive/rows.py); the text's diff is made here, from the two versions' records in the parse cache,
when a page asks for it.
"""

from __future__ import annotations

import difflib
import html
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import Response

from .. import schema
from ..rows import cell_name, number
from .archives import archive_db

#: Revisions a page lists, and the facet values it shows.
PAGE_SIZE = 50
FACET_VALUES = 40
MAX_PAGE = 10_000
#: The most lines of a text compared, and changed passages shown (a hostile page may be megabytes of text).
DIFF_LINES = 1_000
DIFF_HUNKS = 40
#: Lines this long are compared by their characters (a changed word marked); longer ones as wholes.
CHAR_DIFF_CHARS = 2_000


async def revisions_page(datasette: Any, request: Any) -> Response:
    """``/-/revisions``: every report whose numbers changed after it went up, newest change first."""
    db = archive_db(datasette)
    chosen = {k: (request.args.get(k) or "").strip()[:40] for k in ("province", "year")}
    chosen = {k: v for k, v in chosen.items() if v}
    asked = request.args.get("page") or "1"
    page = min(max(1, int(asked)), MAX_PAGE) if asked.isdigit() else 1
    where, params = ["rv.cells_changed > 0"], {}
    if "province" in chosen:
        where.append("t.province = :province")
        params["province"] = chosen["province"]
    if "year" in chosen:
        where.append("r.year = :year")
        params["year"] = int(chosen["year"]) if chosen["year"].isdigit() else -1
    base = (
        "FROM revisions rv JOIN reports r ON r.id = rv.report_id LEFT JOIN report_totals t ON t.report_id = r.id "
        f"WHERE {' AND '.join(where)}"
    )
    rows = (
        await db.execute(
            "SELECT rv.report_id, rv.url, rv.old_sha256, rv.new_sha256, rv.old_fetched, rv.new_fetched, rv.summary, "
            "rv.cells_changed, rv.old_failed_checks, rv.new_failed_checks, COALESCE(r.title, r.listed_title) AS title, "
            f"r.agency, r.year, t.province, t.county {base} ORDER BY rv.new_fetched DESC, rv.report_id "
            f"LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}",
            params,
        )
    ).rows
    total = (await db.execute(f"SELECT COUNT(*) {base}", params)).first()[0]
    facets = {}
    for name, expr in (("province", "t.province"), ("year", "r.year")):
        counts = (
            await db.execute(
                f"SELECT {expr} AS value, COUNT(*) AS n {base} GROUP BY 1 ORDER BY n DESC LIMIT {FACET_VALUES}", params
            )
        ).rows
        facets[name] = [
            (c["value"], c["n"], "?" + urlencode({**chosen, name: c["value"]})) for c in counts if c["value"]
        ]
    context = {
        "database": db.name,
        "revisions": [dict(r) for r in rows],
        "total": total,
        "chosen": chosen,
        "facets": facets,
        "page": page,
        "pages": (total + PAGE_SIZE - 1) // PAGE_SIZE,
        "page_url": "?" + urlencode(chosen),
    }
    return Response.html(await datasette.render_template("ogi_revisions.html", context, request=request))


async def report_revisions(db: Any, report_id: int) -> list[dict[str, Any]]:
    """A report's revisions, newest first, each with its changed cells and its text's diff (HTML)."""
    revisions = [
        dict(r)
        for r in (
            await db.execute("SELECT * FROM revisions WHERE report_id = ? ORDER BY new_fetched DESC", [report_id])
        ).rows
    ]
    if not revisions:
        return []
    cells: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for c in (await db.execute("SELECT * FROM revision_cells WHERE report_id = ?", [report_id])).rows:
        cells.setdefault((c["url"], c["new_sha256"]), []).append(
            (cell_name(c["table_name"], c["row_key"], c["column_key"]), number(c["old_value"]), number(c["new_value"]))
        )
    for rv in revisions:
        rv["cells"] = cells.get((rv["url"], rv["new_sha256"]), [])
        rv["text_diff"] = await _text_diff(db, rv["old_sha256"], rv["new_sha256"]) if rv["prose_changed"] else []
    return revisions


async def _text_diff(db: Any, old: str, new: str) -> list[tuple[str, str]]:
    """The passages of the text that changed: (the old passage, the new one), as HTML with the changed
    characters marked (``<del>``, ``<ins>``)."""
    before, after = await _sections(db, old), await _sections(db, new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        was, now = "\n".join(before[i1:i2]), "\n".join(after[j1:j2])
        out.append(_marked(was, now))
        if len(out) >= DIFF_HUNKS:
            break
    return out


async def _sections(db: Any, sha: str) -> list[str]:
    row = (await db.execute("SELECT record FROM document_records WHERE sha256 = ?", [sha])).first()
    record = (schema.unpack_record(row[0]) if row else None) or {}
    lines = [line for text in (record.get("sections") or {}).values() for line in text.split("\n") if line.strip()]
    return lines[:DIFF_LINES]


def _marked(was: str, now: str) -> tuple[str, str]:
    if len(was) > CHAR_DIFF_CHARS or len(now) > CHAR_DIFF_CHARS:
        return (f"<del>{html.escape(was)}</del>" if was else ""), (f"<ins>{html.escape(now)}</ins>" if now else "")
    old, new = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, was, now, autojunk=False).get_opcodes():
        if op == "equal":
            old.append(html.escape(was[i1:i2]))
            new.append(html.escape(now[j1:j2]))
            continue
        if i2 > i1:
            old.append(f"<del>{html.escape(was[i1:i2])}</del>")
        if j2 > j1:
            new.append(f"<ins>{html.escape(now[j1:j2])}</ins>")
    return "".join(old), "".join(new)
