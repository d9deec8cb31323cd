"""Extension: a per-seed summary at the end of a crawl (reports found, files fetched, failures)."""

from __future__ import annotations

import logging
import re
from collections import defaultdict

from scrapy import Spider, signals
from scrapy.crawler import Crawler

log = logging.getLogger(__name__)
_KEY = re.compile(r"^ogi/seed/([^/]+)/(\w+)$")


class CrawlSummary:
    """Logs one line per seed from the ``ogi/seed/<code>/<count>`` stats."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CrawlSummary":
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        per_seed: dict[str, dict[str, int]] = defaultdict(dict)
        for key, value in self.crawler.stats.get_stats().items():
            m = _KEY.match(key)
            if m:
                per_seed[m.group(1)][m.group(2)] = value
        log.info("crawl finished (%s): %d seeds", reason, len(per_seed))
        for seed in sorted(per_seed):
            c = per_seed[seed]
            log.info(
                "seed %s: %d reports found, %d files fetched, %d failed",
                seed, c.get("reports", 0), c.get("files", 0), c.get("failed", 0),
            )
        skipped = self.crawler.stats.get_value("ogi/seeds_without_url", 0)
        if skipped:
            log.info("%d seeds skipped: no portal URL", skipped)
