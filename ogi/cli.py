"""``ogi`` command line: ``ogi parse``, ``ogi build``, ``ogi serve``, ``ogi demo``."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

log = logging.getLogger("ogi")

#: Seconds one document may take before it is given up (a hostile PDF must not hang a batch).
DOCUMENT_TIMEOUT = 120


class DocumentTimeout(Exception):
    """Raised inside a parse that ran over its time."""


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise DocumentTimeout(f"gave up after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def parse_paths(paths: Sequence[str], timeout: int = DOCUMENT_TIMEOUT) -> Iterator[dict[str, Any]]:
    """Parse each path; yield its record, or ``{"path", "error"}`` when it cannot be parsed.

    Args:
        paths: documents to read, in order.
        timeout: seconds allowed per document.
    """
    from parsers import ParseError, parse_document

    for path in paths:
        try:
            with _time_limit(timeout):
                record = parse_document(path).to_dict()
        except ParseError as exc:
            yield {"path": path, "error": str(exc)}
            continue
        except DocumentTimeout as exc:
            yield {"path": path, "error": str(exc)}
            continue
        except RecursionError:
            yield {"path": path, "error": "document nested too deeply to read"}
            continue
        except Exception as exc:  # a parser bug must not stop the other inputs
            log.debug("internal error on %s", path, exc_info=True)
            yield {"path": path, "error": f"internal error: {type(exc).__name__}: {exc}"}
            continue
        yield {"path": path, **record}


def cmd_parse(args: argparse.Namespace) -> int:
    from .summary import summarise

    outcomes: Counter[str] = Counter()
    for record in parse_paths(args.paths):
        if "error" in record:
            outcomes["failed"] += 1
            log.warning("%s: %s", record["path"], record["error"])
        else:
            outcomes["with template" if record["template"] else "without template"] += 1
        if args.json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(summarise(record["path"], record) + "\n\n")
        sys.stdout.flush()
    log.info("parsed %d documents: %s", len(args.paths), ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())))
    return 1 if outcomes["failed"] else 0


def cmd_build(args: argparse.Namespace) -> int:
    from archive.build import build

    try:
        summary = build(args.db, args.store, args.seeds, reparse=args.reparse, progress=sys.stderr.isatty())
    except FileNotFoundError as exc:
        log.error("%s", exc)
        return 1
    print(f"{args.db}: {summary}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from archive.serve import serve

    if not Path(args.db).exists():
        log.error("%s does not exist: run `ogi build` (or `ogi demo`) first", args.db)
        return 1
    serve(args.db, args.host, args.port, store=args.store)


def cmd_demo(args: argparse.Namespace) -> int:
    from ogi.demo import demo

    return demo(args.db, args.store, serve_after=not args.no_serve, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ogi`` (one sub-command per part)."""
    parser = argparse.ArgumentParser(prog="ogi", description="Open archive of 政府信息公开工作年度报告.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse report documents into canonical records")
    p.add_argument("--json", action="store_true", help="one JSON record per input, one per line")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report documents (HTML, text, DOCX, PDF)")
    p.set_defaults(func=cmd_parse)
    b = sub.add_parser("build", help="build archive.db from the raw store")
    b.add_argument("--db", default="archive.db", help="database to write (default archive.db)")
    b.add_argument("--store", default="store", help="the crawler's raw store (default store/)")
    b.add_argument("--seeds", default="seeds/portals.csv", help="seeds CSV for regions and portals")
    b.add_argument("--reparse", action="store_true", help="parse every document again (after a parser upgrade)")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("serve", help="serve archive.db with Datasette")
    s.add_argument("--db", default="archive.db")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8001)
    s.add_argument("--store", default="store", help="raw store, for the archived copies (default store/)")
    s.set_defaults(func=cmd_serve)
    d = sub.add_parser("demo", help="crawl the bundled demo portals, build archive.db and serve it (offline)")
    d.add_argument("--db", default="archive.db")
    d.add_argument("--store", default="store-demo", help="raw store of the demo crawl (emptied first)")
    d.add_argument("--port", type=int, default=8001)
    d.add_argument("--no-serve", action="store_true", help="stop after the build")
    d.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ogi``; returns the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
