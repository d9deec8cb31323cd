"""``/-/map``: the country at a glance — every county-level division a dot at its seat, coloured by what
the chosen year's report of its government did (on time, late, not found by the crawl, not crawled), the
share per province beside it, each dot linked to its county's page.

    /-/map              the latest year
    /-/map?year=2023

The map is an SVG drawn here from the regions' coordinates (archive/places.py): no tile server, no
script, so it works offline, in the demo and in a page saved to disk. Counties the archive has no portal
for, and divisions the seeds do not name, are drawn as not crawled.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from typing import Any

from datasette.utils.asgi import Response

from ..places import places
from ..schema import government_reports, timeliness_status
from .archives import archive_db

#: The map's frame: longitudes and latitudes of China's county seats, and the drawing's width in pixels.
WEST, EAST, SOUTH, NORTH = 73.0, 135.5, 17.5, 53.8
WIDTH = 1000
#: Longitude is shortened by the cosine of the frame's middle latitude (an equirectangular projection).
_ASPECT = math.cos(math.radians((SOUTH + NORTH) / 2))
HEIGHT = round(WIDTH * (NORTH - SOUTH) / ((EAST - WEST) * _ASPECT))
#: Statuses in the order they are drawn (later on top) and listed, and the colour of each.
COLOURS = {
    "not crawled": "#c9ced4",
    "not yet due": "#8ab4e8",
    "date unknown": "#7cb342",
    "not found": "#6d4c41",
    "late": "#e53935",
    "on time": "#2e7d32",
}
STATUSES = tuple(COLOURS)
#: A county whose report is published, by the timeliness rule (schema.timeliness_status).
PUBLISHED = frozenset({"on time", "late", "date unknown"})


#: The ``timeliness`` view's status of every county with a portal, for one year: the view's rule
#: (schema.timeliness_status) on that year's reports only (the view groups every year's first: 3× slower).
_STATUS_SQL = f"""
WITH gov AS ({government_reports("year = :year")})
SELECT g.adcode, {timeliness_status("gov.report_id", ":year", "gov.publication_date", "gov.first_seen")} AS status
FROM regions g JOIN portals p ON p.adcode = g.adcode LEFT JOIN gov ON gov.adcode = g.adcode"""


def xy(longitude: float, latitude: float) -> tuple[float, float]:
    """Where a place is drawn on the map, in pixels from its top left corner."""
    x = (longitude - WEST) / (EAST - WEST) * WIDTH
    y = (NORTH - latitude) / (NORTH - SOUTH) * HEIGHT
    return round(x, 1), round(y, 1)


async def map_page(datasette: Any, request: Any) -> Response:
    """The map of one year, with the share of counties that published per province."""
    db = archive_db(datasette)
    years = [
        r[0] for r in (await db.execute("SELECT DISTINCT year FROM reports WHERE year >= 2019 ORDER BY year DESC")).rows
    ]
    asked = request.args.get("year") or ""
    year = int(asked) if asked.isdigit() and int(asked) in years else (years[0] if years else None)
    statuses = {r["adcode"]: r["status"] for r in (await db.execute(_STATUS_SQL, {"year": year})).rows}
    regions = (
        await db.execute(
            "SELECT adcode, province, county, longitude, latitude FROM regions WHERE longitude IS NOT NULL"
        )
    ).rows
    dots: list[dict[str, Any]] = []
    seen = set()
    for r in regions:
        seen.add(r["adcode"])
        dots.append(_dot(r["adcode"], r["county"], r["province"], r["longitude"], r["latitude"], statuses, True))
    for place in places().values():  # the divisions the archive does not name: no page to link
        if place.adcode not in seen:
            dots.append(_dot(place.adcode, place.name, place.province, place.longitude, place.latitude, {}, False))
    dots.sort(key=lambda d: STATUSES.index(d["status"]))
    counts = Counter(d["status"] for d in dots)
    by_province: dict[str, Counter[str]] = {}
    for d in dots:
        by_province.setdefault(d["province"] or "?", Counter())[d["status"]] += 1
    # provinces with crawled counties first, the best published share first
    order = sorted(
        by_province,
        key=lambda n: (
            by_province[n]["not crawled"] == sum(by_province[n].values()),
            -(_share(by_province[n]) or 0),
            n,
        ),
    )
    provinces = [
        {"province": n, "counts": [by_province[n][s] for s in STATUSES], "share": _share(by_province[n])} for n in order
    ]
    context = {
        "database": db.name,
        "year": year,
        "years": years,
        # the ~3,000 dots written here, not by the template: a Jinja loop over them took 70 ms a page
        "dots": "".join(_circle(d, datasette.urls.path("/-/county/")) for d in dots),
        "width": WIDTH,
        "height": HEIGHT,
        "statuses": [(s, s.replace(" ", "-"), counts[s]) for s in STATUSES],
        "colours": COLOURS,
        "provinces": provinces,
        "share": _share(counts),
        "unplaced": (await db.execute("SELECT COUNT(*) FROM regions WHERE longitude IS NULL")).first()[0],
    }
    return Response.html(await datasette.render_template("ogi_map.html", context, request=request))


def _dot(
    adcode: str,
    name: str | None,
    province: str | None,
    longitude: float,
    latitude: float,
    statuses: dict[str, str],
    linked: bool,
) -> dict[str, Any]:
    x, y = xy(longitude, latitude)
    status = statuses.get(adcode, "not crawled")
    return {
        "adcode": adcode,
        "name": name or adcode,
        "province": province,
        "x": x,
        "y": y,
        "status": status,
        "linked": linked,
    }


def _circle(dot: dict[str, Any], county_path: str) -> str:
    radius = 2.2 if dot["status"] == "not crawled" else 3.6
    title = html.escape(f"{dot['name']} ({dot['province'] or '?'}): {dot['status']}")
    circle = (
        f'<circle fill="{COLOURS[dot["status"]]}" data-status="{dot["status"]}" data-adcode="{html.escape(dot["adcode"])}" '
        f'cx="{dot["x"]}" cy="{dot["y"]}" r="{radius}"><title>{title}</title></circle>'
    )
    return f'<a href="{county_path}{html.escape(dot["adcode"])}">{circle}</a>\n' if dot["linked"] else circle + "\n"


def _share(counts: Counter[str]) -> float | None:
    """The share of counties whose government published, among those crawled whose report is due."""
    due = sum(n for s, n in counts.items() if s not in ("not crawled", "not yet due"))
    return sum(counts[s] for s in PUBLISHED) / due if due else None
