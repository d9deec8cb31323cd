"""Where a kept body is, and reading it back: the WARC record a fetch wrote is the store of record; a
file under ``blobs/`` is a cache of it (written only when asked for, and dropped when a store of an
older layout is upgraded).

A body is named by the SHA-256 of what the server sent once its Content-Encoding is undone
(:func:`decoded`), the WARC record keeps what the server sent, encoding and all, so reading a body
back undoes the encoding the same way and checks the hash.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from .scratch import Scratch

log = logging.getLogger(__name__)

#: Where a body is copied for a reader that opens files; a killed build's copies are swept by the next.
_COPIES = Scratch("ogi-body-")

#: A body decompressed past this many bytes is kept as sent (a compression bomb is not expanded).
MAX_DECODED = 256 * 1024 * 1024


class DamagedBlob(Exception):
    """A kept body whose content no longer matches the hash it is named by."""


def decoded(body: bytes, encoding: str) -> bytes:
    """A response body with its Content-Encoding (gzip, deflate) undone; as sent when it cannot be, or
    when it would grow past :data:`MAX_DECODED`.

    Args:
        body: the body as the server sent it.
        encoding: its Content-Encoding header (lower case; empty when none).
    """
    wbits = 31 if "gzip" in encoding else 15 if "deflate" in encoding else None
    if wbits is None:
        return body
    out, rest = b"", body
    while rest:  # gzip allows several members one after another
        inflate = zlib.decompressobj(wbits)
        try:
            out += inflate.decompress(rest, MAX_DECODED + 1 - len(out))
        except zlib.error:
            return body
        if len(out) > MAX_DECODED or not inflate.eof:
            return body
        rest = inflate.unused_data if wbits == 31 else b""
    return out


def blob_path(root: str | Path, sha256: str) -> Path:
    """Where a store at ``root`` caches the body with this hash.

    Raises:
        ValueError: not a SHA-256 in hex (a name from a tampered ``store.db`` must not leave the store).
    """
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256: {sha256[:80]!r}")
    return Path(root) / "blobs" / sha256[:2] / sha256[2:4] / sha256


def _checked(digest: str, sha256: str, where: str) -> None:
    if digest != sha256:
        raise DamagedBlob(f"stored body {sha256[:16]}… in {where} does not match its hash (damaged on disk)")


@contextmanager
def record_at(root: str | Path, warc_file: str, offset: int) -> Iterator[ArcWarcRecord]:
    """The WARC record at ``offset`` of one of the store's WARC files (a name from a tampered ``store.db``
    never leaves ``warc/``).

    Raises:
        OSError, ValueError: the file or record cannot be read.
    """
    if "/" in warc_file or "\\" in warc_file or warc_file.startswith("."):
        raise ValueError(f"not a WARC file of the store: {warc_file[:80]!r}")
    with open(Path(root) / "warc" / warc_file, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)), None)
        if record is None:
            raise ValueError(f"no WARC record at {warc_file}:{offset}")
        yield record


def record_body(root: str | Path, warc_file: str, offset: int) -> bytes:
    """The body a WARC record holds: a response's HTTP payload with its Content-Encoding undone, or a
    conversion's or resource's content.

    Raises:
        OSError, ValueError: the file or record cannot be read.
    """
    with record_at(root, warc_file, offset) as record:
        raw = record.raw_stream.read()
        encoding = (record.http_headers.get_header("Content-Encoding") or "") if record.http_headers else ""
        return decoded(raw, encoding.lower()) if record.rec_type == "response" else raw


def location(db: sqlite3.Connection, sha256: str) -> tuple[str, int] | None:
    """The WARC file and offset of the first record that holds this body, or None."""
    row = db.execute(
        "SELECT warc_file, warc_offset FROM fetches WHERE sha256 = ? AND status = 200 AND warc_file IS NOT NULL"
        " AND warc_offset IS NOT NULL ORDER BY id LIMIT 1",
        (sha256,),
    ).fetchone()
    return (row[0], row[1]) if row else None


def _located(root: str | Path, sha256: str) -> tuple[str, int] | None:
    path = Path(root) / "store.db"
    if not path.is_file():
        return None
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return location(conn, sha256)
    finally:
        conn.close()


def has_body(root: str | Path, sha256: str) -> bool:
    """Whether the store at ``root`` holds this body (cached, or in a WARC file it has), unchecked."""
    if blob_path(root, sha256).is_file():
        return True
    where = _located(root, sha256)
    return where is not None and (Path(root) / "warc" / where[0]).is_file()


def read_body(root: str | Path, sha256: str, db: sqlite3.Connection | None = None) -> bytes:
    """The body with this hash, checked against it: from the blob cache, else from its WARC record.

    Args:
        root: the store directory.
        sha256: the body's hash.
        db: an open connection to the store's ``store.db`` (default: one opened read-only for this call).

    Raises:
        FileNotFoundError: no such body in the store.
        DamagedBlob: what is kept does not match the hash.
        ValueError: not a SHA-256.
    """
    cached = blob_path(root, sha256)
    if cached.is_file():
        data = cached.read_bytes()
        _checked(hashlib.sha256(data).hexdigest(), sha256, str(cached))
        return data
    where = _located(root, sha256) if db is None else location(db, sha256)
    if where is None:
        raise FileNotFoundError(f"body {sha256[:16]}… is not in the store")
    try:
        data = record_body(root, *where)
    except Exception as exc:  # a damaged record fails in gzip, warcio or the HTTP parser, each its own way
        raise DamagedBlob(f"stored body {sha256[:16]}…: its record {where[0]}:{where[1]} is unreadable: {exc}") from exc
    _checked(hashlib.sha256(data).hexdigest(), sha256, f"{where[0]}:{where[1]}")
    return data


@contextmanager
def body_file(root: str | Path, sha256: str) -> Iterator[Path]:
    """A file holding the body with this hash, checked against it, for a reader that opens files (the
    sandboxed parse workers): the cached blob, else a temporary copy out of its WARC record.

    Raises:
        FileNotFoundError, DamagedBlob, ValueError: as :func:`read_body`.
    """
    cached = blob_path(root, sha256)
    if cached.is_file():
        with cached.open("rb") as fh:
            _checked(hashlib.file_digest(fh, "sha256").hexdigest(), sha256, str(cached))
        yield cached
        return
    with _COPIES.temporary() as tmp:
        path = tmp / sha256
        path.write_bytes(read_body(root, sha256))
        yield path
