"""The raw store (Keep): the crawler writes it, the archive reads it. See :mod:`rawstore.store`."""

from .store import DEFAULT_ROOT, Fetch, RawStore, StoredReport, StoreError, blob_path

__all__ = ["DEFAULT_ROOT", "Fetch", "RawStore", "StoreError", "StoredReport", "blob_path"]
