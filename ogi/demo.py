"""``ogi demo``: the portal farm → crawl → archive.db → Datasette, offline, in one command."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

#: The checkout: the farm lives in tests/portal_farm (the demo runs from a clone).
ROOT = Path(__file__).resolve().parent.parent


def demo(db: str = "archive.db", store: str = "store-demo", serve_after: bool = True, port: int = 8001) -> int:
    """Start the farm, crawl it with politeness off, build the archive, then serve it.

    Args:
        db: the archive database to build.
        store: the demo's raw store (emptied first: each run's farm has new addresses).
        serve_after: run Datasette after the build (until interrupted).
        port: Datasette's port.
    """
    sys.path.insert(0, str(ROOT))
    from archive.build import build
    from tests.portal_farm import Farm

    store_path = Path(store)
    shutil.rmtree(store_path, ignore_errors=True)
    store_path.mkdir(parents=True)
    Path(db).unlink(missing_ok=True)
    seeds = store_path / "demo_seeds.csv"
    log.info("starting the portal farm")
    with Farm(seed=0) as farm:
        farm.write_seeds(str(seeds))
        log.info("%d portals up; crawling", len(farm.portals))
        crawl = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "annual_reports", "-a", f"seeds={seeds.resolve()}",
             "-s", f"OGI_STORE={store_path.resolve()}", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO",
             # the farm's deliberately slow page fails fast instead of holding the demo up
             "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1"],
            cwd=ROOT, stderr=subprocess.PIPE, text=True,
        )
        for line in crawl.stderr.splitlines():
            if "[crawler.extensions]" in line:
                log.info("%s", line.split("INFO: ", 1)[-1])
        if crawl.returncode:
            log.error("crawl failed:\n%s", crawl.stderr[-3000:])
            return 1
    summary = build(db, store_path, seeds, progress=sys.stderr.isatty())
    print(f"{db}: {summary}", flush=True)
    if not serve_after:
        return 0
    from archive.serve import serve

    serve(db, port=port, store=store_path)
