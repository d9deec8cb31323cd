"""Chinese full-text search on SQLite FTS5 without a custom tokenizer.

FTS5's unicode61 tokenizer keeps a run of Chinese characters as one token,
so 复议 would never match inside 行政复议. Text is therefore indexed as
overlapping character bigrams (行政复议 → 行政 政复 复议), and a query is
rewritten the same way into a phrase ("行政 政复 复议"): two-character words
and longer phrases both match, anywhere in the text. The Datasette plugin
(archive/datasette_plugin.py) installs :func:`fts_query` as ``escape_fts`` so
the search box works unchanged; in SQL, ``match cjk_query('复议')``.
"""

from __future__ import annotations

import re

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_TERM = re.compile(r'"[^"]*"|\S+')


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(text: str | None) -> str:
    """Text as stored in the FTS index: Chinese runs become bigrams, the rest is kept.

    Args:
        text: any text (titles, section text).
    """
    if not text:
        return ""
    return _CJK_RUN.sub(lambda m: " " + " ".join(_bigrams(m.group(0))) + " ", text)


def fts_query(query: str | None) -> str:
    """An FTS5 MATCH expression for a user's search: every term must occur, Chinese terms as bigram phrases.

    Args:
        query: what the user typed (terms separated by spaces; quotes are taken literally).
    """
    parts = []
    for term in _TERM.findall(query or ""):
        term = term.replace('"', "")
        if _CJK_RUN.fullmatch(term) and len(term) == 1:
            parts.append(f'"{term}"*')  # one character: the bigrams that start with it
            continue
        tokens: list[str] = []
        for piece in re.split(r"([\u3400-\u9fff\uf900-\ufaff]+)", term):
            tokens.extend(_bigrams(piece) if _CJK_RUN.fullmatch(piece) else piece.split())
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return " ".join(parts) or '""'
