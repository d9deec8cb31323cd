"""``ogi run``: one scheduled run — crawl, then build — that never overlaps another.

What a timer (``deploy/systemd``) or a cron entry (``deploy/cron``) calls. A
run takes a lock on ``<store>/run.lock``; a run started while another holds it
does nothing and says so (exit 75, EX_TEMPFAIL, which cron and systemd show as
a temporary failure). The crawl keeps its queue in a JOBDIR under the store
(``<store>/job`` unless told otherwise): a run stopped cleanly — a time-boxed
run ended by ``CLOSESPIDER_TIMEOUT``, or Ctrl-C — is resumed by the next one; a
run killed outright is started again from the seeds and revalidates what the
store holds (``crawler.extensions.jobdir``). Then the archive is built (incrementally),
and the run record's summary (``rawstore.runs``) is printed, for the mail
cron sends or the journal systemd keeps, and written to ``--summary`` if named.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rawstore import RawStore, RunRecord

log = logging.getLogger(__name__)

#: Exit code of a run that found another one running (sysexits.h EX_TEMPFAIL).
BUSY = 75


class RunLocked(RuntimeError):
    """Another scheduled run holds this store."""


@dataclass
class ScheduledRun:
    """What one scheduled run did.

    Attributes:
        record: the crawl's run record (None if the crawl recorded nothing: no store written).
        reason: the crawl's finish reason.
        build: the build's summary line, or why it failed (None when not built).
        ok: the crawl finished (or stopped by its own time box) and the build, if asked for, succeeded.
    """

    record: RunRecord | None
    reason: str
    build: str | None
    ok: bool

    def summary(self) -> str:
        """The plain-text summary: the run record, then the build."""
        text = self.record.summary() if self.record else f"Crawl run ended ({self.reason}) with no run record"
        return text + (f"\nBuild: {self.build}" if self.build else "")


@contextmanager
def run_lock(store: Path) -> Iterator[None]:
    """Hold ``<store>/run.lock`` for the run (a POSIX lock: the kernel drops it with the process, kill -9
    included, so a killed run never blocks the next).

    Raises:
        RunLocked: another run holds it.
    """
    store.mkdir(parents=True, exist_ok=True)
    with open(store / "run.lock", "ab") as fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise RunLocked(f"another run is using {store}; this one does nothing") from None
        yield


def scheduled_run(
    store: str | Path,
    seeds: str | Path | None = None,
    db: str | Path | None = None,
    jobdir: str | Path | None = None,
    profile: str = "polite",
    overrides: Mapping[str, Any] | None = None,
    jobs: int = 1,
) -> ScheduledRun:
    """Crawl the seeds into the store under the run lock, then build the archive.

    Args:
        store: the raw store (and the lock, and by default the JOBDIR).
        seeds: the seeds CSV (default: the crawler's ``OGI_SEEDS``).
        db: the archive to build afterwards (None: crawl only).
        jobdir: the crawl's JOBDIR (default ``<store>/job``).
        profile: the crawler's settings profile.
        overrides: further Scrapy settings.
        jobs: documents the build parses at once.

    Raises:
        RunLocked: another run holds the store.
    """
    from archive.build import BuildRunning, build
    from crawler.extensions.runs import RUN
    from crawler.run import crawl
    from crawler.seeds import SeedsError
    from rawstore import StoreError

    store = Path(store)
    with run_lock(store):
        settings = {"JOBDIR": str(jobdir or store / "job"), **dict(overrides or {})}
        result = crawl(seeds, store, profile=profile, overrides=settings)
        record = None
        if (store / "store.db").is_file():
            with RawStore(store, readonly=True) as raw:
                record = raw.run_record(result.stats.get(RUN))
        crawled = result.reason == "finished" or result.reason.startswith("closespider_")
        built = None
        build_ok = True
        if db is not None and record is not None:
            try:
                built = str(build(db, store, seeds, progress=False, jobs=jobs))
            except (SeedsError, StoreError, BuildRunning) as exc:
                built, build_ok = f"failed: {exc}", False
        return ScheduledRun(record, result.reason, built, crawled and build_ok)
