"""``ogi`` command line: ``ogi crawl``, ``ogi run``, ``ogi merge``, ``ogi seeds``, ``ogi parse``, ``ogi build``,
``ogi parse-worker``, ``ogi serve``, ``ogi demo``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from archive import settings
from parsers import ParseError
from parsers.limits import Limits, Sandbox

from .demo import DEMO_DIR

log = logging.getLogger("ogi")


def parse_paths(paths: Sequence[str], limits: Limits | None = None) -> Iterator[dict[str, Any]]:
    """Parse each path under the per-document limits; yield its record, or ``{"path", "error", "reason"}``.

    Args:
        paths: documents to read, in order.
        limits: time and memory allowed per document.
    """
    with Sandbox(limits) as sandbox:
        for path in paths:
            try:
                record = sandbox.parse(path)
            except ParseError as exc:
                yield {"path": path, "error": str(exc), "reason": exc.reason}
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


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.extensions.summary import seeds_unusable
    from crawler.run import crawl

    overrides = dict(item.split("=", 1) for item in args.set)
    if args.jobdir:
        overrides["JOBDIR"] = args.jobdir
    for option, setting in (("frontier", "OGI_FRONTIER"), ("run", "OGI_RUN"), ("worker", "OGI_WORKER")):
        if getattr(args, option):
            overrides[setting] = getattr(args, option)
    if args.frontier and not args.run:
        log.error("--frontier needs --run: the name every worker of the crawl shares")
        return 2
    try:
        result = crawl(args.seeds, args.store, only=args.only, profile=args.profile, overrides=overrides)
    except KeyError as exc:
        log.error("%s", exc.args[0])
        return 2
    # the summary itself was logged by the CrawlSummary extension
    if seeds_unusable(result.stats):
        return 2
    return 0 if result.reason == "finished" or result.reason.startswith("closespider_") else 1


def cmd_run(args: argparse.Namespace) -> int:
    from .scheduled import BUSY, RunLocked, scheduled_run

    seeds = args.seeds or (settings.SEEDS if Path(settings.SEEDS).is_file() else None)
    try:
        done = scheduled_run(
            args.store,
            seeds,
            db=None if args.no_build else args.db,
            jobdir=args.jobdir,
            profile=args.profile,
            overrides=dict(item.split("=", 1) for item in args.set),
            jobs=args.jobs or os.cpu_count() or 1,
        )
    except RunLocked as exc:
        log.warning("%s", exc)
        return BUSY
    except KeyError as exc:
        log.error("%s", exc.args[0])
        return 2
    text = done.summary()
    print(text)
    if args.summary:
        Path(args.summary).write_text(text + "\n", encoding="utf-8")
    return 0 if done.ok else 1


def cmd_seeds(args: argparse.Namespace) -> int:
    from crawler.seeds import SeedsError, coverage, fill, read_rows

    seeds = args.seeds or settings.SEEDS
    try:
        if args.action == "discover":
            from crawler.run import discover_sites

            result = discover_sites(args.out, args.provinces, seeds, args.store, profile=args.profile)
            found = read_rows(args.out)[0] if Path(args.out).is_file() else []
            counties = sum(1 for r in found if r.get("adcode"))
            log.info("%s: %d county portals, %d prefecture portals found", args.out, counties, len(found) - counties)
            return 0 if result.reason == "finished" else 1
        if args.action == "fill":
            from crawler.run import settings_for
            from crawler.urlpolicy import allow_list

            filled = fill(seeds, args.found, allow_list(settings_for(args.profile)))
            log.info("%s: %d rows got a portal URL from %s", seeds, filled, args.found)
        rows = read_rows(seeds)[0]
    except SeedsError as exc:
        log.error("%s", exc)
        return 1
    table = coverage(rows)
    for province, with_url, total in table:
        print(f"{province}\t{with_url}/{total}")
    with_url, total = sum(t[1] for t in table), sum(t[2] for t in table)
    print(f"all\t{with_url}/{total} ({100 * with_url / max(total, 1):.1f}%) rows with a URL to start from")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from rawstore import StoreError
    from rawstore.merge import merge

    try:
        summary = merge(args.shards, args.into)
    except StoreError as exc:
        log.error("%s", exc)
        return 1
    print(f"{args.into}: {summary}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from archive.build import BuildRunning, build
    from crawler.seeds import SeedsError
    from rawstore import StoreError

    seeds = args.seeds
    if seeds is None and Path(settings.SEEDS).is_file():
        seeds = settings.SEEDS
    elif seeds is None:
        log.warning("no %s here: regions get only their codes (name a seeds file with --seeds)", settings.SEEDS)
    try:
        summary = build(
            args.db,
            args.store,
            seeds,
            reparse=args.reparse,
            progress=sys.stderr.isatty(),
            batch=args.batch,
            jobs=args.jobs or os.cpu_count() or 1,
            frontier=args.frontier,
            queue=args.queue,
        )
    except (SeedsError, StoreError, BuildRunning) as exc:
        log.error("%s", exc)
        return 1
    except RedisError as exc:
        log.error("the parse queue's Redis at %s: %s", args.frontier, exc)
        return 1
    print(f"{args.db}: {summary}")
    return 0


def cmd_parse_worker(args: argparse.Namespace) -> int:
    from archive.parsequeue import serve

    try:
        serve(args.frontier, args.store, args.queue, jobs=args.jobs or os.cpu_count() or 1, idle_exit=args.idle_exit)
    except RedisError as exc:
        log.error("the parse queue's Redis at %s: %s", args.frontier, exc)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from archive.build import built_from
    from archive.serve import serve

    if not Path(args.db).exists():
        log.error("%s does not exist: run `ogi build` (or `ogi demo`) first", args.db)
        return 1
    store = args.store or built_from(args.db) or settings.STORE
    if not Path(store).is_dir():
        log.warning("no raw store at %s: archived copies will not be found (name one with --store)", store)
    serve(args.db, args.host, args.port, store=store)


def cmd_demo(args: argparse.Namespace) -> int:
    from ogi.demo import demo

    return demo(args.dir, serve_after=not args.no_serve, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ogi`` (one sub-command per part)."""
    from crawler.profiles import PROFILES

    parser = argparse.ArgumentParser(prog="ogi", description="Open archive of 政府信息公开工作年度报告.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("crawl", help="crawl the seeds' portals into the raw store (the annual_reports spider)")
    c.add_argument("--seeds", help=f"seeds CSV (default {settings.SEEDS})")
    c.add_argument("--store", default=settings.STORE, help=f"raw store to write (default {settings.STORE}/)")
    c.add_argument("--only", help="comma-separated adcodes to crawl")
    c.add_argument("--profile", default="polite", choices=sorted(PROFILES), help="settings profile (default polite)")
    c.add_argument("--jobdir", help="Scrapy JOBDIR: an interrupted crawl resumes from here")
    c.add_argument(
        "--frontier", metavar="REDIS_URL", help="share the crawl's queue with other workers through this Redis"
    )
    c.add_argument("--run", help="the run's name (shared by every worker of one distributed crawl)")
    c.add_argument("--worker", help="this worker's name in the frontier (default host-pid)")
    c.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting")
    c.set_defaults(func=cmd_crawl)
    r = sub.add_parser(
        "run",
        help="one scheduled run: crawl then build, never two at once (what deploy/systemd and deploy/cron call)",
    )
    r.add_argument("--seeds", help=f"seeds CSV (default {settings.SEEDS})")
    r.add_argument("--store", default=settings.STORE, help=f"raw store to write (default {settings.STORE}/)")
    r.add_argument("--db", default=settings.DB, help=f"archive to build after the crawl (default {settings.DB})")
    r.add_argument("--no-build", action="store_true", help="crawl only")
    r.add_argument("--profile", default="polite", choices=sorted(PROFILES), help="settings profile (default polite)")
    r.add_argument("--jobdir", help="the crawl's JOBDIR (default STORE/job): a run stopped cleanly resumes from here")
    r.add_argument("--jobs", type=int, default=1, help="documents the build parses at once (0: one per core)")
    r.add_argument("--summary", metavar="FILE", help="also write the run's plain-text summary here")
    r.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting")
    r.set_defaults(func=cmd_run)
    e = sub.add_parser("seeds", help="the seed list: coverage, portals found from province portals, filled in")
    e.add_argument("action", choices=["coverage", "discover", "fill"], help="what to do (see seeds/README.md)")
    e.add_argument("--seeds", help=f"the seeds CSV (default {settings.SEEDS})")
    e.add_argument("--provinces", help="discover: province portals CSV (default seeds/provinces.csv)")
    e.add_argument("--out", default="seeds/found_portals.csv", help="discover: where the rows go")
    e.add_argument("--found", default="seeds/found_portals.csv", help="fill: the rows discover wrote")
    e.add_argument("--store", default=settings.STORE, help="discover: raw store the pages are kept in")
    e.add_argument("--profile", default="polite", choices=sorted(PROFILES), help="discover, fill: settings profile")
    e.set_defaults(func=cmd_seeds)
    m = sub.add_parser("merge", help="merge store shards (one per crawl worker) into one store; safe to repeat")
    m.add_argument("shards", nargs="+", metavar="SHARD", help="the workers' store directories")
    m.add_argument("--into", default=settings.STORE, help=f"the store to merge into (default {settings.STORE}/)")
    m.set_defaults(func=cmd_merge)
    p = sub.add_parser("parse", help="parse report documents into canonical records")
    p.add_argument("--json", action="store_true", help="one JSON record per input, one per line")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report documents (HTML, text, DOCX, PDF)")
    p.set_defaults(func=cmd_parse)
    b = sub.add_parser("build", help="build archive.db from the raw store")
    b.add_argument("--db", default=settings.DB, help=f"database to write (default {settings.DB})")
    b.add_argument("--store", default=settings.STORE, help=f"the crawler's raw store (default {settings.STORE}/)")
    b.add_argument("--seeds", help=f"seeds CSV for regions and portals (default {settings.SEEDS} if present)")
    b.add_argument("--reparse", action="store_true", help="parse every document again (after a parser upgrade)")
    b.add_argument(
        "--batch", type=int, default=settings.BATCH, help=f"reports per transaction (default {settings.BATCH})"
    )
    b.add_argument("--jobs", type=int, default=1, help="documents parsed at once (0: one per core; default 1)")
    b.add_argument("--frontier", metavar="REDIS_URL", help="share the parsing with `ogi parse-worker`s via this Redis")
    b.add_argument("--queue", help="the parse queue's name on that Redis (default archive)")
    b.set_defaults(func=cmd_build)
    w = sub.add_parser("parse-worker", help="parse documents for a build on another machine (ogi build --frontier)")
    w.add_argument("--frontier", required=True, metavar="REDIS_URL", help="the build's Redis")
    w.add_argument("--store", default=settings.STORE, help="this machine's copy of the raw store")
    w.add_argument("--queue", default="archive", help="the parse queue's name (default archive)")
    w.add_argument("--jobs", type=int, default=1, help="documents parsed at once (0: one per core)")
    w.add_argument("--idle-exit", type=float, metavar="SECONDS", help="stop after this long without a job")
    w.set_defaults(func=cmd_parse_worker)
    s = sub.add_parser("serve", help="serve archive.db with Datasette")
    s.add_argument("--db", default=settings.DB)
    s.add_argument("--host", default=settings.HOST)
    s.add_argument("--port", type=int, default=settings.PORT)
    s.add_argument("--store", help="raw store, for the archived copies (default: the one the archive was built from)")
    s.set_defaults(func=cmd_serve)
    d = sub.add_parser("demo", help="crawl the bundled demo portals, build archive.db and serve it (offline)")
    d.add_argument(
        "--dir",
        default=DEMO_DIR,
        help=f"the demo's directory: store, seeds, archive.db (replaced; default {DEMO_DIR}/)",
    )
    d.add_argument("--port", type=int, default=settings.PORT)
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
