"""Saved real portals replayed on loopback (``Farm(replays=True)``): each under ``replays/<name>/`` with a
``SOURCE.md`` that says where every byte came from and what the replay adds.

A saved page is served at its original path, its links to the original host pointed at the replay's
address (as pywb rewrites a capture); links to any other host stay as saved, so a crawl that follows one
leaves the allowed network and is refused (and the test counts it).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

from . import trsapi
from .server import Page

if TYPE_CHECKING:
    from .farm import Farm

HERE = Path(__file__).resolve().parent / "replays"

#: 平潭综合实验区 (Fujian): its 政府信息公开年报 column on the TRS intensive platform (replays/pingtan/SOURCE.md).
PINGTAN = "350128"
#: The county codes of the replayed portals.
REPLAYS = (PINGTAN,)
_PINGTAN_HOSTS = ("https://www.pingtan.gov.cn", "http://www.pingtan.gov.cn")


def build_pingtan(farm: Farm, ip: str) -> None:
    """平潭综合实验区's saved 年报 column, its API and its entries' URLs; the 19 reports are the farm's truth."""
    folder = HERE / "pingtan"
    saved = json.loads((folder / "entries.json").read_text(encoding="utf-8"))
    p = farm.portal("平潭综合实验区", ip, PINGTAN, "平潭综合实验区")
    column = saved["column"]
    # only the column was saved: the seed names it (as a seeds file may), not the home page
    farm.seeds[-1].update(portal_url="", reports_url=p.url(column))
    page = (folder / "zfxxgknb.htm").read_text(encoding="utf-8")
    for host in _PINGTAN_HOSTS:
        page = page.replace(host + "/", p.base + "/")
    for path in (column, column + "index.htm"):
        p.routes[path] = Page(page.encode("utf-8"))
    answers: list[dict[str, object]] = []
    for entry in saved["entries"]:
        url = p.url(column + entry["path"])
        title, released = entry["title"], entry["released"]
        stamp = released.replace("-", ".")  # the API writes dates as 2005.12.11 00:00:00 (三明's saved answers)
        answers.append({"doctitle": title, "chnldocurl": url, "docpuburl": url, "url": url, "docreltime": stamp})
        p.page(
            column + entry["path"],
            title,
            f'<div class="article"><h1>{html.escape(title)}</h1><div class="info">发布时间：{released[:16]}</div>'
            "<p>(the saved page is not replayed: replays/pingtan/SOURCE.md)</p></div>",
        )
        if entry["report"]:
            farm.saved_report(url, PINGTAN, title, released[:10])
        else:
            farm.not_reports.add(url)
    p.routes[trsapi.API] = trsapi.search_api(answers, "200210", "chnlid=1813")  # type: ignore[assignment]
