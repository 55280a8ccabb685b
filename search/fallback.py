"""Keep answering when the search cluster does not: an engine wrapper with a fallback.

``FallbackEngine(primary, fallback)`` asks the primary engine (Elasticsearch) and, when it
cannot answer (connection refused, timeout, cluster error, circuit breaker open), answers the
same ``SearchParams`` from the fallback engine (the embedded engine), so a resident never sees a
500 because the cluster is down. One warning is logged when an outage starts and one info line
when it ends (per process).

Writes go to both: the embedded index is always kept up to date, inside the transaction of the
change (it is what answers during an outage, and what the synonym signal reads); the cluster
is written after the transaction commits. Listings whose cluster write failed are remembered
in the cache and re-sent when the cluster is back (``pending_ids``); ``search_health`` shows
them and ``rebuild_search_index`` makes everything agree again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError
from elasticsearch.helpers import BulkIndexError

from .contract import SearchEngine, SearchParams, SearchResult
from .es.breaker import EngineUnavailable
from .es.lifecycle import IndexWriteError

logger = logging.getLogger(__name__)

# What "the cluster could not answer" looks like. Anything else is a bug and is raised.
ENGINE_ERRORS: tuple[type[BaseException], ...] = (
    ApiError,
    TransportError,
    BulkIndexError,
    IndexWriteError,
    EngineUnavailable,
)

PENDING_KEY = "search:es:pending"
OUTAGE_KEY = "search:es:outage"
MAX_PENDING = 10_000
FLUSH_LIMIT = 1_000


# ------------------------------------------------------------------------------ pending ids
def _cache_get(key: str, default: Any = None) -> Any:
    try:
        return cache.get(key, default)
    except Exception:  # the cache itself is down: pending ids are a convenience
        return default


def _cache_set(key: str, value: Any) -> None:
    try:
        cache.set(key, value, timeout=None)
    except Exception:
        logger.debug("cache unavailable for %s", key)


def _cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.debug("cache unavailable for %s", key)


def pending_ids() -> list[int]:
    """Listings whose last change did not reach the cluster (shared through the cache)."""
    return list(_cache_get(PENDING_KEY, []) or [])


def remember_pending(ids: Iterable[int]) -> None:
    merged = sorted(set(pending_ids()) | {int(i) for i in ids})
    if len(merged) > MAX_PENDING:
        logger.warning(
            "search: %d listings missed the cluster; run manage.py rebuild_search_index",
            len(merged),
        )
        merged = merged[-MAX_PENDING:]
    _cache_set(PENDING_KEY, merged)


def forget_pending(ids: Iterable[int] | None = None) -> None:
    if ids is None:
        _cache_delete(PENDING_KEY)
        return
    done = {int(i) for i in ids}
    left = [i for i in pending_ids() if i not in done]
    if left:
        _cache_set(PENDING_KEY, left)
    else:
        _cache_delete(PENDING_KEY)


def outage_record() -> dict | None:
    """The last outage reported by any process (shared through the cache), or None."""
    return _cache_get(OUTAGE_KEY)


# ------------------------------------------------------------------------------ reports
class RebuildError(Exception):
    """The cluster index could not be rebuilt (the fallback index was)."""


@dataclass
class CombinedReport:
    """Rebuild of both indexes; ``documents`` is the primary's count."""

    primary: Any
    fallback: Any

    @property
    def documents(self) -> int:
        return self.primary.documents

    def summary(self) -> str:
        return f"{self.fallback.summary()}\n{self.primary.summary()}"


