"""``ogi build``: archive.db from a crawl of the farm — every report with the farm's numbers, clean,
idempotent, upgradable, with checks, sections, coverage and continuity, searchable in Chinese in SQL."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import archive.build
import parsers
from archive.build import BuildRunning, build
from archive.fts import fts_query
from archive.schema import STAT_TABLES as KEYS
from parsers.metadata import agency_kind
from tests.helpers import archive_rows, findable
from tests.seedcheck import STAT_TABLES


def _dump_hash(db: Path) -> str:
    con = sqlite3.connect(db)
    return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()


def test_every_report_with_the_farms_numbers(built):
    farm, db, _, _ = built
    con = sqlite3.connect(db)
    rows = {url: (rid, tpl) for rid, url, tpl in con.execute("SELECT id, url, template FROM reports")}
    assert set(rows) == set(findable(farm))
    compared = 0
    for url, report in findable(farm).items():
        rid, template = rows[url]
        want = report.record
        if want["year"] <= 2018:
            assert template is None
            continue
        if report.files and not any(f.endswith((".pdf", ".docx")) or "download" in f for f in report.files):
            assert template is None  # only images, DOC or ZIP: no readable source until OCR/DOC support
            continue
        assert template == want["template"], url
        for table in STAT_TABLES:
            got = {
                (k, c): v
                for k, c, v in con.execute(
                    f"SELECT {KEYS[table]}, column_key, value FROM {table} WHERE report_id = ?", (rid,)
                )
            }
            for key, cols in want[table].items():
                for col, value in cols.items():
                    if value is not None and got.get((key, col)) is not None:
                        assert got[(key, col)] == value, (url, table, key, col)
                        compared += 1
            missing = [(k, c) for k, cols in want[table].items() for c, v in cols.items() if (k, c) not in got]
            assert not missing, (url, table, missing[:3])
    assert compared > 1000
    # every report gets its date, from its page's 发布时间 or from the list beside it (tests/crawler/test_timeliness.py)
    dates = dict(con.execute("SELECT url, publication_date FROM reports"))
    assert all(dates[url] == r.published for url, r in findable(farm).items() if url in dates)


def test_integrity_and_idempotence(built):
    farm, db, tmp, _ = built
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    before = _dump_hash(db)
    again = build(db, tmp / "store", tmp / "seeds.csv", progress=False)
    assert again.documents_parsed == 0 and again.reports_changed == 0
    assert _dump_hash(db) == before


def test_archive_of_the_first_layout_is_upgraded_from_its_parse_cache(built, tmp_path):
    """An archive of the first layout (county code ``seed``, no migrations yet) is migrated: the report
    tables are written again from its parse cache, nothing is parsed again."""
    _, db, tmp, _ = built
    old = tmp_path / "old.db"
    shutil.copy(db, old)
    con = sqlite3.connect(old)
    reports = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    con.execute("DROP TABLE _sqlite_migrations")
    con.execute("ALTER TABLE fetches RENAME COLUMN adcode TO seed")
    con.execute("ALTER TABLE documents DROP COLUMN parse_error_reason")
    con.execute("UPDATE reports SET title = 'stale'")
    con.commit()
    con.close()
    summary = build(old, tmp / "store", tmp / "seeds.csv", progress=False)
    assert summary.documents_parsed == 0 and summary.reports == reports
    con = sqlite3.connect(old)
    assert con.execute("SELECT COUNT(*) FROM reports WHERE title = 'stale'").fetchone()[0] == 0
    assert "adcode" in {r[1] for r in con.execute("PRAGMA table_info(fetches)")}
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_parser_upgrade_reparses_and_rewrites_reports(built, tmp_path, monkeypatch):
    """A new parser version re-parses every document and rewrites each report, without --reparse."""
    _, db, tmp, first = built
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    sqlite3.connect(copy).execute("UPDATE reports SET title = 'stale'").connection.commit()
    monkeypatch.setattr(parsers, "__version__", "next")
    summary = build(copy, tmp / "store", tmp / "seeds.csv", progress=False)
    assert summary.documents_parsed == first.documents_parsed and summary.reports_changed == first.reports
    assert sqlite3.connect(copy).execute("SELECT COUNT(*) FROM reports WHERE title = 'stale'").fetchone()[0] == 0


def test_report_id_collision_is_a_recorded_failure(built, tmp_path, monkeypatch):
    _, _, tmp, _ = built
    monkeypatch.setattr(archive.build, "report_key", lambda url: 42)
    summary = build(tmp_path / "a.db", tmp / "store", tmp / "seeds.csv", progress=False)
    assert summary.reports == 1 and summary.failures["report id collision"] > 10


def test_checks_and_sections(built):
    farm, db, _, _ = built
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM checks").fetchone()[0] > 100
    assert con.execute("SELECT COUNT(*) FROM sections WHERE number = '1'").fetchone()[0] > 10
    assert con.execute("SELECT COUNT(*) FROM report_totals").fetchone()[0] == len(findable(farm))


def test_coverage_is_the_farms_county_government_reports(built):
    """Each seed county × year: published by the county government (人民政府) or not, as the farm has it."""
    farm, db, _, _ = built
    con = sqlite3.connect(db)
    published = {
        (r.adcode, r.record["year"])
        for r in findable(farm).values()
        if agency_kind(r.record["agency"]) == "county_government"
    }
    years = {r.record["year"] for r in findable(farm).values() if r.record["year"] >= 2019}
    want = {(s["adcode"], y): (s["adcode"], y) in published for s in farm.seeds for y in years}
    got = {(a, y): bool(g) for a, y, g in con.execute("SELECT adcode, year, government_report FROM coverage")}
    assert got == want
    assert 0 < sum(got.values()) < len(got)  # some counties did not publish some years


def test_continuity_pairs_each_agencys_consecutive_years(built):
    farm, db, _, _ = built
    con = sqlite3.connect(db)
    by_agency = {
        (r.record["agency"], r.record["year"]): r.record for r in findable(farm).values() if r.record["year"] >= 2019
    }
    want = {}
    for (agency, year), rec in by_agency.items():
        prev = by_agency.get((agency, year - 1))
        if prev is not None:
            want[(agency, year)] = (
                prev["applications"]["carried_forward"].get("total"),
                rec["applications"]["carried_over"].get("total"),
            )
    got = {
        (a, y): (p, c)
        for a, y, p, c in con.execute("SELECT agency, year, previous_carried_forward, carried_over FROM continuity")
    }
    assert set(got) == set(want) and len(got) > 5
    # where the parser read both numbers, they are the farm's
    assert all(got[k] == want[k] for k in got if None not in got[k]) and any(None not in v for v in got.values())


def test_chinese_full_text_search_in_sql(built):
    _, db, _, _ = built
    con = sqlite3.connect(db)

    def search(q: str) -> int:
        return con.execute("SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH ?", (fts_query(q),)).fetchone()[0]

    assert search("复议") > 0 and search("诉讼") > 0  # two-character words
    assert search("行政复议") > 0 and search("政府信息公开工作年度报告") > 0
    assert search("桐梓县") > 0
    assert search("不存在的词语组合") == 0


def test_agency_kinds():
    assert agency_kind("平乡县人民政府办公室") == "government_office"
    assert agency_kind("隰县人民政府") == "county_government"
    assert agency_kind("郭嘉镇人民政府") == "township"
    assert agency_kind("城关街道办事处") == "township"
    assert agency_kind("桐梓县教育局") == "department"
    # a place named alone is its government (the title 平潭综合实验区2024年度…: a 实验区 is run by its 管委会)
    assert agency_kind("平潭综合实验区") == "county_government"
    assert agency_kind("郭嘉镇") == "township"


def test_a_second_build_at_the_same_time_is_refused(built, tmp_path):
    """Two builds of one archive would interleave their batches: the second is refused, clearly."""
    _, _, tmp, _ = built
    db = tmp_path / "a.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'ab'); "
            "fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
            f"{db}.lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(BuildRunning):
            build(db, tmp / "store", tmp / "seeds.csv", progress=False)
        proc = subprocess.run(
            [sys.executable, "-m", "ogi", "build", "--db", str(db), "--store", str(tmp / "store")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 1 and "another build is writing" in proc.stderr and "Traceback" not in proc.stderr
    finally:
        holder.kill()
        holder.wait()
    assert build(db, tmp / "store", tmp / "seeds.csv", progress=False).reports > 0  # free again


def test_a_damaged_body_is_a_recorded_failure_not_a_parse(built, tmp_path):
    """A stored body that no longer matches its hash (its WARC record overwritten on disk by another
    document) is never parsed as if it were the document."""
    from rawstore import RawStore

    _, _, tmp, _ = built
    store = tmp_path / "store"
    shutil.copytree(tmp / "store", store)
    con = sqlite3.connect(store / "store.db")
    (sha, url) = con.execute("SELECT sha256, url FROM fetches WHERE kind = 'file' AND status = 200 LIMIT 1").fetchone()
    with RawStore(tmp_path / "other") as other:  # a well-formed record of other bytes, put in its place
        warc_file, offset = other.write_exchange(url, "GET", [], b"", 200, "OK", [], b"%PDF-1.4 tampered")
    shutil.copy(tmp_path / "other" / "warc" / warc_file, store / "warc" / warc_file)
    con.execute("UPDATE fetches SET warc_file = ?, warc_offset = ? WHERE sha256 = ?", (warc_file, offset, sha))
    con.commit()
    summary = build(tmp_path / "a.db", store, tmp / "seeds.csv", progress=False)
    assert summary.failures["damaged"] == 1
    row = (
        sqlite3.connect(tmp_path / "a.db")
        .execute("SELECT parse_error_reason, parse_error FROM documents WHERE sha256 = ?", (sha,))
        .fetchone()
    )
    assert row[0] == "damaged" and "does not match its hash" in row[1]


def test_counts_are_integers_and_fees_keep_their_decimals(built):
    """Counts are stored as INTEGER (27, not 27.0); fees (万元) keep their decimals."""
    _, db, tmp, _ = built
    con = sqlite3.connect(db)
    for table in ("applications", "review_litigation"):
        kinds = {k for (k,) in con.execute(f"SELECT DISTINCT typeof(value) FROM {table}")}
        assert kinds <= {"integer", "null"} and "integer" in kinds, (table, kinds)
    kinds = {k for (k,) in con.execute("SELECT DISTINCT typeof(new_received) FROM report_totals")}
    assert kinds <= {"integer", "null"}
    fees = con.execute(
        "SELECT typeof(value), value FROM active_disclosure WHERE item_key = 'fees' AND value != CAST(value AS INTEGER)"
    ).fetchall()
    assert all(kind == "real" for kind, _ in fees)
    assert archive.build.built_from(db) == (tmp / "store").resolve()


def test_an_archive_with_real_counts_is_upgraded(built, tmp_path):
    """An archive whose counts were REAL is rewritten from its parse cache, without parsing anything."""
    _, fresh, tmp, _ = built
    db = tmp_path / "old.db"
    shutil.copy(fresh, db)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_counts_as_integers'")
    con.execute("DROP VIEW review_litigation")
    con.execute(
        "CREATE TABLE review_litigation (report_id INTEGER NOT NULL, group_key TEXT NOT NULL, group_label TEXT, "
        "column_key TEXT NOT NULL, column_label TEXT, value REAL, PRIMARY KEY (report_id, group_key, column_key)) "
        "WITHOUT ROWID"
    )
    con.commit()
    con.close()
    summary = build(db, tmp / "store", tmp / "seeds.csv", progress=False)
    assert summary.documents_parsed == 0
    assert archive_rows(db) == archive_rows(fresh)


def test_an_archive_of_the_layout_before_m005_is_upgraded(built, tmp_path):
    """The layout before m005: sections held the text and reports_fts a copy of it as bigrams (unicode61);
    the statistical tables and checks were long tables with their labels in every row. The build writes
    the text and the labels once, from the parse cache, and the views give the same rows as the tables."""
    _, fresh, tmp, _ = built
    db = tmp_path / "old.db"
    shutil.copy(fresh, db)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_compact'")
    for name in ("sections", "applications", "active_disclosure", "review_litigation", "checks"):
        con.execute(f"CREATE TABLE old_{name} AS SELECT * FROM {name}")
        con.execute(f"DROP VIEW {name}")
        con.execute(f"ALTER TABLE old_{name} RENAME TO {name}")
    con.executescript(
        """
        DROP TABLE section_spans; DROP TABLE check_results; DROP TABLE check_kinds; DROP TABLE template_cells;
        DROP TABLE applications_values; DROP TABLE active_disclosure_values; DROP TABLE review_litigation_values;
        DROP TRIGGER reports_ai; DROP TRIGGER reports_ad; DROP TRIGGER reports_au; DROP TABLE reports_fts;
        ALTER TABLE reports DROP COLUMN body;
        CREATE VIRTUAL TABLE reports_fts USING fts5(title, body, tokenize='unicode61');
        INSERT INTO reports_fts (rowid, title, body) SELECT id, '政府 府信 信息', '行政 政复 复议' FROM reports;
        """
    )
    con.commit()
    old_rows = {
        name: sorted(con.execute(f"SELECT * FROM {name}"))
        for name in ("sections", "applications", "active_disclosure", "review_litigation", "checks")
    }
    con.close()
    summary = build(db, tmp / "store", tmp / "seeds.csv", progress=False)
    assert summary.documents_parsed == 0
    assert archive_rows(db) == archive_rows(fresh)
    con = sqlite3.connect(db)
    for name, rows in old_rows.items():
        assert sorted(con.execute(f"SELECT * FROM {name}")) == rows, name
    con.execute("INSERT INTO reports_fts (reports_fts, rank) VALUES ('integrity-check', 1)")  # index = text


def test_a_report_written_again_leaves_the_index_matching_its_text(built, tmp_path):
    """Reports are written with INSERT OR REPLACE: the delete that makes reaches reports_fts's trigger."""
    _, fresh, tmp, _ = built
    db = tmp_path / "again.db"
    shutil.copy(fresh, db)
    sqlite3.connect(db).execute("UPDATE reports SET inputs_digest = 'stale'").connection.commit()
    summary = build(db, tmp / "store", tmp / "seeds.csv", progress=False)
    assert summary.reports_changed == summary.reports
    con = sqlite3.connect(db)
    con.execute("INSERT INTO reports_fts (reports_fts, rank) VALUES ('integrity-check', 1)")
    assert archive_rows(db) == archive_rows(fresh)


def test_parallel_parsing_writes_the_same_archive(built, tmp_path):
    """``--jobs 2``: documents parsed in two workers at once; the archive is the one ``--jobs 1`` writes."""
    _, fresh, tmp, _ = built
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "build", "--db", str(tmp_path / "p.db"), "--store", str(tmp / "store")]
        + ["--seeds", str(tmp / "seeds.csv"), "--jobs", "2", "--batch", "7"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert archive_rows(tmp_path / "p.db") == archive_rows(fresh)
