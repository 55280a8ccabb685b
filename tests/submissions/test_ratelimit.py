"""The per-address rate limit counts atomically (cache.add + cache.incr): concurrent requests
can never take more than the allowance, and a refused one says when to come back."""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from submissions import ratelimit

THREADS = 20


@pytest.fixture
def request_from():
    factory = RequestFactory()
    return lambda ip="192.0.2.1": factory.post("/submit/", REMOTE_ADDR=ip)


def take_concurrently(request) -> list[ratelimit.Slot]:
    start = threading.Barrier(THREADS)

    def take(_n: int) -> ratelimit.Slot:
        start.wait()
        return ratelimit.take(request)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(take, range(THREADS)))


def test_twenty_at_once_against_ten_get_exactly_ten(settings, request_from):
    settings.SUBMISSION_RATE_LIMIT = "10/h"
    cache.clear()
    slots = take_concurrently(request_from())
    assert sum(slot.allowed for slot in slots) == 10
    # Refused requests used nothing up: one returned slot lets exactly one more in.
    ratelimit.give_back(next(slot for slot in slots if slot.allowed))
    assert ratelimit.take(request_from()).allowed
    assert not ratelimit.take(request_from()).allowed
    # Another address has its own allowance.
    assert ratelimit.take(request_from("192.0.2.99")).allowed


def test_a_refused_request_is_told_when_the_window_ends(settings, request_from, monkeypatch):
    settings.SUBMISSION_RATE_LIMIT = "2/10m"
    cache.clear()
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6_000_000 + 150)  # 150 s into a window
    assert ratelimit.take(request_from()).allowed
    assert ratelimit.take(request_from()).allowed
    refused = ratelimit.take(request_from())
    assert not refused.allowed
    assert refused.retry_after == 600 - 150


REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_is_there() -> bool:
    if importlib.util.find_spec("redis") is None:
        return False
    with socket.socket() as probe:
        address = urllib.parse.urlsplit(REDIS_URL)
        probe.settimeout(1)
        return probe.connect_ex((address.hostname or "127.0.0.1", address.port or 6379)) == 0


@pytest.mark.skipif(not redis_is_there(), reason="needs the redis package and a Redis server")
def test_twenty_at_once_against_ten_with_redis(settings, request_from):
    """Several app servers share one count in Redis; the same atomicity holds there."""
    settings.SUBMISSION_RATE_LIMIT = "10/h"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}",  # never another test's keys
        }
    }
    with override_settings(CACHES=redis_cache):
        slots = take_concurrently(request_from())
        try:
            assert sum(slot.allowed for slot in slots) == 10
            import redis

            ttl = redis.Redis.from_url(REDIS_URL).ttl(cache.make_key(slots[0].key))
            assert 0 < ttl <= 3600  # the window's key expires
        finally:
            cache.delete(slots[0].key)  # only ours: never clear a shared Redis
