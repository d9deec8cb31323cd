"""Shared fixtures: where the seeds are, and a seeded random source."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from archive import tokenizer

# as Datasette's and sqlite-utils' plugins do: every connection the tests open reads reports_fts
tokenizer.install()

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


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20261123)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The farm crawled and built into archive.db once per session: (farm, db, folder, build summary)."""
    from archive.build import build
    from simulate.portals import Farm
    from tests.test_crawl import crawl

    tmp = tmp_path_factory.mktemp("build")
    seeds = tmp / "seeds.csv"
    with Farm(seed=9, reports_per_portal=3, big_portal_pages=4, seed_records=seed_records()) as farm:
        farm.write_seeds(str(seeds))
        crawl(seeds, tmp / "store")
    summary = build(tmp / "archive.db", tmp / "store", seeds, progress=False)
    return farm, tmp / "archive.db", tmp, summary
