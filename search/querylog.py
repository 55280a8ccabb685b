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
from collections import deque
from collections.abc import Iterator

from django.db import DatabaseError, connection

from .contract import SearchParams
from .models import SearchQueryLog
from .params import describe_filters

logger = logging.getLogger(__name__)

WAIT_SECONDS = 0.25
MAX_PENDING = 1_000

_pending: deque[SearchQueryLog] = deque(maxlen=MAX_PENDING)
_pending_lock = threading.Lock()


def record_query(params: SearchParams, result_count: int, source: str) -> None:
    if not params.q.strip() and not describe_filters(params):
        return
    if params.page > 1:
        return  # the same search, paged
    row = SearchQueryLog(
        query=params.q.strip()[:200],
        filters=describe_filters(params),
        result_count=result_count,
        source=source,
    )
    with _pending_lock:
        rows = [*_pending, row]
        _pending.clear()
    written = 0
    try:
        with _short_lock_wait():
            for item in rows:
                item.save(force_insert=True)  # one INSERT in autocommit
                written += 1
    except DatabaseError as error:
        # Logging must never cost a resident their answer: keep the rows for the next search.
        left = rows[written:]
        for item in left:
            item.pk = None
        with _pending_lock:
            _pending.extendleft(reversed(left))
        logger.warning("search log: %s row(s) kept for later (%s)", len(left), error)


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
