"""The simulator: report documents generated from records (``simulate.documents``, one module per
renderer) and the portal farm that serves them (``simulate.portals``, one module per CMS family).

A product package, not test code: ``ogi demo`` and the benchmarks run on it, and the tests import it.
"""
