"""The public SQL endpoint's limits (archive/querylimits.py, archive/querypool.py): values, results and SQL
text are bounded, a query that one SQLite step keeps past the time limit is killed, a client that hangs up
takes its query with it, and neither one address nor many together can hold every SQL process. Figures
under load come from bench/serve_hostile.py."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from archive import settings
from archive.querylimits import PerClientLimit
from archive.serve import metadata

HUGE_BLOB = "select zeroblob(450000000)"
#: One virtual-machine step of ~23 s (measured before queries ran in processes): the progress handler,
#: which runs between steps, never sees it.
ONE_LONG_STEP = "select instr(printf('%.*c', 2000000, 'a'), printf('%.*c', 1000000, 'a') || 'b')"
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
    assert settings.CUSTOM_SQL_REQUESTS < settings.SQL_THREADS  # and all addresses' own SQL leaves some too


def test_a_query_one_step_keeps_past_the_limit_is_killed(built):
    from datasette.app import Datasette

    _, db, _, _ = built
    ds = Datasette([], immutables=[str(db)], metadata=metadata(db.stem), settings={"sql_time_limit_ms": 1000})

    async def run() -> None:
        r = await ds.client.get(f"/{db.stem}.json", params={"sql": ONE_LONG_STEP, "_shape": "objects"})
        assert r.status_code == 400 and "took too long" in r.json()["error"]
        assert ds.get_database(db.stem).query_pool.killed == 1
        # the pool is whole again: every process answers
        answers = await asyncio.gather(
            *(ds.client.get(f"/{db.stem}.json", params={"sql": "select count(*) from reports"}) for _ in range(10))
        )
        assert all(a.status_code == 200 for a in answers)
        # each query process runs under the socket filter (seccomp mode 2: a filter)
        pids = ds.get_database(db.stem).query_pool.idle_pids()
        assert pids and all("Seccomp:\t2" in open(f"/proc/{pid}/status").read() for pid in pids)

    asyncio.run(run())


def test_a_client_that_hangs_up_cancels_its_query(built):
    """The request is cancelled at the client's ``http.disconnect`` and its query's process killed, long
    before the time limit (60 s here)."""
    from datasette.app import Datasette

    _, db, _, _ = built
    ds = Datasette([], immutables=[str(db)], metadata=metadata(db.stem), settings={"sql_time_limit_ms": 60_000})
    app = ds.app()

    def scope(query: str) -> dict:
        qs = urlencode({"sql": query}).encode()
        return {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": f"/{db.stem}.json", "raw_path": f"/{db.stem}.json".encode(), "query_string": qs,
            "root_path": "", "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.9", 5000),
            "server": ("127.0.0.1", 8001),
        }  # fmt: skip

    def client(hangs_up_after: float | None):
        asked = {"n": 0}

        async def receive() -> dict:
            asked["n"] += 1
            if asked["n"] == 1:
                return {"type": "http.request", "body": b"", "more_body": False}
            if hangs_up_after is None:
                await asyncio.Event().wait()
            await asyncio.sleep(hangs_up_after)
            return {"type": "http.disconnect"}

        return receive

    async def run() -> None:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        await asyncio.wait_for(app(scope("select 1"), client(None), send), 30)  # starts the pool
        assert sent[0]["status"] == 200
        sent.clear()
        await asyncio.wait_for(app(scope(ONE_LONG_STEP), client(1.0), send), 15)
        assert ds.get_database(db.stem).query_pool.killed == 1
        assert not sent  # nothing was answered to a client that has gone

    asyncio.run(run())


def test_many_addresses_together_cannot_hold_every_sql_process():
    """Requests with SQL of their own run ``custom`` at a time over all addresses; pages go on beside them."""
    release = asyncio.Event()
    running = {"sql": 0, "most": 0}

    async def app(scope, receive, send):
        if b"sql=" in scope["query_string"]:
            running["sql"] += 1
            running["most"] = max(running["most"], running["sql"])
            await release.wait()
            running["sql"] -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limit = PerClientLimit(app, running=2, queued=3, custom=4)

    async def request(client: str, query: bytes) -> int:
        sent: list[dict] = []

        async def receive():
            await asyncio.Event().wait()  # a client that stays

        async def send(message):
            sent.append(message)

        await limit({"type": "http", "client": (client, 1), "query_string": query}, receive, send)
        return sent[0]["status"]

    async def run() -> None:
        hostile = [asyncio.create_task(request(f"10.0.0.{i}", b"sql=select+1")) for i in range(1, 5) for _ in range(2)]
        await asyncio.sleep(0.05)
        assert running["sql"] == 4  # four addresses, two queries each: four run, four wait
        assert await asyncio.wait_for(request("10.0.1.1", b"_search=x"), 1) == 200
        release.set()
        assert await asyncio.gather(*hostile) == [200] * 8
        assert running["most"] == 4

    asyncio.run(run())
