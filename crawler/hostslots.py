"""Downloader middleware: politeness per host across every worker of a shared-frontier crawl.

Scrapy's own limits (``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY``, AutoThrottle) hold per process:
eight workers would send a county's small server eight times what one crawler would. Here each download
first takes a lease on its host in Redis — at most ``OGI_HOST_CONCURRENCY`` leases at once and
``OGI_HOST_DELAY`` seconds between two leases' starts, by the Redis server's clock — and gives it back when
the response or the failure comes. A lease expires after ``DOWNLOAD_TIMEOUT`` plus a margin, so a worker
killed mid-download holds nobody up for long. A request taken from the frontier waits briefly
(``PATIENCE``) and then goes back to it, so that the worker's slot takes a request for another host;
the requests the crawl sends itself (robots.txt, a rendered page's resources) wait, asynchronously.

Keys: ``ogi:<run>:host:<host>:leases`` (sorted set: lease → expiry, ms) and ``…:next`` (earliest next start).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any
from urllib.parse import urlsplit

from redis import Redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from .frontier import ENTRY

#: The request meta key of a held lease: (leases key, lease id).
LEASE = "ogi_host_lease"
#: The longest single wait before asking again (seconds).
MAX_WAIT = 0.5
#: How long a request taken from the frontier waits for its host before it goes back (seconds).
PATIENCE = 0.2

# KEYS: leases, next; ARGV: lease id, limit, lease ms, delay ms. Returns 0 (taken) or ms to wait.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, math.min(tonumber(first[2]) - now, 50))
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
if tonumber(ARGV[4]) > 0 then redis.call('SET', KEYS[2], now + tonumber(ARGV[4]), 'PX', tonumber(ARGV[4])) end
return 0
"""


def host_key(url: str) -> str:
    """The host a lease is taken on: the URL's host and port (two portals on one address are two servers
    only if their ports differ; ``www.`` and ``gk.`` of one county are two hosts, as for Scrapy)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


class HostSlots:
    """Takes a lease on the request's host before its download and gives it back after.

    Args:
        server: the frontier's Redis server.
        run: the crawl run (keys are per run).
        limit: leases per host at once.
        delay: seconds between two lease starts on one host.
        lease: seconds a lease lives unless given back.
    """

    def __init__(self, server: Redis, run: str, limit: int, delay: float, lease: float) -> None:
        self.server = server
        self.prefix = f"ogi:{run}:host:"
        self.limit = limit
        self.delay_ms = int(delay * 1000)
        self.lease_ms = int(lease * 1000)
        self._take = server.register_script(_TAKE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostSlots:
        settings = crawler.settings
        if not settings.get("OGI_FRONTIER"):
            raise NotConfigured
        limit = settings.getint("OGI_HOST_CONCURRENCY") or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        return cls(
            Redis.from_url(settings["OGI_FRONTIER"], socket_timeout=30),
            settings["OGI_RUN"],
            max(1, limit),
            settings.getfloat("OGI_HOST_DELAY"),
            settings.getfloat("DOWNLOAD_TIMEOUT") + 30,
        )

    async def process_request(self, request: Request, spider: Spider) -> Request | None:
        host = self.prefix + host_key(request.url)
        leases, lease = host + ":leases", uuid.uuid4().hex
        waited = 0.0
        while True:
            wait = self._take(keys=[leases, host + ":next"], args=[lease, self.limit, self.lease_ms, self.delay_ms])
            if not wait:
                break
            if waited >= PATIENCE and ENTRY in request.meta:
                # the host is busy: back to the frontier, behind others of its priority, and this
                # worker's slot takes a request for another host (waiting here, every slot of every
                # worker would end up queueing on the busiest host)
                return request.replace(dont_filter=True)
            pause = min(int(wait) / 1000, MAX_WAIT)
            await asyncio.sleep(pause)
            waited += pause
        request.meta[LEASE] = (leases, lease)
        return None

    def _give_back(self, request: Request) -> None:
        held = request.meta.pop(LEASE, None)
        if held:
            self.server.zrem(*held)

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        self._give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Spider) -> Any:
        self._give_back(request)
        return None
