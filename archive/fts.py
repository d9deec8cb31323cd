"""Chinese full-text search on SQLite FTS5 without a custom tokenizer.

FTS5's unicode61 tokenizer keeps a run of Chinese characters as one token,
so 复议 would never match inside 行政复议. Text is therefore indexed as
overlapping character bigrams (行政复议 → 行政 政复 复议), and a query is
rewritten the same way into a phrase ("行政 政复 复议"): two-character words
and longer phrases both match, anywhere in the text. The Datasette plugin
(archive/datasette_plugin.py) installs :func:`fts_query` as ``escape_fts`` so
the search box works unchanged; in SQL, ``match cjk_query('复议')``.

The reports are in simplified characters; a query typed in traditional ones
(復議, as in Hong Kong and Taiwan) also matches its simplified form, converted
character by character with OpenCC's ``t2s`` table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

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


@lru_cache(maxsize=1)
def _t2s() -> Any:
    """OpenCC's converter, loaded once on first use (its tables take a moment to read)."""
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Text with traditional characters converted to simplified ones (復議 → 复议); simplified text is kept.

    Args:
        text: what the user typed.
    """
    return str(_t2s().convert(text)) if _CJK_RUN.search(text) else text


def fts_query(query: str | None) -> str:
    """An FTS5 MATCH expression for a user's search: every term must occur, Chinese terms as bigram phrases;
    a query in traditional characters matches as typed or in simplified characters.

    Args:
        query: what the user typed (terms separated by spaces; quotes are taken literally).
    """
    query = query or ""
    plain = simplified(query)
    if plain != query:
        return f"({_match(query)}) OR ({_match(plain)})"
    return _match(query)


def _match(query: str) -> str:
    parts = []
    for term in _TERM.findall(query):
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
