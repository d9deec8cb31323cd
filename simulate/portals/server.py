"""One simulated portal: a real HTTP server on a loopback address, serving routes (pages, handlers, failures)."""

from __future__ import annotations

import hashlib
import html
import random
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

if TYPE_CHECKING:
    from .farm import Farm

Handler = Callable[["Request"], "Page"]
#: Route markers: close the connection without answering; answer only after SLOW_SECONDS; a body
#: that never ends (no length, streamed until the client hangs up); a body declared HUGE_BYTES long.
RESET, SLOW, ENDLESS, HUGE = object(), object(), object(), object()
SLOW_SECONDS = 4.0
HUGE_BYTES = 1 << 31
#: A streamed body stops here even if the client never hangs up.
_STREAM_CAP = 1 << 32
#: What a report needs when only a headless browser running its list's script can find it (``Report.needs``).
BROWSER = frozenset({"browser"})


@dataclass
class Request:
    """What a route handler sees."""

    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class Page:
    """A response: status, headers, body."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class Portal:
    """One simulated portal: routes on one loopback host."""

    def __init__(self, farm: Farm, name: str, ip: str, encoding: str = "utf-8") -> None:
        self.farm, self.name, self.ip, self.encoding = farm, name, ip, encoding
        self.routes: dict[str, Handler | Page] = {}
        #: every request's path and query, in order (a test's "internal service" must see none)
        self.hits: list[str] = []
        #: a servlet container's URL rewriting: see :func:`_with_session`
        self.sessions = False
        #: requests being answered now, the most ever at once, and when each began (politeness checks)
        self.active = 0
        self.peak = 0
        self.starts: list[float] = []
        self._count = threading.Lock()
        self.server = _QuietServer((ip, 0), _make_handler(self))
        self.server.daemon_threads = True
        self.base = f"http://{ip}:{self.server.server_address[1]}"
        self.udp: socket.socket | None = None
        #: more of the header every page shows (links to national and provincial portals, as real ones have)
        self.header = ""

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, title: str, body: str) -> None:
        """An HTML page in this portal's encoding and chrome."""
        charset = "gb2312" if self.encoding == "gbk" else self.encoding
        doc = (
            f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f'<title>{html.escape(title)}</title></head><body><div class="header"><a href="/">首页</a>{self.header}</div>'
            f'{body}<div class="footer">{html.escape(self.name)} 版权所有</div></body></html>'
        )
        self.routes[path] = Page(
            doc.encode(self.encoding, errors="xmlcharrefreplace"),
            content_type=f"text/html; charset={charset}" if self.farm.rng.random() < 0.5 else "text/html",
        )

    def file(self, path: str, data: bytes, content_type: str, disposition: str | None = None) -> None:
        headers = {"Content-Disposition": disposition} if disposition else {}
        self.routes[path] = Page(data, content_type=content_type, headers=headers)

    def listen_udp(self) -> None:
        """Also record every UDP datagram sent to this portal's port (as ``udp <bytes>`` in :attr:`hits`):
        STUN, TURN and DNS are UDP, and an "internal service" must see none of them either."""
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((self.ip, self.server.server_address[1]))

    def _record_udp(self, udp: socket.socket) -> None:
        udp.settimeout(0.2)  # a blocked recvfrom does not notice close(): look again until stop()
        while udp.fileno() != -1:
            try:
                data, _ = udp.recvfrom(65536)
            except TimeoutError:
                continue
            except OSError:  # closed by stop()
                return
            self.hits.append(f"udp {data[:20].hex()}")

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        if self.udp is not None:
            threading.Thread(target=self._record_udp, args=(self.udp,), daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.udp is not None:
            self.udp.close()


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up (a crawler's timeout, a reset) is normal here, not an error to print."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _make_handler(portal: Portal) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self, method: str) -> None:
            parts = urlparse(self.path)
            key = parts.path + (f"?{parts.query}" if parts.query else "")  # a ;jsessionid= is no part of the route
            with portal._count:  # the i-th start is the i-th hit
                portal.hits.append(self.path if parts.params else key)
                portal.starts.append(time.monotonic())
                portal.active += 1
                portal.peak = max(portal.peak, portal.active)
            try:
                if portal.farm.latency:  # a real server's time to answer (benchmarks)
                    time.sleep(random.uniform(*portal.farm.latency))
                self._answer(method, parts, key)
            finally:
                with portal._count:
                    portal.active -= 1

        def _answer(self, method: str, parts: Any, key: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            route = portal.routes.get(key) or portal.routes.get(parts.path + "?*")
            if route is ENDLESS or route is HUGE:
                self._stream(route is HUGE)
                return
            if route is RESET:
                self.close_connection = True
                self.connection.close()  # the peer resets: no status line at all
                return
            if route is SLOW:
                time.sleep(SLOW_SECONDS)
            req = Request(
                method, parts.path, parse_qs(parts.query), parse_qs(raw.decode("latin-1")), dict(self.headers)
            )
            if route is SLOW:
                route = Page(b"<html><body>late</body></html>")
            page = route(req) if callable(route) else route
            if page is None:
                page = Page(b"<html><body>404 Not Found</body></html>", status=404)
            if portal.sessions and "JSESSIONID=" not in self.headers.get("Cookie", ""):
                page = _with_session(page, portal.base, secrets.token_hex(16).upper())
            etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
            headers = {"Content-Type": page.content_type, **page.headers}
            if page.status == 200:
                headers["ETag"] = etag
                headers["Last-Modified"] = formatdate(portal.farm.epoch, usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    for k, v in headers.items():
                        if k in ("ETag", "Last-Modified"):
                            self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            self.send_response(page.status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(page.body)

        def _stream(self, declared: bool) -> None:
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            if declared:
                self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            chunk = b"%PDF-1.4\n" + b"0" * (1 << 16)
            sent = 0
            try:
                while sent < (HUGE_BYTES if declared else _STREAM_CAP):
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:  # the client hung up, as it should
                pass

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve("HEAD")

    return H


_HREF = re.compile(rb"""(href=["'])([^"'#?]*)""")


def _with_session(page: Page, base: str, session: str) -> Page:
    """What a servlet container answers a visitor whose session cookie it has not seen: a new session in a
    cookie, and its id written into every link into the site and into a redirect's target (``encodeURL``,
    ``encodeRedirectURL``: ``/a/b.jsp;jsessionid=…?x=1``), since the cookie may not come back. Links to
    other sites and pages other than HTML are left alone."""
    own = base.encode()
    encoded = f";jsessionid={session}".encode()

    def encode(m: re.Match[bytes]) -> bytes:
        url = m.group(2)
        scheme = b":" in url.split(b"/", 1)[0]  # http:, javascript:, mailto:
        inside = url.startswith(own + b"/") or (bool(url) and not scheme and not url.startswith(b"//"))
        return m.group(1) + url + encoded if inside else m.group(0)

    headers = {**page.headers, "Set-Cookie": f"JSESSIONID={session}; Path=/; HttpOnly"}
    location = headers.get("Location", "")
    if location.startswith((base + "/", "/")) and not location.startswith("//"):
        path, mark, rest = location.partition("?")
        headers["Location"] = path + encoded.decode() + mark + rest
    body = _HREF.sub(encode, page.body) if page.content_type.startswith("text/html") else page.body
    return Page(body, page.status, page.content_type, headers)


def ul(items: list[tuple[str, str]], dates: Mapping[str, str] | None = None) -> str:
    """A column's list as CMS print it: each title (also in ``title=``, the text may be cut) and its date.

    Args:
        items: (link, title) of each entry.
        dates: the date printed beside a link (the farm's ``listed``); other entries get a fixed date.
    """
    return (
        '<ul class="list">'
        + "".join(
            f'<li><a href="{html.escape(u)}" title="{html.escape(t)}">{html.escape(t)}</a>'
            f"<span>{(dates or {}).get(u, '2024-03-01')}</span></li>"
            for u, t in items
        )
        + "</ul>"
    )
