"""Downloader middleware: Scrapy's cookies, without the one request it makes outside the crawl.

Scrapy's ``CookiesMiddleware`` asks tldextract whether a cookie's domain is a public suffix, and on first
use tldextract downloads the Public Suffix List from publicsuffix.org (or GitHub): a request made outside
Scrapy, so past the URL policy and robots.txt, to hosts no seed names; on a machine without internet it
logs a traceback first (john-kurkowski/tldextract#332). Portals on servlet containers set a session
cookie on every first visit (crawler/middlewares/sessionids.py), so every crawl met it. The list bundled with
tldextract serves instead (``suffix_list_urls=()``, tldextract's README on no live HTTP fetching), with no
cache written to the user's home. Its age matters only for a cookie set for a whole public suffix.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import cookies
from tldextract import TLDExtract


class OfflineSuffixCookies(cookies.CookiesMiddleware):
    """Scrapy's ``CookiesMiddleware`` with the public-suffix check read from tldextract's bundled list."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OfflineSuffixCookies:
        # Scrapy keeps the extractor in a module global (scrapy/downloadermiddlewares/cookies.py, 2.19)
        cookies._split_domain = TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)
        return super().from_crawler(crawler)
