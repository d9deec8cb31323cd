"""Plain ``datasette archive.db other.db`` (the plugin installed, no ``ogi``, started away from the store):
the archive's search, saved queries, dashboards, descriptions and archived copies work as under
``ogi serve``, and the unrelated database beside it is served as Datasette serves it without the plugin."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlite_utils

from simulate.redisserver import free_port
from tests.helpers import NONSENSE, reports_containing, search_words


def _other_db(path: Path) -> Path:
    """An unrelated database with Datasette's usual FTS (unicode61, space-separated words)."""
    db = sqlite_utils.Database(path)
    db["docs"].insert_all([{"id": 1, "text": "申请 行政复议 的 案件"}, {"id": 2, "text": "天气 晴"}], pk="id")
    db["docs"].enable_fts(["text"])
    return path


class Server:
    def __init__(self, *args: str, cwd: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "datasette", "serve", *args, "-p", str(self.port)],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(150):
            try:
                self.get("/-/versions.json")
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def json(self, path: str) -> dict:
        status, body = self.get(path)
        assert status == 200, (path, status, body[:300])
        return json.loads(body)

    def stop(self) -> str:
        self.proc.terminate()
        _, err = self.proc.communicate(timeout=30)
        return err.decode()


@pytest.fixture(scope="module")
def plain(built, tmp_path_factory):
    _, db, _, _ = built
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # not the folder that holds the store
    other = _other_db(elsewhere / "other.db")
    server = Server("-i", str(db), str(other), cwd=elsewhere)
    yield server, db, other
    err = server.stop()
    assert "Traceback" not in err, err[-3000:]


def _ids(server: Server, path: str) -> set:
    return {row["id"] for row in server.json(path + "&_size=max&_shape=objects")["rows"]}


def test_search_on_reports_finds_what_the_archive_holds(plain):
    server, db, _ = plain
    name = db.stem
    for word in search_words(db):
        want = reports_containing(db, word)
        assert _ids(server, f"/{name}/reports.json?_search={quote(word)}") == want, word
        assert (len(want) > 0) == (word != NONSENSE), word
        rows = server.json(f"/{name}/report_totals.json?_search={quote(word)}&_size=max&_shape=objects")["rows"]
        assert {row["report_id"] for row in rows} == want, word
    totals = server.json(f"/{name}/report_totals.json?_search={quote('复议')}")
    assert totals["filtered_table_rows_count"] > 0 and "year" in totals["facet_results"]


def test_saved_queries_dashboards_descriptions_and_pages(plain):
    server, db, _ = plain
    name = db.stem
    for query in ("most_requests", "granted_share_by_year", "search"):
        assert server.json(f"/{name}/{query}.json?q={quote('复议')}")["ok"], query
    status, page = server.get("/-/dashboards/ogi")
    assert status == 200 and "政府信息公开年报" in page.decode()
    status, page = server.get(f"/{name}/reports")
    assert status == 200 and "One row per report" in page.decode()
    status, page = server.get("/")
    assert status == 200 and "政府信息公开" in page.decode()


def test_archived_copies_are_found_from_the_archive_s_own_record_of_its_store(plain):
    server, db, _ = plain
    con = sqlite3.connect(db)
    sha = con.execute("SELECT sha256 FROM documents WHERE format = 'html' LIMIT 1").fetchone()[0]
    status, body = server.get(f"/-/original/{sha}")
    assert status == 200 and body


def test_the_database_beside_the_archive_is_datasette_s_own(plain):
    server, _, other = plain
    found = server.json(f"/{other.stem}/docs.json?_search={quote('行政复议')}&_shape=objects")
    assert [row["id"] for row in found["rows"]] == [1]  # as plain Datasette finds it
    status, _ = server.get(f"/{other.stem}")
    assert status == 200


def test_without_an_archive_datasette_is_untouched(tmp_path):
    other = _other_db(tmp_path / "other.db")
    server = Server(str(other), cwd=tmp_path)
    try:
        status, page = server.get("/")
        assert status == 200 and b"other" in page
        found = server.json(f"/other/docs.json?_search={quote('行政复议')}&_shape=objects")
        assert [row["id"] for row in found["rows"]] == [1]
        assert server.get("/-/search?q=x")[0] == 404  # the archive's pages are not routed
    finally:
        err = server.stop()
    assert "Traceback" not in err, err[-3000:]
