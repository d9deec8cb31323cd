"""The build's parsing step: one kept body (or a report's page images together) through the sandboxed
parser, read from the store and checked against its hash. The build and the shared parse queue's
workers both parse this way."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from parsers import ParseError
from parsers.limits import SandboxPool
from rawstore import DamagedBlob, Fetch, body_file

#: What parsing a document gives: (record, error, reason).
Parsed = tuple[dict[str, Any] | None, str | None, str | None]


def parse(root: Path, sha: str | list[str], first: Fetch, pool: SandboxPool) -> Parsed:
    """Parse one kept body, or a report's page images together (a list of their hashes, in page order):
    (record, error, reason). Runs in the prefetch threads: no database here."""
    shas = [sha] if isinstance(sha, str) else sha
    try:
        with ExitStack() as files:  # the worker reads files: each checked against its hash first
            paths = [files.enter_context(body_file(root, s)) for s in shas]
            source = paths[0] if isinstance(sha, str) else [str(p) for p in paths]
            return pool.parse(source, content_type=first.content_type, url=first.url), None, None
    except ParseError as exc:
        return None, str(exc), exc.reason
    except (DamagedBlob, FileNotFoundError) as exc:
        return None, str(exc), "damaged"
