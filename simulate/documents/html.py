"""HTML: Word pasted with <p><span>, rowspan/colspan, &nbsp;, <br>, UTF-8 or GBK."""

from __future__ import annotations

import html
import random

from .grid import C, Grid, expand, outline
from .records import Record


def render_html(record: Record, rng: random.Random, encoding: str | None = None) -> bytes:
    """A portal page: navigation, a Word-pasted body with span-wrapped cells, footer."""
    encoding = encoding or rng.choice(["utf-8", "utf-8", "gbk"])
    declare = rng.random() < 0.7
    word = rng.random() < 0.6
    body: list[str] = []
    title = ""
    for kind, part in outline(record, rng):
        if kind == "title":
            title = "".join(part).replace(" ", "")
            body.append("".join(f'<p class="title" align="center"><b>{html.escape(x)}</b></p>' for x in part))
        elif kind == "h":
            body.append(f"<p><strong>{html.escape(part)}</strong></p>" if word else f"<h3>{html.escape(part)}</h3>")
        elif kind == "p":
            body.append(f'<p style="text-indent:2em"><span style="font-family:仿宋">{html.escape(part)}</span></p>')
        else:
            body.append(_html_table(part, rng, word))
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={"gb2312" if encoding == "gbk" else encoding}">'
        if declare
        else ""
    )
    page = f"""<!DOCTYPE html><html><head>{meta}<title>{html.escape(title)}_{html.escape(record["agency"])}</title>
<meta name="ArticleTitle" content="{html.escape(title)}"></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zfxxgk/nb/">2020年政府信息公开工作年度报告</a></li></ul></div>
<div class="main"><div class="position">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<div class="article"><h1>{html.escape(title)}</h1><div class="info">发布时间：{record["year"] + 1}-03-20 来源：{html.escape(record["agency"])}</div>
<div class="TRS_Editor">{"".join(body)}</div></div></div>
<div class="footer">主办单位：{html.escape(record["agency"])} 网站标识码：1305320001 冀ICP备12345678号</div>
</body></html>"""
    return page.encode(encoding, errors="xmlcharrefreplace")


def _html_cell_text(text: str, rng: random.Random, word: bool) -> str:
    if not text:
        return rng.choice(["", "&nbsp;", " "])
    esc = html.escape(text)
    if len(text) > 10 and rng.random() < 0.3:
        cut = rng.randint(3, len(text) - 3)
        esc = html.escape(text[:cut]) + "<br>" + html.escape(text[cut:])
    if word:
        return f'<p align="center"><span style="font-size:10.5pt;font-family:宋体">{esc}</span></p>'
    return esc


def _html_table(grid: Grid, rng: random.Random, word: bool) -> str:
    if rng.random() < 0.2:  # an editor that writes merged cells out as empty ones
        grid = [[C(c.text if origin else "") for c, origin, _ in line] for line in expand(grid)]
    rows = []
    for row in grid:
        cells = []
        for c in row:
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            cells.append(f'<td{span} valign="center">{_html_cell_text(c.text, rng, word)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="0" class="MsoNormalTable"><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )
