"""Extension: a per-seed summary at the end of a crawl (reports found, files fetched, failures).

The per-seed counts live in Scrapy's stats as ``ogi/adcode/<code>/<what>``;
:func:`count` is the one place that writes them and :func:`per_seed` the one
that reads them (``ogi demo`` prints the same summary from a crawl's stats).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

log = logging.getLogger(__name__)
_KEY = re.compile(r"^ogi/adcode/([^/]+)/(\w+)$")
#: Seeds rows without any URL to start from.
SKIPPED = "ogi/seeds_without_url"
#: Seeds rows whose URL the URL policy refuses (no scheme, file://, a private address …).
INVALID = "ogi/seeds_invalid"
#: Why the seeds file could not be read at all.
SEEDS_ERROR = "ogi/seeds_error"
#: The county codes of the seeds the crawl started from (a list; the run record keeps it).
SEEDS_TRIED = "ogi/seeds_tried"


def count(stats: Any, adcode: str | None, what: str) -> None:
    """Add one to a seed's count (``reports``, ``files``, ``failed`` or ``refused``).

    Args:
        stats: the crawler's stats collector.
        adcode: the seed's county code.
        what: the count's name.
    """
    stats.inc_value(f"ogi/adcode/{adcode}/{what}")


def per_seed(stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The per-seed counts from a crawl's stats: adcode → {reports, files, failed, refused}."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"reports": 0, "files": 0, "failed": 0, "refused": 0})
    for key, value in stats.items():
        m = _KEY.match(key)
        if m:
            out[m.group(1)][m.group(2)] = value
    return dict(out)


def summary_lines(stats: dict[str, Any], reason: str) -> list[str]:
    """The closing summary: a line for the run, one per seed, and the seeds skipped."""
    seeds = per_seed(stats)
    lines = [f"crawl finished ({reason}): {len(seeds)} seeds"]
    for code in sorted(seeds):
        c = seeds[code]
        line = f"seed {code}: {c['reports']} reports found, {c['files']} files fetched, {c['failed']} failed"
        lines.append(line + (f", {c['refused']} refused by the URL policy" if c["refused"] else ""))
    refused = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("ogi/refused/")}
    if refused:
        lines.append("refused: " + ", ".join(f"{n} {why}" for why, n in sorted(refused.items())))
    families = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("ogi/cms/")}
    if families:
        lines.append(
            "portal software seen: " + ", ".join(f"{name} on {n} seeds" for name, n in sorted(families.items()))
        )
    rendered = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("ogi/browser/")}
    if rendered:
        line = f"headless browser: {rendered.get('rendered', 0)} of {rendered.get('asked', 0)} pages rendered"
        extra = [
            f"{rendered[k]} {k}" for k in ("failed", "unavailable", "over budget", "popups closed") if rendered.get(k)
        ]
        lines.append(line + (f" ({', '.join(extra)})" if extra else ""))
    if stats.get(SKIPPED):
        lines.append(f"{stats[SKIPPED]} seeds skipped: no portal URL")
    if stats.get(INVALID):
        lines.append(f"{stats[INVALID]} seed rows invalid and skipped (see the log)")
    if stats.get(SEEDS_ERROR):
        lines.append(f"no seeds read: {stats[SEEDS_ERROR]}")
    return lines


def seeds_unusable(stats: dict[str, Any]) -> bool:
    """The seeds file could not be read, or some of its rows could not be crawled."""
    return bool(stats.get(SEEDS_ERROR) or stats.get(INVALID))


class CrawlSummary:
    """Logs the closing summary (:func:`summary_lines`) when the spider closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        for line in summary_lines(self.crawler.stats.get_stats(), reason):
            log.info("%s", line)
