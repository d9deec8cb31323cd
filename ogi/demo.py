"""``ogi demo``: the portal farm → crawl → archive.db → Datasette, offline, in one command.

After the crawl the farm republishes two reports (other numbers; a sentence added) and their portal is
crawled again, so that the archive shows what a silent revision looks like (``/-/revisions``).

Everything the demo writes lives in its own directory (``ogi-demo/``: the raw
store, the seeds of that run's farm, ``archive.db``), which each run replaces;
an ``archive.db`` or a store of a real crawl is never touched.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulate.portals import Farm
    from simulate.portals.farm import Report

log = logging.getLogger(__name__)

#: The demo's directory (each run's farm has new addresses, so each run starts empty).
DEMO_DIR = "ogi-demo"
#: Marks a directory the demo made, and may therefore empty.
MARKER = ".ogi-demo"


class NotADemoDirectory(Exception):
    """The directory holds files the demo did not write: it is left alone."""


def prepare(folder: Path) -> None:
    """Empty a previous demo's directory, or create a new one.

    Raises:
        NotADemoDirectory: ``folder`` exists, is not empty and was not made by the demo.
    """
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise NotADemoDirectory(f"{folder} is not empty and was not made by `ogi demo`: choose another --dir")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("written by `ogi demo`; emptied by the next run\n", encoding="utf-8")


def revised_reports(farm: Farm) -> list[tuple[Report, str]]:
    """Two reports the demo's farm republishes after the first crawl (issue 29's silent revisions): one
    whose page prints other numbers, one whose page only gains a sentence."""
    pages = [
        r
        for r in farm.reports.values()
        if not r.files
        and not r.needs
        and r.record.get("year", 0) >= 2021  # a report on 2018 or before follows no template
        and (r.record["applications"]["new_received"].get("natural_person") or 0) >= 1
    ]
    return [(pages[0], "numbers"), (pages[1], "prose")]


def recrawl_revised(farm: Farm, seeds: Path, store: Path) -> bool:
    """Republish :func:`revised_reports` and crawl their portals again, in a process of its own (Twisted's
    reactor runs once per process): the archive then shows what a revision looks like."""
    revised = revised_reports(farm)
    for report, change in revised:
        farm.revise(report.url, change)
    only = ",".join(sorted({report.adcode for report, _ in revised}))
    log.info("republished %d reports on their portals (%s); crawling those portals again", len(revised), only)
    again = [sys.executable, "-m", "ogi", "crawl", "--profile", "farm", "--seeds", str(seeds), "--store", str(store)]
    proc = subprocess.run([*again, "--only", only, "-s", "LOG_LEVEL=WARNING"], timeout=600)
    if proc.returncode != 0:
        log.error("the second crawl failed (exit code %d)", proc.returncode)
    return proc.returncode == 0


def demo(folder: str = DEMO_DIR, serve_after: bool = True, port: int | None = None) -> int:
    """Start the farm, crawl it in this process with the ``farm`` profile, build the archive, then serve it.

    Args:
        folder: the demo's directory (replaced: see :func:`prepare`).
        serve_after: run Datasette after the build (until interrupted).
        port: Datasette's port (default: the archive's).
    """
    from archive import settings
    from archive.build import build
    from crawler.run import crawl
    from simulate.portals import Farm

    root = Path(folder)
    try:
        prepare(root)
    except NotADemoDirectory as exc:
        log.error("%s", exc)
        return 2
    store, seeds, db = root / "store", root / "seeds.csv", root / "archive.db"
    log.info("starting the portal farm")
    with Farm(seed=0) as farm:
        farm.write_seeds(str(seeds))
        log.info("%d portals up; crawling", len(farm.portals))
        result = crawl(seeds, store, profile="farm", overrides={"LOG_LEVEL": "WARNING"})
        for line in result.summary():
            log.info("%s", line)
        if result.reason != "finished":
            log.error("crawl ended early: %s", result.reason)
            return 1
        if not recrawl_revised(farm, seeds, store):
            return 1
    summary = build(db, store, seeds, progress=sys.stderr.isatty())
    print(f"{db}: {summary}", flush=True)
    if not serve_after:
        print(f"serve it with: ogi serve --db {db}", flush=True)
        return 0
    from archive.serve import serve

    serve(db, port=port or settings.PORT, store=store)
