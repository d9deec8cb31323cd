"""Seeds at scale: the ``portal_sites`` spider finds county portals from the province portal down (a
drop-down, a footer row of short names, a site-navigation page), ``ogi seeds fill`` puts them into the
seed list without touching URLs kept by hand, ``ogi seeds coverage`` says how much of the list can be
crawled; name matching refuses a county's name on the parent's own host and names two counties share."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys

import pytest

from crawler.discovery import sites
from crawler.discovery.links import Link
from crawler.profiles import PROFILES
from crawler.seeds import coverage, fill, read_rows
from crawler.urlpolicy import AllowList
from simulate.portals import Farm
from tests.helpers import ROOT


def test_county_portals_are_found_from_the_province_portal_and_filled_in(tmp_path):
    with Farm(seed=3, reports_per_portal=1, big_portal_pages=1, governments=True) as farm:
        assert farm.governments is not None
        province, _ = farm.governments
        divisions = tmp_path / "portals.csv"
        truth = {s["adcode"]: s["portal_url"] for s in farm.seeds}
        with divisions.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(farm.seeds[0]))
            writer.writeheader()
            # one URL kept by hand (and wrong on purpose): filling never replaces it
            writer.writerows(
                {**s, "portal_url": "http://www.kept.gov.cn/" if s["adcode"] == "990101" else ""} for s in farm.seeds
            )
        provinces = tmp_path / "provinces.csv"
        provinces.write_text(f"adcode,province,portal_url\n990000,测试省,{province.url('/')}\n", encoding="utf-8")
        found = tmp_path / "found.csv"
        cmd = [sys.executable, "-m", "ogi", "seeds", "discover", "--profile", "farm", "--seeds", str(divisions)]
        cmd += ["--provinces", str(provinces), "--out", str(found), "--store", str(tmp_path / "store")]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = read_rows(found)[0]
    counties = {r["adcode"]: r["portal_url"] for r in rows if r["adcode"]}
    # two counties named alike under one prefecture (连南县 twice) are not told apart by name
    twins = {code for code, s in ((s["adcode"], s) for s in farm.seeds) if s["county"] == "连南县"}
    assert len(twins) == 2
    assert counties == {code: url for code, url in truth.items() if code not in twins}
    assert [r["prefecture"] for r in rows if not r["adcode"]] == ["测试市"]
    # the prefecture's own pages about its counties were read, and none of their links taken
    assert all("/xzqh/" not in url for url in counties.values())
    assert "county portals" in proc.stderr

    assert fill(divisions, found) == 0  # the farm's loopback addresses: refused by the URL policy
    farm_network = AllowList.parse(PROFILES["farm"]["OGI_ALLOWED_HOSTS"])
    assert fill(divisions, found, farm_network) == len(counties) - 1  # 990101 keeps its URL
    filled = {r["adcode"]: r["portal_url"] for r in read_rows(divisions)[0]}
    assert filled["990101"] == "http://www.kept.gov.cn/"
    assert all(filled[c] == u for c, u in counties.items() if c != "990101")
    total = len(farm.seeds)
    assert coverage(read_rows(divisions)[0]) == [("测试省", total - len(twins), total)]  # all but the twins


def test_coverage_of_the_shipped_seed_list():
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "seeds", "coverage"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1].startswith("all\t") and "/2978 " in lines[-1]
    assert len(lines) == 32  # 31 provinces and the total
    provinces = read_rows(ROOT / "seeds" / "provinces.csv")[0]
    assert len(provinces) == 31 and all(p["portal_url"].startswith("https://www.") for p in provinces)
    names = {r["province"] for r in read_rows(ROOT / "seeds" / "portals.csv")[0]}
    assert {p["province"] for p in provinces} == names


def test_the_province_portals_are_those_of_a_maintained_licensed_list(tmp_path):
    """seeds/provinces.csv, where discovery starts, is rebuilt from the PyPI package gov-site-list (MIT):
    the shipped file is what the build makes of it, and a province the list lacks stops the build."""
    import gov_site_list

    spec = importlib.util.spec_from_file_location("build_seeds", ROOT / "seeds" / "build_seeds.py")
    assert spec is not None and spec.loader is not None
    build_seeds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_seeds)
    homepages = list(gov_site_list.load_jsonl("homepages/provincial.jsonl"))
    out = tmp_path / "provinces.csv"
    assert build_seeds.provinces(homepages, ROOT / "seeds" / "portals.csv", out) == 31
    assert out.read_bytes() == (ROOT / "seeds" / "provinces.csv").read_bytes()
    without = [h for h in homepages if h["name"] != "西藏自治区人民政府"]
    with pytest.raises(SystemExit, match="西藏自治区"):
        build_seeds.provinces(without, ROOT / "seeds" / "portals.csv", out)


def test_names_a_link_may_give_a_division():
    assert sites.names("邯山区") == {"邯山区", "邯山"}
    assert sites.names("涉县") == {"涉县"}  # a one-character short form is no name
    assert sites.names("青龙满族自治县") == {"青龙满族自治县", "青龙满族"}
    assert sites.clean(" 邯山区人民政府 ") == "邯山区" and sites.clean("【涉县】政府网站") == "涉县"
    children = sites.index([sites.Child("连南县", "1"), sites.Child("连南区", "2"), sites.Child("邯山区", "3")])
    assert "连南" not in children and children["连南县"].key == "1" and children["邯山"].key == "3"
    here = "http://www.hd.gov.cn/"
    links = [
        Link("http://www.hd.gov.cn/xzqh/hs.html", "邯山区"),  # the prefecture's own page about it
        Link("javascript:void(0)", "邯山区"),
        Link("http://www.hdhs.gov.cn/", "邯山区人民政府"),
        Link("http://www.other.gov.cn/", "邯山区"),  # a second link to the same county: the first wins
    ]
    assert sites.child_portals(here, links, children) == {"3": (children["邯山"], "http://www.hdhs.gov.cn/")}
