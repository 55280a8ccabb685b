"""Django's Redis cache, made to survive Redis going down.

The cache only ever holds what can be rebuilt (Wagtail's site paths, the synonym version, the
Elasticsearch outage record, rate-limit counters), so while Redis is unreachable every page
still answers: reads miss, writes are dropped, ``incr`` counts from zero (rate limits let
requests through rather than fail them). One warning per outage and process goes to the log
(logger ``portal.cache``); after a failure Redis is not asked again for ``RETRY_SECONDS``, so
an outage costs one connection timeout per process per interval, not one per call.
``/healthz`` still reports the cache as failed while this happens.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose operations degrade to a miss while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._in_outage = False
        self._lock = threading.Lock()

    def _failed(self, error: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + RETRY_SECONDS
            if not self._in_outage:
                self._in_outage = True
                logger.warning("Redis cache unreachable (%s); serving without it", error)

    def _recovered(self) -> None:
        if self._in_outage:
            with self._lock:
                if self._in_outage:
                    self._in_outage = False
                    logger.info("Redis cache reachable again")

    def _guarded(self, operation: Callable[..., Any], fallback: Callable[..., Any], *args, **kw):
        import redis

        if time.monotonic() < self._down_until:
            return fallback(*args, **kw)
        try:
            result = operation(*args, **kw)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            self._failed(error)
            return fallback(*args, **kw)
        self._recovered()
        return result


def _degrade(name: str, fallback: Callable[..., Any]) -> None:
    parent = getattr(RedisCache, name)

    @functools.wraps(parent)
    def method(self, *args, **kwargs):
        return self._guarded(functools.partial(parent, self), fallback, *args, **kwargs)

    setattr(ResilientRedisCache, name, method)


def _get_default(key, default=None, version=None):
    return default


def _incr_from_zero(key, delta=1, version=None):
    return delta


_degrade("get", _get_default)
_degrade("add", lambda *args, **kwargs: False)
_degrade("set", lambda *args, **kwargs: None)
_degrade("touch", lambda *args, **kwargs: False)
_degrade("delete", lambda *args, **kwargs: False)
_degrade("get_many", lambda *args, **kwargs: {})
_degrade("has_key", lambda *args, **kwargs: False)
_degrade("incr", _incr_from_zero)
_degrade("set_many", lambda *args, **kwargs: [])
_degrade("delete_many", lambda *args, **kwargs: None)
_degrade("clear", lambda *args, **kwargs: False)
