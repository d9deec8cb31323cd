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

from .cms import HINTS
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

    ``cms`` names a family of ``crawler.cms`` (``hanweb``, ``gkmlpt``, …) or is empty; an unknown
    name is logged and ignored (discovery works without it).
    """

    adcode: str
    portal_url: str
    reports_url: str
    cms: str = ""


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
        out.seeds.append(Seed(code, portal, reports, family))
    return out
