"""Politeness per host across every worker of a shared-frontier crawl: leases on hosts in Redis.

Each download holds a lease on its host (at most ``OGI_HOST_CONCURRENCY`` at once, ``OGI_HOST_DELAY``
seconds apart, by the Redis server's clock; expiring after the download timeout). The frontier reserves a
lease with each request it hands out (:data:`RESERVE`); :class:`HostSlots` makes it the download's lease.
Why: docs/operations.md, "Politeness per host across workers".

Keys: ``ogi:<run>:host:<host>:leases`` (sorted set: lease → expiry, ms) and ``…:next`` (earliest next start).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from redis import Redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings

#: The request meta key of a lease: (leases key, lease id); set by the frontier when it reserved one.
LEASE = "ogi_host_lease"
#: The longest single wait before asking again (seconds).
MAX_WAIT = 0.5
#: How long a frontier request whose reservation lapsed waits for its host before it goes back (seconds).
PATIENCE = 0.2
#: How long the frontier reserves a lease for the request it hands out (seconds): time enough to pass
#: the middlewares, short enough that a lapsed one (robots.txt read first) holds the host up little.
RESERVE = 1.0

# The Lua both scripts share. LEASES_NOW: Redis's clock in ms. host_wait: 0 when a lease on the host can
# start now (or `mine` is a live lease of the caller's already), else the ms to wait. host_lease: take or
# renew lease `id` until `till`; a new one starts the host's delay.
LEASES_LUA = """
local t = redis.call('TIME')
local LEASES_NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function host_wait(leases, nxt, limit, mine)
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', LEASES_NOW)
  if mine and redis.call('ZSCORE', leases, mine) then return 0 end
  local n = tonumber(redis.call('GET', nxt) or '0')
  if LEASES_NOW < n then return n - LEASES_NOW end
  if redis.call('ZCARD', leases) >= limit then
    local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
    return math.max(1, math.min(tonumber(first[2]) - LEASES_NOW, 50))
  end
  return 0
end
local function host_lease(leases, nxt, id, till, lease_ms, delay_ms)
  local new = redis.call('ZADD', leases, LEASES_NOW + till, id)
  redis.call('PEXPIRE', leases, lease_ms)
  if new == 1 and delay_ms > 0 then redis.call('SET', nxt, LEASES_NOW + delay_ms, 'PX', delay_ms) end
end
"""
# KEYS: leases, next; ARGV: lease id, limit, lease ms, delay ms. Returns 0 (taken) or ms to wait.
_TAKE = (
    LEASES_LUA
    + """
local lease_ms = tonumber(ARGV[3])
local wait = host_wait(KEYS[1], KEYS[2], tonumber(ARGV[2]), ARGV[1])
if wait > 0 then return wait end
host_lease(KEYS[1], KEYS[2], ARGV[1], lease_ms, lease_ms, tonumber(ARGV[4]))
return 0
"""
)


def host_key(url: str) -> str:
    """The host a lease is taken on: the URL's host and port (two portals on one address are two servers
    only if their ports differ; ``www.`` and ``gk.`` of one county are two hosts, as for Scrapy)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


@dataclass(frozen=True)
class HostLimits:
    """What politeness allows each host, for every worker of a run.

    Args:
        prefix: the run's lease keys begin with it (``ogi:<run>:host:``).
        limit: leases per host at once.
        delay_ms: milliseconds between two lease starts on one host.
        lease_ms: milliseconds a lease lives unless given back.
    """

    prefix: str
    limit: int
    delay_ms: int
    lease_ms: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> HostLimits:
        """The limits of ``settings``: ``OGI_RUN``, ``OGI_HOST_CONCURRENCY`` (0: ``CONCURRENT_REQUESTS_PER_DOMAIN``),
        ``OGI_HOST_DELAY``, ``DOWNLOAD_TIMEOUT`` (a lease lives 30 s longer)."""
        limit = settings.getint("OGI_HOST_CONCURRENCY") or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        return cls(
            prefix=f"ogi:{settings['OGI_RUN']}:host:",
            limit=max(1, limit),
            delay_ms=int(settings.getfloat("OGI_HOST_DELAY") * 1000),
            lease_ms=int((settings.getfloat("DOWNLOAD_TIMEOUT") + 30) * 1000),
        )

    def keys(self, host: str) -> tuple[str, str]:
        """The host's leases and next-start keys."""
        return self.prefix + host + ":leases", self.prefix + host + ":next"


class HostSlots:
    """Holds a lease on the request's host during its download: the frontier's reservation, or one taken here.

    Args:
        server: the frontier's Redis server.
        limits: what each host allows.
    """

    def __init__(self, server: Redis, limits: HostLimits) -> None:
        self.server = server
        self.limits = limits
        self._take = server.register_script(_TAKE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostSlots:
        settings = crawler.settings
        if not settings.get("OGI_FRONTIER"):
            raise NotConfigured
        return cls(Redis.from_url(settings["OGI_FRONTIER"], socket_timeout=30), HostLimits.from_settings(settings))

    async def process_request(self, request: Request) -> Request | None:
        leases, next_key = self.limits.keys(host_key(request.url))
        reserved = request.meta.get(LEASE)
        lease = reserved[1] if reserved else uuid.uuid4().hex
        limits = self.limits
        waited = 0.0
        while True:
            wait = self._take(keys=[leases, next_key], args=[lease, limits.limit, limits.lease_ms, limits.delay_ms])
            if not wait:
                break
            if reserved and waited >= PATIENCE:
                # its reservation lapsed and the host is busy: back to the frontier, and this worker's
                # slot takes a request for another host (waiting here, every slot of every worker would
                # end up queueing on the busiest host)
                del request.meta[LEASE]
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

    def process_response(self, request: Request, response: Response) -> Response:
        self._give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> Any:
        self._give_back(request)
        return None
