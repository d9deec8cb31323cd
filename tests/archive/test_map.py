"""The country at a glance (issue 29): ``/-/map`` draws every county-level division at its seat, the
archive's counties coloured by their government's report on the year, the rest as not crawled — in a real
browser too, with no tile server: the dots drawn are the counties in the archive."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess

from datasette.app import Datasette
from PIL import Image

from archive.datasette_plugin.countrymap import COLOURS, xy
from archive.places import places
from archive.serve import metadata
from tests.helpers import ROOT, needs_chromium, ogi_serve, program, without

_DOT = re.compile(
    r'<circle fill="(?P<fill>#[0-9a-f]{6})" data-status="(?P<status>[^"]+)" data-adcode="(?P<adcode>\d+)"'
)


def _dots(html: str) -> dict[str, tuple[str, str]]:
    dots = {m["adcode"]: (m["status"], m["fill"]) for m in _DOT.finditer(html)}
    assert len(dots) == len(_DOT.findall(html)), "one dot per division"
    return dots


def _archive(db) -> tuple[dict[str, str], set[str]]:
    """The statuses of the archive's counties for its latest year, and every region with a seat."""
    con = sqlite3.connect(db)
    year = con.execute("SELECT MAX(year) FROM timeliness").fetchone()[0]
    statuses = dict(con.execute("SELECT adcode, status FROM timeliness WHERE year = ?", (year,)))
    placed = {a for (a,) in con.execute("SELECT adcode FROM regions WHERE longitude IS NOT NULL")}
    return statuses, placed


def test_the_map_draws_every_division_once_and_the_archive_s_counties_by_status(built):
    _, db, _, _ = built

    async def run():
        return await Datasette([], immutables=[str(db)], metadata=metadata(db.stem)).client.get("/-/map")

    page = asyncio.run(run())
    assert page.status_code == 200
    dots = _dots(page.text)
    statuses, placed = _archive(db)
    # the farm's counties (made-up seats from the seeds) and every division the coordinates package knows
    assert set(dots) == placed | set(places()) and len(places()) > 2_500
    assert {a: s for a, (s, _) in dots.items() if s != "not crawled"} == statuses
    assert all(fill == COLOURS[status] for status, fill in dots.values())
    assert f'href="/-/county/{next(iter(statuses))}"' in page.text
    # a real division is drawn where the package puts its seat (平潭县, 119.79°E 25.50°N)
    x, y = xy(places()["350128"].longitude, places()["350128"].latitude)
    assert f'data-adcode="350128" cx="{x}" cy="{y}"' in page.text
    assert 'id="provinces"' in page.text and "测试省" in page.text


@needs_chromium
def test_the_map_in_a_real_browser_draws_the_archive_s_counties_offline(built):
    """Headless Chromium renders /-/map from `ogi serve` (no network but loopback): the DOM holds one dot per
    county in the archive, and the screenshot shows each status's colour where a dot of it is drawn."""
    chromium = program("browser")
    if chromium is None:
        without("browser")
    _, db, tmp, _ = built
    statuses, _ = _archive(db)
    with ogi_serve(db) as base:
        url = f"{base}/-/map"
        flags = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # a tile or font from elsewhere fails
            f"--user-data-dir={tmp / 'chromium-map'}",
            "--window-size=1100,900",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ]
        dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
        drawn = {a: s for a, (s, _) in _dots(dom).items() if s != "not crawled"}
        assert drawn == statuses
        shot = ROOT / "test-artifacts" / "map.png"
        shot.parent.mkdir(exist_ok=True)
        shot.unlink(missing_ok=True)
        subprocess.run([*flags, f"--screenshot={shot}", url], capture_output=True, timeout=120)
        image = Image.open(shot).convert("RGB")
        colours = {colour: n for n, colour in image.getcolors(maxcolors=1 << 24) or []}
        for status in set(statuses.values()) | {"not crawled"}:
            rgb = tuple(int(COLOURS[status][i : i + 2], 16) for i in (1, 3, 5))
            assert colours.get(rgb, 0) > 0, f"no {status} dot drawn"
