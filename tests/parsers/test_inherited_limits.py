"""Memory limits that only ever lower: under an inherited ``ulimit -v`` (a shared host, a container,
systemd's ``LimitAS=``) the parse workers and ``ogi serve`` take the lower limit and say so."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import urllib.request

from simulate.redisserver import free_port

GB = 1024**3

# A process under a lower hard limit than the parse limit (4 GB): good documents parse, one over the
# limit fails with "memory" and the next good one parses again.
PARSE_UNDER_A_LOWER_LIMIT = """
import logging, random, resource
logging.basicConfig(level=logging.INFO, format="%(message)s")
import trafilatura.metadata
from parsers import docxdoc, htmldoc, pdfdoc, textdoc
from parsers.limits import MEMORY_BYTES, ParseError, Sandbox
from simulate import documents as docgen
good = docgen.render_html(docgen.random_record(random.Random(3), template="2021"), random.Random(3))
big = "很长的正文，不是报告。\\n".encode() * 1_800_000
own = int(next(ln for ln in open("/proc/self/status") if ln.startswith("VmSize:")).split()[1]) * 1024
limit = own + 300 * 1024**2
assert limit < MEMORY_BYTES
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
with Sandbox() as sandbox:
    print("good", sandbox.parse(good)["template"])
    try:
        sandbox.parse(big)
    except ParseError as exc:
        print("big", exc.reason)
    print("good", sandbox.parse(good)["template"])
"""


def test_parse_workers_take_a_lower_inherited_limit():
    proc = subprocess.run(
        [sys.executable, "-c", PARSE_UNDER_A_LOWER_LIMIT], capture_output=True, text=True, timeout=300
    )
    assert proc.stdout.split("\n") == ["good 2021", "big memory", "good 2021", ""], proc.stderr[-2000:]
    warnings = [ln for ln in proc.stderr.splitlines() if "address space limited to" in ln]
    assert len(warnings) == 1 and warnings[0].startswith("parse workers:") and "4.0 GB asked for" in warnings[0]


def test_ogi_serve_starts_under_a_lower_inherited_limit(built):
    _, db, _, _ = built
    port = free_port()

    def lower() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * GB, 3 * GB))

    server = subprocess.Popen(
        [sys.executable, "-m", "ogi", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lower,
    )
    try:
        answered = None
        for _ in range(150):
            try:
                answered = urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=1).status
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        assert answered == 200
        status = open(f"/proc/{server.pid}/limits").read()
        assert f"{3 * GB}" in next(ln for ln in status.splitlines() if ln.startswith("Max address space"))
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "ogi serve: address space limited to 3.0 GB (inherited; 4.0 GB asked for)" in err.decode()
