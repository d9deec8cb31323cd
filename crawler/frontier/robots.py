"""Downloader middleware: robots.txt read once per host for all the workers of a distributed crawl.

Scrapy's ``RobotsTxtMiddleware`` reads a host's robots.txt once per process; eight workers would read
it eight times (at 200–800 ms each, on the way to their first page of every host). Here the first
worker to read it keeps its body in Redis (``ogi:<run>:robots``, host → body) and the others parse
that: the first to want it claims it, the others wait for its answer (as long as its download may
take; a reader killed meanwhile leaves them to read it themselves). A body over
512 KiB (beyond what search engines read of a robots.txt) is not shared, and each worker reads it; a
host whose robots.txt could not be fetched at all is obeyed by nobody, as Scrapy does.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from redis import Redis
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

#: The largest robots.txt shared through Redis (bytes).
MAX_SHARED = 512 * 1024


class SharedRobotsTxt(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with each host's robots.txt shared through the frontier's Redis.

    Args:
        crawler: the crawler (``OGI_FRONTIER``, ``OGI_RUN``).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        url = crawler.settings.get("OGI_FRONTIER")
        if not url:
            raise NotConfigured
        self.server = Redis.from_url(url, socket_timeout=30)
        self.key = f"ogi:{crawler.settings['OGI_RUN']}:robots"
        # the others wait as long as the reader's download may take, retries included (then read it themselves)
        settings = crawler.settings
        self.claim_seconds = int(settings.getfloat("DOWNLOAD_TIMEOUT") * (settings.getint("RETRY_TIMES") + 1)) + 5

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            body = await self._shared(netloc)
            if body is not None:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
                self._stats.inc_value("ogi/robotstxt/shared")
        return await super().robot_parser(request)

    async def _shared(self, netloc: str) -> bytes | None:
        """The host's robots.txt as another worker read it; None when this worker is to read it."""
        deadline = time.monotonic() + self.claim_seconds
        while time.monotonic() < deadline:
            body = self.server.hget(self.key, netloc)
            if isinstance(body, bytes):
                return body
            # the first worker to want it reads it; the others wait for its answer
            if self.server.set(f"{self.key}:claim:{netloc}", "1", nx=True, ex=self.claim_seconds):
                return None
            await asyncio.sleep(0.1)
        return None  # the reader never answered (killed, or its robots.txt too big to share): read it here

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if len(response.body) <= MAX_SHARED:
            # whatever the answer (a 404 page too): it is what this worker obeys, so the others obey it
            self.server.hsetnx(self.key, netloc, response.body)
        else:  # too big to share: the next worker that wants it reads it itself
            self.server.delete(f"{self.key}:claim:{netloc}")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # no robots.txt to be had (refused, reset, timed out): Scrapy then obeys nothing, and so do the others
        self.server.hsetnx(self.key, netloc, b"")
        super()._robots_error(exc, netloc)
