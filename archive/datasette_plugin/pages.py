"""Pages for people who do not write SQL: the home page (``/``) and search results (``/-/search``).

The home page answers "what is in here": one search box, how many
governments and reports, reports per year and the share of counties whose
government published, the latest reports, links to the dashboards and the
saved queries. The search page lists matching reports with title, agency,
year and a highlighted snippet of the section where the words occur, each
linked to its report page, with counts by province, year and kind of agency
to narrow the search. The JSON API is Datasette's own and unchanged
(``/archive/search.json?q=…``).
"""

from __future__ import annotations

import asyncio
import html
import re
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import Response

from ..fts import fts_query, simplified
from .agencies import agency_path
from .archives import archive_db

#: Search results per page, and how much text around the first match a snippet shows.
PAGE_SIZE = 20
SNIPPET_CHARS = 60
#: Result pages one may ask for (a 30-digit page number would make an OFFSET SQLite cannot hold).
MAX_PAGE = 10_000
#: Facets of the search page: parameter → column of report_totals t (one narrow row per report, with its
#: region: counting 57,000 matches there takes 65 ms, against 103 ms through reports and regions).
FACETS = {"province": "t.province", "year": "t.year", "agency_kind": "t.agency_kind"}
#: Beyond this many matches results come newest first, not by relevance (``&sort=relevance`` asks anyway).
RANK_MAX = 20_000
#: Values shown per facet.
FACET_VALUES = 15
#: Longest query also looked up as the start of a county's or body's name.
MAX_NAME_QUERY = 40
_TERM = re.compile(r"\S+")


async def home(datasette: Any, request: Any) -> Response:
    """``/``: search box, coverage at a glance, the latest reports, where to go next."""
    db = archive_db(datasette)
    totals = (await db.execute("SELECT COUNT(*), COUNT(DISTINCT adcode), MIN(year), MAX(year) FROM reports")).first()
    portals = (await db.execute("SELECT COUNT(*) FROM portals")).first()[0]
    by_year = (
        await db.execute(
            "SELECT year, COUNT(*) AS reports, SUM(agency_kind = 'county_government') AS governments "
            "FROM reports WHERE year IS NOT NULL GROUP BY year ORDER BY year DESC"
        )
    ).rows
    published = {
        r["year"]: (r["published"], r["counties"])
        for r in (
            await db.execute(
                "SELECT year, SUM(government_report) AS published, COUNT(*) AS counties FROM coverage GROUP BY year"
            )
        ).rows
    }
    provinces = (
        await db.execute(
            "SELECT COALESCE(g.province, '?') AS province, COUNT(*) AS reports, COUNT(DISTINCT r.adcode) AS governments "
            "FROM reports r LEFT JOIN regions g ON g.adcode = r.adcode GROUP BY 1 ORDER BY reports DESC LIMIT 40"
        )
    ).rows
    latest = (
        await db.execute(
            "SELECT id, COALESCE(title, listed_title) AS title, agency, adcode, year, publication_date, first_seen "
            "FROM reports ORDER BY COALESCE(publication_date, first_seen) DESC, id LIMIT 10"
        )
    ).rows
    queries = [
        (name, q.get("title", name)) for name, q in (datasette.metadata("queries", database=db.name) or {}).items()
    ]
    context = {
        "database": db.name,
        "reports": totals[0],
        "governments": totals[1],
        "first_year": totals[2],
        "last_year": totals[3],
        "portals": portals,
        "by_year": [
            (r["year"], r["reports"], r["governments"], *published.get(r["year"], (None, None))) for r in by_year
        ],
        "provinces": [tuple(r) for r in provinces],
        "latest": [dict(r) for r in latest],
        "queries": queries,
    }
    return Response.html(await datasette.render_template("ogi_home.html", context, request=request))


def _snippet(text: str, terms: list[str]) -> str:
    """HTML: the text around the first term found, every term marked."""
    hits = [text.find(t) for t in terms if t in text]
    start = max(0, min(hits) - SNIPPET_CHARS // 2) if hits else 0
    piece = text[start : start + SNIPPET_CHARS * 2]
    # one pass over the raw text, escaping each piece once: marking the escaped text term by term would
    # mark inside entities (a search for "lt") and inside marks already made ("a" in "<mark>")
    found = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True) if t))
    out, end = [], 0
    for match in found.finditer(piece) if found.pattern else ():
        out += [html.escape(piece[end : match.start()]), f"<mark>{html.escape(match.group())}</mark>"]
        end = match.end()
    out.append(html.escape(piece[end:]))
    return ("…" if start else "") + "".join(out) + ("…" if start + SNIPPET_CHARS * 2 < len(text) else "")


