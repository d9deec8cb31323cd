"""Downloader middleware that keeps every response and makes re-crawls incremental."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from rawstore import DEFAULT_ROOT, DamagedBlob, Fetch, RawStore, decoded, fetch_key

from .. import revisits
from ..discovery.links import filename_from_headers
from ..extensions.summary import count
from ..urlpolicy import Refused

log = logging.getLogger(__name__)


def _key(request: Request) -> str:
    return fetch_key(request.method, request.url, request.body or b"")


def _request_headers(request: Request) -> list[tuple[str, str]]:
    """The request's headers as sent: Scrapy's HTTP client adds a body's Content-Length on the wire, not to
    ``request.headers``; without it in the WARC request record pywb indexes a POST without its form."""
    headers = _headers(request.headers)
    if request.body and b"Content-Length" not in request.headers:
        headers.append(("Content-Length", str(len(request.body))))
    return headers


def _headers(headers: Any) -> list[tuple[str, str]]:
    out = []
    for key, values in headers.items():
        for value in values:
            out.append((key.decode("latin-1"), value.decode("latin-1")))
    return out


#: The flag of a response made from the store because the document's revisit was not due.
NOT_REVISITED = "not revisited"


class ArchiveMiddleware:
    """Writes each response unchanged to WARC and a row to the fetch log (the body's hash; a cached copy
    of the body too with ``OGI_BLOB_CACHE``).

    Also sends conditional requests (If-None-Match / If-Modified-Since) for
    URLs fetched before; a 304 for a list page is answered from the stored
    body so that discovery goes on without downloading it again.
    """

    def __init__(self, store: RawStore, stats: Any = None, revisit: bool = False, now: str = "") -> None:
        self.store = store
        self.stats = stats
        #: ask for a known report page or attachment only when its revisit is due (crawler/revisits.py)
        self.revisit = revisit
        #: the time the schedule counts from (``OGI_NOW``: a test's day after); default the clock's
        self._now = revisits.parse_time(now) if now else None

    def now(self) -> datetime:
        return self._now or datetime.now(UTC)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveMiddleware:
        from scrapy import signals

        store = RawStore(
            crawler.settings.get("OGI_STORE") or DEFAULT_ROOT,
            run=crawler.settings.get("OGI_RUN") or None,
            blob_cache=crawler.settings.getbool("OGI_BLOB_CACHE"),
        )
        mw = cls(store, crawler.stats, crawler.settings.getbool("OGI_REVISIT"), crawler.settings.get("OGI_NOW") or "")
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        crawler.ogi_store = store  # type: ignore[attr-defined]  # shared with the pipeline
        return mw

    def spider_closed(self, spider: Spider) -> None:
        self.store.close()

    def process_request(self, request: Request) -> Response | None:
        if request.meta.get("ogi_conditional") is False:
            return None
        # a retry may come from another worker's queue entry, asking with what that worker's store knows:
        # ask with what this store knows (its 304 is answered from this store's bodies)
        request.meta.pop("ogi_known", None)
        for name in (b"If-None-Match", b"If-Modified-Since"):
            request.headers.pop(name, None)
        key = _key(request)
        known = self.store.latest(key)
        if known is None:
            return None
        if self.revisit and request.meta.get("kind") in revisits.DOCUMENT_KINDS:
            history = self.store.history(key, known)
            later = revisits.due(history, self.now())
            if later is not None:
                # not due: the crawl goes on from the stored body (the report is still seen, its files followed)
                try:
                    stored = self._stored(request, known, NOT_REVISITED)
                except (OSError, DamagedBlob) as exc:  # a body the store lost is asked for again
                    log.warning("%s: stored body unreadable (%s); asking for it again", request.url, exc)
                    return None
                self.store.record_revisit(key, history.last_checked, later.isoformat())
                if self.stats is not None:
                    self.stats.inc_value("ogi/not_revisited")
                return stored
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))
        request.meta["ogi_known"] = known
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if NOT_REVISITED in response.flags:  # made from the store by process_request: nothing was fetched
            return response
        meta = request.meta
        encoding = (response.headers.get(b"Content-Encoding") or b"").decode("latin-1").lower()
        rendered = "rendered" in response.flags  # the DOM a headless browser drew (crawler.middlewares.browser)
        known: Fetch | None = meta.get("ogi_known")
        if rendered:
            # the page as the server sent it was fetched (and kept) by the browser's own request just before
            served = self.store.latest(response.url)
            warc_file, offset = self.store.write_conversion(
                response.url, "text/html; charset=utf-8", response.body, source=served
            )
        else:
            warc_file, offset = self.store.write_exchange(
                response.url,
                request.method,
                _request_headers(request),
                request.body or b"",
                response.status,
                _reason(response.status),
                _headers(response.headers),
                response.body,
                not_modified=known,
            )
        body = decoded(response.body, encoding)
        sha = self.store.keep(body) if response.status == 200 else None
        if response.status == 304 and known is not None:
            sha = known.sha256
        header = lambda name: (response.headers.get(name) or b"").decode("latin-1") or None  # noqa: E731
        self.store.log_fetch(
            Fetch(
                url=_key(request),
                final_url=response.url,
                status=response.status,
                content_type=header(b"Content-Type"),
                size=len(body),
                sha256=sha,
                etag=header(b"ETag"),
                last_modified=header(b"Last-Modified"),
                adcode=meta.get("adcode"),
                kind="rendered" if rendered else meta.get("kind"),
                report_url=meta.get("report_url"),
                filename=filename_from_headers(header(b"Content-Disposition")),
                warc_file=warc_file,
                warc_offset=offset,
            )
        )
        if 300 <= response.status < 400 and self._loops(request, response):
            adcode = meta.get("adcode")
            log.warning("seed %s: %s %s failed: redirect loop", adcode, meta.get("kind"), request.url)
            if self.stats is not None:
                count(self.stats, adcode, "failed")
        if response.status == 304 and known is not None and meta.get("kind") != "file":
            # the list is unchanged: read it from the store and keep discovering
            return self._stored(request, known, "cached")
        return response

    def _stored(self, request: Request, known: Fetch, flag: str) -> Response:
        """A response made of the stored body of ``known`` (a file's body is not needed: its request ends there)."""
        stored = self.store.read_body(known.sha256) if request.meta.get("kind") != "file" else b""  # type: ignore[arg-type]
        headers = {"Content-Type": known.content_type} if known.content_type else {}
        url = known.final_url or request.url
        cls = responsetypes.from_args(headers=headers, url=url, body=stored)  # type: ignore[arg-type]
        return cls(url=url, status=200, headers=headers, body=stored, flags=[flag], request=request)

    @staticmethod
    def _loops(request: Request, response: Response) -> bool:
        """A redirect back to a URL of its own chain (the dupe filter would drop it silently)."""
        location = (response.headers.get(b"Location") or b"").decode("latin-1")
        if not location:
            return False
        target = urljoin(response.url, location)
        return target == request.url or target in request.meta.get("redirect_urls", [])

    def process_exception(self, request: Request, exception: Exception) -> None:
        meta = request.meta
        self.store.log_fetch(
            Fetch(
                url=_key(request),
                adcode=meta.get("adcode"),
                kind=meta.get("kind"),
                report_url=meta.get("report_url"),
                error=str(exception) if isinstance(exception, Refused) else f"{type(exception).__name__}: {exception}",
            )
        )
        return None


def _reason(status: int) -> str:
    """The standard reason phrase of a status (Scrapy keeps the code, not the phrase the server sent)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
