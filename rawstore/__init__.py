"""The raw store (Keep): the crawler writes it, the archive reads it. See :mod:`rawstore.store`."""

from .bodies import DamagedBlob, blob_path, body_file, decoded, has_body, read_body
from .runs import RunRecord
from .store import DEFAULT_ROOT, Fetch, RawStore, StoreBusy, StoredReport, StoreError, fetch_key

__all__ = [
    "DEFAULT_ROOT",
    "DamagedBlob",
    "Fetch",
    "RawStore",
    "RunRecord",
    "StoreBusy",
    "StoreError",
    "StoredReport",
    "blob_path",
    "body_file",
    "decoded",
    "fetch_key",
    "has_body",
    "read_body",
]
