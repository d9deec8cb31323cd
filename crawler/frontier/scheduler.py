"""The shared frontier's scheduler and duplicate filter: scrapy-redis's, with requests queued per host in
Redis, handed out only when their host has a free lease, filed per worker until handled, and a crawl that
ends only when no worker holds work (docs/operations.md, "Distributed crawls").

Redis keys, all under ``ogi:<run>:``: ``queue:<host>`` (a host's requests, sorted set), ``hosts`` (hosts with
queued requests, ranked by their best), ``queued`` (how many requests are queued), ``seen`` (fingerprints),
``inflight:<worker>`` (hash), ``alive:<worker>`` (heartbeat, expires), ``workers`` (set).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from typing import Any

from redis import Redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from . import entries
from .hostslots import LEASE, LEASES_LUA, RESERVE, HostLimits, host_key

log = logging.getLogger(__name__)

#: The request meta key of the queue entry a request was taken as: (inflight hash, field).
ENTRY = "ogi_frontier"
#: How many hosts, best-ranked first, a worker looks through for one with a free lease. Only hosts with
#: requests out can be full — at most the workers' slots together — so this reaches past them all.
SCAN = 1000
#: The signal sent once a request is queued in Redis (``request``): its parent may then be struck off.
QUEUED = object()
#: When every host with queued work is busy, the engine asks for a request again after this (seconds).
BUSY_RETRY = 0.05

# Take the best-ranked request whose host has a free lease, reserve that lease and file the request under
# the worker, in one step (a kill between them would lose it). The hosts are ranked by their best request;
# a worker looks through the first SCAN of them. KEYS: hosts, inflight, count; ARGV: queue key prefix,
# host limits (lease key prefix, limit, lease ms, delay ms), reservation ms, reservation id, SCAN.
# Returns {field, data, host} or nil (nothing queued, or every host in reach busy).
_TAKE = (
    LEASES_LUA
    + """
local limit, lease_ms, delay_ms = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
for _, host in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[8]) - 1)) do
  local leases, nxt = ARGV[2] .. host .. ':leases', ARGV[2] .. host .. ':next'
  if host_wait(leases, nxt, limit, nil) == 0 then
    local queue = ARGV[1] .. host
    local r = redis.call('ZRANGE', queue, 0, 0)
    if #r > 0 then
      redis.call('ZREM', queue, r[1])
      redis.call('DECR', KEYS[3])
      host_lease(leases, nxt, ARGV[7], tonumber(ARGV[6]), lease_ms, delay_ms)
      local field = redis.sha1hex(r[1])
      redis.call('HSET', KEYS[2], field, r[1])
      local best = redis.call('ZRANGE', queue, 0, 0, 'WITHSCORES')
      if #best == 0 then redis.call('ZREM', KEYS[1], host) else redis.call('ZADD', KEYS[1], best[2], host) end
      return {field, r[1], host}
    end
    redis.call('ZREM', KEYS[1], host)
  end
end
return nil
"""
)
# Queue a request on its host unless its fingerprint was seen, rank the host by its best request, and strike
# off the entry the request replaces (a retry, a redirect; or a dead worker's, put back) — in one step: a
# kill between marking a request seen and queueing it would lose it for good. KEYS: host's queue, hosts,
# count, old inflight, seen; ARGV: score, data, host, old field, 'once' (put back only if still filed),
# fingerprint ('' for a request not filtered). Returns 1 when queued.
_QUEUE = """
if ARGV[6] ~= '' and redis.call('SADD', KEYS[5], ARGV[6]) == 0 then
  if ARGV[4] ~= '' then redis.call('HDEL', KEYS[4], ARGV[4]) end
  return 0
end
if ARGV[4] ~= '' then
  local old = redis.call('HDEL', KEYS[4], ARGV[4])
  if old == 0 and ARGV[5] == 'once' then return 0 end
