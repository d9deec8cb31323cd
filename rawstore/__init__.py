"""The raw store (Keep): the crawler writes it, the archive reads it. See :mod:`rawstore.store`."""

from .runs import RunRecord
from .store import (
    DEFAULT_ROOT,
    DamagedBlob,
    Fetch,
    RawStore,
    StoredReport,
    StoreError,
    blob_path,
    read_blob,
    verify_blob,
)

__all__ = [
    "DEFAULT_ROOT",
    "DamagedBlob",
    "Fetch",
    "RawStore",
    "RunRecord",
    "StoreError",
    "StoredReport",
    "blob_path",
    "read_blob",
    "verify_blob",
]
