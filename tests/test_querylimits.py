"""The public SQL endpoint's limits (archive/querylimits.py): values, results and SQL text are bounded,
and one client address cannot hold every SQL thread. Figures under load come from
bench/serve_hostile.py."""

from __future__ import annotations

import asyncio

from archive import settings
from archive.querylimits import PerClientLimit
from archive.serve import metadata

HUGE_BLOB = "select zeroblob(450000000)"
MANY_BIG_ROWS = (
    "with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) select randomblob(3000000) from n"
)


def test_hostile_queries_fail_fast_and_normal_ones_answer(built):
    from datasette.app import Datasette

    _, db, _, _ = built
    ds = Datasette([], immutables=[str(db)], metadata=metadata(db.stem), settings={"sql_time_limit_ms": 3000})

    async def sql(query: str) -> dict:
        r = await ds.client.get(f"/{db.stem}.json", params={"sql": query, "_shape": "objects"})
        return r.json()

    async def run() -> None:
        assert "too big" in (await sql(HUGE_BLOB))["error"]  # one SQLite step, never interrupted: refused
        assert "result too large" in (await sql(MANY_BIG_ROWS))["error"]
        assert (await sql("select " + " + ".join(["1"] * 8_000)))["error"]  # SQL text over the limit
        normal = await sql("select agency, year from reports order by id limit 5")
        assert normal["ok"] and len(normal["rows"]) == 5

    asyncio.run(run())


def test_one_client_cannot_hold_every_turn():
    """Per address: ``running`` at once, ``queued`` more waiting, the rest refused with 429; another
    address is served meanwhile."""
    release = asyncio.Event()
    active: dict[str, int] = {}
    peak: dict[str, int] = {}

    async def app(scope, receive, send):
        client = scope["client"][0]
        active[client] = active.get(client, 0) + 1
        peak[client] = max(peak.get(client, 0), active[client])
        if client == "10.0.0.1":
            await release.wait()
        active[client] -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limit = PerClientLimit(app, running=2, queued=3)

    async def request(client: str) -> int:
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        await limit({"type": "http", "client": (client, 1)}, None, send)
        return sent[0]["status"]

    async def run() -> None:
        hostile = [asyncio.create_task(request("10.0.0.1")) for _ in range(8)]
        await asyncio.sleep(0.05)
        assert await asyncio.wait_for(request("10.0.0.2"), 1) == 200  # not queued behind the other
        release.set()
        statuses = await asyncio.gather(*hostile)
        assert sorted(statuses) == [200] * 5 + [429] * 3
        assert peak["10.0.0.1"] == 2
        assert not limit.waiting and not limit.slots  # nothing kept for clients gone

    asyncio.run(run())


def test_limits_are_settings():
    assert settings.MAX_VALUE_BYTES < 450_000_000 and settings.MAX_RESULT_BYTES < 1024**3
    assert settings.CLIENT_REQUESTS < settings.SQL_THREADS  # one address always leaves threads for others
