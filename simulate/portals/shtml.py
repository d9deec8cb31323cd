"""Provincial intensive platform: c<id>c/index.shtml and index_2.shtml; the old domain redirects; a flaky page (500 then 200)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .names import body_name
from .server import Page, Portal, Request, ul

if TYPE_CHECKING:
    from .farm import Farm


def build(farm: Farm, ip: str) -> None:
    """Provincial intensive platform: c<id>c/index.shtml and index_2.shtml; the old domain redirects; a flaky page (500 then 200)."""
    old = farm.portal("旧道里区", ip, "990107", "道里区")
    p = Portal(farm, "道里区", ip[:-1] + str(int(ip[-1]) + 1))
    farm.portals.append(p)
    old.routes["/"] = Page(b"", status=301, headers={"Location": p.url("/")})
    p.page("/", "道里区人民政府", '<a href="/hebdlq/c112200c/index.shtml">政务公开</a>')
    p.page("/hebdlq/c112200c/index.shtml", "政务公开", '<a href="/hebdlq/c112289c/index.shtml">政府信息公开年报</a>')
    items = []
    for i in range(farm.per_portal * 2):
        year = 2023 - i % 2
        url, title = farm.report(
            p,
            "990107",
            f"/hebdlq/c112289c/{year + 1}02/c01_{farm.next_id()}.shtml",
            body_name("道里区", i),
            year,
            attach=["pdf"] if i == 3 else (["png", "png", "zip"] if i == 5 else None),
        )
        items.append((urlparse(url).path, title))
    flaky_path = items[1][0]
    good = p.routes[flaky_path]
    calls = {"n": 0}

    def flaky(req: Request) -> Page:
        calls["n"] += 1
        return Page(b"busy", status=500) if calls["n"] == 1 else good  # type: ignore[return-value]

    p.routes[flaky_path] = flaky
    half = len(items) // 2
    p.page("/hebdlq/c112289c/index.shtml", "年报", ul(items[:half], farm.listed) + '<a href="index_2.shtml">下一页</a>')
    p.page("/hebdlq/c112289c/index_2.shtml", "年报", ul(items[half:], farm.listed))