end
if redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('INCR', KEYS[3]) end
local best = redis.call('ZSCORE', KEYS[2], ARGV[3])
if not best or tonumber(ARGV[1]) < tonumber(best) then redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3]) end
return 1
"""


def _score(request: Request) -> float:
    """The request's place in its host's queue (lowest first), and its host's rank when it is the best there:
    its priority, and within a priority a random place — Redis orders equal scores by the members' bytes,
    so without it the hosts of one priority would be ranked by name, and the first few always served first."""
    return -request.priority + random.random() * 0.9


def keys(run: str) -> dict[str, str]:
    """The Redis keys of a run (``{worker}`` left to fill in; ``queue`` is the prefix of the per-host queues)."""
    base = f"ogi:{run}:"
    return {
        "queue": base + "queue:",
        "hosts": base + "hosts",
        "count": base + "queued",
        "seen": base + "seen",
        "workers": base + "workers",
        "inflight": base + "inflight:{worker}",
        "alive": base + "alive:{worker}",
    }


class FrontierDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter with the crawl's own request fingerprints (``crawler.fingerprints``)."""

    fingerprinter: Any = None

    @classmethod
    def from_spider(cls, spider: Spider) -> FrontierDupeFilter:
        settings = spider.settings
        server = Redis.from_url(settings["OGI_FRONTIER"])
        dupefilter = cls(server, keys(settings["OGI_RUN"])["seen"], debug=settings.getbool("DUPEFILTER_DEBUG"))
        dupefilter.fingerprinter = spider.crawler.request_fingerprinter
        return dupefilter

    def request_fingerprint(self, request: Request) -> str:
        return str(self.fingerprinter.fingerprint(request).hex())


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler, with requests queued per host and handed out only when their host has a free
    lease, filed per worker until handled, dead workers' requests put back, and a crawl that ends only when
    no worker holds work.

    Args:
        crawler: the crawler (settings ``OGI_FRONTIER``, ``OGI_RUN``, ``OGI_WORKER``, ``OGI_FRONTIER_TTL``).
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        run = settings["OGI_RUN"]
        server = Redis.from_url(settings["OGI_FRONTIER"], socket_timeout=30)
        server.ping()
        self.keys = keys(run)
        super().__init__(
            server,
            persist=True,  # the queue is the crawl's, not this worker's: the last worker out leaves it empty
            queue_key=self.keys["queue"],  # scrapy-redis's queue only encodes and decodes: the queues are per host
            queue_cls="scrapy_redis.queue.PriorityQueue",
            dupefilter_key=self.keys["seen"],
            dupefilter_cls="crawler.frontier.scheduler.FrontierDupeFilter",
            serializer=entries,  # queue entries read back as data only
        )
        self.crawler = crawler
        self.stats = crawler.stats
        self.limits = HostLimits.from_settings(settings)
        self.worker = settings.get("OGI_WORKER") or f"{socket.gethostname()}-{os.getpid()}"
        self.inflight = self.keys["inflight"].format(worker=self.worker)
        self.alive = self.keys["alive"].format(worker=self.worker)
        self.ttl = settings.getint("OGI_FRONTIER_TTL")
        self._take = server.register_script(_TAKE)
        self._queue = server.register_script(_QUEUE)
        self._beat = task.LoopingCall(self.heartbeat)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        return cls(crawler)

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.server.sadd(self.keys["workers"], self.worker)
        self.heartbeat()
        self._beat.start(max(1, self.ttl / 4), now=False)
        log.info("frontier %s: worker %s joined (%d requests queued)", self.keys["queue"], self.worker, len(self))

    def close(self, reason: str) -> None:
        if self._beat.running:
            self._beat.stop()
        if reason == "finished":  # nothing of the crawl is left in flight here
            self.server.delete(self.inflight, self.alive)
            self.server.srem(self.keys["workers"], self.worker)

    def heartbeat(self) -> None:
        """Say this worker is alive for another ``OGI_FRONTIER_TTL`` seconds."""
        self.server.set(self.alive, "1", ex=self.ttl)

    def __len__(self) -> int:
        return int(self.server.get(self.keys["count"]) or 0)

    def _put(self, request: Request, data: bytes, inflight: str, field: str, once: bool = False) -> bool:
        host = host_key(request.url)
        fingerprint = "" if request.dont_filter or once else self.df.request_fingerprint(request)
        queue_keys = [self.keys["queue"] + host, self.keys["hosts"], self.keys["count"], inflight, self.keys["seen"]]
        score = _score(request)
        return bool(self._queue(keys=queue_keys, args=[score, data, host, field, "once" if once else "", fingerprint]))

    def enqueue_request(self, request: Request) -> bool:
        # a retry or a redirect of a request taken from the queue takes its place there; a redirect to a page
        # seen already only strikes off the request it came from
        inflight, field = request.meta.pop(ENTRY, ("", ""))
        if not self._put(request, self.queue._encode_request(request), inflight or self.inflight, field):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.crawler.signals.send_catch_log(QUEUED, request=request)
        return True

    def next_request(self) -> Request | None:
        limits, reservation = self.limits, uuid.uuid4().hex
        args: list[str | int] = [self.keys["queue"], limits.prefix, limits.limit, limits.lease_ms, limits.delay_ms]
        taken = self._take(
            keys=[self.keys["hosts"], self.inflight, self.keys["count"]],
            args=[*args, int(RESERVE * 1000), reservation, SCAN],
        )
        if not taken:
            if len(self):
                self.stats.inc_value("ogi/frontier/hosts_busy")
                self._ask_again()
            return None
        field, data, host = taken
        request = self.queue._decode_request(data)
        request.meta[ENTRY] = (self.inflight, field.decode())
        request.meta[LEASE] = (limits.keys(host.decode())[0], reservation)
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _ask_again(self) -> None:
        # every host with work is busy, on this worker or another: the engine would ask again only when one
        # of its own downloads ends, or at its 5 s heartbeat
        try:
            slot = getattr(self.crawler.engine, "_slot", None)
        except RuntimeError:  # no engine: the scheduler is driven by hand, not by a crawl
            return
        if slot is not None:
            slot.nextcall.schedule(BUSY_RETRY)

    def recover(self) -> int:
        """Put back the requests of workers whose heartbeat has stopped; returns how many."""
        back = 0
        for name in self.server.smembers(self.keys["workers"]):
            worker = name.decode()
            if worker == self.worker or self.server.exists(self.keys["alive"].format(worker=worker)):
                continue
            inflight = self.keys["inflight"].format(worker=worker)
            mine = 0
            for field, data in self.server.hgetall(inflight).items():
                request = self.queue._decode_request(data)
                mine += self._put(request, data, inflight, field.decode(), once=True)
            if not self.server.exists(inflight):
                self.server.srem(self.keys["workers"], worker)
            if mine:
                log.warning("frontier: worker %s stopped; %d of its requests queued again", worker, mine)
            back += mine
        if back:
            self.stats.inc_value("ogi/frontier/recovered", back)
        return back

    def busy_elsewhere(self) -> bool:
        """Whether a live worker other than this one still holds requests."""
        for name in self.server.smembers(self.keys["workers"]):
            worker = name.decode()
            if worker != self.worker and self.server.hlen(self.keys["inflight"].format(worker=worker)):
                return True
        return False

    def spider_idle(self, spider: Spider) -> None:
        # idle means nothing is downloading or being handled here: what is still filed under this worker
        # was dropped along the way (an ignored request without an errback) and is done
        self.server.delete(self.inflight)
        self.recover()
        if len(self) or self.busy_elsewhere():
            raise DontCloseSpider
