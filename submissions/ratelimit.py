"""A per-IP rate limit on the public forms, kept in Django's cache (fixed windows).

``SUBMISSION_RATE_LIMIT`` is "count/period": ``5/h``, ``20/d``, ``3/10m``. A post takes a slot
before anything else (``take``: cache.add + cache.incr, atomic in local memory and in Redis, so
concurrent posts can never take more than the allowance) and gives it back (``give_back``) when
it stored nothing and cost little: a form sent back with errors and no photos, or a database
that could not store it. So a group correcting a typo is never locked out, while posts carrying
photos count even when invalid.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_RATE = "10/h"
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, self.seconds // 60)


def parse_rate(text: str) -> Rate:
    """``"5/h"`` → Rate(5, 3600). A malformed value falls back to the default (never a 500)."""
    match = _RATE.match(text or "") or _RATE.match(DEFAULT_RATE)
    count, multiplier, unit = match.groups()
    return Rate(int(count), int(multiplier or 1) * UNITS[unit])


def current_rate() -> Rate:
    return parse_rate(getattr(settings, "SUBMISSION_RATE_LIMIT", DEFAULT_RATE))


def client_ip(request: HttpRequest) -> str:
    if getattr(settings, "SUBMISSION_TRUST_X_FORWARDED_FOR", False):
        # The last address is the one our own proxy saw; earlier ones are client-supplied.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class Slot:
    key: str
    allowed: bool
    retry_after: int  # seconds until the current window ends


def _key(request: HttpRequest, rate: Rate, window: int) -> str:
    # The IP is hashed so the cache holds no addresses in the clear.
    ip = hashlib.sha256(client_ip(request).encode()).hexdigest()[:24]
    return f"submissions:rate:{ip}:{rate.seconds}:{window}"


def take(request: HttpRequest) -> Slot:
    """Count this post against its client's allowance; ``allowed`` False when used up."""
    rate = current_rate()
    now = int(time.time())
    key = _key(request, rate, now // rate.seconds)
    retry_after = rate.seconds - now % rate.seconds
    if _increment(key, rate.seconds) > rate.count:
        _decrement(key)  # refused: it used up nothing
        return Slot(key, False, retry_after)
    return Slot(key, True, retry_after)


def give_back(slot: Slot) -> None:
    """The post stored nothing (see the module docstring): free its slot again."""
    if slot.allowed:
        _decrement(slot.key)


def _increment(key: str, timeout: int) -> int:
    for _attempt in range(3):
        if cache.add(key, 1, timeout=timeout):
            return 1
        try:
            count = cache.incr(key)
        except ValueError:
            continue  # expired between add() and incr(): start the window again
        if count == 1:
            cache.touch(key, timeout)  # Redis created it in incr(), without an expiry
        return count
    return 1


def _decrement(key: str) -> None:
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        cache.decr(key)
