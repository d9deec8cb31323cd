"""What the crawler may fetch: one URL policy for seeds, links, redirects and attachments.

Only ``http``/``https`` hosts that resolve to public addresses, or the hosts ``OGI_ALLOWED_HOSTS`` names.
:class:`UrlPolicyMiddleware` checks every request first; :class:`PolicyResolver` refuses the same
addresses at connection time (DNS rebinding). Why and how: docs/crawler.md, "URL policy".
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import StopDownload
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = ("http", "https")

#: Why a request was refused (the code stored in the fetch log's ``error``: ``refused (<code>): …``).
REASONS = {
    "scheme": "not an http or https URL",
    "host": "no host name",
    "address": "not a public address",
    "port": "port not allowed for this host",
    "report_size": "the report's files exceed OGI_REPORT_MAXSIZE",
    "outside": "not one of OGI_ALLOWED_HOSTS (OGI_ONLY_ALLOWED_HOSTS)",
}


class Refused(StopDownload):
    """A request the policy does not allow (raised before the download, or to stop one: a StopDownload).

    Args:
        reason: a code of :data:`REASONS`.
        detail: what was refused, for the log.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(fail=True)
        self.args = (f"refused ({reason}): {detail}",)
        self.reason = reason


def address_class(ip: Address) -> str | None:
    """Why an address is not public (``loopback``, ``private``, …), or None for a public address.

    IPv4 addresses mapped into IPv6 (``::ffff:10.0.0.1``) and 6to4 addresses
    are judged by the IPv4 address they carry.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            return address_class(inner)
    for name in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    if not ip.is_global:  # shared address space (100.64/10), benchmarking, documentation ranges, …
        return "not global"
    return None


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@dataclass(frozen=True)
class AllowList:
    """The exceptions of ``OGI_ALLOWED_HOSTS``.

    Attributes:
        hosts: host names and addresses allowed on any port (lower case).
        host_ports: (host, port) pairs allowed on that port only.
        networks: networks whose addresses are allowed on any port.
        only: nothing else is allowed, public hosts included (``OGI_ONLY_ALLOWED_HOSTS``: a crawl of
            simulated portals on loopback that must not leave them even where a name resolves).
    """

    hosts: frozenset[str] = frozenset()
    host_ports: frozenset[tuple[str, int]] = frozenset()
    networks: tuple[Network, ...] = field(default=())
    only: bool = False

    @classmethod
    def parse(cls, spec: str | Iterable[str] | None) -> AllowList:
        """Read a setting's value: ``"127.0.0.64/26, portal.test:8080, 127.0.0.5"`` (or a list of entries).

        Raises:
            ValueError: an entry that is none of host, host:port, CIDR.
        """
        entries = spec.split(",") if isinstance(spec, str) else list(spec or [])
        hosts, pairs, nets = set(), set(), []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            if "/" in entry:
                nets.append(ipaddress.ip_network(entry, strict=False))
                continue
            parts = urlsplit(f"//{entry}")
            try:
                port = parts.port
            except ValueError as exc:
                raise ValueError(f"OGI_ALLOWED_HOSTS: bad entry {raw!r}") from exc
            host = parts.hostname
            if not host:
                raise ValueError(f"OGI_ALLOWED_HOSTS: bad entry {raw!r}")
            if port is None:
                hosts.add(host)
            else:
                pairs.add((host, port))
        return cls(frozenset(hosts), frozenset(pairs), tuple(nets))

    def names(self, host: str) -> bool:
        """The host name (or literal address) is named in the list, on some port."""
        return host in self.hosts or any(h == host for h, _ in self.host_ports)

    def allows(self, host: str, port: int) -> bool:
        """The list allows this host and port without looking at the address it resolves to."""
        if host in self.hosts or (host, port) in self.host_ports:
            return True
        ip = _literal(host)
        return ip is not None and self.allows_address(ip)

    def allows_address(self, ip: Address) -> bool:
        """The address is allowed by a network, or named as an address without a port."""
        return str(ip) in self.hosts or any(ip in net for net in self.networks)


def check_address(host: str, ip: Address, allow: AllowList) -> Refused | None:
    """The refusal for connecting to ``host`` at ``ip``, or None."""
    why = address_class(ip)
    if allow.allows_address(ip) or allow.names(host):
        return None
    if why is not None:
        return Refused("address", f"{host} is {ip} ({why})")
    return Refused("outside", f"{host} is {ip}") if allow.only else None


def check_url(url: str, allow: AllowList) -> Refused | None:
    """What can be judged from the URL alone: scheme, host, literal address, allowed ports.

    Returns:
        the refusal, or None when the URL may go on (a host name still has to
        pass :func:`check_address` once resolved).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return Refused("host", url[:200])
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return Refused("scheme", url[:200])
    host = (parts.hostname or "").lower()
    if not host:
        return Refused("host", url[:200])
    port = port or (443 if scheme == "https" else 80)
    if allow.allows(host, port):
        return None
    if allow.names(host):  # named with other ports only
        return Refused("port", f"{host}:{port}")
    ip = _literal(host)
    if ip is None:  # a name: resolved only where public hosts are allowed at all
        return Refused("outside", f"{host}:{port}") if allow.only else None
    return check_address(host, ip, allow)


