"""The archive's tunable numbers and defaults, in one place (as Scrapy's and trafilatura's settings are)."""

import os

from rawstore import DEFAULT_ROOT

#: The archive database written by ``ogi build`` and served by ``ogi serve``.
DB = "archive.db"
#: The raw store read by ``ogi build`` (the crawler's ``OGI_STORE``).
STORE = DEFAULT_ROOT
#: The seeds list, for regions and portals (relative to the working directory).
SEEDS = "seeds/portals.csv"
#: Reports written per transaction.
BATCH = 200
#: Where ``ogi serve`` listens.
HOST = "127.0.0.1"
PORT = 8001
#: Datasette's SQL time limit per query (milliseconds).
SQL_TIME_LIMIT_MS = 3000
#: Public SQL endpoint (archive/querylimits.py): the longest value a query may build, the bytes one
#: query may return, requests one client address runs at once, Datasette's SQL threads (and an
#: archive's query processes, archive/querypool.py), requests with SQL of their own running at once
#: over all clients (the rest of the processes stay free for pages), and the memory (address space)
#: of the whole ``ogi serve`` process.
MAX_VALUE_BYTES = 4 * 1024 * 1024
MAX_RESULT_BYTES = 32 * 1024 * 1024
CLIENT_REQUESTS = 2
SQL_THREADS = 8
#: (half the cores: a query of one long step holds a core to the end, and pages need the others)
CUSTOM_SQL_REQUESTS = max(1, min(SQL_THREADS // 2, (os.cpu_count() or 2) // 2))
SERVE_MEMORY_BYTES = 4 * 1024**3
#: Rows a facet shows.
FACET_SIZE = 20
#: SQLite's page cache per connection (KiB). The default 2 MB holds a few hundred pages, so a search
#: matching most reports reads its pages from the OS again on every row; 256 MB holds the reports
#: table and the FTS doclists of a large archive (measured: counting 100,000 matches 80 → 60 ms).
CACHE_KIB = 256 * 1024
