"""Item pipeline: record each report and its files in the raw store's database."""

from __future__ import annotations

from scrapy.crawler import Crawler

from .extensions.summary import count
from .items import ReportItem


class ReportPipeline:
    """Writes reports and report→file links to ``store.db`` (for the archive build)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportPipeline:
        return cls(crawler)

    def process_item(self, item: ReportItem) -> ReportItem:
        store = getattr(self.crawler, "ogi_store", None)
        if store is not None:
            store.record_report(
                item.url, item.adcode, item.title, item.year, item.column_url, item.files, item.listed_date
            )
        count(self.crawler.stats, item.adcode, "reports")
        return item