def allow_list(settings: Any) -> AllowList:
    """The ``OGI_ALLOWED_HOSTS`` setting, parsed (and ``OGI_ONLY_ALLOWED_HOSTS``)."""
    allow = AllowList.parse(settings.get("OGI_ALLOWED_HOSTS") or "")
    return replace(allow, only=True) if settings.getbool("OGI_ONLY_ALLOWED_HOSTS") else allow


class UrlPolicyMiddleware:
    """Downloader middleware: refuses requests outside the policy before any other middleware sees them.

    Also caps the bytes of one report's files together (``OGI_REPORT_MAXSIZE``;
    each download on its own has Scrapy's ``DOWNLOAD_MAXSIZE``): bytes are
    counted as they arrive, so concurrent downloads cannot overshoot it.
    """

    def __init__(self, allow: AllowList, report_maxsize: int, resolver: Any) -> None:
        self.allow = allow
        self.report_maxsize = report_maxsize
        self.resolver = resolver
        self.spent: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UrlPolicyMiddleware:
        from scrapy import signals
        from twisted.internet import reactor

        mw = cls(allow_list(crawler.settings), crawler.settings.getint("OGI_REPORT_MAXSIZE"), reactor.resolver)
        crawler.signals.connect(mw.bytes_received, signal=signals.bytes_received)
        return mw

    async def process_request(self, request: Request) -> None:
        refusal = check_url(request.url, self.allow)
        if refusal is not None:
            raise refusal
        host = (urlsplit(request.url).hostname or "").lower()
        if _literal(host) is None and not self.allow.names(host):
            try:
                resolved = await maybe_deferred_to_future(self.resolver.getHostByName(host))
            except RefusedAddress as exc:
                raise exc.refusal from None
            except DNSLookupError:
                return  # not ours to judge: the download fails (and is retried) as any lookup failure
            ip = _literal(resolved)
            refusal = check_address(host, ip, self.allow) if ip is not None else Refused("address", resolved)
            if refusal is not None:  # only when another resolver than ours is configured
                raise refusal
        if self._over(request, 0):
            raise Refused("report_size", f"{request.url}: {self.report_maxsize} bytes of this report fetched already")

    def _over(self, request: Request, more: int) -> bool:
        report = request.meta.get("report_url")
        if request.meta.get("kind") != "file" or not report or not self.report_maxsize:
            return False
        self.spent[report] = self.spent.get(report, 0) + more
        return self.spent[report] >= self.report_maxsize

    def bytes_received(self, data: bytes, request: Request, spider: Spider) -> None:
        if self._over(request, len(data)):
            raise Refused("report_size", f"{request.url}: the report's files exceed {self.report_maxsize} bytes")


class RefusedAddress(DNSLookupError):
    """What :class:`PolicyResolver` raises for an address the policy refuses."""

    def __init__(self, refusal: Refused) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


class PolicyResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that will not hand out an address the policy refuses.

    Set as ``TWISTED_DNS_RESOLVER``; Twisted passes literal addresses through
    it too, so every connection the crawler makes is checked here.
    """

    def __init__(self, reactor: Any, cache_size: int, timeout: float, allow: AllowList) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allow = allow

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> PolicyResolver:
        s = crawler.settings
        size = s.getint("DNSCACHE_SIZE") if s.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, size, s.getfloat("DNS_TIMEOUT"), allow_list(s))

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802  (Twisted's interface)
        def checked(address: str) -> str:
            ip = _literal(address)
            refusal = check_address(name, ip, self.allow) if ip is not None else None
            if refusal is not None:
                raise RefusedAddress(refusal)
            return address

        return super().getHostByName(name, timeout).addCallback(checked)
