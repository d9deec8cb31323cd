"""Striking a request off its worker's list once it is handled: nothing is lost when a worker dies."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from redis import Redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from .scheduler import ENTRY, QUEUED


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
    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterable[Any]:
        for output in result:
            self._given(response, output)
            yield output
        self._handed_over(response)

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in result:
            self._given(response, output)
            yield output
        self._handed_over(response)

    def process_spider_exception(self, response: Any, exception: Exception) -> None:
        self._handed_over(response)  # the callback failed: done once what it gave before is

    # downloader middleware
    def process_exception(self, request: Request, exception: Exception) -> None:
        self.ack(request)
