"""Servlet session ids: a portal on a Java servlet container writes ``;jsessionid=…`` into every link and
redirect of its first answer to a visitor whose cookie it has not seen (``encodeURL``). The crawl asks
for each page under its one URL, run after run, and the archive keeps the answers as they came. The
session cookie is kept without Scrapy's cookie check fetching the Public Suffix List.

The farm's portals rewrite as Tomcat does (``simulate/portals/server.py``, ``_with_session``). Real
behaviour it copies: the servlet API's URL rewriting ("URL rewriting is always used when the first
request from the client arrives", SAP NetWeaver's Java server manual; Tomcat's ``Response.encodeURL``;
``counter2.jsp;jsessionid=be8d691d…`` in O'Reilly's *JavaServer Pages*), government sites publishing such
links (``legifrance.gouv.fr/affichCodeArticle.do;jsessionid=…``, ``cnb.cz/…/denni_kurz.txt;jsessionid=…``
in public code), and Heritrix's ``StripSessionIDs`` rule, which a national web archive's crawler has for
the same reason."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.middlewares.sessionids import SessionIdPages, SessionIdRedirects, without_session_ids
from rawstore import RawStore
from simulate.portals import Farm
from tests.helpers import crawl, findable


@pytest.mark.slow
def test_session_ids_in_links_make_no_second_url_and_no_new_report(tmp_path, monkeypatch):
    # where tldextract would keep the Public Suffix List it downloads for Scrapy's cookie checks
    suffixes = tmp_path / "tldextract"
    suffixes.mkdir()
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(suffixes))
    with Farm(seed=31, reports_per_portal=2, big_portal_pages=2) as farm:
        for portal in farm.portals:
            portal.sessions = True
        seeds = tmp_path / "seeds.csv"
        farm.write_seeds(seeds)
        store = tmp_path / "store"
        crawl(seeds, store)
        crawl(seeds, store)
        sent = [hit for portal in farm.portals for hit in portal.hits]
    with RawStore(store, readonly=True) as raw:
        fetches = list(raw.fetches())
        kept = [raw.read_body(f.sha256) for f in fetches if f.sha256 and (f.content_type or "").startswith("text/html")]
        found = {r.url for r in raw.reports()}
        second = raw.run_record()
    # the portals did write session ids, and the archive kept them as they came; the crawler sent the
    # session cookie back, so most pages came without them
    with_ids = sum(b";jsessionid=" in body for body in kept)
    assert 0 < with_ids < len(kept) - with_ids
    # but the crawler never asked for a URL with one, nor logged one
    assert [hit for hit in sent if "jsessionid" in hit.lower()] == []
    assert [f.url for f in fetches if "jsessionid" in (f.url + (f.final_url or "")).lower()] == []
    assert found == set(findable(farm))
    # the second run found every report again under its URL: nothing new, nothing gone
    assert second is not None and second.reports_found == len(findable(farm))
    assert (second.reports_new, second.reports_gone) == (0, 0)
    # the cookie's public-suffix check read tldextract's bundled list: nothing was fetched or kept
    assert list(suffixes.iterdir()) == []


def test_only_the_session_parameter_is_taken_out():
    assert (
        without_session_ids(b'<a href="/a/b.jsp;jsessionid=7800100BD79C.node1?id=1#x">')
        == b'<a href="/a/b.jsp?id=1#x">'
    )
    assert without_session_ids(b"/col/;JSESSIONID=abc-def_1") == b"/col/"
    assert without_session_ids(b"/a;type=pdf/b.html?jsessionid=no") == b"/a;type=pdf/b.html?jsessionid=no"

    crawler = get_crawler()
    pages, redirects = SessionIdPages.from_crawler(crawler), SessionIdRedirects.from_crawler(crawler)
    request = Request("http://127.0.0.1/")
    page = HtmlResponse("http://127.0.0.1/", body=b'<a href="/x.jsp;jsessionid=A1">x</a>', encoding="utf-8")
    assert pages.process_response(request, page).body == b'<a href="/x.jsp">x</a>'
    moved = HtmlResponse("http://127.0.0.1/", status=302, headers={"Location": "/lnjyj/;jsessionid=A1?p=2"})
    assert redirects.process_response(request, moved).headers[b"Location"] == b"/lnjyj/?p=2"
    plain = HtmlResponse("http://127.0.0.1/", body=b'<a href="/x.jsp">x</a>', encoding="utf-8")
    assert pages.process_response(request, plain) is plain
    assert crawler.stats.get_value("ogi/session_ids_removed") == 2
