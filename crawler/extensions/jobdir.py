"""Extension: a ``JOBDIR`` that survives ``kill -9``, and can be used for every run.

The job is marked as running while it runs; a run that finds a killed run's mark discards that job state
and starts from the seeds (stored pages are revalidated, not downloaded again); a finished crawl clears
its state; a clean stop keeps it to resume. Why: docs/crawler.md, "JOBDIR after kill -9".
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

log = logging.getLogger(__name__)

#: Present while a crawl with this JOBDIR runs.
MARKER = "ogi-crawl.running"


class JobdirGuard:
    """Discards the job state a killed crawl left, and the state of a finished one.

    Args:
        jobdir: the crawl's ``JOBDIR``.
    """

    def __init__(self, jobdir: Path) -> None:
        self.jobdir = jobdir

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobdirGuard:
        path = job_dir(crawler.settings)
        if not path:
            raise NotConfigured
        guard = cls(Path(path))
        # extensions are built before the scheduler opens JOBDIR: the state is cleaned before anyone reads it
        guard.start()
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        return guard

    def start(self) -> None:
        """Clean up after a killed run, then mark this one as running."""
        marker = self.jobdir / MARKER
        if marker.exists():
            log.warning(
                "the last crawl with JOBDIR %s was killed: its queue cannot be trusted, starting again from "
                "the seeds (what the store holds is revalidated, not downloaded again)",
                self.jobdir,
            )
            self.clear()
        self.jobdir.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(os.getpid()), encoding="ascii")

    def clear(self) -> None:
        """Remove the job state (queue, seen requests, spider state) and the mark."""
        for entry in self.jobdir.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason == "finished":
            self.clear()  # the next run with this JOBDIR is a new crawl, not a resume of nothing
        else:
            log.info("crawl stopped (%s): the next run with JOBDIR %s resumes it", reason, self.jobdir)
            (self.jobdir / MARKER).unlink(missing_ok=True)
