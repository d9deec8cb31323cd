"""Time and memory limits per document: each parse runs in a worker process that can be killed.

An alarm in the parsing process cannot stop C code (MuPDF, lxml) and a
memory limit would take the caller down with it, so documents are parsed in
a child process with an address-space limit; the parent waits at most the
time limit for the answer and kills the child when it does not come. One
worker is kept for many documents (a fork per document would cost more than
a text parse) and replaced after a failure. ``ogi parse`` and ``ogi build``
both parse through :class:`Sandbox`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from .core import parse_document, parse_page_images
from .errors import ParseError
from .offline import install_filter

log = logging.getLogger(__name__)
#: What a worker parses: a file path, a document's bytes, or the paths of a report's page images in order.
Source = str | os.PathLike[str] | bytes | list[str] | tuple[str, ...]

#: Seconds one document may take (a hostile PDF must not hang a batch).
SECONDS = 120.0
#: Address space a parse may use (bytes). A 64 MB PDF needs well under 1 GB; a worker that has OCR'd a
#: page holds onnxruntime and its models (1.6 GB of address space, 0.7 GB resident, measured), and must
#: still read the next PDF.
MEMORY_BYTES = 4 * 1024**3


def within_inherited(memory_bytes: int, what: str) -> int:
    """The address-space limit a process can set: ``memory_bytes``, or less when it inherits a lower one.

    A process may only lower its hard limit (``ulimit -v``, systemd's ``LimitAS=``, a container's): asking
    for more fails. Says so in one log line when the inherited limit wins.

    Args:
        memory_bytes: the limit wanted (0: none wanted).
        what: whose limit, for the log line.

    Returns:
        The smaller of ``memory_bytes`` and the inherited soft and hard limits (0: no limit at all).
    """
    import resource

    inherited = [v for v in resource.getrlimit(resource.RLIMIT_AS) if v != resource.RLIM_INFINITY]
    if not inherited:
        return memory_bytes
    lowest = min(inherited)
    if memory_bytes and memory_bytes <= lowest:
        return memory_bytes
    wanted = f"{memory_bytes / 1024**3:.1f} GB" if memory_bytes else "no limit"
    log.warning("%s: address space limited to %.1f GB (inherited; %s asked for)", what, lowest / 1024**3, wanted)
    return lowest


def set_memory_limit(memory_bytes: int) -> None:
    """Limit this process's address space (and its children's) to ``memory_bytes`` (0: leave it)."""
    if memory_bytes:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


@dataclass(frozen=True)
class Limits:
    """What one document may cost.

    Attributes:
        seconds: wall-clock time per document.
        memory_bytes: address space of the parsing process (0: no limit).
    """

    seconds: float = SECONDS
    memory_bytes: int = MEMORY_BYTES


def _serve(conn: Connection, memory_bytes: int, parent_end: Connection | None = None) -> None:
    """The worker: parse each request and answer with the record or the error; exits when the caller is
    gone (the pipe reaches its end), even when the caller was killed with SIGKILL."""
    if parent_end is not None:
        parent_end.close()  # the fork copied the caller's end too: held here, the pipe would never end
    # every reader is loaded before the limit, so that a tight limit fails a document, not an import
    import trafilatura.metadata  # noqa: F401

    from . import docxdoc, htmldoc, pdfdoc, textdoc  # noqa: F401

    set_memory_limit(memory_bytes)
    try:
        install_filter()  # no reader has any business with a network socket (lxml, MuPDF, onnxruntime…)
    except OSError as exc:
        log.warning("parse worker without its socket filter: %s", exc)
    import faulthandler

    faulthandler.disable()  # a reader that aborts is reported by the sandbox, not by a stack dump on stderr
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        source, content_type, url = job
        try:
            if isinstance(source, list):  # a report published as page images: one record from all its pages
                record = parse_page_images(source)
            else:
                record = parse_document(source, content_type=content_type, url=url)
            answer: tuple[Any, ...] = ("ok", record.to_dict())
        except ParseError as exc:
            answer = ("error", str(exc), exc.reason)
        except MemoryError:
            answer = ("error", "ran out of memory (limit reached)", "memory")
        except Exception as exc:  # a parser bug is this document's failure, not the batch's
            answer = ("error", f"internal error: {type(exc).__name__}: {exc}", "internal")
        conn.send(answer)


def _inherited(limits: Limits) -> Limits:
    memory_bytes = within_inherited(limits.memory_bytes, "parse workers")
    return limits if memory_bytes == limits.memory_bytes else replace(limits, memory_bytes=memory_bytes)


class Sandbox:
    """Parses documents in a worker process under :class:`Limits`; use as a context manager.

    Args:
        limits: the time and memory allowed per document.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = _inherited(limits or Limits())
        methods = multiprocessing.get_all_start_methods()
        self._context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._process: Any = None
        self._conn: Connection | None = None

    def start(self) -> Connection:
        """Start the worker now (it is otherwise started by the first :meth:`parse`)."""
        return self._conn or self._start()

    def _start(self) -> Connection:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(
            target=_serve, args=(child, self.limits.memory_bytes, parent), daemon=True
        )
        self._process.start()
        child.close()
        self._conn = parent
        return parent

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn = None, None

    def parse(self, source: Source, content_type: str | None = None, url: str | None = None) -> dict[str, Any]:
        """Parse one document; returns its record as a dict (``Record.to_dict()``).

        Args:
            source: a file path (read by the worker), the document's bytes, or a list of page images'
                paths (a report published as page images, read as one record in that order).
            content_type, url: hints, as for :func:`parsers.parse_document`.

        Raises:
            ParseError: the document cannot be read, ran over a limit (reason ``timeout``,
                ``memory``) or killed the worker (``crashed``).
        """
        conn = self.start()
        if isinstance(source, os.PathLike):
            source = os.fspath(source)
        elif isinstance(source, list | tuple):
            source = [os.fspath(p) for p in source]
        try:
            conn.send((source, content_type, url))
            if not conn.poll(self.limits.seconds):
                self._stop()
                raise ParseError(f"gave up after {self.limits.seconds:g} s", "timeout")
            answer = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = self._process.exitcode if self._process is not None else None
            self._stop()
            raise ParseError(f"the parser process died (exit code {code})", "crashed") from None
        if answer[0] == "ok":
            return dict(answer[1])
        if answer[2] in ("memory", "internal"):
            # a worker that hit its limit or a bug may keep broken C state (libxml2 reports exhaustion
            # as a syntax error and fails every document after it): the next document gets a new one
            self._stop()
        raise ParseError(answer[1], answer[2])

    def close(self) -> None:
        """Stop the worker."""
        self._stop()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


