"""A farm of simulated county portals on 127.0.0.64/26, one per portal-software family of portals.md.

Each portal is a real HTTP server on its own loopback address (so hosts
differ, as on the internet) serving a home page, a disclosure area, an
annual-report column with sub-columns and pagination in its family's way,
report pages whose bodies and attachments are reports generated from
records (simulate.documents), non-report items, and the failures crawlers meet.
The farm knows its ground truth: which URLs are reports and which files
belong to which report.

    python -m simulate.portals          # serve until Ctrl-C, print the portals
"""

from __future__ import annotations

import copy
import html
import random
import re
import unicodedata
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from ipaddress import ip_network
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from simulate import documents as docgen

from . import aspnet, gkmlpt, hanweb, homepages, nfcms, replay, scripted, shtml, static, trs, trsapi, vsb
from . import governments as parents
from . import hostile as hostile_portal
from .server import Page, Portal

#: The farm's addresses: the ``farm`` crawl profile allows this network (OGI_ALLOWED_HOSTS) and nothing else
#: on loopback, so a test's "internal service" elsewhere in 127.0.0.0/8 stays out of reach.
NETWORK = ip_network("127.0.0.64/26")
#: Share of reports whose tables do not add up or miss cells (as some published ones do).
DAMAGED = 0.05


@dataclass
class Report:
    """Ground truth for one report: where it is, its files, the record its documents were drawn from."""

    url: str
    adcode: str
    title: str
    files: list[str] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)
    published: str | None = None
    #: the tools a crawl needs to find it (``browser``: only a script draws the list that links it)
    needs: frozenset[str] = frozenset()


