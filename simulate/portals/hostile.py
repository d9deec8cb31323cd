"""A hostile portal (``Farm(hostile=True)``): every way a page written by a stranger can reach what it
should not, and files made to hurt the parser.

What it copies, with where it was seen:

* report links and redirects to ``file://`` and ``ftp://`` — Scrapy ships handlers for both, so a 301 to
  ``file:///etc/passwd`` makes a crawler read and keep a local file (scrapy/scrapy#457;
  Yoko-Co/yoko-crawler#89: ``file://host/etc/passwd`` read through a host-only check);
* links and redirects to internal addresses — cloud metadata, private networks, loopback, and a name that
  resolves to one (colophon-group/jobseek#3214, crewAIInc/crewAI#5711: redirect hops never checked), and
  an ASP.NET pager whose form posts back to one (a form's action is the page's to set).
  Here every such address is a *loopback* server outside the farm's network: ``internal`` records each
  request it receives, and a test requires that it receives none;
* a report page with scripts (it is archived and shown again by the archive);
* a list drawn by a script (so the crawler renders it in its headless browser) that also tries every way a
  page can reach out of a browser: fetch and XHR to the internal services, an image, an iframe, a WebSocket,
  a form post, workers (dedicated and shared) that fetch in turn, WebRTC (a STUN and a TURN server on the internal service's port: UDP, which no route or
  resolver rule sees), a popup (``window.open`` makes a page of its own) and finally a navigation to the
  metadata address (what the headless path must contain);
* list pages whose script never ends (``while (true)``): each holds the browser until its time is up, and
  must not hold other portals' rendering (a budget per portal);
* attachments that are a zip bomb, declared 2 GB long, or endless; a report page nested 100,000 deep.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from simulate.documents import hostile as bad

from .server import BROWSER, ENDLESS, HUGE, Page, Portal, ul

if TYPE_CHECKING:
    from .farm import Farm

ADCODE = "990199"
#: A second portal whose year lists' scripts never end (each holds the browser for its whole time).
LOOPING_ADCODE = "990198"
LOOPING_PAGES = 6
AGENCY = "恶意县人民政府"
#: Script a stranger's page carries: were it run on the archive's origin, it could act for its visitors.
SCRIPT = "<script>document.title='pwned:'+document.cookie</script><img src=x onerror=\"alert('pwned')\">"


def build(farm: Farm, ip: str) -> None:
    """The hostile portal on ``ip`` and two internal services (127.0.0.2 and 127.0.0.1) it points at."""
    from .farm import Report

    p = farm.portal("恶意县", ip, ADCODE, "恶意县")
    internal = Portal(farm, "内部服务", "127.0.0.2")
    by_name = Portal(farm, "本机服务", "127.0.0.1")  # reached as http://localhost:…/ (a name, resolved)
    for service in (internal, by_name):
        service.routes["/latest/meta-data/"] = Page(b"secret-role-credentials", content_type="text/plain")
        service.routes["/report.html"] = Page(b"<html><body>internal</body></html>")
    farm.portals += [internal, by_name]
    farm.internal = [internal, by_name]
    metadata = internal.url("/latest/meta-data/")
    local = f"http://localhost:{by_name.server.server_address[1]}/report.html"

    p.page("/", "恶意县人民政府", '<a href="/xxgk/">政府信息公开</a>')
    p.page("/xxgk/", "政府信息公开", '<a href="/xxgk/ndbg/">政府信息公开年报</a>')
    p.routes["/xxgk/ndbg/moved.html"] = Page(b"", status=302, headers={"Location": metadata})
    p.routes["/xxgk/ndbg/file.html"] = Page(b"", status=301, headers={"Location": "file:///etc/passwd"})

    url, title = farm.report(p, ADCODE, "/xxgk/ndbg/2024/script.html", AGENCY, 2024)
    bomb = p.url("/xxgk/ndbg/2024/P0bomb.docx")
    p.file("/xxgk/ndbg/2024/P0bomb.docx", bad.zip_bomb_docx(), "application/msword")
    p.routes["/xxgk/ndbg/2024/P0huge.pdf"] = HUGE  # type: ignore[assignment]
    p.routes["/xxgk/ndbg/2024/P0endless.pdf"] = ENDLESS  # type: ignore[assignment]
    p.routes["/xxgk/ndbg/2024/P0moved.pdf"] = Page(b"", status=302, headers={"Location": metadata})
    links = [
        ("P0bomb.docx", "附件1.docx"),
        ("P0huge.pdf", "附件2.pdf"),
        ("P0endless.pdf", "附件3.pdf"),
        ("P0moved.pdf", "附件4.pdf"),
        ("file:///etc/shadow?.pdf", "附件5.pdf"),
        (internal.url("/report.pdf"), "附件6.pdf"),
    ]
    page = p.routes["/xxgk/ndbg/2024/script.html"]
    assert isinstance(page, Page)
    extra = SCRIPT + "".join(f'<p><a href="{html.escape(u)}">{html.escape(t)}</a></p>' for u, t in links)
    page.body = page.body.replace(b"</body>", extra.encode() + b"</body>")
    farm.reports[url].files.append(bomb)

    deep_path = "/xxgk/ndbg/2023/deep.html"
    rec = farm.record(AGENCY, 2023)
    p.file(deep_path, bad.deep_html(rec, farm.rng), "text/html; charset=utf-8")
    deep_title = f"{AGENCY}2023年政府信息公开工作年度报告"
    farm.reports[p.url(deep_path)] = Report(p.url(deep_path), ADCODE, deep_title, [], rec)

    def named(year: int) -> str:
        return f"恶意县{year}年政府信息公开工作年度报告"

    items = [
        ("/xxgk/ndbg/2024/script.html", title),
        (deep_path, deep_title),
        ("file:///etc/passwd", named(2022)),
        (f"ftp://{ip}/pub/2021.pdf", named(2021)),
        ("/xxgk/ndbg/moved.html", named(2020)),
        ("/xxgk/ndbg/file.html", named(2019)),
        (internal.url("/report.html"), named(2018)),
        (local, named(2017)),
        (metadata, named(2016)),
    ]
    items.append(("/xxgk/ndbg/2015/", "2015年"))
    _scripted_list(farm, p, internal, local)
    # an ASP.NET pager whose form posts back to an internal service (the form's action is the page's to set)
    postback = internal.url("/list.aspx")
    pager = (
        f'<form method="post" action="{html.escape(postback)}"><input type="hidden" name="__VIEWSTATE" value="x"/>'
        "<a href=\"javascript:__doPostBack('ctl00$pager','2')\">下一页</a></form>"
    )
    p.page("/xxgk/ndbg/", "政府信息公开年报", ul(items, farm.listed) + pager)
    # what the crawler must refuse: links, redirect targets, attachment links and the pager's post-back
    farm.refused |= {u for u, _ in items[2:] if "://" in u} | {"file:///etc/shadow?.pdf", internal.url("/report.pdf")}
    farm.refused.add(postback)


def build_looping(farm: Farm, ip: str) -> None:
    """死循环县: a report column of :data:`LOOPING_PAGES` year lists, each drawn by a script that never ends."""
    p = farm.portal("死循环县", ip, LOOPING_ADCODE, "死循环县")
    p.page("/", "死循环县人民政府", '<a href="/xxgk/">政府信息公开</a>')
    p.page("/xxgk/", "政府信息公开", '<a href="/xxgk/ndbg/">政府信息公开年报</a>')
    years = [(f"/xxgk/ndbg/{2024 - i}/", f"{2024 - i}年") for i in range(LOOPING_PAGES)]
    p.page("/xxgk/ndbg/", "政府信息公开年报", ul(years, farm.listed))
    p.routes["/loop.js"] = Page(b"while (true) {}", content_type="application/javascript")
    for path, title in years:
        p.page(path, title, '<ul id="list"></ul><script src="/loop.js"></script>')


def _scripted_list(farm: Farm, p: Portal, internal: Portal, local: str) -> None:
    """A list only its script draws, whose script also reaches for the internal services every way it can."""
    url, title = farm.report(p, ADCODE, "/xxgk/ndbg/2015/rendered.html", AGENCY, 2015, needs=BROWSER)
    metadata = internal.url("/latest/meta-data/")
    ws = internal.url("/socket").replace("http://", "ws://")
    stun = internal.base.removeprefix("http://")
    internal.listen_udp()
    script = f"""
