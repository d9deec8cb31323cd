"""Named settings profiles for ``ogi crawl --profile``: changes on top of ``crawler.settings``.

``polite`` is the default for real portals. ``farm`` is for the simulated
portals of ``simulate.portals`` on loopback: their network is allowed by the
URL policy (``simulate.portals.farm.NETWORK``), no AutoThrottle, more requests
per host, the farm's deliberately slow page fails fast instead of holding
the run up, and every document is asked for again in every run (no revisit
schedule).
"""

from typing import Any

PROFILES: dict[str, dict[str, Any]] = {
    "polite": {},
    "farm": {
        "OGI_ALLOWED_HOSTS": "127.0.0.64/26",
        # and nothing else: a farm page that links a real host (a header's 中国政府网) is refused unresolved
        "OGI_ONLY_ALLOWED_HOSTS": True,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "DOWNLOAD_TIMEOUT": 2,
        "RETRY_TIMES": 1,
        "OGI_HOST_DELAY": 0,
        # every document asked for again in every run: the farm's tests compare crawls run minutes apart, and
        # its server dates every page 2023 (a revisit schedule would wait weeks); tests/crawler/test_revisits.py
        # turns the schedule on with a clock of its own (OGI_NOW)
        "OGI_REVISIT": False,
    },
}
