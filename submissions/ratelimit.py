"""A per-IP rate limit on the public forms, kept in Django's cache (fixed windows).

``SUBMISSION_RATE_LIMIT`` is "count/period": ``5/h``, ``20/d``, ``3/10m``. Only requests that
would store something count (a new submission, an update, a reply); a form sent back with errors
does not, so a group correcting a typo is never locked out.
"""

from __future__ import annotations

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


def _key(request: HttpRequest, rate: Rate) -> str:
    # The IP is hashed so the cache holds no addresses in the clear.
    ip = hashlib.sha256(client_ip(request).encode()).hexdigest()[:24]
    window = int(time.time()) // rate.seconds
    return f"submissions:rate:{ip}:{rate.seconds}:{window}"


def is_limited(request: HttpRequest) -> bool:
    """True when this client has used up its allowance for the current window."""
    rate = current_rate()
    return (cache.get(_key(request, rate)) or 0) >= rate.count


def record(request: HttpRequest) -> None:
    """Count one stored write for this client."""
    rate = current_rate()
    key = _key(request, rate)
    if cache.add(key, 1, timeout=rate.seconds):
        return
    try:
        cache.incr(key)
    except ValueError:
        # Expired between add() and incr(): start a new window.
        cache.set(key, 1, timeout=rate.seconds)
