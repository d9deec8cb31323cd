"""Queue entries as data, not code: requests travel pickled (as scrapy-redis and Scrapy's JOBDIR queue keep
them), and are read back into plain values and the store's ``Fetch`` record only, so a stranger who could
write to the Redis server still could not run code in the workers. The scheduler's serializer."""

from __future__ import annotations

import io
import pickle
from typing import Any

_ALLOWED = {("rawstore.store", "Fetch"), ("builtins", "set"), ("builtins", "frozenset")}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"a queue entry names {module}.{name}: refused")
        return super().find_class(module, name)


def dumps(obj: Any) -> bytes:
    """Serialise a queue entry (a request as ``Request.to_dict`` gives it)."""
    return pickle.dumps(obj, protocol=5)


def loads(data: bytes) -> Any:
    """Read a queue entry back, building plain values only.

    Raises:
        pickle.UnpicklingError: the entry names any other class or function.
    """
    return _Unpickler(io.BytesIO(data)).load()
