"""A throwaway Redis server for distributed crawls of the farm (tests, benchmarks): Debian's ``redis-server``
on a free loopback port, keeping nothing on disk."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from redis import Redis


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for a server the caller starts: Redis, Datasette)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def redis_server() -> Iterator[str]:
    """Start ``redis-server`` on 127.0.0.1 and yield its URL; stopped on exit.

    Raises:
        FileNotFoundError: no ``redis-server`` (Debian package ``redis-server``; ``.ci/run`` installs it).
    """
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        args = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        proc = subprocess.Popen([*args, "--dir", work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
        try:
            client = Redis.from_url(url)
            for _ in range(100):
                try:
                    client.ping()
                    break
                except Exception:
                    time.sleep(0.05)
            else:
                raise RuntimeError(f"redis-server did not answer on port {port}")
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)
