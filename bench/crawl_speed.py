"""Benchmark: crawl throughput on the portal farm, politeness off, beside a plain Scrapy spider.

Runs ``annual_reports`` (with archiving: WARC, blobs, fetch log) and a plain
CrawlSpider that follows every link of the same farm, each in its own
process, and prints responses per second for both.  Target (issue 3): ours
within 70% of the plain spider.

    python bench/crawl_speed.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulate.portals import Farm
from simulate.portals.farm import NETWORK

ROOT = Path(__file__).resolve().parent.parent

PLAIN = """
import scrapy
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

class Plain(CrawlSpider):
    name = "plain"
    rules = [Rule(LinkExtractor(deny_extensions=[]), follow=True)]

    def __init__(self, urls="", **kw):
        super().__init__(**kw)
        self.start_urls = urls.split(",")
"""
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "ROBOTSTXT_OBEY=True",
    "-s",
    "LOG_LEVEL=INFO",
]


def _responses(stderr: str) -> int:
    m = re.search(r"'downloader/response_count': (\d+)", stderr)
    rendered = re.search(r"'ogi/browser/rendered': (\d+)", stderr)
    if rendered:
        print(f"(pages rendered in the headless browser: {rendered.group(1)})")
    return int(m.group(1)) if m else 0


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=1200)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(proc.stderr[-2000:])
    return elapsed, _responses(proc.stderr)


def main() -> None:
    with Farm(seed=1) as farm, tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds.csv"
        farm.write_seeds(str(seeds))
        ours = run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "annual_reports",
                "-a",
                f"seeds={seeds}",
                "-s",
                f"OGI_STORE={tmp}/store",
                "-s",
                f"OGI_ALLOWED_HOSTS={NETWORK}",  # the URL policy allows the farm's loopback network
                *FAST,
            ],
            ROOT,
        )
        plain_file = Path(tmp) / "plain.py"
        plain_file.write_text(PLAIN)
        urls = ",".join(row["portal_url"] for row in farm.seeds)
        plain = run(
            [sys.executable, "-m", "scrapy", "runspider", str(plain_file), "-a", f"urls={urls}", *FAST], Path(tmp)
        )
    print(f"{'spider':14} {'responses':>9} {'seconds':>8} {'responses/s':>12}")
    for name, (elapsed, count) in (("annual_reports", ours), ("plain", plain)):
        print(f"{name:14} {count:9d} {elapsed:8.2f} {count / elapsed:12.1f}")
    ratio = (ours[1] / ours[0]) / (plain[1] / plain[0])
    print(f"ours / plain: {ratio:.0%} (target >= 70%)")


if __name__ == "__main__":
    main()