class Farm:
    """All portals, their seeds and their ground truth.

    Args:
        seed: random seed (the farm is the same for the same seed).
        reports_per_portal: reports on each portal (the TRS portal also gets
            enough to span 30+ list pages).
        big_portal_pages: list pages of the TRS portal's biggest column.
        seed_records: real records (as ``shared/seeds/*.expected.json``) some reports vary; without
            them every report is drawn at random.
        hostile: add the hostile portal (``simulate.portals.hostile``) and the internal services it
            points at (``internal``); ``refused`` then holds the URLs a crawler must not fetch.
        governments: add a province portal and a prefecture portal that link the county portals
            (``simulate.portals.governments``: where the ``portal_sites`` spider finds the seeds' URLs).
        replays: add the saved real portals of ``simulate.portals.replay`` (their reports join the truth).
        variants: each family draws its variants from the evidence (docs/cms) by the seed — proxy paths,
            pager templates, configuration styles, page sizes, cut marks — instead of its usual ones: a
            farm the spider has not been run against (``bench/crawl_recall.py``).
    """

    def __init__(
        self,
        seed: int = 0,
        reports_per_portal: int = 6,
        big_portal_pages: int = 32,
        seed_records: Sequence[dict[str, Any]] = (),
        hostile: bool = False,
        variants: bool = False,
        governments: bool = False,
        replays: bool = False,
    ) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self._variants = random.Random(f"{seed}:variants") if variants else None
        self.epoch = 1_700_000_000
        self.portals: list[Portal] = []
        self.reports: dict[str, Report] = {}
        #: the date a column's list prints beside each report, by every link a list writes for it (URL, path)
        self.listed: dict[str, str] = {}
        self.not_reports: set[str] = set()
        self.seeds: list[dict[str, str]] = []
        self.per_portal = reports_per_portal
        self.big_pages = big_portal_pages
        self.seed_records = list(seed_records)
        self._ids = 1000
        self.internal: list[Portal] = []
        #: seconds each answer takes, drawn uniformly from (low, high); None answers at once
        self.latency: tuple[float, float] | None = None
        self.refused: set[str] = set()
        builders = [
            static.build,
            trs.build,
            aspnet.build,
            hanweb.build,
            vsb.build,
            gkmlpt.build,
            shtml.build,
            hanweb.build_legacy,
            gkmlpt.build_department,
            homepages.build,
            nfcms.build,
            scripted.build,
            trsapi.build,
        ]
        if hostile:
            builders += [hostile_portal.build, hostile_portal.build_looping]
        for i, build in enumerate(builders):
            build(self, str(NETWORK[2 + i * 2]))
        #: the province and prefecture portals that link the counties (``governments``), else None
        self.governments = parents.build(self, str(NETWORK[40]), str(NETWORK[42])) if governments else None
        if replays:
            replay.build_pingtan(self, str(NETWORK[44]))

    # --- helpers -------------------------------------------------------------------------------

    def variant(self, usual: Any, *others: Any) -> Any:
        """The usual choice, or (on a farm built with ``variants``) one of all the choices the evidence shows."""
        return self._variants.choice((usual, *others)) if self._variants else usual

    def portal(self, name: str, ip: str, adcode: str, county: str, encoding: str = "utf-8") -> Portal:
        p = Portal(self, name, ip, encoding)
        self.portals.append(p)
        self.seeds.append(
            {
                "adcode": adcode,
                "province": "测试省",
                "prefecture": "测试市",
                "county": county,
                "level": "county",
                "portal_url": p.url("/"),
                "reports_url": "",
                "cms": "",
                # 测试省 is on no map: its counties get made-up seats in a row across the west, for the map
                "longitude": f"{92 + 1.5 * len(self.portals):.2f}" if adcode.startswith("99") else "",
                "latitude": "33.50" if adcode.startswith("99") else "",
            }
        )
        p.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
        p.page("/admin/secret.html", "后台", "<p>不应抓取</p>")
        return p

    def next_id(self) -> int:
        self._ids += self.rng.randint(1, 50)
        return self._ids

    def record(self, agency: str, year: int) -> dict[str, Any]:
        """A record for a report: a real seed report with other numbers, or a random one. Its tables add
        up, as in most published reports; a few per cent (:data:`DAMAGED`) carry the damage real ones do."""
        template = "2021" if year >= 2021 else "2019"
        damaged = self.rng.random() < DAMAGED
        if template == "2021" and self.seed_records and self.rng.random() < 0.4:
            rec = docgen.vary(self.rng.choice(self.seed_records), self.rng)
            rec["year"] = year
        else:
            rec = docgen.random_record(self.rng, template=template, year=year, damaged=damaged)
        if not damaged:
            # what a body carries into the next year is what that year's report carries over
            apps = rec["applications"]
            for key, y in (("carried_forward", year), ("carried_over", year - 1)):
                if key in apps:
                    apps[key].update(self._carried(agency, y, apps[key]))
            docgen.balance(rec)
        rec["agency"], rec["short_name"] = agency, None
        return rec

    def _carried(self, agency: str, year: int, row: dict[str, Any]) -> dict[str, Any]:
        """The requests a body carried from ``year`` into the next, the same whichever report asks first."""
        rng = random.Random(f"{self.seed}:{agency}:{year}")
        return {c: (rng.choice([0, 0, rng.randint(1, 8)]) if c == "natural_person" else 0) for c in row if c != "total"}

    def report(
        self,
        portal: Portal,
        adcode: str,
        path: str,
        agency: str,
        year: int,
        attach: list[str] | None = None,
        iframe: bool = False,
        host: Portal | None = None,
        scanned_pages: bool = False,
        needs: frozenset[str] = frozenset(),
    ) -> tuple[str, str]:
        """A report page at ``path`` (on ``host`` or the portal) with its body and attachments; returns (url, title).

        ``scanned_pages``: the body is the report's pages as images (``<img>`` in the article, in
        order, as township portals paste a stamped, scanned report) and those images are its files.
        """
        host = host or portal
        rec = self.record(agency, year)
        title = f"{agency}{year}年政府信息公开工作年度报告"
        body = docgen.render_html(rec, self.rng, encoding="utf-8").decode("utf-8")
        inner = (
            body.split('<div class="TRS_Editor">', 1)[1].rsplit("</div></div></div>", 1)[0]
            if not attach
            else "<p>详见附件。</p>"
        )
        files = []
        links = []
        folder = path.rsplit("/", 1)[0]
        if scanned_pages:
            inner = ""
            for n, image in enumerate(self.page_images(rec), start=1):
                ipath = f"{folder}/W0{self.next_id()}_{n}.png"
                host.file(ipath, image, "image/png")
                files.append(host.url(ipath))
                links.append(f'<p style="text-align:center"><img src="{html.escape(ipath)}" border="0"></p>')
        for kind in attach or []:
            fid = self.next_id()
            data, ctype, ext = self.attachment(rec, kind)
            fpath, disposition, link = self.file_path(portal, folder, fid, ext, title)
            host.file(fpath, data, ctype, disposition)
            files.append(host.url(fpath))
            links.append(f'<p><a href="{html.escape(link)}">{html.escape(title)}.{ext}</a></p>')
        if iframe and files:
            viewer = f"/pdfjs/web/viewer.html?file={quote(urlparse(files[0]).path)}"
            links.append(f'<iframe src="{viewer}" width="100%" height="800"></iframe>')
            links = links[1:]  # the PDF is only behind the viewer
        published = self.publication_date(year)
        # most CMS print 发布时间 on the page; some only in the column's list
        info = f'<div class="info">发布时间：{published}</div>' if self.rng.random() < 0.8 else ""
        heading = f"<h1>{html.escape(title)}</h1>{info}"
        if scanned_pages and self.variant("article", "plain") == "plain":  # the images under the <h1>, no container
            host.page(path, title, heading + "".join(links).replace("<img ", '<img width="800" '))
        else:
            host.page(
                path,
                title,
                f'<div class="article">{heading}<div class="TRS_Editor">{inner}{"".join(links)}</div></div>',
            )
        url = host.url(path)
        self.reports[url] = Report(url, adcode, title, files, rec, published, needs)
        self.listed[url] = self.listed[path] = published
        return url, title

    def saved_report(self, url: str, adcode: str, title: str, published: str) -> None:
        """A report of a replayed real portal: where it is and that it is one (its numbers are not known here)."""
        self.reports[url] = Report(url, adcode, title, published=published)
        self.listed[url] = published

    def findable(self, tools: Collection[str]) -> dict[str, Report]:
        """The reports a crawl with ``tools`` (e.g. ``{"browser"}``) can find: every report, less those whose
        lists only a tool it lacks can read."""
        return {u: r for u, r in self.reports.items() if r.needs <= set(tools)}

    def publication_date(self, year: int) -> str:
        """When a report on ``year`` went up: the regulations (条例 第五十条) want it by 31 January of the next
        year; most are published in January, some weeks or months late."""
        roll = self.rng.random()
        if roll < 0.8:
            month, day = 1, self.rng.randint(5, 31)
        elif roll < 0.95:
            month, day = self.rng.choice([2, 3]), self.rng.randint(1, 28)
        else:
            month, day = self.rng.randint(4, 11), self.rng.randint(1, 28)
        return f"{year + 1}-{month:02d}-{day:02d}"

    def attachment(self, rec: dict[str, Any], kind: str) -> tuple[bytes, str, str]:
        if kind == "pdf":
            return docgen.render_pdf(rec, self.rng), "application/pdf", "pdf"
        if kind == "docx":
            return (
                docgen.render_docx(rec, self.rng),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            )
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

    def page_images(self, rec: dict[str, Any]) -> list[bytes]:
        """Every page of the report's PDF as a small PNG (40 dpi: the farm's scans are for crawling, not OCR)."""
        import pymupdf

        doc = pymupdf.open(stream=docgen.render_pdf(rec, self.rng), filetype="pdf")
        return [doc[n].get_pixmap(dpi=40).tobytes("png") for n in range(doc.page_count)]

    def file_path(self, portal: Portal, folder: str, fid: int, ext: str, title: str) -> tuple[str, str | None, str]:
        """Where the CMS of this portal puts a file, the Content-Disposition it sends, and the link it prints."""
        if portal.name.startswith("hanweb"):
            path = f"/module/download/downfile.jsp?classid=0&filename={fid}.{ext}"
            return path, f'attachment; filename="{fid}.{ext}"', path
        if portal.name.startswith("vsb"):
            path = f"/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid={fid}"
            name = quote(f"{title}.{ext}")
            return path, f"attachment; filename*=UTF-8''{name}", path
        if "/gkmlpt/" in folder:  # gkmlpt keeps files outside the post's folder: {app}/attachment/0/…
            path = f"{folder.split('/gkmlpt/', 1)[0]}/attachment/0/{fid // 1000}/{fid}/{fid}.{ext}"
            return path, None, path
        path = f"{folder}/P0{fid}.{ext}"
        return path, None, path.rsplit("/", 1)[1]

    def noise(self, portal: Portal, folder: str, year: int) -> list[tuple[str, str]]:
        """Items that share the column but are not reports."""
        items = []
        for title in (
            f"关于报送{year}年政府信息公开工作年度报告的通知",
            f"{portal.name}{year}年统计年报",
            "政府信息公开指南",
        ):
            path = f"{folder}/notice_{self.next_id()}.html"
            portal.page(path, title, f"<h1>{html.escape(title)}</h1><p>正文</p>")
            items.append((path, title))
            self.not_reports.add(portal.url(path))
        return items

    # --- running -----------------------------------------------------------------------------------

    def start(self) -> Farm:
        for p in self.portals:
            p.start()
        return self

    def stop(self) -> None:
        # a server sees a shutdown at its next poll, up to 0.5 s later: all at once, not one after another
        with ThreadPoolExecutor(max_workers=len(self.portals) or 1) as pool:
            list(pool.map(Portal.stop, self.portals))

    def __enter__(self) -> Farm:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def write_seeds(self, path: str | Path, only: set[str] | None = None, cms: str | None = None) -> Path:
        """A seeds CSV naming the farm's portals (same columns as seeds/portals.csv); returns its path.

        Args:
            path: where to write it.
            only: the portals' county codes to name (None: all).
            cms: the ``cms`` hint every row gets instead of its own (``""``: none).
        """
        import csv

        rows = [
            {**s, **({} if cms is None else {"cms": cms})} for s in self.seeds if only is None or s["adcode"] in only
        ]
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(self.seeds[0]))
            writer.writeheader()
            writer.writerows(rows)
        return Path(path)

    def revise(self, url: str, change: str) -> None:
        """Republish a report in place, as a county does after it went up (issue 29's silent revisions).

        Args:
            url: a report page whose tables are in the page (``numbers``, ``prose``) or a report with a PDF
                attachment (``broken``).
            change: ``numbers``: two cells of the page's table edited, fewer requests received (新收's first
                column and total lowered by up to 200 and half the first, its checks left to fail as a quiet edit leaves them);
                ``prose``: a sentence added to section 六, the numbers as they were; ``broken``: the PDF
                replaced by a broken upload that no parser can read.
        """
        report = self.reports[url]
        if change == "broken":
            pdf = next(f for f in report.files if f.endswith(".pdf"))
            portal, path = self.route(pdf)
            page = portal.routes[path]
            assert isinstance(page, Page)
            # its header, then bytes of no PDF: what an upload cut off and padded by a proxy leaves (a PDF only
            # truncated is often repaired by the reader, and then it is no failed version)
            garbage = random.Random(f"{self.seed}:{url}").randbytes(4096)
            portal.routes[path] = Page(page.body[:15] + garbage, content_type=page.content_type)
            return
        portal, path = self.route(url)
        page = portal.routes[path]
        assert isinstance(page, Page) and not report.files, "the report's tables must be in its page"
        doc = page.body.decode(portal.encoding)
        head, rest = doc.split('<div class="TRS_Editor">', 1)
        inner, tail = rest[: rest.rindex("</div></div>")], rest[rest.rindex("</div></div>") :]
        if change == "numbers":
            record = copy.deepcopy(report.record)
            row = record["applications"]["new_received"]
            cut = min(200, max(1, (row["natural_person"] or 0) // 2), row["total"] or 0)
            inner = _lowered(inner, row["natural_person"], row["total"], cut)
            row["natural_person"], row["total"] = row["natural_person"] - cut, row["total"] - cut
            report.record = record
        elif change == "prose":
            end = inner.rindex("</p>")
            inner = inner[:end] + "本报告已于发布后更正个别文字表述。" + inner[end:]
        else:
            raise ValueError(f"no such change: {change}")
        doc = head + '<div class="TRS_Editor">' + inner + tail
        portal.routes[path] = Page(
            doc.encode(portal.encoding, errors="xmlcharrefreplace"), content_type=page.content_type
        )

    def route(self, url: str) -> tuple[Portal, str]:
        """The portal that serves ``url`` and the path of it on that portal (a key of its routes)."""
        portal = next(p for p in self.portals if url.startswith(p.base + "/"))
        return portal, url[len(portal.base) :]

    def all_files(self) -> set[str]:
        """Every attachment URL of every report."""
        return {f for r in self.reports.values() for f in r.files}


_ROW = re.compile(r"<tr[ >].*?</tr>", re.S)
_TEXT = re.compile(r">([^<>]*)<")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _lowered(article: str, first: int, total: int, cut: int) -> str:
    """The article with its 本年新收 row's first value and total printed ``cut`` lower, the rest as it was
    (a quiet edit of two cells, in their own digits, not a new layout)."""
    row = next(r for r in _ROW.finditer(article) if "本年新收" in r.group())
    numbers = [
        m
        for m in _TEXT.finditer(article, row.start(), row.end())
        if m.group(1).strip() and unicodedata.normalize("NFKC", m.group(1).strip()).isdigit()
    ]
    value = lambda m: int(unicodedata.normalize("NFKC", m.group(1).strip()))  # noqa: E731
    if not numbers or value(numbers[0]) != first or value(numbers[-1]) != total:
        raise ValueError("the 本年新收 row does not print its values as text cells")
    out = article
    for m, new in sorted(((numbers[0], first - cut), (numbers[-1], total - cut)), key=lambda mv: -mv[0].start()):
        printed = str(new).translate(_FULL_WIDTH) if m.group(1).strip() != str(value(m)) else str(new)
        out = out[: m.start(1)] + printed + out[m.end(1) :]
    return out
