"""Run a helper program where it can reach no network: LibreOffice and Chromium read strangers' files.

LibreOffice fetches what a document links (an image, an OLE object, a DDE section) whatever the load
options say, and Chromium's WebRTC sends UDP that no route or resolver rule sees. Neither needs a
network here: LibreOffice converts files on disk, and every request a rendered page makes is answered
by the crawler's own downloader through a pipe. So each is started behind one or both of:

* ``namespace``: a network namespace of its own (``unshare --net``; without root, inside a user
  namespace that maps the caller to itself), where the only interface is a loopback that is down;
* ``filter``: a seccomp filter, installed by this file run as a script before it execs the program,
  that refuses every socket but a Unix one (and ``io_uring``, which could open sockets past it).

The namespace needs root or unprivileged user namespaces; the filter needs only Linux on x86-64 or
ARM64. :func:`command` uses both where it can, and refuses to run anything when neither works.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

#: What isolation ``OGI_OFFLINE`` may ask for (default: all that works here).
MODES = ("namespace", "filter")
#: Machine → (AUDIT_ARCH_*, __NR_socket, __NR_io_uring_setup), from the kernel's uapi headers.
ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_AF_UNIX, _EACCES = 1, 13
_X32_SYSCALL_BIT = 0x40000000


class NoIsolation(RuntimeError):
    """This machine can start nothing without a network (no namespaces, no seccomp)."""


def _unshare() -> list[str] | None:
    exe = shutil.which("unshare")
    if exe is None:
        return None
    for prefix in ([exe, "--net", "--"], [exe, "--map-current-user", "--net", "--"]):
        if _works([*prefix, sys.executable, "-I", "-c", ""]):
            return prefix
    return None


def _filter() -> list[str] | None:
    prefix = [sys.executable, "-I", os.path.abspath(__file__), "--"]
    return prefix if _works([*prefix, sys.executable, "-I", "-c", ""]) else None


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class Offline:
    """Works out once which isolation this machine allows and prefixes commands with it.

    Args:
        modes: the isolation to use (:data:`MODES`); default ``OGI_OFFLINE`` (comma-separated) or all.
    """

    def __init__(self, modes: tuple[str, ...] | None = None) -> None:
        if modes is None:
            modes = tuple(m for m in os.environ.get("OGI_OFFLINE", ",".join(MODES)).split(",") if m)
        unknown = set(modes) - set(MODES)
        if unknown or not modes:
            raise ValueError(f"OGI_OFFLINE: {','.join(sorted(unknown)) or 'nothing'} (choose from {', '.join(MODES)})")
        self.prefix: list[str] = []
        self.modes: list[str] = []
        for mode, find in (("namespace", _unshare), ("filter", _filter)):
            found = find() if mode in modes else None
            if found is not None:
                self.prefix += found
                self.modes.append(mode)

    def command(self, cmd: list[str]) -> list[str]:
        """``cmd`` as it is run with no network (the same process: ``unshare`` and the filter exec it).

        Raises:
            NoIsolation: neither a namespace nor the filter can be had here.
        """
        if not self.modes:
            raise NoIsolation(
                "cannot start it without a network: no network namespace (unshare) and no seccomp filter here"
            )
        return [*self.prefix, *cmd]


def _program(machine: str) -> bytes:
    """The seccomp BPF program: a socket of any family but AF_UNIX fails with EACCES, io_uring too."""
    import struct

    arch, socket_nr, io_uring_nr = ARCHES[machine]
    allow, deny, kill = 0x7FFF0000, 0x00050000 | _EACCES, 0x80000000  # SECCOMP_RET_*
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    # (code, jump if true, jump if false, k); jumps count the instructions skipped
    program = [
        (ld, 0, 0, 4),  # seccomp_data.arch
        (jeq, 1, 0, arch),
        (ret, 0, 0, kill),  # another ABI (32-bit calls) is never expected: the process ends
        (ld, 0, 0, 0),  # seccomp_data.nr
        (jge, 4, 0, _X32_SYSCALL_BIT),
        (jeq, 3, 0, io_uring_nr),
        (jeq, 0, 3, socket_nr),
        (ld, 0, 0, 16),  # seccomp_data.args[0] (its low half): the address family
        (jeq, 1, 0, _AF_UNIX),
        (ret, 0, 0, deny),
        (ret, 0, 0, allow),
    ]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)


def install_filter() -> None:
    """Install the filter in this process (kept across exec, and by every child it starts).

    Raises:
        OSError: the kernel refused it, or this machine's architecture is not in :data:`ARCHES`.
    """
    import ctypes
    import platform

    machine = platform.machine()
    if machine not in ARCHES:
        raise OSError(f"no seccomp filter for {machine}")
    code = _program(machine)
    buffer = ctypes.create_string_buffer(code, len(code))

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    program = Program(len(code) // 8, ctypes.addressof(buffer))
    if libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


def main(argv: list[str]) -> int:
    """``python offline.py -- program args…``: install the filter, then become the program."""
    args = argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: offline.py -- program [args…]", file=sys.stderr)
        return 2
    try:
        install_filter()
        os.execvp(args[0], args)
    except OSError as exc:
        print(f"offline.py: {exc}", file=sys.stderr)
    return 126


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
