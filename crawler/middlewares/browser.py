"""Downloader middleware: a page whose list exists only after its scripts run, rendered in headless Chromium.

Only for a request whose meta has ``render``. The browser has no network (``parsers.offline``): every
request of the page is answered by Scrapy's own downloader, same origin only, within a time, request and
per-portal budget. Why and how: docs/crawler.md, "Lists only a script draws", and docs/hostile-input.md.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import shutil
import time
import weakref
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse

from parsers.offline import NoIsolation, Offline
from rawstore.scratch import Scratch

from ..urlpolicy import AllowList, allow_list, check_url

log = logging.getLogger(__name__)

RENDERED, FAILED, UNAVAILABLE = "ogi/browser/rendered", "ogi/browser/failed", "ogi/browser/unavailable"
OVER_BUDGET, POPUPS = "ogi/browser/over budget", "ogi/browser/popups closed"
#: What the rendered document may do: run its own and inline scripts, talk to its own origin, nothing else.
CSP = (
    "default-src 'self' 'unsafe-inline' 'unsafe-eval'; connect-src 'self'; img-src 'none'; media-src 'none'; "
    "font-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; form-action 'none'"
)
#: Request types a list needs; images, fonts, styles and media are not fetched.
NEEDED = ("document", "script", "xhr", "fetch")
ARGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--mute-audio",
    "--js-flags=--max-old-space-size=256",
    # WebRTC's STUN and TURN are UDP that no route, CSP or resolver rule sees: none without a proxy
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
)
#: Run before any script of every page and frame: what the page could reach the network with, outside fetch.
NO_WEBRTC = """for (const name of ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel",
  "RTCIceCandidate", "RTCSessionDescription"]) { try { delete window[name]; } catch (e) {} }"""


class BrowserUnavailable(Exception):
    """Playwright or Chromium is not installed; the message says what to install."""


class BrowserMiddleware:
    """Renders requests marked ``render`` (see the module's docstring).

    Settings: ``OGI_BROWSER`` (the Chromium executable; default the system's ``chromium``),
    ``OGI_BROWSER_TIMEOUT`` (seconds per page, default 30), ``OGI_BROWSER_MAX_REQUESTS`` (requests a
    page may make, default 60), ``OGI_BROWSER_PAGES`` (pages rendered at once, one per portal;
    default 2), ``OGI_BROWSER_PORTAL_SECONDS`` (rendering time one portal may take in a crawl;
    default 300).
    """

    def __init__(
        self,
        crawler: Crawler,
        executable: str | None,
        timeout: float,
        max_requests: int,
        pages: int = 2,
        portal_seconds: float = 300,
    ) -> None:
        self.crawler = crawler
        self.executable = executable
        self.timeout = timeout
        self.max_requests = max_requests
        self.portal_seconds = portal_seconds
        self.allow: AllowList = allow_list(crawler.settings)
        self._pages = asyncio.Semaphore(max(1, pages))
        self._portals: dict[str, asyncio.Lock] = {}
        self._spent: dict[str, float] = {}
        self._launcher: Path | None = None
        self._warned = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserMiddleware:
        s = crawler.settings
        executable = s.get("OGI_BROWSER") or shutil.which("chromium") or shutil.which("chromium-browser")
        mw = cls(
            crawler,
            executable,
            s.getfloat("OGI_BROWSER_TIMEOUT", 30),
            s.getint("OGI_BROWSER_MAX_REQUESTS", 60),
            s.getint("OGI_BROWSER_PAGES", 2),
            s.getfloat("OGI_BROWSER_PORTAL_SECONDS", 300),
        )
        # the launcher goes with the crawl: `ogi demo` replaces its process with Datasette (execv), and no
        # finalizer runs then
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self) -> None:
        if self._launcher is not None:
            shutil.rmtree(self._launcher.parent, ignore_errors=True)
            self._launcher = None

    async def process_request(self, request: Request) -> HtmlResponse | None:
        if not request.meta.get("render"):
            return None
        stats = self.crawler.stats
        assert stats is not None
        portal = str(request.meta.get("adcode") or _origin(request.url)[1])
        try:
            async with self._portals.setdefault(portal, asyncio.Lock()):  # one page of a portal at a time
                left = self.portal_seconds - self._spent.get(portal, 0.0)
                if left <= 0:
                    stats.inc_value(OVER_BUDGET)
                    raise IgnoreRequest(f"not rendered: the portal's {self.portal_seconds:g} s of rendering are spent")
                async with self._pages:
                    began = time.monotonic()
                    try:
                        html = await asyncio.wait_for(self._render(request), min(self.timeout, left))
                    finally:
                        self._spent[portal] = self._spent.get(portal, 0.0) + time.monotonic() - began
        except IgnoreRequest:
            raise
        except BrowserUnavailable as exc:
            stats.inc_value(UNAVAILABLE)
            if not self._warned:
                log.error("headless browser unavailable: %s", exc)
                self._warned = True
            raise IgnoreRequest(f"not rendered: {exc}") from None
        except Exception as exc:  # noqa: BLE001  (a hostile page may break the browser in any way)
            stats.inc_value(FAILED)
            raise IgnoreRequest(f"rendering failed: {type(exc).__name__}: {str(exc)[:200]}") from None
        stats.inc_value(RENDERED)
        body = html.encode("utf-8")[: self.crawler.settings.getint("DOWNLOAD_MAXSIZE") or None]
        headers = {"Content-Type": "text/html; charset=utf-8"}
        return HtmlResponse(request.url, body=body, headers=headers, request=request, flags=["rendered"])

    def _offline_chromium(self, executable: str) -> str:
        """A launcher that starts Chromium with no network (Playwright takes one executable, no prefix)."""
        if self._launcher is None:
            try:
                command = Offline().command([executable])
            except NoIsolation as exc:
                raise BrowserUnavailable(f"Chromium not started: {exc}") from None
            folder = Scratch("ogi-chromium-").folder()  # a killed crawl's launcher goes with the next
            weakref.finalize(self, shutil.rmtree, folder, True)
            launcher = folder / "chromium"
            launcher.write_text(f'#!/bin/sh\nexec {shlex.join(command)} "$@"\n')
            launcher.chmod(0o700)
            self._launcher = launcher
        return str(self._launcher)

    async def _render(self, request: Request) -> str:
        try:
            from playwright.async_api import Error as PlaywrightError
            from playwright.async_api import async_playwright
        except ImportError:
            raise BrowserUnavailable("the playwright package is not installed (pip install -e '.[browser]')") from None
        if not self.executable or not os.path.exists(self.executable):
            raise BrowserUnavailable(
                f"no Chromium at {self.executable or 'PATH'} (apt-get install chromium, or set OGI_BROWSER)"
            )
        launcher = self._offline_chromium(self.executable)
        origin = _origin(request.url)
        asked = {"n": 0}

        async def answer(route: Any) -> None:
            sub = route.request
            asked["n"] += 1
            url = urldefrag(sub.url)[0]
            navigation = sub.is_navigation_request()
            if (
                _origin(url) != origin
                or sub.resource_type not in NEEDED
                or check_url(url, self.allow) is not None
                or asked["n"] > self.max_requests
                or (navigation and (asked["n"] > 1 or url != urldefrag(request.url)[0]))
            ):
                if navigation:  # 204: the browser stays on the page it has drawn (HTML's "no content")
                    await route.fulfill(status=204, body=b"")
                else:
                    await route.abort("blockedbyclient")
                return
            fetch = Request(
                url,
                method=sub.method if sub.method in ("GET", "POST") else "GET",
                body=sub.post_data_buffer or b"",
                headers={k: v for k, v in sub.headers.items() if k.lower() in ("content-type", "accept")},
                meta={**{k: request.meta[k] for k in ("adcode", "portal") if k in request.meta}, "kind": "script"},
                dont_filter=True,
            )
            try:
                got = await self.crawler.engine.download_async(fetch)
            except Exception:  # noqa: BLE001  (refused, failed: the page goes without it)
                await route.abort("failed")
                return
            headers = {"content-type": (got.headers.get(b"Content-Type") or b"text/html").decode("latin-1")}
            if sub.resource_type == "document":
                headers["content-security-policy"] = CSP
            await route.fulfill(status=got.status, headers=headers, body=got.body)

        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path=launcher, headless=True, args=list(ARGS), timeout=self.timeout * 1000
                )
                try:
                    context = await browser.new_context(accept_downloads=False, service_workers="block")
                    await context.add_init_script(NO_WEBRTC)
                    await context.route("**/*", answer)  # the context's pages: popups too, from their first request
                    page = await context.new_page()
                    context.on("page", lambda popup: asyncio.ensure_future(self._close_popup(popup)))
                    # "commit", then each later state for a few seconds at most: a page that starts another
                    # navigation (answered 204 above) never reports its own as loaded
                    await page.goto(request.url, wait_until="commit", timeout=self.timeout * 1000)
                    for state in ("domcontentloaded", "load", "networkidle"):
                        try:
                            await page.wait_for_load_state(state, timeout=min(self.timeout / 4, 3) * 1000)
                        except PlaywrightError:
                            pass  # never settles (a navigation away, polling): read what it has drawn
                    return await page.content()
                finally:
                    await browser.close()
        except PlaywrightError as exc:
            if "executable doesn't exist" in str(exc).lower():
                raise BrowserUnavailable(str(exc).splitlines()[0]) from None
            raise

    async def _close_popup(self, popup: Any) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(POPUPS)
        try:
            await popup.close()
        except Exception:  # noqa: BLE001  (gone already, with its browser)
            pass


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port
