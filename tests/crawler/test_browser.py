"""The headless-browser path: lists only a script draws, rendered where needed and nowhere else.

The browser itself is Debian's Chromium (``.ci/run`` installs it) driven by Playwright; every request
it makes is answered by the crawler's own downloader (the hostile page that tries to reach out of the
browser is in ``simulate.portals.hostile`` and ``tests/crawler/test_hostile.py``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from rawstore import RawStore
from simulate.portals import Farm
from tests.helpers import crawl, dead_pid, needs_chromium


@pytest.fixture(scope="module")
def farm():
    with Farm(seed=4, reports_per_portal=2, big_portal_pages=2) as f:
        yield f


def _reports(store: Path) -> set[str]:
    return {r[0] for r in RawStore(store, readonly=True).db.execute("SELECT url FROM reports")}


@needs_chromium
def test_a_list_only_its_script_draws_is_rendered_and_kept(farm, tmp_path):
    # the crawl's temporary directory, with a launcher a killed crawl left (a short path: Chromium puts
    # its sockets there, and a socket's path is at most 107 bytes)
    temp = Path(tempfile.mkdtemp(prefix="ogi-test-"))
    (temp / f"ogi-chromium-{dead_pid()}-x").mkdir()
    try:
        seeds = farm.write_seeds(tmp_path / "seeds.csv", {"990112", "990101"})
        proc = crawl(seeds, tmp_path / "store", env={"TMPDIR": str(temp)})
        assert not any(temp.glob("ogi-chromium-*"))  # the old one swept, its own removed at the end
    finally:
        shutil.rmtree(temp)
    want = {u for u, r in farm.reports.items() if r.adcode in {"990112", "990101"}}
    assert _reports(tmp_path / "store") == want
    # only the page that needed it: one page rendered of one asked for, the static county's none
    assert "headless browser: 1 of 1 pages rendered" in proc.stderr
    db = RawStore(tmp_path / "store", readonly=True).db
    kinds = dict(db.execute("SELECT url, kind FROM fetches WHERE kind IN ('rendered', 'script')").fetchall())
    scripted = next(p for p in farm.portals if p.name == "脚本县")
    assert kinds[scripted.url("/js/list.js")] == "script"  # what the script read went through the archive
    assert kinds[scripted.url("/zwgk/ndbg/")] == "rendered"
    # the drawn DOM is a WARC conversion record beside the page as the server sent it, under a name of its
    # own (urn:dom:…, so that replay never shows it for the page) and referring to the page's record
    records, ids = {}, {}
    page = scripted.url("/zwgk/ndbg/")
    for warc in sorted((tmp_path / "store" / "warc").iterdir()):
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response" and uri == page and record.http_headers.get_statuscode() == "200":
                    records["response"] = record.content_stream().read()
                    ids["response"] = record.rec_headers.get_header("WARC-Record-ID")
                elif record.rec_type == "conversion":
                    assert uri == "urn:dom:" + page
                    records["conversion"] = record.content_stream().read()
                    ids["refers"] = record.rec_headers.get_header("WARC-Refers-To")
                assert record.rec_headers.protocol == "WARC/1.1"
    assert b'id="list"' in records["response"] and b"art_" not in records["response"]
    assert b"art_" in records["conversion"] and ids["refers"] == ids["response"]


@needs_chromium
def test_the_browser_hint_renders_a_portal_s_lists(farm, tmp_path):
    proc = crawl(farm.write_seeds(tmp_path / "seeds.csv", {"990101"}, cms="browser"), tmp_path / "store")
    assert _reports(tmp_path / "store") == {u for u, r in farm.reports.items() if r.adcode == "990101"}
    rendered = RawStore(tmp_path / "store", readonly=True).db.execute(
        "SELECT COUNT(*) FROM fetches WHERE kind = 'rendered'"
    )
    assert rendered.fetchone()[0] >= 3  # home, area, the column's pages
    assert "headless browser:" in proc.stderr


def test_without_a_browser_the_crawl_says_so_and_goes_on(farm, tmp_path):
    seeds = farm.write_seeds(tmp_path / "seeds.csv", {"990112", "990101"})
    proc = crawl(seeds, tmp_path / "store", "--set", f"OGI_BROWSER={tmp_path / 'no-such-chromium'}")
    assert "headless browser unavailable" in proc.stderr and "1 unavailable" in proc.stderr
    assert _reports(tmp_path / "store") == {u for u, r in farm.reports.items() if r.adcode == "990101"}
