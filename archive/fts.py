"""What a search box sends to FTS5: each word quoted, so that its characters are never FTS5 syntax.

The tokenizer (``ogi_cjk``, archive/cjk_tokenizer.c) does the rest on both sides: Chinese as character
bigrams, a word as the phrase of its bigrams, traditional characters folded to simplified ones. A lone
character (复) has no bigram of its own, so it becomes the prefix query ``"复"*`` (the bigrams that start
with it). The Datasette plugin installs :func:`fts_query` as ``escape_fts`` (the table search box) and as
``cjk_query`` (for SQL); a stock ``MATCH '行政复议'`` works as well.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .tokenizer import HAN

_HAN = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN) + "]")
_TERM = re.compile(r'"[^"]*"|\S+')


@lru_cache(maxsize=1)
def _t2s() -> Any:
    """OpenCC's converter, loaded once on first use (its tables take a moment to read)."""
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Text with traditional characters converted to simplified ones (復議 → 复议), as the tokenizer folds
    them; for finding a search's words in the text (snippets).

    Args:
        text: what the user typed.
    """
    return str(_t2s().convert(text)) if _HAN.search(text) else text


def fts_query(query: str | None) -> str:
    """An FTS5 MATCH expression for a user's search: every word must occur (as a phrase).

    Args:
        query: what the user typed (words separated by spaces; quotes are taken literally).
    """
    parts = []
    for term in _TERM.findall(query or ""):
        term = term.replace('"', "")
        if term:
            parts.append(f'"{term}"*' if len(term) == 1 and _HAN.match(term) else f'"{term}"')
    return " ".join(parts) or '""'
