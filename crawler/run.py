"""Running the spider in this process (Scrapy's ``CrawlerProcess``): what ``ogi crawl`` and ``ogi demo`` call.

``scrapy crawl annual_reports`` runs the same spider with the same settings
module; this adds the named profiles and returns the crawl's stats instead of
leaving them in a log. Twisted's reactor runs once per process, so one
process makes one call.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from .extensions.summary import summary_lines
from .profiles import PROFILES
from .spiders.annual_reports import AnnualReportsSpider


@dataclass
class CrawlResult:
    """What a crawl did.

    Attributes:
        reason: why the spider closed (``finished``, ``shutdown``, ``closespider_…``).
        stats: Scrapy's stats at the end, with the per-seed counts.
    """

    reason: str
    stats: dict[str, Any]

    def summary(self) -> list[str]:
        """The closing summary, one line for the run and one per seed."""
        return summary_lines(self.stats, self.reason)


def settings_for(profile: str = "polite", overrides: Mapping[str, Any] | None = None) -> Settings:
    """The project's settings with a profile and explicit overrides applied.

    Args:
        profile: a name in :data:`crawler.profiles.PROFILES`.
        overrides: setting name → value, applied last.

    Raises:
        KeyError: an unknown profile.
    """
    if profile not in PROFILES:
        raise KeyError(f"unknown crawl profile {profile!r} (known: {', '.join(PROFILES)})")
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(PROFILES[profile], priority="cmdline")
    settings.update(dict(overrides or {}), priority="cmdline")
    return settings


def _run(spider: type[Any], settings: Settings, **arguments: Any) -> CrawlResult:
    """Run one spider in this process until done (Twisted's reactor runs once per process)."""
    # logging is the caller's (ogi configures it); Scrapy's own handler would print every line twice
    settings.set("LOG_INSTALL_ROOT_HANDLER", False)
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **arguments)
    process.start()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    return CrawlResult(str(stats.get("finish_reason", "unknown")), stats)


def discover_sites(
    out: str | Path,
    provinces: str | Path | None = None,
    seeds: str | Path | None = None,
    store: str | Path | None = None,
    profile: str = "polite",
    overrides: Mapping[str, Any] | None = None,
) -> CrawlResult:
    """Find the portals of prefectures and counties from the province portals (``portal_sites``), in this
    process; the rows go to ``out`` (CSV).

    Args:
        out: the CSV to write (replaced).
        provinces: the province portals (default ``seeds/provinces.csv``).
        seeds: the division table (default: the ``OGI_SEEDS`` setting).
        store: the raw store the pages are kept in (default: the ``OGI_STORE`` setting).
        profile: the settings profile.
        overrides: further settings.
    """
    from .spiders.portal_sites import PortalSitesSpider

    extra = {"FEEDS": {str(out): {"format": "csv", "encoding": "utf-8", "overwrite": True}}, **dict(overrides or {})}
    if store is not None:
        extra["OGI_STORE"] = str(store)
    arguments = {"provinces": str(provinces) if provinces else None, "seeds": str(seeds) if seeds else None}
    return _run(PortalSitesSpider, settings_for(profile, extra), **arguments)


def crawl(
    seeds: str | Path | None = None,
    store: str | Path | None = None,
    only: str | None = None,
    profile: str = "polite",
    overrides: Mapping[str, Any] | None = None,
) -> CrawlResult:
    """Crawl the seeds' portals into the raw store, in this process, until done.

    Args:
        seeds: the seeds CSV (default: the ``OGI_SEEDS`` setting).
        store: the raw store (default: the ``OGI_STORE`` setting).
        only: comma-separated adcodes to crawl.
        profile: the settings profile.
        overrides: further settings (e.g. ``{"JOBDIR": "job"}``).
    """
    extra = dict(overrides or {})
    if store is not None:
        extra["OGI_STORE"] = str(store)
    return _run(AnnualReportsSpider, settings_for(profile, extra), seeds=str(seeds) if seeds else None, only=only)
