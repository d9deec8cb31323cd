"""``scrapy crawl annual_reports``: from each portal's home page to every annual report and its files.

    scrapy crawl annual_reports                       # seeds/portals.csv
    scrapy crawl annual_reports -a seeds=FILE.csv     # another list
    scrapy crawl annual_reports -a only=130532,141030 # a subset

Discovery needs no per-site code: the home page's links are scored for the
disclosure area (政府信息公开/政务公开) and its annual-report column(s);
columns are walked with their sub-columns (year, 部门, 乡镇) and every kind
of pagination of ``crawler.discovery.paging`` (each portal-software family's rules are
data in ``crawler.discovery.cms``); report pages are recognised by title, and a title a
list cut short is opened and judged by the page's own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlparse

import scrapy
from form2request import form2request
from scrapy.http import FormRequest, Request, Response, TextResponse
from twisted.python.failure import Failure

from ..discovery import cms, paging
from ..discovery import links as d
from ..extensions.summary import INVALID, SEEDS_ERROR, SEEDS_TRIED, SKIPPED, count
from ..fingerprints import VARIANT
from ..items import ReportItem
from ..seeds import SeedsError, read_seeds
from ..urlpolicy import AllowList, Refused, allow_list, check_url

log = logging.getLogger(__name__)

#: How many disclosure-area candidates are followed from a home page.
MAX_AREAS = 4
#: The request meta this spider sets (what a page asked for again, rendered, carries over).
OWN_META = (
    "adcode", "county", "portal", "browser", "kind", "column", "area_depth", "gkmlpt", "offsite", "title", "listed_date",
)  # fmt: skip
#: A home or area page with fewer links than this is a script shell (rendered when it loads scripts).
FEW_LINKS = 3


class AnnualReportsSpider(scrapy.Spider):
    """Finds annual reports on county portals.

    Args:
        seeds: CSV file of portals (default: the ``OGI_SEEDS`` setting).
        only: comma-separated GB/T 2260 codes to crawl.
    """

    name = "annual_reports"

    def __init__(self, seeds: str | None = None, only: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seeds_path = seeds
        self.only = {c.strip() for c in only.split(",")} if only else None
        self._allow: AllowList | None = None
        #: seeds whose portal software is known (counted once)
        self._families: set[str | None] = set()

    async def start(self) -> Any:
        for request in self.seed_requests():
            yield request

    @property
    def allow(self) -> AllowList:
        """The crawl's exceptions to the URL policy (``OGI_ALLOWED_HOSTS``)."""
        if self._allow is None:
            self._allow = allow_list(self.settings)
        return self._allow

    def seed_requests(self) -> Iterator[Request]:
        """One request per usable seed row (its report column too, when the row names it).

        Rows without a URL are counted; rows the URL policy refuses and an
        unreadable seeds file are logged and counted (``ogi crawl`` then exits
        non-zero), and the crawl goes on with the rest.
        """
        stats = self.crawler.stats
        path = self.seeds_path or self.settings.get("OGI_SEEDS")
        try:
            found = read_seeds(path, self.only, self.allow)
        except SeedsError as exc:
            log.error("%s", exc)
            stats.set_value(SEEDS_ERROR, str(exc))
            return
        stats.set_value(SKIPPED, found.without_url)
        stats.set_value(INVALID, len(found.invalid))
        stats.set_value(SEEDS_TRIED, sorted({seed.adcode for seed in found.seeds}))
        for line, why in found.invalid:
            log.error("seeds file %s line %d skipped: %s", path, line, why)
        for seed in found.seeds:
            meta: dict[str, Any] = {
                "adcode": seed.adcode,
                "county": seed.county,
                "kind": "home",
                "portal": seed.portal_url or seed.reports_url,
            }
            if seed.cms == cms.BROWSER:
                meta["browser"] = True  # every area and list page of this portal is rendered
            family = next((f for f in cms.FAMILIES if f.name == seed.cms), None)
            if family and seed.portal_url:
                # the hint: the family's usual entries first; the home page is explored all the same
                for path in family.entries:
                    area = {**meta, "kind": "area", "area_depth": 1}
                    yield Request(urljoin(seed.portal_url, path), self.parse_area, errback=self.failed, meta=area)
            if seed.portal_url:
                yield Request(seed.portal_url, self.parse_home, errback=self.failed, meta=meta)
            if seed.reports_url:
                column = {**meta, "kind": "column", "column": seed.reports_url}
                yield Request(seed.reports_url, self.parse_column, errback=self.failed, meta=column)

    # --- pages --------------------------------------------------------------------------------

    def _links(self, response: Response) -> tuple[list[d.Link], Any]:
        if not isinstance(response, TextResponse):
            return [], None
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        if "json" in content_type or response.meta.get("trs_api"):
            return paging.json_list_links(response.text, response.url), None
        if cms.HANWEB_ANSWER.match(response.text):
            return paging.datastore_links(response.text, response.url), None
        root = d.parse_html(response.text)
        if root is None:
            return [], None
        self._count_family(response)
        return d.links(response.url, root), root

    def _count_family(self, response: TextResponse) -> None:
        """Count a seed's portal software once, by the first page that shows a family's marker (the crawl
        summary names them)."""
        adcode = response.meta.get("adcode")
        if adcode in self._families:
            return
        head = response.text[: cms.MARKER_CHARS]
        for family in cms.FAMILIES:
            if family.marker.search(head):
                self._families.add(adcode)
                self.crawler.stats.inc_value(f"ogi/cms/{family.name}")
                return

    def parse_home(self, response: Response) -> Iterator[Any]:
        """Home page: follow the disclosure area and any report column linked from here."""
        yield from self._explore(response, depth=0)

    def parse_area(self, response: Response) -> Iterator[Any]:
        """Disclosure area page: find the report column(s)."""
        yield from self._explore(response, depth=response.meta.get("area_depth", 1))

    def _explore(self, response: Response, depth: int) -> Iterator[Any]:
        links, root = self._links(response)
        requests = list(self._explore_links(response, links, root, depth))
        if self._needs_browser(response, root, empty=not requests and len(links) < FEW_LINKS):
            yield self._rendered(response, self.parse_area if depth else self.parse_home)
            return
        yield from requests

    def _explore_links(self, response: Response, links: list[d.Link], root: Any, depth: int) -> Iterator[Request]:
        here = response.url  # after redirects: a portal that moved to a new domain goes on there
        columns = [link for link in links if d.column_score(link) >= 2 and self._may_leave(here, link, depth)]
        for link in columns:
            yield from self._column_request(response, link)
        for link in links:
            if d.is_report_title(link.text) or d.is_cut_title(link.text):
                yield self._report_request(response, link)
        if root is not None:
            yield from self._list_apis(response)
        if depth >= 2:
            return
        taken = {link.url for link in columns}
        areas = sorted(
            (
                link
                for link in links
                if link.url not in taken and d.area_score(link) >= 2 and self._may_leave(here, link, depth)
            ),
            key=d.area_score,
            reverse=True,
        )
        for url in list(dict.fromkeys(link.url.split("#", 1)[0] for link in areas))[:MAX_AREAS]:
            yield self._follow(response, url, self.parse_area, kind="area", area_depth=depth + 1)

    def _column_request(self, response: Response, link: d.Link) -> Iterator[Request]:
        """A report column; a gkmlpt catalogue (a hash route of its shell page) through the shell."""
        route = paging.gkmlpt_route(link.url)
        if route is None:
            offsite = bool(response.meta.get("offsite")) or not d.same_site(link.url, response.url)
            yield self._follow(response, link.url, self.parse_column, kind="column", column=link.url, offsite=offsite)
            return
        shell, catalogue = route
        if isinstance(response, TextResponse) and cms.GKMLPT_SID.search(response.text):
            for api in paging.gkmlpt_apis(response.text, response.url, [catalogue]):
                yield self._follow(response, api, self.parse_column, kind="column", column=api)
        else:
            # the shell may have been read before, for another catalogue: asked for once per catalogue
            meta = {"kind": "area", "area_depth": 2, "gkmlpt": [catalogue], VARIANT: catalogue}
            yield self._follow(response, shell, self.parse_area, **meta)

    def _list_apis(self, response: Response) -> Iterator[Request]:
        """List APIs a script-shell page loads from: named in its scripts, or built from gkmlpt's configuration."""
        assert isinstance(response, TextResponse)
        apis = paging.json_apis(response.text, response.url)
        apis += paging.gkmlpt_apis(response.text, response.url, response.meta.get("gkmlpt", ()))
        for api in dict.fromkeys(apis):
            yield self._follow(response, api, self.parse_column, kind="column", column=api)

    @staticmethod
    def _may_leave(here: str, link: d.Link, depth: int) -> bool:
        """Stay on the site, except that the home page's own disclosure link may lead to a separate host (gk.)."""
        if d.same_site(link.url, here):
            return True
        return depth == 0 and bool(d.AREA_TEXT.search(link.text) or d.COLUMN_TEXT.search(link.text))

    def parse_column(self, response: Response) -> Iterator[Any]:
        """A list page of a report column: reports, sub-columns, further pages (a page whose list only its
        scripts draw is asked for again, rendered)."""
        links, root = self._links(response)
        requests = list(self._column_entries(response, links, root))
        if self._needs_browser(response, root, empty=not requests):
            yield self._rendered(response, self.parse_column)
            return
        yield from requests

    def _column_entries(self, response: Response, links: list[d.Link], root: Any) -> Iterator[Request]:
        column = response.meta.get("column", response.url)
        here = response.url
        offsite = response.meta.get("offsite", False)
        for link in links:
            if d.is_report_title(link.text, in_column=True) or d.is_cut_title(link.text, in_column=True):
                yield self._report_request(response, link)
            elif self._subcolumn(link, here, column, offsite, response.meta.get("county", "")):
                yield from self._column_request(response, link)
        if root is None:
            if isinstance(response, TextResponse):
                for page in paging.json_pages(response.text, response.url):
                    yield self._follow(response, page, self.parse_column, kind="column", column=column)
                meta = {**self._meta(response), "kind": "column", "column": column}
                form = response.meta.get("hanweb_probe")
                following = paging.hanweb_next_group(response.text, response.url) if form is not None else None
                if following:  # a Hanweb column without a total: the next group while each comes back full
                    yield FormRequest(
                        following,
                        formdata=form,
                        callback=self.parse_column,
                        errback=self.failed,
                        meta={**meta, "hanweb_probe": form},
                    )
                for api_form in paging.trs_api_pages(response.text, response.meta.get("trs_api") or {}):
                    yield FormRequest(
                        response.url,
                        formdata=api_form,
                        callback=self.parse_column,
                        errback=self.failed,
                        meta={**meta, "trs_api": api_form},
                    )
            return
        assert isinstance(response, TextResponse)  # only text is parsed into a root
        yield from self._list_apis(response)
        for page in paging.pagination(response.url, response.text, root, links):
            yield self._follow(response, page, self.parse_column, kind="column", column=column)
        meta = {**self._meta(response), "kind": "column", "column": column}
        forms = response.css("form")
        for target, argument in paging.postbacks(root) if forms else ():
            try:  # the page's first form, as a browser posts it back (ASP.NET has one)
                form = form2request(forms[0], {"__EVENTTARGET": target, "__EVENTARGUMENT": argument}, click=False)
            except (ValueError, NotImplementedError):  # a method no browser posts (dialog, …)
                continue
            yield form.to_scrapy(callback=self.parse_column, errback=self.failed, meta=meta)
        for url, form in paging.hanweb_paging(response.text, response.url):
            yield FormRequest(url, formdata=form, callback=self.parse_column, errback=self.failed, meta=meta)
        probe = paging.hanweb_probe(response.text, response.url)
        if probe:
            yield FormRequest(
                probe[0],
                formdata=probe[1],
                callback=self.parse_column,
                errback=self.failed,
                meta={**meta, "hanweb_probe": probe[1]},
            )
        api = paging.trs_api_request(response.text, response.url)
        if api:
            yield FormRequest(
                api[0],
                formdata=api[1],
                callback=self.parse_column,
                errback=self.failed,
                meta={**meta, "trs_api": api[1]},
            )

    @staticmethod
    def _needs_browser(response: Response, root: Any, empty: bool) -> bool:
        """Render this page in the headless browser: its seed says so (``cms`` = ``browser``), or it is a
        page whose list only its scripts draw (nothing to follow found in it, and it runs scripts)."""
        if root is None or response.meta.get("render") or not isinstance(response, TextResponse):
            return False
        if response.meta.get("browser"):
            return True
        return empty and any(s.get("src") or (s.text or "").strip() for s in root.iter("script"))

    def _rendered(self, response: Response, callback: Any) -> Request:
        self.crawler.stats.inc_value("ogi/browser/asked")
        meta = {k: v for k, v in response.meta.items() if k in OWN_META}
        return response.request.replace(  # type: ignore[union-attr]
            callback=callback, errback=self.failed, meta={**meta, "render": True}, dont_filter=True
        )

    @staticmethod
    def _subcolumn(link: d.Link, here: str, column: str, offsite: bool, county: str = "") -> bool:
        """A link in a report column that leads to more of it: year, 部门 and 乡镇 sub-columns, the same
        list with other parameters, and a department's own column on its own host (one hop away): a body of
        this government (``county``), never a national or other-level one its header links, nor a service
        portal (行政服务中心, 12345) on a host of its own."""
        sibling_host = urlparse(link.url).hostname != urlparse(here).hostname  # jyj.<county>.gov.cn
        if sibling_host and d.SERVICE_PORTAL.search(link.text):
            return False
        if not d.same_site(link.url, here):
            # a department's column elsewhere, not another government's portal (友情链接 to XX县人民政府)
            department = (
                bool(d.AGENCY_NAME.match(link.text))
                and not link.text.endswith("政府")
                and d.own_body(link.text, county)
            )
            return (d.column_score(link) >= 2 or department) and not offsite
        if paging.sibling_list(link.url, here):
            return True
        named = bool(d.SUBCOLUMN_TEXT.search(link.text) or d.AGENCY_NAME.match(link.text)) or d.column_score(link) >= 2
        return named and (d.under(link.url, column) or d.column_score(link) >= 1 or (sibling_host and not offsite))

    def _report_request(self, response: Response, link: d.Link) -> Request:
        # a title the list cut short ("…") is only a report if the page's own title says so
        confirm = not d.is_report_title(link.text, in_column=True)
        if d.DOC_EXT.search(link.url) or d.DOWNLOAD_URL.search(link.url):
            # the column links straight to the document: the file is the report
            return self._follow(
                response,
                link.url,
                self.parse_file,
                kind="file",
                report_url=link.url,
                title=link.text,
                listed_date=link.date,
                column=response.meta.get("column"),
                direct=not confirm,
            )
        return self._follow(
            response,
            link.url,
            self.parse_report,
            kind="report",
            report_url=link.url,
            title=link.text,
            listed_date=link.date,
            column=response.meta.get("column", response.url),
            confirm=confirm,
        )

    def parse_report(self, response: Response) -> Iterator[Any]:
        """A report page: the page is kept by the middleware; its attachments (or, for a report published
        as scans, its page images in order) are fetched."""
        title = response.meta.get("title") or ""
        files: list[tuple[str, str]] = []
        root = d.parse_html(response.text) if isinstance(response, TextResponse) else None
        if response.meta.get("confirm"):
            title = next((t for t in d.page_titles(root) if d.is_report_title(t, in_column=True)), "")
            if not title:
                self.crawler.stats.inc_value("ogi/cut_titles_not_reports")
                return
        if root is not None:
            found = d.attachments(response.url, root) or d.page_images(response.url, root)
            for link in found:
                if check_url(link.url, self.allow) is None:  # a refused link is no file of the report
                    files.append((link.url, link.text))
                # requested all the same: the URL policy refuses it and the fetch log says why
                yield self._follow(response, link.url, self.parse_file, kind="file", report_url=response.url)
        yield ReportItem(
            response.url,
            response.meta.get("adcode"),
            title,
            d.report_year(title),
            response.meta.get("column"),
            files,
            response.meta.get("listed_date"),
        )

    def parse_file(self, response: Response) -> Iterator[Any]:
        """An attachment (kept by the middleware); a report file linked from a column makes its own item."""
        count(self.crawler.stats, response.meta.get("adcode"), "files")
        if response.meta.get("direct"):
            title = response.meta.get("title") or ""
            yield ReportItem(
                response.url,
                response.meta.get("adcode"),
                title,
                d.report_year(title),
                response.meta.get("column"),
                [(response.url, title)],
                response.meta.get("listed_date"),
            )

    # --- plumbing ---------------------------------------------------------------------------------

    @staticmethod
    def _meta(response: Response) -> dict[str, Any]:
        return {k: response.meta[k] for k in ("adcode", "portal", "browser") if k in response.meta}

    def _follow(self, response: Response, url: str, callback: Any, **meta: Any) -> Request:
        extra = {"handle_httpstatus_list": [304]} if meta.get("kind") == "file" else {}
        return Request(url, callback, errback=self.failed, meta={**self._meta(response), **meta, **extra})

    def failed(self, failure: Failure) -> None:
        """A request that failed for good (after retries) or was refused: counted and logged per seed."""
        request = failure.request  # type: ignore[attr-defined]
        adcode = request.meta.get("adcode")
        if failure.check(Refused):
            count(self.crawler.stats, adcode, "refused")
            self.crawler.stats.inc_value(f"ogi/refused/{failure.value.reason}")
            log.warning("seed %s: %s %s %s", adcode, request.meta.get("kind"), request.url, failure.value)
            return
        count(self.crawler.stats, adcode, "failed")
        reason = failure.getErrorMessage() or type(failure.value).__name__
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"HTTP {response.status}"
        log.warning("seed %s: %s %s failed: %s", adcode, request.meta.get("kind"), request.url, reason)
