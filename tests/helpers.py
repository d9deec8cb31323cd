"""What several test files share: where things are, how the farm is crawled, how an archive is compared.
Fixtures are in conftest.py; the cell-by-cell record comparison in seedcheck.py."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

from simulate.portals.farm import Farm, Report
from simulate.portals.server import Page

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def archive_rows(db: Path) -> list[str]:
    """Every row of every table and the full-text index's content, sorted: the archive's content, apart
    from when it was written (the migrations' log) and how FTS5 happened to lay out its segments."""
    con = sqlite3.connect(db)
    tables = [
        n
        for (n,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
            "'reports_fts%' AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"
        )
    ]
    rows = [f"{t}: {row!r}" for t in tables for row in con.execute(f"SELECT * FROM [{t}]")]
    rows += [f"fts: {row!r}" for row in con.execute("SELECT rowid, title, body FROM reports_fts")]
    return sorted(rows)


def reports_containing(db: Path, word: str) -> set[int]:
    """The ids of the reports whose title or text holds ``word`` (in simplified characters), by plain
    substring search: what a full-text search for it must find."""
    from archive.fts import simplified

    con = sqlite3.connect(db)
    plain = simplified(word)
    return {i for (i,) in con.execute("SELECT id FROM reports WHERE instr(title, ?1) OR instr(body, ?1)", (plain,))}


def seed_records() -> list[dict]:
    """The seed reports' expected records: the farm varies them for some of its reports."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.expected.json"))]


def seed_paths() -> list[Path]:
    """The seed reports shipped in ../shared/seeds (plain text with expected records)."""
    return sorted(SEEDS.glob("*.txt"))


def dead_pid() -> int:
    """The id of a process that has ended (for folders a killed process left)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def crawl(seeds: Path, store: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``ogi crawl`` with the farm profile, in its own process (Twisted's reactor runs once per process);
    ``env`` adds to its environment."""
    cmd = [
        sys.executable,
        "-m",
        "ogi",
        "crawl",
        "--profile",
        "farm",
        "--seeds",
        str(seeds),
        "--store",
        str(store),
        *extra,
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc


#: The system tools some tests need: name → (the programs that are it, the Debian package that installs it).
SYSTEM_TOOLS = {
    "browser": (("chromium", "chromium-browser"), "chromium"),
    "office": (("soffice", "libreoffice"), "libreoffice-writer-nogui libreoffice-calc-nogui"),
    "redis": (("redis-server",), "redis-server"),
}


def program(tool: str) -> str | None:
    """Where the program of ``tool`` (a key of :data:`SYSTEM_TOOLS`) is installed, or None."""
    return next((found for name in SYSTEM_TOOLS[tool][0] if (found := shutil.which(name))), None)


#: The tools this machine has; on CI every one counts as present, so a missing one fails instead of skipping.
TOOLS = frozenset(name for name in SYSTEM_TOOLS if os.environ.get("CI") or program(name))


def _not_installed(tool: str) -> str:
    programs, package = SYSTEM_TOOLS[tool]
    return f"{programs[0]} not installed (apt-get install {package}, or bash .ci/system-packages)"


def needs(tool: str) -> pytest.MarkDecorator:
    """Skip a test when ``tool`` (a key of :data:`SYSTEM_TOOLS`) is not installed, saying how to install it."""
    return pytest.mark.skipif(tool not in TOOLS, reason=_not_installed(tool))


def without(tool: str) -> NoReturn:
    """A test found ``tool`` missing: it fails on CI (whose set-up installs every tool), else skips."""
    if os.environ.get("CI"):
        pytest.fail(_not_installed(tool) + ": .ci/run installs it")
    pytest.skip(_not_installed(tool))


needs_redis = needs("redis")
needs_chromium = needs("browser")
needs_libreoffice = needs("office")


def findable(farm: Farm) -> dict[str, Report]:
    """The farm's reports a crawl on this machine can find: all of them where every tool is installed (always on
    CI); without Chromium, not those only a script-drawn list links."""
    return farm.findable(TOOLS)


#: A word no report holds.
NONSENSE = "鬣狗飞船"


def search_words(db: Path) -> list[str]:
    """Words of 2 to 5 characters, a county's name, words in traditional characters (答復 and 行政復議, found
    as 答复 and 行政复议), and a word no report holds; each found in some but not all reports."""
    con = sqlite3.connect(db)
    titles = [t for (t,) in con.execute("SELECT title FROM reports WHERE title IS NOT NULL")]
    county = next(t.split("县")[0] + "县" for t in titles if "县" in t)
    words = ["答复", "常态化", "三审三校", "行政复议", "政务新媒体", county, "答復", "行政復議", NONSENSE]
    total = len(titles)
    assert all(len(reports_containing(db, w)) < total for w in words), "a word every report holds tests little"
    return words


def unlist(farm: Farm, url: str) -> dict[tuple[Any, str], Page]:
    """Take a report's entry out of every list of its portal (a report published later); returns the pages
    as they were, to put back."""
    path = url.split("/", 3)[3]
    entry = re.compile(rb'<li><a href="[^"]*/' + re.escape(path.encode()) + rb'"[^<]*</a><span>[^<]*</span></li>')
    before = {}
    for portal in farm.portals:
        for route, page in list(portal.routes.items()):
            if isinstance(page, Page) and entry.search(page.body):
                before[(portal, route)] = page
                portal.routes[route] = Page(entry.sub(b"", page.body), content_type=page.content_type)
    assert before, f"no list links {url}"
    return before


@contextmanager
def serving(cmd: list[str], probe: str, cwd: Path | None = None) -> Iterator[None]:
    """A server process (``cmd``) running until the block ends, entered once ``probe`` answers."""
    server = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(probe, timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def ogi_serve(db: Path) -> Iterator[str]:
    """``ogi serve`` on an archive, on a free loopback port, until the block ends; yields its base URL."""
    from simulate.redisserver import free_port

    base = f"http://127.0.0.1:{free_port()}"
    # no --store: `ogi serve` finds the store the archive was built from (its archived copies load)
    cmd = [sys.executable, "-m", "ogi", "serve", "--db", str(db), "--port", base.rsplit(":", 1)[1]]
    with serving(cmd, base + "/-/versions.json"):
        yield base
