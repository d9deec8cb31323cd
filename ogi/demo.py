"""``ogi demo``: the portal farm → crawl → archive.db → Datasette, offline, in one command."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

log = logging.getLogger(__name__)

#: The demo's raw store (each run's farm has new addresses, so it starts empty).
DEMO_STORE = "store-demo"


def demo(db: str, store: str = DEMO_STORE, serve_after: bool = True, port: int | None = None) -> int:
    """Start the farm, crawl it in this process with the ``farm`` profile, build the archive, then serve it.

    Args:
        db: the archive database to build.
        store: the demo's raw store (emptied first).
        serve_after: run Datasette after the build (until interrupted).
        port: Datasette's port (default: the archive's).
    """
    from archive import settings
    from archive.build import build
    from crawler.run import crawl
    from simulate.portals import Farm

    store_path = Path(store)
    shutil.rmtree(store_path, ignore_errors=True)
    store_path.mkdir(parents=True)
    Path(db).unlink(missing_ok=True)
    seeds = store_path / "demo_seeds.csv"
    log.info("starting the portal farm")
    with Farm(seed=0) as farm:
        farm.write_seeds(str(seeds))
        log.info("%d portals up; crawling", len(farm.portals))
        result = crawl(seeds, store_path, profile="farm", overrides={"LOG_LEVEL": "WARNING"})
    for line in result.summary():
        log.info("%s", line)
    if result.reason != "finished":
        log.error("crawl ended early: %s", result.reason)
        return 1
    summary = build(db, store_path, seeds, progress=sys.stderr.isatty())
    print(f"{db}: {summary}", flush=True)
    if not serve_after:
        return 0
    from archive.serve import serve

    serve(db, port=port or settings.PORT, store=store_path)
