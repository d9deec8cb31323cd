"""The parts import one way: no module of parsers/, archive/ or crawler/ imports, even lazily, one that
imports it back (an errors module on the parsers' ground floor, the ruling geometry and the build's parsing
step in modules of their own; the crawler's rooms grouped by role)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT


def _modules(package: str) -> dict[str, Path]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            submodules = {f"{module}.{a.name}" for a in node.names} & known.keys()
            out |= submodules
            if len(submodules) < len(node.names) and module in known:
                out.add(module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names} & known.keys()
    return out - {name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_inside_parsers_archive_or_crawler():
    for package in ("parsers", "archive", "crawler"):
        known = _modules(package)
        graph = {name: _imports(name, path, known) for name, path in known.items()}
        # a package's __init__ that re-exports its modules is where imports start, not a cycle
        graph = {n: {m for m in deps if m != package} for n, deps in graph.items()}
        assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_crawlers_rooms_hold_what_their_names_say():
    """Middlewares, extensions, the frontier and the discovery rules each in a room of its own, and the
    discovery rules pure: they never import Scrapy (they are functions over a page's URL and text)."""
    rooms = {p.name for p in (ROOT / "crawler").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"discovery", "extensions", "frontier", "middlewares", "spiders"} <= rooms
    for path in (ROOT / "crawler" / "discovery").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {m for m in imported if m.split(".")[0] in ("scrapy", "twisted", "redis")}, path.name
