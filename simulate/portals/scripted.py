"""A column drawn only by a script, with no list API a crawler could find in the page.

The column page is an empty ``<div>`` and a script file; the script decodes its entries
(base64 JSON, as obfuscated front ends ship them) and builds the links with DOM calls, so no
``<a href>`` string, no JSON list URL exists anywhere a reader of the page's text could see it.
Only a browser running the script draws the list (``crawler.middlewares.browser``).
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING

from .server import BROWSER, Page

if TYPE_CHECKING:
    from .farm import Farm

SCRIPT = """(function () {
  var entries = JSON.parse(decodeURIComponent(escape(atob("%s"))));
  var list = document.getElementById("list");
  entries.forEach(function (e) {
    var li = document.createElement("li"), a = document.createElement("a"), span = document.createElement("span");
    a.setAttribute("hr" + "ef", e.u);
    a.textContent = e.t;
    span.textContent = e.d;
    li.appendChild(a); li.appendChild(span); list.appendChild(li);
  });
})();
"""


def build(farm: Farm, ip: str) -> None:
    """A county whose report column only a browser can read."""
    p = farm.portal("脚本县", ip, "990112", "脚本县")
    p.page("/", "脚本县人民政府", '<a href="/zwgk/">政务公开</a>')
    p.page("/zwgk/", "政务公开", '<a href="/zwgk/ndbg/">政府信息公开年报</a>')
    entries = []
    for i in range(max(2, farm.per_portal // 2)):
        year = 2023 - i
        url, title = farm.report(
            p, "990112", f"/zwgk/ndbg/{year + 1}/art_{farm.next_id()}.html", "脚本县人民政府", year, needs=BROWSER
        )
        entries.append({"u": url.removeprefix(p.base), "t": title, "d": farm.listed[url]})
    encoded = base64.b64encode(json.dumps(entries, ensure_ascii=False).encode("utf-8")).decode("ascii")
    p.page("/zwgk/ndbg/", "政府信息公开年报", '<ul id="list"></ul><script src="/js/list.js"></script>')
    p.routes["/js/list.js"] = Page((SCRIPT % encoded).encode("utf-8"), content_type="application/javascript")
