"""Named settings profiles for ``ogi crawl --profile``: changes on top of ``crawler.settings``.

``polite`` is the default for real portals. ``farm`` is for the simulated
portals of ``simulate.portals`` on loopback: their network is allowed by the
URL policy (``simulate.portals.farm.NETWORK``), no AutoThrottle, more requests
per host, and the farm's deliberately slow page fails fast instead of
holding the run up.
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
    },
}
