"""An archive's queries in worker processes that are killed at the time limit.

Datasette runs each query in a thread and stops it from SQLite's progress handler, which runs
between virtual-machine steps. One step can run for minutes (``instr`` or ``replace`` over
megabyte strings built by ``printf``), and a thread cannot be killed. So on an OGI archive every
query Datasette runs through ``Database.execute`` (pages, tables, facets, the SQL box, saved
queries) goes to a pool of processes instead, each with its own read-only connection prepared as
Datasette prepares its own. A query still running at its time limit plus :data:`GRACE` has its
process killed and replaced; so does a query whose request was cancelled (its client went away:
see :class:`archive.querylimits.PerClientLimit`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import sqlite3
import time
from functools import partial
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)
#: Seconds past a query's time limit before its process is killed (the progress handler's turn first).
GRACE = 1.0
#: Seconds a query process may take to start (import Datasette's plugins, open the database).
START_SECONDS = 60.0


class Interrupted(Exception):
    """The query ran past its time limit (stopped by the progress handler, or its process killed)."""


def _past(deadline: float) -> bool:
    return time.perf_counter() >= deadline


def _serve(conn: Connection, uri: str, name: str) -> None:
    """A worker: answer each ``(sql, params, rows to fetch or 0 for all, time limit in ms)``."""
    from datasette.plugins import pm

    from parsers.offline import install_filter

    try:
        install_filter()  # a stranger's SQL has no business with a network socket, whatever SQLite becomes
    except OSError as exc:
        log.warning("query process without its socket filter: %s", exc)

    db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    db.text_factory = lambda x: str(x, "utf-8", "replace")
    pm.hook.prepare_connection(conn=db, database=name, datasette=None)  # the same functions and limits
    conn.send(("ready",))  # only now does a query's time start: importing Datasette's plugins takes a while
    while True:
        try:
            sql, params, fetch, ms = conn.recv()
        except (EOFError, OSError):  # the server is gone (even killed): so is this worker
            return
        deadline = time.perf_counter() + ms / 1000
        db.set_progress_handler(partial(_past, deadline), 1000)
        answer: tuple[Any, ...]
        try:
            cursor = db.execute(sql, params if params is not None else {})
            rows = cursor.fetchmany(fetch) if fetch else cursor.fetchall()
            answer = ("ok", [tuple(row) for row in rows], cursor.description)
        except sqlite3.Error as exc:
            answer = ("error", type(exc).__name__, exc.args)
        except (MemoryError, RecursionError, ValueError, OverflowError) as exc:  # Python's side of a query
            answer = ("error", "OperationalError", (f"{type(exc).__name__}: {exc}",))
        finally:
            db.set_progress_handler(None, 1000)
        conn.send(answer)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _Worker:
    """A query process, started and ready for its first query (or OSError)."""

    def __init__(self, context: Any, uri: str, name: str) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, uri, name), daemon=True)
        self.process.start()
        child.close()
        try:
            ready = self.conn.poll(START_SECONDS) and self.conn.recv() == ("ready",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise OSError(f"a query process did not start within {START_SECONDS:g} s")

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class QueryPool:
    """``size`` worker processes reading one database.

    Args:
        uri: the SQLite URI Datasette opens it with (``file:…?immutable=1`` or ``?mode=ro``).
        name: the database's name in Datasette (plugins' ``prepare_connection`` may look at it).
        size: queries run at once.
    """

    def __init__(self, uri: str, name: str, size: int) -> None:
        self.uri, self.name, self.size = uri, name, max(1, size)
        # forkserver: workers come from a clean process, not a fork of a server with threads and a loop
        methods = multiprocessing.get_all_start_methods()
        self._context: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        #: queries whose process was killed: over time, or cancelled
        self.killed = 0
        # a cursor per column list, for the rows handed to Datasette (sqlite3.Row maps names by a cursor)
        self._names = sqlite3.connect(":memory:", check_same_thread=False)
        self._cursors: dict[tuple[str, ...], sqlite3.Cursor] = {}

    async def _workers(self) -> asyncio.Queue[_Worker]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(self._replace(loop, self._idle) for _ in range(self.size)))
        return self._idle

    async def _replace(self, loop: asyncio.AbstractEventLoop, idle: asyncio.Queue[_Worker]) -> None:
        """Start a worker and put it among the idle ones once it is ready (retried: the pool never shrinks)."""
        while True:
            try:
                idle.put_nowait(await loop.run_in_executor(None, _Worker, self._context, self.uri, self.name))
                return
            except OSError as exc:  # out of processes or memory for now: the pool must not shrink for good
                log.error("could not start a query process (%s); trying again", exc)
                await asyncio.sleep(1)

    async def run(self, sql: str, params: Any, fetch: int, time_limit_ms: int) -> tuple[list[sqlite3.Row], Any]:
        """Run one query; returns its rows (at most ``fetch``; 0: all) and its cursor's description.

        Raises:
            Interrupted: it ran past ``time_limit_ms``.
            sqlite3.Error: SQLite refused it (the same class and message as in the worker).
        """
        idle = await self._workers()
        worker = await idle.get()
        loop = asyncio.get_running_loop()
        try:
            worker.conn.send((sql, params, fetch, time_limit_ms))
            ready = loop.create_future()
            fd = worker.conn.fileno()
            loop.add_reader(fd, _resolve, ready)
            try:
                await asyncio.wait_for(ready, time_limit_ms / 1000 + GRACE)
            finally:
                loop.remove_reader(fd)
            answer = await loop.run_in_executor(None, worker.conn.recv)
        except BaseException as exc:  # over time, cancelled, or the worker died: it goes, another comes
            self.killed += 1
            worker.kill()
            asyncio.ensure_future(self._replace(loop, idle))
            if isinstance(exc, asyncio.TimeoutError):
                log.warning("query killed after %d ms: %s", time_limit_ms + GRACE * 1000, sql[:200])
                raise Interrupted(sql) from None
            if isinstance(exc, (EOFError, OSError)):
                raise sqlite3.OperationalError("the query's process died (out of memory?)") from None
            raise
        idle.put_nowait(worker)
        if answer[0] == "error":
            error = getattr(sqlite3, answer[1], sqlite3.OperationalError)
            if answer[2] == ("interrupted",):
                raise Interrupted(sql)
            raise error(*answer[2])
        _, rows, description = answer
        return self._rows(rows, description), description

    def _rows(self, rows: list[tuple[Any, ...]], description: Any) -> list[sqlite3.Row]:
        if not description:
            return []
        names = tuple(d[0] for d in description)
        cursor = self._cursors.get(names)
        if cursor is None:
            if len(self._cursors) > 1000:
                self._cursors.clear()
            columns = ", ".join('NULL AS "{}"'.format(n.replace('"', '""')) for n in names)
            cursor = self._cursors[names] = self._names.execute(f"SELECT {columns}")
        return [sqlite3.Row(cursor, row) for row in rows]

    def idle_pids(self) -> list[int]:
        """The process ids of the workers waiting for a query."""
        return [worker.process.pid for worker in self._idle._queue] if self._idle is not None else []  # type: ignore[attr-defined]


def _bindable(params: Any) -> Any:
    """What SQLite can bind of Datasette's parameters (a saved query's also hold callables, unpicklable)."""
    if isinstance(params, dict):
        return {k: v for k, v in params.items() if v is None or isinstance(v, (str, int, float, bytes))}
    return params


def use_pool(db: Any, size: int) -> QueryPool:
    """Make a Datasette ``Database`` run its queries in a :class:`QueryPool` (``db.execute`` replaced).

    Args:
        db: a file database (not ``_memory`` or ``_internal``).
        size: worker processes.
    """
    from datasette.database import QueryInterrupted, Results
    from datasette.tracer import trace

    qs = "?mode=ro" if db.is_mutable else "?immutable=1"
    if db.is_mutable and db.ds.nolock:
        qs += "&nolock=1"
    pool = QueryPool(f"file:{db.path}{qs}", db.name, size)

    async def execute(
        sql: str,
        params: Any = None,
        truncate: bool = False,
        custom_time_limit: int | None = None,
        page_size: int | None = None,
        log_sql_errors: bool = True,
    ) -> Results:
        # Datasette's own Database.execute, with the query sent to the pool
        ds = db.ds
        page_size = page_size or ds.page_size
        ms = ds.sql_time_limit_ms
        if custom_time_limit and custom_time_limit < ms:
            ms = custom_time_limit
        max_rows = ds.max_returned_rows
        if max_rows == page_size:
            max_rows += 1
        fetch = max_rows + 1 if max_rows and truncate else 0
        with trace("sql", database=db.name, sql=sql.strip(), params=params):
            try:
                rows, description = await pool.run(sql, _bindable(params), fetch, ms)
            except Interrupted as exc:
                raise QueryInterrupted(exc, sql, params) from None
            except sqlite3.Error as exc:
                if log_sql_errors:
                    log.info("query failed: %s (%s)", exc, sql[:200])
                raise
        truncated = bool(fetch) and len(rows) > max_rows
        return Results(rows[:max_rows] if fetch else rows, truncated, description)

    db.execute = execute
    db.query_pool = pool
    return pool
