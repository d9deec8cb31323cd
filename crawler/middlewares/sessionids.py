"""Downloader middlewares: Java servlet session ids (``;jsessionid=…``) taken out of the pages the spider reads.

The archive keeps each answer as it came (:class:`crawler.middlewares.archive.ArchiveMiddleware` runs
first); the page and the ``Location`` header the rest of the crawl reads lose the session parameter, so a
page has one URL run after run (Heritrix's ``StripSessionIDs`` does the same). Why: docs/crawler.md,
"Session ids".
"""

from __future__ import annotations

import re
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

#: The path parameter a servlet container adds (Tomcat's name; ``;JSESSIONID=`` in some). It ends where
#: the path does: at ``?``, ``#``, a quote or anything else that cannot be in a session id.
SESSION_PARAMETER = re.compile(rb";jsessionid=[0-9A-Za-z._!~*\-]*", re.IGNORECASE)
#: Stats key: answers whose body or Location had session ids taken out.
STAT = "ogi/session_ids_removed"


def without_session_ids(data: bytes) -> bytes:
    """``data`` with every ``;jsessionid=…`` path parameter removed.

    Args:
        data: a page's bytes or a header's value (ASCII-compatible encodings: the parameter is ASCII).
    """
    return SESSION_PARAMETER.sub(b"", data)


class _Counted:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler.stats)


class SessionIdPages(_Counted):
    """Removes servlet session ids from the pages the spider reads. Placed after Scrapy's decompression
    (``HttpCompressionMiddleware``, 590), so that it reads the page itself, and before a meta refresh's
    target is read (``MetaRefreshMiddleware``, 580).

    Args:
        stats: the crawler's stats collector (``ogi/session_ids_removed`` counts the answers changed).
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not SESSION_PARAMETER.search(response.body):
            return response
        self.stats.inc_value(STAT)
        return response.replace(body=without_session_ids(response.body))


class SessionIdRedirects(_Counted):
    """Removes servlet session ids from redirect targets (``encodeRedirectURL``). Placed before Scrapy's
    ``RedirectMiddleware`` (600) reads the ``Location``.

    Args:
        stats: the crawler's stats collector (``ogi/session_ids_removed`` counts the answers changed).
    """

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not location or not SESSION_PARAMETER.search(location):
            return response
        self.stats.inc_value(STAT)
        headers = response.headers.copy()
        headers[b"Location"] = without_session_ids(location)
        return response.replace(headers=headers)
