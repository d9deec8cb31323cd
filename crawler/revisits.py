"""When a document the crawl already holds is asked for again: its revisit schedule.

List pages are read every run (new reports appear there); a report page or attachment found again is
asked for only when its revisit is due, as web archives revisit (Heritrix's adaptive revisiting): often
while it is new or has just changed, rarely once it has been stable for months, and never less than
every :data:`MAX_INTERVAL`, so that a silent revision is seen within a month. The schedule is worked out
from what the store's fetch log shows of the URL (``RawStore.history``): a stable document's interval
is a quarter of how long it has been stable, between a day and four weeks. A document fetched once
only counts as stable since its server's Last-Modified when that is earlier (an old report found by a
first crawl is not new); once it has changed, since the change was seen.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from rawstore.store import UrlHistory

MIN_INTERVAL = timedelta(days=1)
MAX_INTERVAL = timedelta(days=28)
#: A document stable for this many intervals is revisited once per interval.
STABLE_FACTOR = 4
#: The kinds of request the schedule applies to (list pages and everything else are asked for every run).
DOCUMENT_KINDS = frozenset({"report", "file"})


def parse_time(value: str | None) -> datetime | None:
    """A time as the store writes it (ISO 8601, UTC) or as a server sends it (HTTP date); None if neither."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def stable_since(history: UrlHistory) -> datetime | None:
    """Since when the document has been as it is now."""
    seen = parse_time(history.current_since)
    if seen is None:
        return None
    modified = parse_time(history.last_modified)
    if history.versions == 1 and modified is not None and modified < seen:
        return modified
    return seen


def interval(history: UrlHistory, now: datetime) -> timedelta:
    """How long after its last check the document is due again."""
    since = stable_since(history)
    if since is None:
        return MIN_INTERVAL
    return min(MAX_INTERVAL, max(MIN_INTERVAL, (now - since) / STABLE_FACTOR))


def due(history: UrlHistory, now: datetime) -> datetime | None:
    """When the document is next due; None when it is due now (or its history says too little to wait)."""
    checked = parse_time(history.last_checked)
    if checked is None:
        return None
    at = checked + interval(history, now)
    return at if at > now else None
