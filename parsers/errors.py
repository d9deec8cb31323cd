"""Why a document could not be read: the parsers' ground floor, imported by every reader and by core."""

from __future__ import annotations

#: Why a document could not be read (``ParseError.reason``; the archive counts failures by it).
REASONS = {
    "missing": "no such file, or not readable",
    "empty": "empty file",
    "too_large": "larger than the size limit",
    "unsupported": "a format not read (yet)",
    "undecodable": "text in no encoding that could be told",
    "too_deep": "nested too deeply to read",
    "broken": "damaged beyond reading",
    "damaged": "the stored copy is missing or no longer matches its hash",
    "timeout": "ran over the time limit",
    "memory": "ran over the memory limit",
    "crashed": "the parser process died",
    "internal": "a parser bug",
}


class ParseError(Exception):
    """A document that cannot be read at all.

    Args:
        message: what went wrong, for users.
        reason: one of :data:`REASONS`, for counting failures.
    """

    def __init__(self, message: str, reason: str = "broken") -> None:
        super().__init__(message)
        self.reason = reason
