"""The portal farm: simulated county portals, one module per family of portal software, for the demo,
the benchmarks and the crawler's tests. ``python -m simulate.portals`` serves it until interrupted."""

from .farm import Farm, Report
from .server import Page, Portal, Request

__all__ = ["Farm", "Page", "Portal", "Report", "Request"]
