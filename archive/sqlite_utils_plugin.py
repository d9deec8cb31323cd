"""sqlite-utils plugin ``ogi``: the ``ogi_cjk`` tokenizer on sqlite-utils' connections, so that
``sqlite-utils search archive.db reports 行政复议`` reads the archive's Chinese index (archive/tokenizer.py).

Registered as a ``sqlite_utils`` entry point in pyproject.toml. sqlite-utils imports its plugins before it
opens a database, and every connection opened after :func:`archive.tokenizer.install` has the tokenizer,
so no hook is needed; without it, a search of the archive fails with SQLite's ``no such tokenizer``.
"""

from __future__ import annotations

import logging

from . import tokenizer

try:
    tokenizer.install()
except tokenizer.TokenizerMissing as exc:  # other databases still work
    logging.getLogger(__name__).warning("an OGI archive's full-text search will fail: %s", exc)
