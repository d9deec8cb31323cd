"""A crawl frontier shared by many workers on a Redis server (``OGI_FRONTIER``; ``ogi crawl --frontier``).

Every worker, on one machine or many, runs the same spider with the same ``OGI_RUN`` and its own
``OGI_STORE`` (a shard; ``rawstore.merge`` joins them). The parts: :mod:`.scheduler` (the queue and the
duplicate filter), :mod:`.entries` (queue entries read back as data only), :mod:`.ack` (a request struck
off once handled), :mod:`.hostslots` (politeness per host across workers), :mod:`.robots` (robots.txt read
once for all). Why each exists: docs/operations.md, "Distributed crawls".
"""

from __future__ import annotations

from scrapy.settings import BaseSettings


class Frontier:
    """Scrapy add-on: with ``OGI_FRONTIER`` set, the crawl takes its requests from the shared frontier.

    Sets the scheduler (with its duplicate filter), adds :class:`~.ack.FrontierAck`, the per-host limits shared
    through Redis (``crawler.frontier.hostslots``) and robots.txt shared through it (``crawler.frontier.robots``), and
    turns JOBDIR off. ``OGI_RUN`` must name the run:
    it is what makes several workers one crawl.

    Raises:
        ValueError: ``OGI_FRONTIER`` without ``OGI_RUN``.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("OGI_FRONTIER"):
            return
        if not settings.get("OGI_RUN"):
            # not NotConfigured: Scrapy would only warn and crawl alone, into a shard nobody merges
            raise ValueError("OGI_FRONTIER needs OGI_RUN: the name every worker of the crawl shares")
        settings.set("SCHEDULER", "crawler.frontier.scheduler.FrontierScheduler", priority="addon")
        settings.set("JOBDIR", None, priority="cmdline")  # the queue lives in Redis, not on this disk
        # outermost: it sees the output Scrapy handles, after the middlewares that drop some (depth, length)
        settings["SPIDER_MIDDLEWARES"]["crawler.frontier.ack.FrontierAck"] = 0
        # outermost: a download that failed for good is struck off after every other middleware had its say
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.frontier.ack.FrontierAck"] = 1
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.frontier.hostslots.HostSlots"] = 960
        # robots.txt read once per host for all the workers, in Scrapy's own middleware's place
        settings["DOWNLOADER_MIDDLEWARES"]["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] = None
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.frontier.robots.SharedRobotsTxt"] = 100
