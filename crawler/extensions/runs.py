"""Extension: the run record of a crawl (``runs`` in the raw store; see :mod:`rawstore.runs`).

Opened when the spider opens, closed with Scrapy's finish reason when it
closes; the closing record's plain-text summary is logged. A crawl killed
with ``kill -9`` leaves its run open (no reason, no finish time): the record
says so rather than pretending the run ended.
"""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from rawstore import RawStore

from .summary import SEEDS_TRIED

log = logging.getLogger(__name__)
#: The stats key that names the run (``ogi run`` and ``ogi crawl`` read the record by it).
RUN = "ogi/run"


class RunRecorder:
    """Writes the crawl's run record through the store the ArchiveMiddleware opened.

    Args:
        crawler: the crawler.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        # extensions are built before the downloader's middlewares, so this runs before the store is closed
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _store(self) -> RawStore | None:
        return getattr(self.crawler, "ogi_store", None)

    def spider_opened(self, spider: Spider) -> None:
        store = self._store()
        if store is None:  # the archive middleware is switched off: nothing is kept, nothing to record
            return
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(RUN, store.run)
        store.start_run([])

    def spider_closed(self, spider: Spider, reason: str) -> None:
        store = self._store()
        if store is None:
            return
        assert self.crawler.stats is not None
        record = store.finish_run(reason, seeds=self.crawler.stats.get_value(SEEDS_TRIED) or [])
        for line in record.summary().splitlines():
            log.info("%s", line)
