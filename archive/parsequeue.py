"""Parsing shared with other machines through Redis: ``ogi build --frontier`` and ``ogi parse-worker``.

A job names bodies by SHA-256; a worker reads them from its own copy of the store and answers through
Redis, and the build alone writes the parse cache. How it is run: docs/operations.md (parsing on many
machines). Redis must be private to the archive's machines: what it returns becomes the archive's records.

Keys: ``ogi:parse:<queue>:jobs`` (list of JSON jobs), ``…:results`` (hash: job id → JSON answer),
``…:workers`` (set: the parse workers serving the queue now).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from redis import Redis

from parsers.limits import Limits, SandboxPool
from rawstore import Fetch, blob_path, has_body

from .parsing import Parsed, parse

log = logging.getLogger(__name__)

#: The queue a build and its parse workers share unless told otherwise.
DEFAULT_QUEUE = "archive"
#: How often the build looks for answers while it waits (seconds).
POLL = 0.2


def keys(queue: str) -> tuple[str, str, str]:
    """The Redis keys of a parse queue: (jobs, results, workers serving it)."""
    return f"ogi:parse:{queue}:jobs", f"ogi:parse:{queue}:results", f"ogi:parse:{queue}:workers"


@dataclass(frozen=True)
class Job:
    """One document to parse: its body (or a report's page images, in order), what it was served as."""

    shas: tuple[str, ...]
    content_type: str | None
    url: str | None

    @property
    def id(self) -> str:
        return ",".join(self.shas)

    def dumps(self) -> str:
        return json.dumps({"shas": self.shas, "content_type": self.content_type, "url": self.url})

    @classmethod
    def loads(cls, data: bytes | str) -> Job:
        """A job from the queue; raises ValueError if it is not one (a stray or hostile entry)."""
        value = json.loads(data)
        shas = value.get("shas") if isinstance(value, dict) else None
        if not isinstance(shas, list) or not shas or not all(isinstance(s, str) for s in shas):
            raise ValueError("not a parse job")
        for sha in shas:
            blob_path(".", sha)  # a SHA-256 in hex, or ValueError: nothing else may name a file
        text = lambda v: v if isinstance(v, str) else None  # noqa: E731
        return cls(tuple(shas), text(value.get("content_type")), text(value.get("url")))

    def parse(self, root: Path, pool: SandboxPool) -> Parsed:
        """Parse the job's bodies from the store at ``root`` (as the build parses)."""
        first = Fetch(url=self.url or "", content_type=self.content_type)
        return parse(root, self.shas[0] if len(self.shas) == 1 else list(self.shas), first, pool)


def _answer(parsed: Parsed, worker: str) -> str:
    record, error, reason = parsed
    return json.dumps({"record": record, "error": error, "reason": reason, "worker": worker}, ensure_ascii=False)


class SharedParsing:
    """The build's side: a batch's documents parsed by whoever takes them from the queue.

    Args:
        url: the Redis server.
        root: the raw store (its bodies).
        pool: the build's own parse workers, which take jobs too.
        queue: the queue's name (parse workers are started with the same).
        limits: the per-document limits (a job unanswered for twice the time limit is parsed here).
    """

    def __init__(
        self, url: str, root: Path, pool: SandboxPool, queue: str = DEFAULT_QUEUE, limits: Limits | None = None
    ) -> None:
        self.server = Redis.from_url(url, socket_timeout=30)
        self.server.ping()
        self.root, self.pool = root, pool
        self.jobs_key, self.results_key, _ = keys(queue)
        self.patience = 2 * (limits or Limits()).seconds + 5
        self.worker = f"build@{socket.gethostname()}"
        #: documents the build's own workers parsed, and those other machines did
        self.here = 0
        self.elsewhere = 0

    def parse_all(self, jobs: Sequence[Job]) -> list[Parsed]:
        """Parse the jobs here and on every parse worker; answers in the jobs' order."""
        if not jobs:
            return []
        ids = [job.id for job in jobs]
        self.server.rpush(self.jobs_key, *(job.dumps() for job in jobs))
        threads = [threading.Thread(target=self._take_jobs) for _ in range(self.pool.jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # the queue is empty: the rest are being parsed elsewhere; wait for them, or parse them here
        deadline = time.monotonic() + self.patience
        while True:
            answers = dict(zip(ids, self.server.hmget(self.results_key, ids), strict=True))
            missing = [job for job in jobs if answers[job.id] is None]
            if not missing:
                break
            if time.monotonic() > deadline:
                log.warning("%d parse jobs were taken and never answered: parsing them here", len(missing))
                for job in missing:
                    answers[job.id] = _answer(job.parse(self.root, self.pool), self.worker).encode()
                break
            time.sleep(POLL)
        self.server.hdel(self.results_key, *ids)
        out = []
        for job in jobs:
            value = json.loads(answers[job.id])  # type: ignore[arg-type]
            if value.get("worker") == self.worker:
                self.here += 1
            else:
                self.elsewhere += 1
            out.append((value.get("record"), value.get("error"), value.get("reason")))
        return out

    def _take_jobs(self) -> None:
        while isinstance(data := self.server.lpop(self.jobs_key), (bytes, str)):
            job = Job.loads(data)
            self.server.hset(self.results_key, job.id, _answer(job.parse(self.root, self.pool), self.worker))


def serve(
    url: str,
    store: str | Path,
    queue: str = DEFAULT_QUEUE,
    jobs: int = 1,
    limits: Limits | None = None,
    idle_exit: float | None = None,
) -> int:
    """A parse worker: take jobs from the queue, parse them, answer; until interrupted (or idle that long).

    Args:
        url: the Redis server.
        store: this machine's copy of the raw store.
        queue: the queue's name.
        jobs: documents parsed at once.
        limits: time and memory per document.
        idle_exit: stop after this many seconds without a job (None: never).

    Returns:
        How many documents it parsed.
    """
    server = Redis.from_url(url, socket_timeout=60)
    jobs_key, results_key, workers_key = keys(queue)
    root = Path(store)
    name = f"{socket.gethostname()}:{root.resolve()}"
    done = 0
    last = time.monotonic()
    lock = threading.Lock()

    def work(pool: SandboxPool) -> None:
        nonlocal done, last
        while idle_exit is None or time.monotonic() - last < idle_exit:
            taken = server.blpop([jobs_key], timeout=1)
            if taken is None:
                continue
            try:
                job = Job.loads(taken[1])
            except ValueError:
                log.warning("parse queue: an entry that is not a job, dropped: %.80r", taken[1])
                continue
            if not all(has_body(root, sha) for sha in job.shas):
                server.rpush(jobs_key, taken[1])  # another worker, or the build, has the body
                time.sleep(1)
                continue
            try:
                answer = _answer(job.parse(root, pool), name)
            except Exception:  # this machine's trouble, not the document's: someone else parses it
                log.exception("parse worker %s: job %s failed here; handed back", name, job.id[:16])
                server.rpush(jobs_key, taken[1])
                time.sleep(1)
                continue
            server.hset(results_key, job.id, answer)
            with lock:
                done += 1
                last = time.monotonic()

    with SandboxPool(jobs, limits) as pool:
        server.sadd(workers_key, name)  # who serves the queue, for a look from outside
        try:
            threads = [threading.Thread(target=work, args=(pool,)) for _ in range(max(1, jobs))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.srem(workers_key, name)
    log.info("parse worker %s: %d documents parsed", name, done)
    return done
