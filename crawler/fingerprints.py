"""The crawl's request fingerprints: Scrapy's, told apart by a purpose when a request names one.

The same URL asked for two purposes is two requests: a gkmlpt shell page read once for each catalogue
it routes to. Saying so in the fingerprint (rather than ``dont_filter``) lets the duplicate filter —
Scrapy's own, or the frontier's shared by many workers — ask for each purpose once in the whole crawl.
"""

from __future__ import annotations

import hashlib

from scrapy import Request
from scrapy.utils.request import RequestFingerprinter

#: The request meta key whose value is part of the fingerprint.
VARIANT = "ogi_variant"


class VariantFingerprinter(RequestFingerprinter):
    """Scrapy's request fingerprint, told apart by ``meta[VARIANT]`` when a request carries one."""

    def fingerprint(self, request: Request) -> bytes:
        base = super().fingerprint(request)
        variant = request.meta.get(VARIANT)
        return base if variant is None else hashlib.sha1(base + repr(variant).encode()).digest()