# ------------------------------------------------------------------------------ the engine
class FallbackEngine:
    def __init__(
        self,
        primary: SearchEngine,
        fallback: SearchEngine,
        *,
        fallback_on_error: bool = True,
        defer_writes: bool = True,
    ):
        self.primary = primary
        self.fallback = fallback
        # False: errors propagate (the shared test suite, benchmarks of the cluster itself).
        self.fallback_on_error = fallback_on_error
        # True: cluster writes wait for the transaction to commit (never index a rollback).
        self.defer_writes = defer_writes
        self.name = primary.name
        self._lock = threading.Lock()
        self._outage = False

    @property
    def breaker(self):
        return getattr(self.primary, "breaker", None)

    @property
    def in_outage(self) -> bool:
        return self._outage

    # ------------------------------------------------------------------ outage state
    def _failed(self, error: BaseException, during: str) -> None:
        with self._lock:
            starting = not self._outage
            self._outage = True
        if starting:
            logger.warning(
                "search: %s unavailable during %s (%s: %s); answering from the %s engine "
                "until it is back",
                self.primary.name,
                during,
                type(error).__name__,
                str(error)[:200],
                self.fallback.name,
            )
            _cache_set(
                OUTAGE_KEY,
                {
                    "since": timezone.now().isoformat(timespec="seconds"),
                    "process": f"{socket.gethostname()}:{os.getpid()}",
                    "error": f"{type(error).__name__}: {error}"[:300],
                },
            )

    def _succeeded(self) -> None:
        with self._lock:
            recovering = self._outage
            self._outage = False
        if recovering:
            logger.info("search: %s is answering again", self.primary.name)
            _cache_delete(OUTAGE_KEY)
            self.flush_pending()

    def flush_pending(self) -> int:
        """Re-send the listings that missed the cluster; returns how many were sent."""
        ids = pending_ids()[:FLUSH_LIMIT]
        if not ids:
            return 0
        try:
            self.primary.index_listings(ids)
        except ENGINE_ERRORS as error:
            logger.info("search: pending listings not sent yet (%s)", error)
            return 0
        forget_pending(ids)
        return len(ids)

    # ------------------------------------------------------------------ search
    def search(self, params: SearchParams) -> SearchResult:
        try:
            result = self.primary.search(params)
        except ENGINE_ERRORS as error:
            if not self.fallback_on_error:
                raise
            self._failed(error, "search")
            return self.fallback.search(params)
        self._succeeded()
        return result

    # ------------------------------------------------------------------ writes
    def _write(self, operation: Callable[[], Any], ids: list[int]) -> None:
        def run() -> None:
            try:
                operation()
            except ENGINE_ERRORS as error:
                if not self.fallback_on_error:
                    raise
                self._failed(error, "indexing")
                remember_pending(ids)
                return
            self._succeeded()

        if self.defer_writes:
            transaction.on_commit(run)
        else:
            run()

    def index_listings(self, listing_ids: Iterable[int]) -> int:
        ids = [int(i) for i in listing_ids]
        count = self.fallback.index_listings(ids)
        if ids:
            self._write(lambda: self.primary.index_listings(ids), ids)
        return count

    def remove_listings(self, listing_ids: Iterable[int]) -> None:
        ids = [int(i) for i in listing_ids]
        self.fallback.remove_listings(ids)
        if ids:
            self._write(lambda: self.primary.remove_listings(ids), ids)

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> CombinedReport:
        """Both indexes from the database; a cluster error is raised as ``RebuildError`` (an
        operator runs this), after the fallback index has been rebuilt."""
        fallback_report = self.fallback.rebuild(progress)
        try:
            primary_report = self.primary.rebuild(progress)
        except ENGINE_ERRORS as error:
            raise RebuildError(
                f"{fallback_report.summary()}\n"
                f"{self.primary.name} の再構築に失敗しました（切り替えていません）: "
                f"{type(error).__name__}: {str(error)[:300]}"
            ) from error
        forget_pending()
        self._succeeded()
        return CombinedReport(primary_report, fallback_report)

    # ------------------------------------------------------------------ health
    def health(self) -> dict[str, Any]:
        report = self.primary.health() if hasattr(self.primary, "health") else {}
        report.update(
            {
                "fallback": self.fallback.name,
                "in_outage": self._outage,
                "outage": outage_record(),
                "pending": len(pending_ids()),
            }
        )
        return report
