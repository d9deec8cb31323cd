"""The WARC files replay in pywb (Webrecorder's wayback machine) after two crawls, as archivists expect:
every record is WARC 1.1, a 304 revalidation is a ``revisit`` record (server-not-modified) that refers to
the capture it found unchanged, the drawn DOM of a rendered page is a ``conversion`` record that does not
stand in for the page, and the latest capture of every report replays the bytes we keep.

pywb pins other versions of shared libraries than the project (redis), so it has a virtualenv of its own,
``.venv-pywb`` (``pywb-requirements.txt``: made by ``.ci/run`` before the suite, or here on the first run, then
reused).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from rawstore import RawStore
from simulate.portals import Farm
from simulate.redisserver import free_port
from tests.helpers import ROOT, TOOLS, crawl, findable, serving

pytestmark = pytest.mark.slow

REQUIREMENTS = Path(__file__).with_name("pywb-requirements.txt")
VENV = ROOT / ".venv-pywb"
# a static county, one whose list only a script draws, and one whose list an API pages (POST /fjdzapp/search)
COUNTIES = {"990101", "990112", "990113"}


def _pywb() -> Path:
    if not (VENV / "bin" / "wayback").exists():
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        proc = subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            if os.environ.get("CI"):
                pytest.fail(f"cannot install pywb ({REQUIREMENTS.name}): {proc.stderr[-1000:]}")
            pytest.skip(f"cannot install pywb ({REQUIREMENTS.name}; no package index?)")
    return VENV / "bin"


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """Two crawls of the same portals into one store, the store's WARC files in a pywb collection, and
    pywb serving it: (farm's reports, store, replay base URL)."""
    bin_ = _pywb()
    tmp = tmp_path_factory.mktemp("pywb")
    with Farm(seed=4, reports_per_portal=2, big_portal_pages=2) as farm:
        seeds = farm.write_seeds(tmp / "seeds.csv", COUNTIES)
        crawl(seeds, tmp / "store")
        crawl(seeds, tmp / "store")  # unchanged: conditional requests, 304s
        reports = {u for u, r in findable(farm).items() if r.adcode in COUNTIES}
        scripted = next(p for p in farm.portals if p.name == "脚本县").url("/zwgk/ndbg/")
    subprocess.run([str(bin_ / "wb-manager"), "init", "ogi"], cwd=tmp, check=True, capture_output=True)
    warcs = sorted(str(w) for w in (tmp / "store" / "warc").iterdir())
    subprocess.run([str(bin_ / "wb-manager"), "add", "ogi", *warcs], cwd=tmp, check=True, capture_output=True)
    port = free_port()
    wayback = [str(bin_ / "wayback"), "-p", str(port), "-b", "127.0.0.1"]
    with serving(wayback, f"http://127.0.0.1:{port}/", cwd=tmp):
        yield reports, scripted, tmp / "store", f"http://127.0.0.1:{port}/ogi"


def _replay(base: str, url: str, timestamp: str = "") -> tuple[int, bytes]:
    with urllib.request.urlopen(f"{base}/{timestamp}id_/{url}", timeout=30) as r:
        return r.status, r.read()


def test_the_latest_capture_of_every_report_replays_the_kept_bytes(replayed):
    reports, scripted, store, base = replayed
    raw = RawStore(store, readonly=True)
    assert reports
    for url in sorted(reports) + [scripted]:
        kept = raw.latest(url)
        assert kept is not None and kept.sha256, url
        status, body = _replay(base, url)
        assert status == 200 and body == raw.read_body(kept.sha256), url
    # the rendered list replays as the server sent it, not as the browser drew it
    assert b"art_" not in _replay(base, scripted)[1]


def test_each_page_of_a_posted_list_replays_as_its_own_capture(replayed):
    """pywb keys a POST capture by its form (its index appends ``__wb_method=post&<form>`` to the URL, as
    ``rawstore.fetch_key`` files it) when the WARC request record says how long its body is: each page
    of 集约县's list API replays its own answer when its form is posted to pywb."""
    _, _, store, base = replayed
    raw = RawStore(store, readonly=True)
    posted = [u for (u,) in raw.db.execute("SELECT DISTINCT url FROM fetches WHERE url LIKE '%__wb_method=post&%'")]
    assert len(posted) >= 2
    for key in posted:
        url, form = key.split("?__wb_method=post&", 1)
        kept = raw.latest(key)
        assert kept is not None and kept.sha256, key
        request = urllib.request.Request(
            f"{base}/id_/{url}",
            data=form.encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200 and answer.read() == raw.read_body(kept.sha256), key


def test_revalidations_are_revisits_of_what_they_found_unchanged(replayed):
    reports, _, store, _ = replayed
    records = []
    for warc in sorted((store / "warc").iterdir()):
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                records.append((record.rec_type, record.rec_headers, record.http_headers))
    assert {headers.protocol for _, headers, _ in records} == {"WARC/1.1"}
    by_id = {headers.get_header("WARC-Record-ID"): headers for _, headers, _ in records}
    revisits = [headers for kind, headers, _ in records if kind == "revisit"]
    assert {h.get_header("WARC-Target-URI") for h in revisits} >= reports  # each report was revalidated
    for headers in revisits:
        assert headers.get_header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
        original = by_id[headers.get_header("WARC-Refers-To")]
        assert original.get_header("WARC-Type") == "response"
        assert headers.get_header("WARC-Refers-To-Target-URI") == original.get_header("WARC-Target-URI")
        assert headers.get_header("WARC-Refers-To-Date") == original.get_header("WARC-Date")
        assert headers.get_header("WARC-Payload-Digest") == original.get_header("WARC-Payload-Digest")
    # status lines keep their reason phrase
    statuses = {http.statusline for kind, _, http in records if kind == "response"}
    assert "200 OK" in statuses and "404 Not Found" in statuses
    conversions = [h for kind, h, _ in records if kind == "conversion"]
    assert conversions or "browser" not in TOOLS  # a rendered list's DOM is kept as a conversion record
    assert all(h.get_header("WARC-Target-URI").startswith("urn:dom:") for h in conversions)
    assert all(by_id[h.get_header("WARC-Refers-To")].get_header("WARC-Type") == "response" for h in conversions)
