"""Which link on a government's portal leads to the portal of a government under it.

A province's portal links every prefecture's portal, a prefecture's every county's (县(市、区)政府 in
the footer, a row of names, a drop-down of 区县政府网站, the site map): the path the
``portal_sites`` spider walks to fill the seed list (seeds/README.md). Link texts are the names of
the divisions, as the division table (GB/T 2260, ``seeds/portals.csv``) writes them or shortened
(``邯山`` for 邯山区), often with 人民政府 or 政府网站 after them. Words and suffixes are data here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import lxml.html

from .links import Link

#: Words a link text may add after a division's name.
TRAILING = re.compile(r"(人民政府|政府|门户网站|网站|政府网|政务网|官网|门户|首页)+$")
#: Division-name endings that the short form drops (longest first: 自治县 before 县).
SUFFIXES = ("自治县", "自治旗", "自治州", "林区", "特区", "矿区", "新区", "县", "区", "市", "旗", "盟", "州", "地区")
#: Pages of a portal that list the governments under it (followed one hop within the portal).
LIST_PAGE = re.compile(
    r"县[（(]?市[、,，]?区[)）]?|区县|县区|市[（(]州[)）]|地市|各市|市州|政府网站|网站群|网站导航|网站地图|地方政府|下辖|行政区划"
)


@dataclass(frozen=True)
class Child:
    """A government under the one whose portal is read: what it is called and how it is keyed."""

    name: str
    key: str


def names(name: str) -> set[str]:
    """The names a link may give a division by: its full name, and its short form when that stays
    two characters or more (邯山区 → 邯山; 涉县 stays 涉县)."""
    out = {name}
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            out.add(name[: -len(suffix)])
            break
    return out


def index(children: Iterable[Child]) -> dict[str, Child]:
    """Name → child, without the names two children share (a short form shared is no evidence)."""
    seen: dict[str, list[Child]] = {}
    for child in children:
        for name in names(child.name):
            seen.setdefault(name, []).append(child)
    return {name: found[0] for name, found in seen.items() if len(found) == 1}


def clean(text: str) -> str:
    """A link text reduced to the name it gives: no spaces, brackets or trailing 人民政府/网站."""
    text = re.sub(r"[\s\u3000·•>»|【】\[\]「」]", "", text)
    return TRAILING.sub("", text)


def option_links(base: str, root: lxml.html.HtmlElement) -> list[Link]:
    """A drop-down's entries that are links (``<option value="http://…">XX县</option>``, opened by a script)."""
    out = []
    for option in root.iter("option"):
        value = (option.get("value") or "").strip()
        if value.startswith(("http://", "https://", "//")):
            out.append(Link(urljoin(base, value), (option.text_content() or "").strip()))
    return out


def child_portals(here: str, found: Iterable[Link], children: Mapping[str, Child]) -> dict[str, tuple[Child, str]]:
    """The children's portals a page links: child key → (child, URL).

    A link counts when its text gives a child's name and it leads to another host than the page
    (a portal's own page about a county — 概况, 行政区划 — is on its own host). A child linked twice
    keeps its first link.

    Args:
        here: the page's URL.
        found: its links (anchors and drop-down entries).
        children: :func:`index` of the governments under this one.
    """
    host = urlparse(here).hostname
    out: dict[str, tuple[Child, str]] = {}
    for link in found:
        child = children.get(clean(link.text))
        if child is None or child.key in out:
            continue
        target = urlparse(link.url)
        if target.scheme in ("http", "https") and target.hostname and target.hostname != host:
            out[child.key] = (child, link.url)
    return out
