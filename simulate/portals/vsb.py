"""VSB (博达): list then count-down pages zfxxgknb/N.htm, info/<col>/<id>.htm, download.jsp with Content-Disposition only."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .names import body_name
from .server import ul

if TYPE_CHECKING:
    from .farm import Farm


def build(farm: Farm, ip: str) -> None:
    """VSB (博达): list then count-down pages zfxxgknb/N.htm, info/<col>/<id>.htm, download.jsp with Content-Disposition only."""
    p = farm.portal("vsb富民县", ip, "990105", "富民县", encoding="gbk")
    p.page("/", "富民县人民政府", '<a href="/zwgk.htm">政务公开</a>')
    p.page("/zwgk.htm", "政务公开", '<a href="/zwgk/zfxxgknb.htm">政府信息公开年报</a>')
    items = []
    for i in range(farm.per_portal * 2):
        year = 2023 - i % 2
        url, title = farm.report(
            p,
            "990105",
            f"/info/1648/{farm.next_id()}.htm",
            body_name("富民县", i),
            year,
            attach=["pdf"] if i % 2 else ["docx"],
        )
        items.append((urlparse(url).path, title))
    items += farm.noise(p, "/info/1649", 2023)
    per = farm.variant(4, 3, 6)
    pages = [items[i : i + per] for i in range(0, len(items), per)]
    total = len(pages)
    for n, chunk in enumerate(pages):
        # first page is zfxxgknb.htm; the others count down: zfxxgknb/{total-1}.htm … zfxxgknb/1.htm
        path = "/zwgk/zfxxgknb.htm" if n == 0 else f"/zwgk/zfxxgknb/{total - n}.htm"
        nxt = f"/zwgk/zfxxgknb/{total - n - 1}.htm" if n + 1 < total else None
        p.page(
            path,
            "政府信息公开年报",
            ul(chunk, farm.listed)
            + (f'<a href="{nxt}">下页</a><a href="/zwgk/zfxxgknb/1.htm">尾页</a>' if nxt else ""),
        )
