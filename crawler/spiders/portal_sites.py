"""The ``portal_sites`` spider: the seed list's portal URLs, found the way a person finds them.

Province portals link their prefectures' portals, prefecture portals their counties' (a footer of
县(市、区)政府, a drop-down of 区县政府网站, a site map). From the province portals in
``seeds/provinces.csv`` and the division table (the seeds file: adcode, province, prefecture,
county), it reads each portal's home page and the pages it names as such lists (one hop), takes the
links whose text names a division under it (``crawler.discovery.sites``), follows the prefectures' to theirs,
and yields one row per portal found. ``ogi seeds discover`` runs it and writes the rows;
``ogi seeds fill`` puts them into the seeds file where it has no URL yet.

Every request goes through the crawl's URL policy, robots.txt and archive, as the report crawl's do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from ..discovery import links as d
from ..discovery import sites
from ..seeds import SeedsError, read_rows

log = logging.getLogger(__name__)


class PortalSitesSpider(scrapy.Spider):
    """Finds the portals of the governments under each province portal, then under each prefecture's.

    Args:
        provinces: CSV of province portals (``province``, ``portal_url``; default ``seeds/provinces.csv``).
        seeds: the division table (default: the ``OGI_SEEDS`` setting).
    """

    name = "portal_sites"
    # its rows are not reports, and its run is not a report crawl's run
    custom_settings = {
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {"crawler.extensions.summary.CrawlSummary": None, "crawler.extensions.runs.RunRecorder": None},
    }

    def __init__(self, provinces: str | None = None, seeds: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.provinces_path = provinces or "seeds/provinces.csv"
        self.seeds_path = seeds
        self._found: set[str] = set()
        #: province → the governments under it; (province, prefecture) → its counties
        self.under: dict[tuple[str, ...], list[sites.Child]] = {}
        #: adcode → its row of the division table
        self.rows: dict[str, dict[str, str]] = {}

    async def start(self) -> Any:
        try:
            divisions = read_rows(self.seeds_path or self.settings.get("OGI_SEEDS"))[0]
            provinces = read_rows(self.provinces_path)[0]
        except SeedsError as exc:
            log.error("%s", exc)
            return
        for row in divisions:
            province, prefecture, county = row.get("province", ""), row.get("prefecture", ""), row.get("county", "")
            if prefecture:
                self.under.setdefault((province,), [])
                key = f"{province}/{prefecture}"
                if not any(c.key == key for c in self.under[(province,)]):
                    self.under[(province,)].append(sites.Child(prefecture, key))
                self.under.setdefault((province, prefecture), []).append(sites.Child(county, row["adcode"]))
            else:  # a district of a municipality, a county under the province
                self.under.setdefault((province,), []).append(sites.Child(county, row["adcode"]))
        self.rows = {row["adcode"]: row for row in divisions}
        for row in provinces:
            if row.get("portal_url") and (row.get("province", ""),) in self.under:
                meta = {"parent": (row["province"],), "hop": 0}
                yield Request(row["portal_url"], self.parse_portal, errback=self.failed, meta=meta)

    def parse_portal(self, response: Response) -> Iterator[Any]:
        """A parent's portal page: its children's portals, and (on its home page) its list pages."""
        if not isinstance(response, TextResponse):
            return
        root = d.parse_html(response.text)
        if root is None:
            return
        parent: tuple[str, ...] = tuple(response.meta["parent"])
        found = d.links(response.url, root) + sites.option_links(response.url, root)
        children = sites.index(self.under.get(parent, []))
        for key, (child, url) in sites.child_portals(response.url, found, children).items():
            if key in self._found:
                continue
            self._found.add(key)
            yield from self._child(parent, child, url, response.url)
        if response.meta["hop"] == 0:
            for link in found:
                if sites.LIST_PAGE.search(link.text) and d.same_site(link.url, response.url):
                    meta = {"parent": parent, "hop": 1}
                    yield Request(link.url, self.parse_portal, errback=self.failed, meta=meta)

    def _child(self, parent: tuple[str, ...], child: sites.Child, url: str, found_on: str) -> Iterator[Any]:
        if child.key in self.rows:
            row = self.rows[child.key]
            yield {
                "adcode": child.key,
                "province": row.get("province", ""),
                "prefecture": row.get("prefecture", ""),
                "county": row.get("county", ""),
                "portal_url": url,
                "found_on": found_on,
            }
            return
        province = parent[0]
        row = {"adcode": "", "province": province, "prefecture": child.name, "county": "", "portal_url": url}
        yield {**row, "found_on": found_on}
        yield Request(url, self.parse_portal, errback=self.failed, meta={"parent": (province, child.name), "hop": 0})

    def failed(self, failure: Failure) -> None:
        """A portal that could not be read: logged; its children stay without a URL."""
        request = failure.request  # type: ignore[attr-defined]
        log.warning("portal %s not read: %s", request.url, failure.value)
