"""A crawl frontier shared by many workers: scrapy-redis's scheduler and duplicate filter on a Redis server.

Switched on by the ``OGI_FRONTIER`` setting (a Redis URL; ``ogi crawl --frontier``): the add-on
:class:`Frontier` then wires the parts below into the crawl. Every worker — on one machine or many — runs
the same spider with the same ``OGI_RUN`` and its own ``OGI_STORE`` (a shard: its own WARC files, blobs
and ``store.db``); ``rawstore.merge`` joins the shards. Requests are queued once in Redis by
fingerprint (the crawl's own fingerprinter, so a worker filters exactly what a single crawl filters),
and any worker takes the next one whose host is free.

What scrapy-redis alone does not do, and a crawl of a million pages needs:

* **Nothing lost when a worker dies.** Marking a request seen and queueing it is one Redis script (as two
  calls, a kill between them lost the request: seen, so never queued again). Taking a request from the
  queue also files it under the worker (``…:inflight:<worker>``), in one script; the request is struck
  off only once the spider has handled its response, every request that response led to is queued and
  every report it gave is recorded (:class:`FrontierAck`), or its download failed for good, or a retry
  or redirect of it is queued in its place. A worker that stops sending its heartbeat
  (``OGI_FRONTIER_TTL`` seconds) is dead: the others put its requests back.
* **A crawl ends when all of it is done.** An idle worker stays open while the queue or a live worker
  still holds work (scrapy-redis would close it, and the crawl would hang on the last worker).
* **A worker takes only what it can send now.** Requests are queued per host, and the hosts ranked by
  their best request; a worker takes the best request of the best-ranked host that has a free lease
  (``crawler.hostslots``: per-host politeness across workers) and reserves that lease, in the same
  script. (With one queue, a worker took the next request whatever its host, and when that host was
  full the request went back after a wait: with eight workers, the hosts holding most of the work
  turned a good share of every slot's time into waiting.)
* **Queue entries are data, not code.** Requests travel pickled, as scrapy-redis and Scrapy's own JOBDIR
  queue keep them; unpickling here builds only plain values and the store's ``Fetch`` record, so a
  stranger who could write to the Redis server still could not run code in the workers.

Redis keys, all under ``ogi:<run>:``: ``queue:<host>`` (a host's requests, sorted set), ``hosts`` (hosts with
queued requests, ranked by their best), ``queued`` (how many requests are queued), ``seen`` (fingerprints),
``inflight:<worker>`` (hash), ``alive:<worker>`` (heartbeat, expires), ``workers`` (set).
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import random
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterable
from typing import Any

from redis import Redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

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


# --- serialising queue entries ---------------------------------------------------------------------------

_ALLOWED = {("rawstore.store", "Fetch"), ("builtins", "set"), ("builtins", "frozenset")}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"a queue entry names {module}.{name}: refused")
        return super().find_class(module, name)


def dumps(obj: Any) -> bytes:
    """Serialise a queue entry (a request as ``Request.to_dict`` gives it)."""
    return pickle.dumps(obj, protocol=5)


def loads(data: bytes) -> Any:
    """Read a queue entry back, building plain values only.

    Raises:
        pickle.UnpicklingError: the entry names any other class or function.
    """
    return _Unpickler(io.BytesIO(data)).load()


# --- the scheduler ------------------------------------------------------------------------------------------


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
            dupefilter_cls="crawler.frontier.FrontierDupeFilter",
            serializer=sys.modules[__name__],  # this module's loads/dumps
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


# --- striking requests off --------------------------------------------------------------------------------------


class FrontierAck:
    """Strikes a request off its worker's list once handled.

    As a spider middleware: once the callback's last output is handed over, each request it gave is queued
    (or dropped) and each item it gave has been through the item pipelines (a report is recorded in the
    store by the pipeline: struck off before that, a kill would lose it), or once the callback failed.
    Scrapy takes a callback's output ahead of handling it (``CONCURRENT_ITEMS`` at a time): that the
    output is all handed over does not yet mean its requests are queued — struck off then, a worker
    killed a moment later lost the requests not yet queued. As a downloader middleware: when the
    download failed for good (no response reaches the spider; errbacks lead nowhere new).

    Args:
        server: the Redis server.
    """

    def __init__(self, server: Redis) -> None:
        self.server = server
        #: id(response) → its requests not yet queued and items not yet through the pipelines
        self.pending: dict[int, int] = {}
        #: id(response) → its request, once all its output is handed over
        self.waiting: dict[int, Request] = {}
        #: id(request given) → id(the response it came from)
        self.parents: dict[int, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierAck:
        url = crawler.settings.get("OGI_FRONTIER")
        if not url:
            raise NotConfigured
        ack = cls(Redis.from_url(url, socket_timeout=30))
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(ack.item_done, signal=signal)
        for signal in (QUEUED, signals.request_dropped):
            crawler.signals.connect(ack.request_done, signal=signal)
        return ack

    def ack(self, request: Request | None) -> None:
        entry = request.meta.get(ENTRY) if request is not None else None
        if entry:
            self.server.hdel(*entry)

    def _given(self, response: Any, output: Any) -> None:
        if output is None:  # Scrapy does nothing with it
            return
        self.pending[id(response)] = self.pending.get(id(response), 0) + 1
        if isinstance(output, Request):
            self.parents[id(output)] = id(response)

    def _handed_over(self, response: Any) -> None:
        if self.pending.get(id(response)):
            self.waiting[id(response)] = response.request
        else:
            self.ack(response.request)

    def _done(self, key: int) -> None:
        left = self.pending.get(key, 0) - 1
        if left > 0:
            self.pending[key] = left
            return
        self.pending.pop(key, None)
        self.ack(self.waiting.pop(key, None))

    def item_done(self, item: Any, response: Any, **kwargs: Any) -> None:
        self._done(id(response))

    def request_done(self, request: Request, **kwargs: Any) -> None:
        key = self.parents.pop(id(request), None)
        if key is not None:
            self._done(key)

    # spider middleware
    def process_spider_output(self, response: Any, result: Iterable[Any], spider: Spider) -> Iterable[Any]:
        for output in result:
            self._given(response, output)
            yield output
        self._handed_over(response)

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any], spider: Spider
    ) -> AsyncIterator[Any]:
        async for output in result:
            self._given(response, output)
            yield output
        self._handed_over(response)

    def process_spider_exception(self, response: Any, exception: Exception, spider: Spider) -> None:
        self._handed_over(response)  # the callback failed: done once what it gave before is

    # downloader middleware
    def process_exception(self, request: Request, exception: Exception, spider: Spider) -> None:
        self.ack(request)


class Frontier:
    """Scrapy add-on: with ``OGI_FRONTIER`` set, the crawl takes its requests from the shared frontier.

    Sets the scheduler (with its duplicate filter), adds :class:`FrontierAck`, the per-host limits shared
    through Redis (``crawler.hostslots``) and robots.txt shared through it (``crawler.sharedrobots``), and
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
        settings.set("SCHEDULER", "crawler.frontier.FrontierScheduler", priority="addon")
        settings.set("JOBDIR", None, priority="cmdline")  # the queue lives in Redis, not on this disk
        # outermost: it sees the output Scrapy handles, after the middlewares that drop some (depth, length)
        settings["SPIDER_MIDDLEWARES"]["crawler.frontier.FrontierAck"] = 0
        # outermost: a download that failed for good is struck off after every other middleware had its say
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.frontier.FrontierAck"] = 1
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.hostslots.HostSlots"] = 960
        # robots.txt read once per host for all the workers, in Scrapy's own middleware's place
        settings["DOWNLOADER_MIDDLEWARES"]["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] = None
        settings["DOWNLOADER_MIDDLEWARES"]["crawler.sharedrobots.SharedRobotsTxt"] = 100
