"""Datasette plugin: Chinese full-text search in the search box and in SQL (see archive/fts.py).

Registered as a ``datasette`` entry point in pyproject.toml. It runs after
Datasette's own functions (``trylast``) so that its ``escape_fts`` — which
the table search box calls on what the user typed — replaces the default.
"""

from __future__ import annotations

from datasette import hookimpl

from .fts import fts_query


@hookimpl(trylast=True)
def prepare_connection(conn):  # type: ignore[no-untyped-def]
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("cjk_query", 1, fts_query, deterministic=True)
