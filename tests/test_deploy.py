"""The shipped systemd units run with the kernel's help: internal addresses denied to every process of a
run (Chromium and LibreOffice included), the file system read-only but the store and the archive, no
privileges. Checked on the unit files and, where systemd-analyze is installed, by its security report."""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
import shutil
import subprocess

import pytest

from tests.helpers import ROOT

UNITS = ROOT / "deploy" / "systemd"
#: systemd's names for address sets (systemd.resource-control(5), IPAddressAllow=).
NAMED = {
    "any": ["0.0.0.0/0", "::/0"],
    "localhost": ["127.0.0.0/8", "::1/128"],
    "link-local": ["169.254.0.0/16", "fe80::/64"],
    "multicast": ["224.0.0.0/4", "ff00::/8"],
}
#: Addresses a run must never reach (none is ever contacted: they are only matched against the unit).
INTERNAL = [
    "127.0.0.1", "127.0.0.2", "::1", "169.254.169.254", "fe80::1", "10.0.0.1", "172.16.5.4", "192.168.1.1",
    "100.64.0.1", "fd00::1", "0.0.0.0", "224.0.0.251",
]  # fmt: skip


def _directives(unit: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in (UNITS / unit).read_text(encoding="utf-8").splitlines():
        if re.match(r"^[A-Za-z]+=", line):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def _networks(values: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n) for value in values for word in value.split() for n in NAMED.get(word, [word])]


def _reaches(directives: dict[str, list[str]], address: str) -> bool:
    ip = ipaddress.ip_address(address)
    allowed = any(ip in n for n in _networks(directives.get("IPAddressAllow", [])))
    return allowed or not any(ip in n for n in _networks(directives.get("IPAddressDeny", [])))


def test_a_run_reaches_no_internal_address_but_its_resolver():
    run = _directives("ogi-run.service")
    assert [a for a in INTERNAL if _reaches(run, a)] == []
    assert _reaches(run, "127.0.0.53")  # the local DNS stub, named in the unit
    assert _reaches(run, "8.8.8.8") and _reaches(run, "2001:4860::1")  # public addresses: the portals
    serve = _directives("ogi-serve.service")
    assert not _reaches(serve, "8.8.8.8") and not _reaches(serve, "169.254.169.254")
    assert _reaches(serve, "127.0.0.1")  # the reverse proxy on loopback


def test_a_run_writes_only_the_store_and_the_archive():
    run = _directives("ogi-run.service")
    for key, value in {"ProtectSystem": "strict", "PrivateTmp": "yes", "NoNewPrivileges": "yes"}.items():
        assert run[key] == [value], key
    assert run["ReadWritePaths"] == ["/var/lib/ogi"] and run["CapabilityBoundingSet"] == [""]
    argv = shlex.split(run["ExecStart"][0])
    for option in ("--store", "--db", "--summary"):
        assert argv[argv.index(option) + 1].startswith("/var/lib/ogi/"), option
    # LibreOffice and Chromium get a network namespace of their own (parsers/offline.py): the unit allows it
    assert set(run["RestrictNamespaces"][0].split()) == {"user", "net"}
    serve = _directives("ogi-serve.service")
    assert serve["ProtectSystem"] == ["strict"] and "ReadWritePaths" not in serve


@pytest.mark.parametrize("unit, most", [("ogi-run.service", 2.5), ("ogi-serve.service", 1.5)])
def test_systemd_analyze_security(unit, most):
    """systemd's own exposure score (0 safest, 10 least): was 9.2 for the run's unit before it was hardened."""
    if shutil.which("systemd-analyze") is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is missing: .ci/run installs systemd")
        pytest.skip("systemd-analyze not installed")
    proc = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(UNITS / unit)], capture_output=True, text=True
    )
    score = re.search(r"Overall exposure level for \S+: ([\d.]+)", proc.stdout)
    assert score, proc.stdout[-500:] + proc.stderr[-500:]
    assert float(score.group(1)) <= most
