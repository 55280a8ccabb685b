"""Recording what residents searched for (no personal data: no IP, no user, no exact time).

Best effort, and never at the cost of a search or of someone else's write: on SQLite the row
waits at most ``WAIT_SECONDS`` for the database's one write lock (a publish or an import may
hold it for seconds; searches must not queue behind it, docs/search.md). A row that could not be
written waits in this process (up to ``MAX_PENDING``) and goes in with the next one.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Iterator

from django.db import DatabaseError, connection, transaction

from .contract import SearchParams
from .models import SearchQueryLog
from .params import describe_filters

logger = logging.getLogger(__name__)

WAIT_SECONDS = 0.25
MAX_PENDING = 1_000

# Searches answered from the response cache are written in batches of DEFER_BATCH rows, or
# with the first search after DEFER_SECONDS; a worker's exit writes what waits (gunicorn_conf).
DEFER_BATCH = 50
DEFER_SECONDS = 2.0

_pending: deque[SearchQueryLog] = deque(maxlen=MAX_PENDING)
_pending_lock = threading.Lock()
_deferred_since: float | None = None


def record_query(params: SearchParams, result_count: int, source: str) -> dict | None:
    """Log this search now; returns the entry (for ``replay``), or None when it is not logged."""
    entry = log_entry(params, result_count, source)
    if entry is not None:
        write_entry(entry)
    return entry


def log_entry(params: SearchParams, result_count: int, source: str) -> dict | None:
    """What the log keeps of this search (a plain dict, storable in a cache), or None."""
    if not params.q.strip() and not describe_filters(params):
        return None
    if params.page > 1:
        return None  # the same search, paged
    return {
        "query": params.q.strip()[:200],
        "filters": describe_filters(params),
        "result_count": result_count,
        "source": source,
    }


def replay(request, entry: dict | None) -> None:
    """A search answered from the response cache (``portal.response_cache``): logged the same,
    but batched (DEFER_BATCH rows or DEFER_SECONDS) so that a cached answer stays cheap."""
    if entry:
        write_entry(entry, defer=True)


def write_entry(entry: dict, *, defer: bool = False) -> None:
    global _deferred_since
    row = SearchQueryLog(**entry)
    with _pending_lock:
        _pending.append(row)
        if defer:
            now = time.monotonic()
            if _deferred_since is None:
                _deferred_since = now
            if len(_pending) < DEFER_BATCH and now - _deferred_since < DEFER_SECONDS:
                return
        rows = list(_pending)
        _pending.clear()
        _deferred_since = None
    _write(rows)


def flush_pending() -> None:
    """Write what waits in this process (a worker's exit; tests)."""
    global _deferred_since
    with _pending_lock:
        rows = list(_pending)
        _pending.clear()
        _deferred_since = None
    if rows:
        _write(rows)


def _write(rows: list[SearchQueryLog]) -> None:
    try:
        with _short_lock_wait(), _no_flush_wait():
            if len(rows) == 1:
                rows[0].save(force_insert=True)  # one INSERT
            else:
                SearchQueryLog.objects.bulk_create(rows)  # one INSERT for the batch
    except DatabaseError as error:
        # Logging must never cost a resident their answer: keep the rows for the next search.
        for item in rows:
            item.pk = None
        with _pending_lock:
            _pending.extendleft(reversed(rows))
        logger.warning("search log: %s row(s) kept for later (%s)", len(rows), error)


@contextlib.contextmanager
def _no_flush_wait() -> Iterator[None]:
    """On PostgreSQL, commit the log rows without waiting for the WAL flush
    (``synchronous_commit = off`` for this transaction only): a crash may lose the last
    fraction of a second of the log, never anything else, and a search no longer waits for
    the disk (under load a flush cost as much as serving a cached page)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


@contextlib.contextmanager
def _short_lock_wait() -> Iterator[None]:
    """On SQLite, wait at most WAIT_SECONDS for the write lock rather than the connection's
    timeout, which is long so that publishes and submissions wait their turn, never fail."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield  # PostgreSQL inserts do not wait for other writers; a transaction holds the lock
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA busy_timeout = {int(WAIT_SECONDS * 1000)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {previous}")