async def _places(db: Any, q: str) -> dict[str, list[tuple[str, str, str | None]]]:
    """Counties and bodies whose name starts with what was typed: (name, where, path) for each."""
    if not q or len(q) > MAX_NAME_QUERY:
        return {"counties": [], "agencies": []}
    upper = q + "\U0010ffff"  # a prefix as a range, so the name indexes answer it
    counties = (
        await db.execute(
            "SELECT adcode, county, prefecture, province FROM regions WHERE county >= ? AND county < ? LIMIT 10",
            [q, upper],
        )
    ).rows
    bodies = (
        await db.execute(
            "SELECT DISTINCT r.adcode, r.agency, g.county FROM reports r LEFT JOIN regions g ON g.adcode = r.adcode "
            "WHERE r.agency >= ? AND r.agency < ? LIMIT 10",
            [q, upper],
        )
    ).rows
    return {
        "counties": [
            (c["county"], f"{c['province'] or ''} {c['prefecture'] or ''}", f"/-/county/{c['adcode']}")
            for c in counties
        ],
        "agencies": [(b["agency"], b["county"] or b["adcode"], agency_path(b["adcode"], b["agency"])) for b in bodies],
    }


async def search(datasette: Any, request: Any) -> Response:
    """``/-/search?q=…``: matching reports with snippets, links and facet counts."""
    db = archive_db(datasette)
    q = (request.args.get("q") or "").strip()
    chosen = {name: request.args.get(name) for name in FACETS if request.args.get(name)}
    asked = request.args.get("page") or "1"
    page = min(max(1, int(asked)), MAX_PAGE) if asked.isdigit() else 1
    context: dict[str, Any] = {"q": q, "chosen": chosen, "results": [], "facets": {}, "total": 0, "database": db.name}
    if q:
        where = ["reports_fts MATCH :match"]
        params: dict[str, Any] = {"match": fts_query(q)}
        for name, value in chosen.items():
            where.append(f"{FACETS[name]} = :{name}")
            params[name] = int(value) if name == "year" and value.isdigit() else value
        base = f"FROM reports_fts f JOIN report_totals t ON t.report_id = f.rowid WHERE {' AND '.join(where)}"
        # ranking reads every match (bm25): for a word in most reports it is slow and says little, so
        # beyond RANK_MAX matches the newest come first (the count alone reads only the index)
        count = (
            (await db.execute(f"SELECT COUNT(*) {base}", params)).first()[0]
            if chosen
            else (await db.execute("SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH :match", params)).first()[
                0
            ]
        )
        by_relevance = count <= RANK_MAX or request.args.get("sort") == "relevance"
        order = "rank" if by_relevance else "t.year DESC, f.rowid"
        # one pass over the matches for all three facets (each its own GROUP BY would read every match
        # again), run beside the page's rows
        facet_pass, page_rows = await asyncio.gather(
            db.execute(
                f"SELECT {', '.join(f'{expr} AS {name}' for name, expr in FACETS.items())}, COUNT(*) AS n "
                f"{base} GROUP BY {', '.join(str(i + 1) for i in range(len(FACETS)))}",
                params,
            ),
            db.execute(
                "SELECT r.id, COALESCE(r.title, r.listed_title) AS title, r.agency, r.adcode, r.year, r.agency_kind, "
                "t.province, t.county FROM reports_fts f JOIN report_totals t ON t.report_id = f.rowid "
                f"JOIN reports r ON r.id = f.rowid WHERE {' AND '.join(where)} "
                f"ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}",
                params,
            ),
        )
        groups, rows = facet_pass.rows, page_rows.rows
        context["total"] = count
        context["by_relevance"] = by_relevance
        context["places"] = await _places(db, q)
        terms = list(dict.fromkeys(_TERM.findall(q.replace('"', "")) + _TERM.findall(simplified(q).replace('"', ""))))
        ids = [row["id"] for row in rows]
        texts: dict[int, list[str]] = {}
        for section in (
            await db.execute(
                f"SELECT report_id, text FROM sections WHERE report_id IN ({', '.join('?' * len(ids))}) "
                "ORDER BY report_id, number",
                ids,
            )
        ).rows:
            texts.setdefault(section["report_id"], []).append(section["text"])
        for row in rows:
            text = next((t for t in texts.get(row["id"], []) if any(term in t for term in terms)), None)
            context["results"].append(
                {
                    **dict(row),
                    "snippet": _snippet(text, terms) if text else "",
                    "agency_path": agency_path(row["adcode"], row["agency"]),
                }
            )
        for name in FACETS:
            counts: Counter[Any] = Counter()
            for g in groups:
                counts[g[name]] += g["n"]
            context["facets"][name] = [
                (value, n, "?" + urlencode({"q": q, **chosen, name: value}))
                for value, n in counts.most_common(FACET_VALUES)
                if value
            ]
        context["pages"] = (context["total"] + PAGE_SIZE - 1) // PAGE_SIZE
        context["page"] = page
        kept = {"sort": "relevance"} if request.args.get("sort") == "relevance" else {}
        context["page_url"] = "?" + urlencode({"q": q, **chosen, **kept})
        context["relevance_url"] = "?" + urlencode({"q": q, **chosen, "sort": "relevance"})
        context["json_url"] = f"/{db.name}/search.json?" + urlencode({"q": q})
        context["feed_url"] = "/-/feed.atom?" + urlencode({"q": q})
    return Response.html(await datasette.render_template("ogi_search.html", context, request=request))
