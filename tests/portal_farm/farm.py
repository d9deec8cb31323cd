"""A farm of simulated county portals on 127.0.0.x, one per portal-software family of portals.md.

Each portal is a real HTTP server on its own loopback address (so hosts
differ, as on the internet) serving a home page, a disclosure area, an
annual-report column with sub-columns and pagination in its family's way,
report pages whose bodies and attachments are reports generated from
records (tests/docgen.py), non-report items, and the failures crawlers meet.
The farm knows its ground truth: which URLs are reports and which files
belong to which report.

    python -m tests.portal_farm          # serve until Ctrl-C, print the portals
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, quote, urlparse

from tests import docgen

Handler = Callable[["Request"], "Page"]
#: Route markers: close the connection without answering; answer only after SLOW_SECONDS.
RESET, SLOW = object(), object()
SLOW_SECONDS = 4.0


@dataclass
class Request:
    """What a route handler sees."""

    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class Page:
    """A response: status, headers, body."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    """Ground truth for one report: where it is, its files, the record its documents were drawn from."""

    url: str
    seed: str
    title: str
    files: list[str] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)


class Portal:
    """One simulated portal: routes on one loopback host."""

    def __init__(self, farm: "Farm", name: str, ip: str, encoding: str = "utf-8") -> None:
        self.farm, self.name, self.ip, self.encoding = farm, name, ip, encoding
        self.routes: dict[str, Handler | Page] = {}
        self.server = _QuietServer((ip, 0), _make_handler(self))
        self.server.daemon_threads = True
        self.base = f"http://{ip}:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, title: str, body: str) -> None:
        """An HTML page in this portal's encoding and chrome."""
        charset = "gb2312" if self.encoding == "gbk" else self.encoding
        doc = (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
               f"<title>{html.escape(title)}</title></head><body><div class=\"header\"><a href=\"/\">首页</a></div>"
               f"{body}<div class=\"footer\">{html.escape(self.name)} 版权所有</div></body></html>")
        self.routes[path] = Page(doc.encode(self.encoding, errors="xmlcharrefreplace"),
                                 content_type=f"text/html; charset={charset}" if self.farm.rng.random() < 0.5 else "text/html")

    def file(self, path: str, data: bytes, content_type: str, disposition: str | None = None) -> None:
        headers = {"Content-Disposition": disposition} if disposition else {}
        self.routes[path] = Page(data, content_type=content_type, headers=headers)

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up (a crawler's timeout, a reset) is normal here, not an error to print."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _make_handler(portal: Portal) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self, method: str) -> None:
            parts = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            key = parts.path + (f"?{parts.query}" if parts.query else "")
            route = portal.routes.get(key) or portal.routes.get(parts.path + "?*")
            if route is RESET:
                self.close_connection = True
                self.connection.close()  # the peer resets: no status line at all
                return
            if route is SLOW:
                time.sleep(SLOW_SECONDS)
            req = Request(method, parts.path, parse_qs(parts.query), parse_qs(raw.decode("latin-1")), dict(self.headers))
            if route is SLOW:
                route = Page(b"<html><body>late</body></html>")
            page = route(req) if callable(route) else route
            if page is None:
                page = Page(b"<html><body>404 Not Found</body></html>", status=404)
            etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
            headers = {"Content-Type": page.content_type, **page.headers}
            if page.status == 200:
                headers["ETag"] = etag
                headers["Last-Modified"] = formatdate(portal.farm.epoch, usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    for k, v in headers.items():
                        if k in ("ETag", "Last-Modified"):
                            self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            self.send_response(page.status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(page.body)

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve("HEAD")

    return H


#: The real seed reports' records (../shared/seeds), when the checkout has them beside it.
SEED_RECORDS = [
    json.loads(p.read_text(encoding="utf-8"))
    for p in sorted((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("*.expected.json"))
]


def _ul(items: list[tuple[str, str]]) -> str:
    return "<ul class=\"list\">" + "".join(
        f'<li><a href="{html.escape(u)}" title="{html.escape(t)}">{html.escape(t)}</a><span>2024-03-01</span></li>' for u, t in items
    ) + "</ul>"


class Farm:
    """All portals, their seeds and their ground truth.

    Args:
        seed: random seed (the farm is the same for the same seed).
        reports_per_portal: reports on each portal (the TRS portal also gets
            enough to span 30+ list pages).
    """

    def __init__(self, seed: int = 0, reports_per_portal: int = 6, big_portal_pages: int = 32) -> None:
        self.rng = random.Random(seed)
        self.epoch = 1_700_000_000
        self.portals: list[Portal] = []
        self.reports: dict[str, Report] = {}
        self.not_reports: set[str] = set()
        self.seeds: list[dict[str, str]] = []
        self._n = reports_per_portal
        self._big = big_portal_pages
        self._ids = 1000
        builders = [self._static, self._trs, self._aspnet, self._hanweb, self._vsb, self._gkmlpt, self._shtml]
        for i, build in enumerate(builders):
            build(f"127.0.0.{20 + i * 2}")

    # --- helpers -------------------------------------------------------------------------------

    def _portal(self, name: str, ip: str, adcode: str, county: str, encoding: str = "utf-8") -> Portal:
        p = Portal(self, name, ip, encoding)
        self.portals.append(p)
        self.seeds.append({"adcode": adcode, "province": "测试省", "prefecture": "测试市", "county": county,
                           "level": "county", "portal_url": p.url("/"), "reports_url": "", "cms": ""})
        p.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
        p.page("/admin/secret.html", "后台", "<p>不应抓取</p>")
        return p

    def _next_id(self) -> int:
        self._ids += self.rng.randint(1, 50)
        return self._ids

    def _record(self, agency: str, year: int) -> dict[str, Any]:
        """A record for a report: a real seed report with other numbers, or a random one."""
        template = "2021" if year >= 2021 else "2019"
        if template == "2021" and SEED_RECORDS and self.rng.random() < 0.4:
            rec = docgen.vary(self.rng.choice(SEED_RECORDS), self.rng)
            rec["year"] = year
        else:
            rec = docgen.random_record(self.rng, template=template, year=year)
        rec["agency"], rec["short_name"] = agency, None
        return rec

    def _report(self, portal: Portal, seed: str, path: str, agency: str, year: int,
                attach: list[str] | None = None, iframe: bool = False, host: Portal | None = None) -> tuple[str, str]:
        """A report page at ``path`` (on ``host`` or the portal) with its body and attachments; returns (url, title)."""
        host = host or portal
        rec = self._record(agency, year)
        title = f"{agency}{year}年政府信息公开工作年度报告"
        body = docgen.render_html(rec, self.rng, encoding="utf-8").decode("utf-8")
        inner = body.split('<div class="TRS_Editor">', 1)[1].rsplit("</div></div></div>", 1)[0] if not attach else "<p>详见附件。</p>"
        files = []
        links = []
        folder = path.rsplit("/", 1)[0]
        for kind in attach or []:
            fid = self._next_id()
            data, ctype, ext = self._attachment(rec, kind)
            fpath, disposition, link = self._file_path(portal, folder, fid, ext, title)
            host.file(fpath, data, ctype, disposition)
            files.append(host.url(fpath))
            links.append(f'<p><a href="{html.escape(link)}">{html.escape(title)}.{ext}</a></p>')
        if iframe and files:
            viewer = f"/pdfjs/web/viewer.html?file={quote(urlparse(files[0]).path)}"
            links.append(f'<iframe src="{viewer}" width="100%" height="800"></iframe>')
            links = links[1:]  # the PDF is only behind the viewer
        published = f"{year + 1}-03-{self.rng.randint(1, 31):02d}"
        host.page(path, title, f'<div class="article"><h1>{html.escape(title)}</h1><div class="info">发布时间：{published}</div>'
                               f'<div class="TRS_Editor">{inner}{"".join(links)}</div></div>')
        url = host.url(path)
        self.reports[url] = Report(url, seed, title, files, rec)
        return url, title

    def _attachment(self, rec: dict[str, Any], kind: str) -> tuple[bytes, str, str]:
        if kind == "pdf":
            return docgen.render_pdf(rec, self.rng), "application/pdf", "pdf"
        if kind == "docx":
            return docgen.render_docx(rec, self.rng), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
        if kind == "png":  # a report published as scanned page images
            import pymupdf

            page = pymupdf.open(stream=docgen.render_pdf(rec, self.rng), filetype="pdf")[0]
            return page.get_pixmap(dpi=40).tobytes("png"), "image/png", "png"
        if kind == "zip":
            import io
            import zipfile

            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                z.writestr("report.docx", docgen.render_docx(rec, self.rng))
            return buf.getvalue(), "application/zip", "zip"
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "application/msword", "doc"

    def _file_path(self, portal: Portal, folder: str, fid: int, ext: str, title: str) -> tuple[str, str | None, str]:
        """Where the CMS of this portal puts a file, the Content-Disposition it sends, and the link it prints."""
        if portal.name.startswith("hanweb"):
            path = f"/module/download/downfile.jsp?classid=0&filename={fid}.{ext}"
            return path, f'attachment; filename="{fid}.{ext}"', path
        if portal.name.startswith("vsb"):
            path = f"/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid={fid}"
            name = quote(f"{title}.{ext}")
            return path, f"attachment; filename*=UTF-8''{name}", path
        path = f"{folder}/P0{fid}.{ext}"
        return path, None, path.rsplit("/", 1)[1]

    def _noise(self, portal: Portal, folder: str, year: int) -> list[tuple[str, str]]:
        """Items that share the column but are not reports."""
        items = []
        for title in (f"关于报送{year}年政府信息公开工作年度报告的通知", f"{portal.name}{year}年统计年报", "政府信息公开指南"):
            path = f"{folder}/notice_{self._next_id()}.html"
            portal.page(path, title, f"<h1>{html.escape(title)}</h1><p>正文</p>")
            items.append((path, title))
            self.not_reports.add(portal.url(path))
        return items

    # --- families ---------------------------------------------------------------------------------

    def _static(self, ip: str) -> None:
        """Plain static site: home → 政务公开 → 政府信息公开年报, 下一页 pagination, one report on another host."""
        p = self._portal("静态县", ip, "990101", "静态县")
        other = Portal(self, "静态县政务服务网", ip[:-1] + str(int(ip[-1]) + 1))
        self.portals.append(other)
        p.page("/", "静态县人民政府", '<a href="/zwgk/index.html">政务公开</a><a href="/news/">新闻</a>')
        p.page("/news/", "新闻", "<p>新闻</p>")
        p.page("/zwgk/index.html", "政务公开", '<a href="/zwgk/nb/index.html">政府信息公开年报</a><a href="/zwgk/zcwj/">政策文件</a>')
        items = []
        for year in range(2024 - self._n, 2024):
            url, title = self._report(p, "990101", f"/zwgk/nb/{year}/art_{self._next_id()}.html", "静态县人民政府", year)
            items.append((urlparse(url).path, title))
        url, title = self._report(p, "990101", f"/hosted/art_{self._next_id()}.html", "静态县人民政府办公室", 2023, host=other)
        items.append((url, title))
        items.append(("/zwgk/nb/missing.html", "静态县2018年政府信息公开工作年度报告"))  # broken link (404)
        p.routes["/zwgk/nb/waf.html"] = Page(b"<script>challenge()</script>", status=412)  # a firewall's challenge
        p.routes["/zwgk/nb/loop.html"] = Page(b"", status=302, headers={"Location": "/zwgk/nb/loop2.html"})
        p.routes["/zwgk/nb/loop2.html"] = Page(b"", status=302, headers={"Location": "/zwgk/nb/loop.html"})
        p.routes["/zwgk/nb/forbidden.html"] = Page(b"forbidden", status=403)
        p.routes["/zwgk/nb/reset.html"] = RESET  # type: ignore[assignment]
        p.routes["/zwgk/nb/slow.html"] = SLOW  # type: ignore[assignment]
        items += [("/zwgk/nb/reset.html", "静态县2014年政府信息公开工作年度报告"),
                  ("/zwgk/nb/slow.html", "静态县2013年政府信息公开工作年度报告")]
        items += [("/zwgk/nb/waf.html", "静态县2017年政府信息公开工作年度报告"),
                  ("/zwgk/nb/loop.html", "静态县2016年政府信息公开工作年度报告"),
                  ("/zwgk/nb/forbidden.html", "静态县2015年政府信息公开工作年度报告")]
        items += self._noise(p, "/zwgk/nb", 2023)
        half = len(items) // 2
        p.page("/zwgk/nb/index.html", "政府信息公开年报", _ul(items[:half]) + '<a href="list_2.html">下一页</a>')
        p.page("/zwgk/nb/list_2.html", "政府信息公开年报", _ul(items[half:]) + '<a href="index.html">上一页</a>')

    def _trs(self, ip: str) -> None:
        """TRS WCM in GBK: per-year sub-columns, createPageHTML pagination (30+ pages), PDF/DOCX attachments, duplicates."""
        p = self._portal("桐梓县", ip, "990102", "桐梓县", encoding="gbk")
        p.page("/", "桐梓县人民政府", '<a href="/zwgk/zfxxgk/index.html">政府信息公开</a>')
        base = "/zwgk/zfxxgk/zfxxgknb"
        p.page("/zwgk/zfxxgk/index.html", "政府信息公开", f'<a href="{base}/index.html">政府信息公开年报</a><a href="/zwgk/zfxxgk/fdzdgknr/">法定主动公开内容</a>')
        years = [2023, 2022]
        p.page(f"{base}/index.html", "政府信息公开年报",
               "".join(f'<a href="{y}n/index.html">{y}年</a>' for y in years) + '<a href="bmnb/index.html">部门年报</a>')
        dept_items = []
        for y in years:
            items: list[tuple[str, str]] = []
            count = 2 * self._big if y == 2023 else self._n
            for i in range(count):
                agency = "桐梓县人民政府" if i == 0 else f"桐梓县第{i}局"
                stamp = f"{y + 1}02{10 + i % 18:02d}"
                url, title = self._report(p, "990102", f"{base}/{y}n/{stamp[:6]}/t{stamp}_{self._next_id()}.html", agency, y,
                                          attach=["pdf"] if i % 3 == 1 else (["docx", "doc"] if i % 3 == 2 else None))
                items.append((url.split(f"{y}n/", 1)[1], title))
                if i % 5 == 1:
                    dept_items.append(("../" + f"{y}n/" + url.split(f"{y}n/", 1)[1], title))  # the same report in 部门年报
            items += [(n.split(f"{base}/{y}n/", 1)[-1] if n.startswith(base) else n, t)
                      for n, t in self._noise(p, f"{base}/{y}n", y)]
            per = 2 if y == 2023 else 20
            pages = [items[i:i + per] for i in range(0, len(items), per)]
            for n, chunk in enumerate(pages):
                name = "index.html" if n == 0 else f"index_{n}.html"
                script = f'<script>createPageHTML({len(pages)}, {n}, "index", "html");</script>'
                p.page(f"{base}/{y}n/{name}", f"{y}年", _ul(chunk) + script)
        p.page(f"{base}/bmnb/index.html", "部门年报", _ul(dept_items))

    def _aspnet(self, ip: str) -> None:
        """ASP.NET disclosure platform on a separate gk. host: query-string ids, one list per department, ?page=N."""
        p = self._portal("资阳区", ip, "990103", "资阳区")
        gk = Portal(self, "资阳区信息公开平台", ip[:-1] + str(int(ip[-1]) + 1))
        self.portals.append(gk)
        # the gk. platform is a sub-domain in reality, a sibling address here
        self.seeds[-1]["cms"] = "aspnet"
        p.page("/", "资阳区人民政府", f'<a href="{gk.url("/index.aspx")}">政府信息公开</a>')
        gk.page("/index.aspx", "信息公开", '<a href="/year_list.aspx?dept=0">政府信息公开年度报告</a>')
        depts = {0: "资阳区人民政府", 38: "资阳区教育局", 41: "资阳区卫生健康局"}
        for dept, agency in depts.items():
            items = []
            for year in (2023, 2022, 2021):
                rid = self._next_id()
                url, title = self._report(p, "990103", f"/year_details.aspx?dept={dept}&id={rid}", agency, year,
                                          attach=["pdf"], iframe=(dept == 38), host=gk)
                items.append((urlparse(url).path + "?" + urlparse(url).query, title))
            pages = [items[:2], items[2:]]
            if dept == 41:
                self._postback_list(gk, f"/year_list.aspx?dept={dept}", pages)
                continue
            for n, chunk in enumerate(pages, start=1):
                nav = "".join(f'<a href="/year_list.aspx?dept={d}">{html.escape(a)}</a>' for d, a in depts.items() if d != dept)
                more = f'<a href="/year_list.aspx?dept={dept}&page={n + 1}">下一页</a>' if n < len(pages) else ""
                key = f"/year_list.aspx?dept={dept}" + (f"&page={n}" if n > 1 else "")
                gk.page(key, "年度报告", f"<div>{nav}</div>" + _ul(chunk) + more)

    def _postback_list(self, gk: Portal, key: str, pages: list[list[tuple[str, str]]]) -> None:
        """A list paged by ASP.NET ``__doPostBack`` (POST of the page's form with __EVENTARGUMENT=N)."""
        def render(n: int) -> Page:
            pager = "".join(f'<a href="javascript:__doPostBack(\'ctl00$pager\',\'{i}\')">{i}</a>' for i in range(1, len(pages) + 1) if i != n)
            form = (f'<form method="post" action="{key}" id="form1"><input type="hidden" name="__VIEWSTATE" value="dDwt{n}">'
                    '<input type="hidden" name="__EVENTTARGET" value=""><input type="hidden" name="__EVENTARGUMENT" value="">'
                    f"{_ul(pages[n - 1])}<div class=\"pager\">{pager}</div></form>")
            doc = f'<html><head><meta charset="utf-8"><title>年度报告</title></head><body>{form}</body></html>'
            return Page(doc.encode("utf-8"))

        def handler(req: Request) -> Page:
            if req.method == "POST" and req.form.get("__VIEWSTATE"):
                return render(int(req.form.get("__EVENTARGUMENT", ["1"])[0] or 1))
            return render(1)

        gk.routes[key] = handler

    def _hanweb(self, ip: str) -> None:
        """Hanweb JCMS: datastore XML list, dataproxy.jsp POST paging, downfile.jsp attachments."""
        p = self._portal("hanweb龙游县", ip, "990104", "龙游县")
        col = "1229114055"
        p.page("/", "龙游县人民政府", f'<a href="/col/col1229000001/index.html">政务公开</a>')
        p.page("/col/col1229000001/index.html", "政务公开", f'<a href="/col/col{col}/index.html">政府信息公开年报</a>')
        records = []
        for i in range(self._n * 3):
            year = 2023 - i % 3
            rid = self._next_id()
            agency = "龙游县人民政府" if i == 0 else f"龙游县第{i}局"
            url, title = self._report(p, "990104", f"/art/{year + 1}/2/{i % 27 + 1}/art_{col}_{rid}.html", agency, year,
                                      attach=["pdf"] if i % 2 else None)
            records.append(f'<li><a href="/art/{year + 1}/2/{i % 27 + 1}/art_{col}_{rid}.html" title="{title}">{title}</a></li>')
        for path, title in self._noise(p, "/art/2024/1/1", 2023):
            records.append(f'<li><a href="{path}">{title}</a></li>')
        per = 15
        first = records[:per]
        store = ("<script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp"
                 f"?page=1&webid=1&path=/&columnid={col}&unitid=4433&webname=龙游县&permissiontype=0\"></a>]]></nextgroup>"
                 f"<recordset>{''.join(f'<record><![CDATA[{r}]]></record>' for r in first)}</recordset>"
                 f"<totalrecord>{len(records)}</totalrecord></datastore></script>")
        config = f"<script>var cfg = {{columnid:'{col}', unitid:'4433', webid:'1', path:'/', perpage:'{per}', permissiontype:'0'}};</script>"
        p.page(f"/col/col{col}/index.html", "政府信息公开年报", f'<div id="4433">{store}</div>{config}')

        def proxy(req: Request) -> Page:
            start = int(req.form.get("startrecord", ["1"])[0])
            end = int(req.form.get("endrecord", ["1"])[0])
            chunk = records[start - 1:end]
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore>"
                    + "".join(f"<record><![CDATA[{r}]]></record>" for r in chunk) + f"<totalrecord>{len(records)}</totalrecord></datastore>")
            return Page(body.encode("utf-8"), content_type="text/xml; charset=utf-8")

        p.routes["/module/web/jpage/dataproxy.jsp"] = proxy

    def _vsb(self, ip: str) -> None:
        """VSB (博达): list then count-down pages zfxxgknb/N.htm, info/<col>/<id>.htm, download.jsp with Content-Disposition only."""
        p = self._portal("vsb富民县", ip, "990105", "富民县", encoding="gbk")
        p.page("/", "富民县人民政府", '<a href="/zwgk.htm">政务公开</a>')
        p.page("/zwgk.htm", "政务公开", '<a href="/zwgk/zfxxgknb.htm">政府信息公开年报</a>')
        items = []
        for i in range(self._n * 2):
            year = 2023 - i % 2
            url, title = self._report(p, "990105", f"/info/1648/{self._next_id()}.htm", "富民县人民政府" if i == 0 else f"富民县第{i}局",
                                      year, attach=["pdf"] if i % 2 else ["docx"])
            items.append((urlparse(url).path, title))
        items += self._noise(p, "/info/1649", 2023)
        per = 4
        pages = [items[i:i + per] for i in range(0, len(items), per)]
        total = len(pages)
        for n, chunk in enumerate(pages):
            # first page is zfxxgknb.htm; the others count down: zfxxgknb/{total-1}.htm … zfxxgknb/1.htm
            path = "/zwgk/zfxxgknb.htm" if n == 0 else f"/zwgk/zfxxgknb/{total - n}.htm"
            nxt = f"/zwgk/zfxxgknb/{total - n - 1}.htm" if n + 1 < total else None
            p.page(path, "政府信息公开年报", _ul(chunk) + (f'<a href="{nxt}">下页</a><a href="/zwgk/zfxxgknb/1.htm">尾页</a>' if nxt else ""))

    def _gkmlpt(self, ip: str) -> None:
        """Guangdong gkmlpt: script shell pages; the list comes from a JSON API."""
        p = self._portal("gkmlpt连南县", ip, "990106", "连南县")
        p.page("/", "连南县人民政府", '<a href="/gkmlpt/index">政府信息公开</a>')
        p.page("/gkmlpt/index", "政府信息公开目录",
               '<div id="app"></div><script src="/gkmlpt/static/app.js"></script>'
               '<a href="/gkmlpt/annualreport">政府信息公开年报</a>')
        posts = []
        for i in range(self._n * 2):
            year = 2023 - i % 3
            pid = self._next_id()
            url, title = self._report(p, "990106", f"/gkmlpt/content/2/{pid // 1000}/post_{pid}.html",
                                      "连南县人民政府" if i == 0 else f"连南县第{i}局", year, attach=["pdf"] if i % 3 == 0 else None)
            posts.append({"id": pid, "title": title, "url": url, "date": f"{year + 1}-03-01"})
        p.page("/gkmlpt/annualreport", "年报", '<div id="app"></div><script>var SID = "755"; loadList("/gkmlpt/api/all/annualreport?page=1&sid=755");</script>')
        per = 5

        def api(req: Request) -> Page:
            page = int(req.query.get("page", ["1"])[0])
            chunk = posts[(page - 1) * per: page * per]
            body = {"total": len(posts), "page": page, "per_page": per, "articles": chunk}
            return Page(json.dumps(body, ensure_ascii=False).encode(), content_type="application/json; charset=utf-8")

        p.routes["/gkmlpt/api/all/annualreport?*"] = api

    def _shtml(self, ip: str) -> None:
        """Provincial intensive platform: c<id>c/index.shtml and index_2.shtml; the old domain redirects; a flaky page (500 then 200)."""
        old = self._portal("旧道里区", ip, "990107", "道里区")
        p = Portal(self, "道里区", ip[:-1] + str(int(ip[-1]) + 1))
        self.portals.append(p)
        old.routes["/"] = Page(b"", status=301, headers={"Location": p.url("/")})
        p.page("/", "道里区人民政府", '<a href="/hebdlq/c112200c/index.shtml">政务公开</a>')
        p.page("/hebdlq/c112200c/index.shtml", "政务公开", '<a href="/hebdlq/c112289c/index.shtml">政府信息公开年报</a>')
        items = []
        for i in range(self._n * 2):
            year = 2023 - i % 2
            url, title = self._report(p, "990107", f"/hebdlq/c112289c/{year + 1}02/c01_{self._next_id()}.shtml",
                                      "道里区人民政府" if i == 0 else f"道里区第{i}局", year, attach=["pdf"] if i == 3 else (["png", "png", "zip"] if i == 5 else None))
            items.append((urlparse(url).path, title))
        flaky_path = items[1][0]
        good = p.routes[flaky_path]
        calls = {"n": 0}

        def flaky(req: Request) -> Page:
            calls["n"] += 1
            return Page(b"busy", status=500) if calls["n"] == 1 else good  # type: ignore[return-value]

        p.routes[flaky_path] = flaky
        half = len(items) // 2
        p.page("/hebdlq/c112289c/index.shtml", "年报", _ul(items[:half]) + '<a href="index_2.shtml">下一页</a>')
        p.page("/hebdlq/c112289c/index_2.shtml", "年报", _ul(items[half:]))

    # --- running -----------------------------------------------------------------------------------

    def start(self) -> "Farm":
        for p in self.portals:
            p.start()
        return self

    def stop(self) -> None:
        for p in self.portals:
            p.stop()

    def __enter__(self) -> "Farm":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def write_seeds(self, path: str) -> None:
        """A seeds CSV naming the farm's portals (same columns as seeds/portals.csv)."""
        import csv

        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(self.seeds[0]))
            writer.writeheader()
            writer.writerows(self.seeds)

    def all_files(self) -> set[str]:
        """Every attachment URL of every report."""
        return {f for r in self.reports.values() for f in r.files}
