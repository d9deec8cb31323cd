"""Limits that keep the public SQL endpoint answering while strangers send it hostile queries.

Per connection (``prepare_connection``): SQLite's run-time limits (:data:`SQLITE_LIMITS`) and a row
factory that stops a query at :data:`archive.settings.MAX_RESULT_BYTES` returned; per request
(``asgi_wrapper``): :class:`PerClientLimit`, and a request whose client hangs up is cancelled. Why
Datasette's own time limit is not enough, and the figures: docs/operations.md (a public deployment).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import weakref
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from . import settings

#: sqlite3 limit → value (https://www.sqlite.org/c3ref/c_limit_attached.html).
SQLITE_LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: settings.MAX_VALUE_BYTES,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 20_000,
    sqlite3.SQLITE_LIMIT_COLUMN: 200,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 50,
}


def limit_connection(conn: sqlite3.Connection, max_result_bytes: int = settings.MAX_RESULT_BYTES) -> None:
    """Apply :data:`SQLITE_LIMITS` and a result-size cap to a connection Datasette prepared.

    Args:
        conn: a connection whose ``row_factory`` is ``sqlite3.Row`` (Datasette's).
        max_result_bytes: bytes of text, blobs and numbers one query may return.
    """
    for limit, value in SQLITE_LIMITS.items():
        conn.setlimit(limit, value)
    returned: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def bounded_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
        size = returned.get(cursor, 0) + sum(len(v) if isinstance(v, (str, bytes)) else 8 for v in row)
        if size > max_result_bytes:
            raise sqlite3.OperationalError(
                f"result too large: more than {max_result_bytes // 1_000_000} MB; select fewer rows or columns"
            )
        returned[cursor] = size
        return sqlite3.Row(cursor, row)

    conn.row_factory = bounded_row


ASGIApp = Callable[[dict[str, Any], Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]], Awaitable[None]]


class PerClientLimit:
    """ASGI middleware: each client address runs ``running`` requests at a time; ``queued`` more wait, the
    rest get ``429 Too Many Requests``. Requests with their own SQL run ``custom`` at a time over all
    addresses, and a request is cancelled when its client hangs up.

    Args:
        app: the ASGI application (Datasette).
        running: concurrent requests per client (a dashboard loads its charts in parallel).
        queued: requests per client waiting for a turn.
        custom: requests with their own SQL running at once, all clients together.
    """

    def __init__(
        self,
        app: ASGIApp,
        running: int = settings.CLIENT_REQUESTS,
        queued: int = 16,
        custom: int = settings.CUSTOM_SQL_REQUESTS,
    ) -> None:
        self.app, self.running, self.queued = app, running, queued
        self.slots: dict[str, asyncio.Semaphore] = {}
        self.waiting: dict[str, int] = {}
        self.custom = asyncio.Semaphore(custom)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?",))[0]
        if self.waiting.get(client, 0) >= self.running + self.queued:
            await _too_many(send)
            return
        self.waiting[client] = self.waiting.get(client, 0) + 1
        slot = self.slots.setdefault(client, asyncio.Semaphore(self.running))
        try:
            async with slot:
                if _own_sql(scope):
                    async with self.custom:
                        await _until_hung_up(self.app, scope, receive, send)
                else:
                    await _until_hung_up(self.app, scope, receive, send)
        finally:
            self.waiting[client] -= 1
            if not self.waiting[client]:
                del self.waiting[client], self.slots[client]


def _own_sql(scope: dict[str, Any]) -> bool:
    """The request brings SQL of its own (Datasette's SQL box, a table's ``_where``)."""
    return bool({"sql", "_where"} & parse_qs(scope.get("query_string", b"").decode("latin-1")).keys())


async def _until_hung_up(app: ASGIApp, scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Run the request; cancel it if the client hangs up first (ASGI's ``http.disconnect``)."""
    messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    gone = asyncio.Event()

    async def listen() -> None:
        while True:
            message = await receive()
            messages.put_nowait(message)
            if message["type"] == "http.disconnect":
                gone.set()
                return

    listener = asyncio.ensure_future(listen())
    hung_up = asyncio.ensure_future(gone.wait())
    request = asyncio.ensure_future(app(scope, messages.get, send))
    try:
        await asyncio.wait({request, hung_up}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        listener.cancel()
        hung_up.cancel()
        if not request.done():
            request.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await request
    if not request.cancelled():
        request.result()  # the app's own error, as if it had been awaited


async def _too_many(send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"5")],
        }
    )
    await send({"type": "http.response.body", "body": b"too many requests from this address at once\n"})
