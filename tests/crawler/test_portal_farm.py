"""The farm itself: thirteen portals answer, and their reports are real reports that parse to their truth."""

from __future__ import annotations

import urllib.error
import urllib.request

from parsers import ParseError, parse_document
from simulate import documents as docgen
from simulate.portals import Farm
from tests.helpers import seed_records
from tests.seedcheck import wrong_or_lost


def _get(url: str) -> bytes:
    for attempt in range(2):  # one page answers 500 once, as flaky servers do
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code != 500 or attempt:
                raise
    raise AssertionError("unreachable")


def test_farm_serves_its_reports_as_parseable_documents():
    with Farm(seed=11, reports_per_portal=2, big_portal_pages=2, seed_records=seed_records()) as farm:
        assert len(farm.seeds) == 13 and len({p.base for p in farm.portals}) == len(farm.portals)
        checked = {"html": 0, "pdf": 0, "docx": 0}
        for report in farm.reports.values():
            sources = [report.url] if not report.files else report.files
            for url in sources:
                data = _get(url)
                try:
                    record = parse_document(data).to_dict()
                except ParseError as exc:
                    # only the farm's stand-ins, made for crawling, may fail: a DOC of zeros, 40-dpi page images
                    stand_in = data.rstrip(b"\0") == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or "too small to read" in str(
                        exc
                    )
                    assert stand_in, (url, exc)
                    continue
                want = docgen.expected(report.record)
                assert wrong_or_lost(record, want, max_nulls=2) == [], url
                assert record["year"] == report.record["year"]
                checked[record["format"]] += 1
        assert all(n > 0 for n in checked.values()), checked
        assert b"Disallow: /admin/" in _get(farm.portals[0].url("/robots.txt"))


def test_the_demo_farm_reads_like_real_data():
    """Most reports add up, as most published ones do; a few per cent do not (the checks then have work)."""
    from parsers.checks import run_checks
    from parsers.record import Record
    from simulate.portals.farm import DAMAGED

    farm = Farm(seed=0, seed_records=seed_records())
    tables = ("agency", "year", "template", "active_disclosure", "applications", "review_litigation")
    failing = sum(
        any(not c.ok for c in run_checks(Record(**{k: r.record[k] for k in tables}))) for r in farm.reports.values()
    )
    assert 0 < failing <= len(farm.reports) * DAMAGED * 2


def test_a_varied_real_record_balanced_passes_every_check(rng):
    from parsers.checks import run_checks
    from parsers.record import Record

    for real in seed_records():
        record = docgen.balance(docgen.vary(real, rng))
        fields = {
            k: record[k]
            for k in ("agency", "year", "template", "active_disclosure", "applications", "review_litigation")
        }
        assert all(c.ok for c in run_checks(Record(**fields))), real["agency"]
