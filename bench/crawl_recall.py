"""Benchmark: recall and precision of the crawl on farms whose families answer with other variants.

Each farm is built with ``variants=True``: every family draws, by the seed, among the variants its
evidence note shows (docs/cms: Hanweb proxy paths and where the total is written, TRS pager templates,
gkmlpt configuration styles, NFCMS cut marks, how a home page writes its way into the area, page
sizes). The crawl is the same command a user runs (farm profile). Printed per farm and in total:
reports found / expected / extra, files fetched / expected, recall and precision. Targets (issue 14):
recall ≥ 95%, precision ≥ 98%; the usual farm (seed 0, no variants) 100%. Then the saved real portals
(``Farm(replays=True)``, simulate/portals/replays): the reports their saved lists show that were found
(target ≥ 99%) and the requests that left the replays' hosts, refused ones included (target 0).

    python bench/crawl_recall.py                 # seeds 101-105 with variants, and the usual farm
    python bench/crawl_recall.py --seeds 7 8 9
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from rawstore import RawStore
from simulate.portals import Farm
from simulate.portals.replay import REPLAYS

ROOT = Path(__file__).resolve().parent.parent


def crawl_farm(farm: Farm, tmp: Path, only: set[str] | None = None) -> tuple[set[str], set[str], float]:
    """Crawl a running farm (``only`` those seeds); return the report URLs and file URLs the store holds, and
    the seconds it took."""
    seeds = tmp / "seeds.csv"
    farm.write_seeds(str(seeds), only)
    cmd = [sys.executable, "-m", "ogi", "crawl", "--profile", "farm", "--seeds", str(seeds), "--store", str(tmp)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    elapsed = time.perf_counter() - start
    db = RawStore(tmp, readonly=True).db
    reports = {r[0] for r in db.execute("SELECT url FROM reports")}
    files = {r[0] for r in db.execute("SELECT url FROM fetches WHERE kind = 'file' AND status = 200")}
    return reports, files, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 102, 103, 104, 105])
    args = parser.parse_args()
    print(
        f"{'farm':>10} {'reports':>8} {'found':>6} {'extra':>6} {'files':>6} {'got':>6} {'recall':>7} {'prec.':>7} {'s':>6}"
    )
    totals = [0, 0, 0, 0, 0]
    for seed, variants in [(s, True) for s in args.seeds] + [(0, False)]:
        with Farm(seed=seed, variants=variants) as farm, tempfile.TemporaryDirectory() as tmp:
            reports, files, elapsed = crawl_farm(farm, Path(tmp))
            want, want_files = set(farm.reports), farm.all_files()
        hit, extra, got_files = len(reports & want), len(reports - want), len(files & want_files)
        recall = (hit + got_files) / max(1, len(want) + len(want_files))
        precision = hit / max(1, hit + extra)
        name = f"{seed}{'*' if variants else ''}"
        print(
            f"{name:>10} {len(want):8d} {hit:6d} {extra:6d} {len(want_files):6d} {got_files:6d} "
            f"{recall:7.1%} {precision:7.1%} {elapsed:6.1f}"
        )
        if variants:
            for i, n in enumerate((len(want), hit, extra, len(want_files), got_files)):
                totals[i] += n
    want_n, hit, extra, want_files_n, got_files = totals
    print(
        f"variant farms (*): recall {(hit + got_files) / max(1, want_n + want_files_n):.1%} of reports and files "
        f"(target >= 95%), precision {hit / max(1, hit + extra):.1%} (target >= 98%)"
    )
    replays()


def replays() -> None:
    """The saved real portals alone: reports found of those their saved lists show, requests off their hosts."""
    with Farm(seed=0, replays=True) as farm, tempfile.TemporaryDirectory() as tmp:
        saved = set(REPLAYS)
        reports, _, elapsed = crawl_farm(farm, Path(tmp), saved)
        want = {u for u, r in farm.reports.items() if r.adcode in saved}
        hosts = {urlsplit(s["reports_url"] or s["portal_url"]).netloc for s in farm.seeds if s["adcode"] in saved}
        fetched = [u for (u,) in RawStore(Path(tmp), readonly=True).db.execute("SELECT url FROM fetches")]
    outside = sum(urlsplit(u).netloc not in hosts for u in fetched)
    print(
        f"replayed real portals ({len(saved)}): {len(reports & want)} of {len(want)} reports their saved lists show "
        f"({len(reports & want) / max(1, len(want)):.1%}, target >= 99%), {len(reports - want)} extra, "
        f"{outside} requests off their hosts (target 0), {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()
