"""Reading the seeds list (``seeds/portals.csv`` and lists like it): rows, their URLs checked.

A seeds file is edited by hand and by spreadsheets: Excel on a Chinese
Windows saves CSV as GBK, a row may lack the ``http://``, a cell may hold a
``file://`` path. Every row is judged on its own; a bad row is reported with
its line number and skipped, and the others are crawled.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from .discovery.cms import HINTS
from .urlpolicy import AllowList, check_url

log = logging.getLogger(__name__)

#: Tried in order: UTF-8 (with or without BOM), then the superset of GBK that Chinese Windows writes.
ENCODINGS = ("utf-8-sig", "gb18030")
#: Columns a seeds file must have.
REQUIRED = ("adcode", "portal_url")


class SeedsError(Exception):
    """A seeds file that cannot be read at all (missing, not CSV, no ``adcode``/``portal_url`` columns)."""


@dataclass(frozen=True)
class Seed:
    """One usable row: the government's code, the URLs to start from, and the portal software if known.

    ``cms`` names a family of ``crawler.discovery.cms`` (``hanweb``, ``gkmlpt``, …) or is empty; an unknown
    name is logged and ignored (discovery works without it).
    """

    adcode: str
    portal_url: str
    reports_url: str
    cms: str = ""
    #: the division's name (``county`` column): which off-site bodies are this government's own
    county: str = ""


@dataclass
class SeedList:
    """A seeds file, read.

    Attributes:
        seeds: the rows with a usable URL.
        without_url: rows with neither URL (counted, not crawled).
        invalid: (line number, why) of each row whose URL the crawler may not fetch.
        encoding: how the file was decoded.
    """

    seeds: list[Seed] = field(default_factory=list)
    without_url: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)
    encoding: str = "utf-8-sig"


def read_rows(path: str | Path) -> tuple[list[dict[str, str]], str]:
    """The rows of a seeds CSV and the encoding it was read in.

    Raises:
        SeedsError: the file is missing, unreadable, or lacks the required columns.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SeedsError(f"cannot read the seeds file {path}: {exc.strerror or exc}") from None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # gb18030 decodes nearly anything; this is for files that are not text at all
        raise SeedsError(f"the seeds file {path} is neither UTF-8 nor GBK text")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as exc:
        raise SeedsError(f"the seeds file {path} is not CSV: {exc}") from None
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise SeedsError(f"the seeds file {path} has no {', '.join(missing)} column (see seeds/README.md)")
    return rows, encoding


def read_seeds(path: str | Path, only: set[str] | None = None, allow: AllowList | None = None) -> SeedList:
    """Read a seeds file and judge each row's URLs by the URL policy (scheme, host, literal address).

    Args:
        path: the CSV.
        only: adcodes to keep (None: all).
        allow: the crawl's allowed hosts (``OGI_ALLOWED_HOSTS``).

    Raises:
        SeedsError: see :func:`read_rows`.
    """
    rows, encoding = read_rows(path)
    out = SeedList(encoding=encoding)
    if encoding != ENCODINGS[0]:
        log.info("seeds file %s read as %s", path, encoding)
    for line, row in enumerate(rows, start=2):
        code = row.get("adcode", "")
        if only and code not in only:
            continue
        portal, reports = row.get("portal_url", ""), row.get("reports_url", "")
        if not portal and not reports:
            out.without_url += 1
            continue
        refusals = [r for r in (check_url(u, allow or AllowList()) for u in (portal, reports) if u) if r]
        if refusals:
            out.invalid.append((line, f"{code or 'no adcode'}: {refusals[0]}"))
            continue
        family = row.get("cms", "").lower()
        if family and family not in HINTS:
            log.warning(
                "seeds file %s line %d: unknown cms %r ignored (known: %s)",
                path,
                line,
                family,
                ", ".join(sorted(HINTS)),
            )
            family = ""
        out.seeds.append(Seed(code, portal, reports, family, row.get("county", "").strip()))
    return out


def fill(seeds: str | Path, found: str | Path, allow: AllowList | None = None) -> int:
    """Put the portal URLs ``portal_sites`` found into a seeds file, where a row has none yet.

    A URL already in the file (kept by hand, or filled before) is never replaced, and a URL the URL
    policy refuses (the links came from strangers' pages) is not taken. The file is rewritten whole
    (UTF-8), through a temporary file, so a kill leaves either the old or the new.

    Args:
        seeds: the seeds CSV to fill.
        found: the CSV ``ogi seeds discover`` wrote (``adcode``, ``portal_url``, …).
        allow: the crawl's exceptions to the URL policy (``OGI_ALLOWED_HOSTS``).

    Returns:
        How many rows got a URL.

    Raises:
        SeedsError: either file unreadable or without the required columns.
    """
    rows, _ = read_rows(seeds)
    urls = {r["adcode"]: r["portal_url"] for r in read_rows(found)[0] if r.get("adcode") and r.get("portal_url")}
    filled = 0
    for row in rows:
        url = urls.get(row.get("adcode", ""))
        if url and not row.get("portal_url") and check_url(url, allow or AllowList()) is None:
            row["portal_url"] = url
            filled += 1
    columns = list(rows[0]) if rows else list(REQUIRED)
    path = Path(seeds)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)
    return filled


def coverage(rows: list[dict[str, str]]) -> list[tuple[str, int, int]]:
    """How much of the seed list can be crawled: per province, rows with a URL and rows in all.

    Args:
        rows: the seeds file's rows (:func:`read_rows`).
    """
    counts: dict[str, list[int]] = {}
    for row in rows:
        c = counts.setdefault(row.get("province") or "?", [0, 0])
        c[0] += bool(row.get("portal_url") or row.get("reports_url"))
        c[1] += 1
    return [(province, with_url, total) for province, (with_url, total) in counts.items()]
