"""The portal farm: simulated county portals for crawler tests and the demo."""

from .farm import Farm, Report

__all__ = ["Farm", "Report"]
