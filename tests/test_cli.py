"""``ogi parse``: JSON lines with the path, errors per input, exit code, readable summary."""

from __future__ import annotations

import json
import subprocess
import sys

from ogi.cli import main
from tests.helpers import ROOT, seed_paths


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ogi", *args], capture_output=True, text=True, timeout=300)


def test_json_lines_keep_going_after_failures(tmp_path):
    seed = str(seed_paths()[0])
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"\x00\x01\x02" * 1000)
    proc = _run("parse", "--json", seed, str(empty), str(junk), seed)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["path"] for r in lines] == [seed, str(empty), str(junk), seed]
    assert lines[0]["agency"] == "平乡县人民政府办公室" and lines[0]["applications"]["new_received"]["total"] == 2
    assert lines[1]["error"] == "empty file" and "binary" in lines[2]["error"]
    assert "error" not in lines[3]
    assert "1 failed" not in proc.stderr and "2 failed" in proc.stderr


def test_exit_zero_when_all_parse():
    proc = _run("parse", "--json", *map(str, seed_paths()))
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 5


def test_readable_summary(capsys):
    assert main(["parse", str(seed_paths()[1])]) == 0
    out = capsys.readouterr().out
    assert "agency: 隰县人民政府" in out and "year: 2022" in out and "template: 2021" in out
    assert "表三 收到和处理政府信息公开申请情况" in out and "自然人" in out
    assert "829.9459" in out  # fees printed as read, not rounded
    assert "checks: " in out


def test_summary_lists_failed_checks(tmp_path, capsys):
    text = seed_paths()[0].read_text(encoding="utf-8")
    broken = text.replace("\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n", "\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t5\n", 1)
    assert broken != text
    path = tmp_path / "broken.txt"
    path.write_text(broken, encoding="utf-8")
    main(["parse", str(path)])
    out = capsys.readouterr().out
    assert "FAILED applications.row_sum.new_received" in out


def test_the_cli_reference_is_current():
    """docs/cli.md is made from the argparse definitions (``python -m ogi.clidoc > docs/cli.md``)."""

    from ogi.clidoc import reference

    doc = ROOT / "docs" / "cli.md"
    assert doc.read_text(encoding="utf-8") == reference(), "run: python -m ogi.clidoc > docs/cli.md"