T = TypeVar("T")


class SandboxPool:
    """Several :class:`Sandbox` workers, for parsing documents in parallel on every core.

    The calling threads only wait on pipes; the parsing happens in the workers' processes.

    Args:
        jobs: how many workers (documents parsed at once).
        limits: the time and memory allowed per document, in each worker.
    """

    def __init__(self, jobs: int = 1, limits: Limits | None = None) -> None:
        self.jobs = max(1, jobs)
        limits = _inherited(limits or Limits())  # said once here, not by each worker
        self._idle: queue.SimpleQueue[Sandbox] = queue.SimpleQueue()
        self._all = [Sandbox(limits) for _ in range(self.jobs)]
        for sandbox in self._all:
            if self.jobs > 1:
                sandbox.start()  # forked here, before any parsing thread runs (a fork copies held locks)
            self._idle.put(sandbox)

    def parse(self, source: Source, content_type: str | None = None, url: str | None = None) -> dict[str, Any]:
        """Parse one document in the next idle worker (blocks until one is free); see :meth:`Sandbox.parse`."""
        sandbox = self._idle.get()
        try:
            return sandbox.parse(source, content_type, url)
        finally:
            self._idle.put(sandbox)

    def map(self, jobs: Sequence[Callable[[SandboxPool], T]]) -> list[T]:
        """Run calls that each parse through this pool, ``jobs`` of them at a time; results in order.

        Args:
            jobs: callables taking the pool.
        """
        if self.jobs == 1 or len(jobs) < 2:
            return [job(self) for job in jobs]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=self.jobs) as threads:
            return list(threads.map(lambda job: job(self), jobs))

    def close(self) -> None:
        """Stop every worker."""
        for sandbox in self._all:
            sandbox.close()

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