var list = document.getElementById("list"), li = document.createElement("li"), a = document.createElement("a");
a.setAttribute("hr" + "ef", "{url.removeprefix(p.base)}"); a.textContent = "{title}"; li.appendChild(a); list.appendChild(li);
try {{ fetch("{metadata}"); }} catch (e) {{}}
try {{ var x = new XMLHttpRequest(); x.open("GET", "{local}"); x.send(); }} catch (e) {{}}
try {{ new Image().src = "{metadata}?img"; }} catch (e) {{}}
try {{ var f = document.createElement("iframe"); f.src = "{metadata}?frame"; document.body.appendChild(f); }} catch (e) {{}}
try {{ new WebSocket("{ws}"); }} catch (e) {{}}
try {{ var pc = new RTCPeerConnection({{iceServers: [{{urls: "stun:{stun}"}},
         {{urls: "turn:{stun}?transport=udp", username: "u", credential: "p"}}]}});
       pc.createDataChannel("x"); pc.createOffer().then(function (o) {{ return pc.setLocalDescription(o); }}); }} catch (e) {{}}
try {{ new Worker("/xxgk/ndbg/2015/worker.js"); }} catch (e) {{}}
try {{ new SharedWorker("/xxgk/ndbg/2015/worker.js"); }} catch (e) {{}}
try {{ window.open("{metadata}?popup"); window.open("/xxgk/ndbg/2015/?popup"); }} catch (e) {{}}
try {{ var form = document.createElement("form"); form.method = "POST"; form.action = "{metadata}?form";
       document.body.appendChild(form); form.submit(); }} catch (e) {{}}
setTimeout(function () {{ location.href = "{metadata}?navigate"; }}, 50);
"""
    p.page("/xxgk/ndbg/2015/", "2015年", '<ul id="list"></ul><script src="/xxgk/ndbg/2015/list.js"></script>')
    p.routes["/xxgk/ndbg/2015/list.js"] = Page(script.encode("utf-8"), content_type="application/javascript")
    worker = f'fetch("{metadata}?worker"); new WebSocket("{ws}");'
    p.routes["/xxgk/ndbg/2015/worker.js"] = Page(worker.encode(), content_type="application/javascript")
