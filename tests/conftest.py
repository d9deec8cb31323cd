"""Shared fixtures: a seeded random source and the farm built once per session (helpers: tests/helpers.py)."""

from __future__ import annotations

import random
import socket

import pytest

from archive import tokenizer
from tests.helpers import SYSTEM_TOOLS, TOOLS, seed_records

# as Datasette's and sqlite-utils' plugins do: every connection the tests open reads reports_fts
tokenizer.install()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20261123)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The farm crawled and built into archive.db once per session: (farm, db, folder, build summary)."""
    from archive.build import build
    from simulate.portals import Farm
    from tests.helpers import crawl

    tmp = tmp_path_factory.mktemp("build")
    seeds = tmp / "seeds.csv"
    with Farm(seed=9, reports_per_portal=3, big_portal_pages=4, seed_records=seed_records()) as farm:
        farm.write_seeds(str(seeds))
        crawl(seeds, tmp / "store")
    summary = build(tmp / "archive.db", tmp / "store", seeds, progress=False)
    return farm, tmp / "archive.db", tmp, summary


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say whether the run could reach only loopback, and which system tools were missing: their tests were
    skipped, and crawl tests expected only what a crawl without them finds (``tests.helpers.findable``)."""
    interfaces = sorted(name for _, name in socket.if_nameindex())  # this network namespace's, unlike /sys
    if interfaces == ["lo"]:
        terminalreporter.write_line("network: loopback only (a namespace of its own): no test could leave it")
    missing = [SYSTEM_TOOLS[t][0][0] for t in SYSTEM_TOOLS if t not in TOOLS]
    if missing:
        terminalreporter.write_line(
            f"without {', '.join(missing)}: tests that need them were skipped and crawl tests expected only what "
            "a crawl without them can find; `bash .ci/system-packages` installs them (`bash .ci/run` does it all)",
            yellow=True,
        )
