"""A process-local circuit breaker: stop calling a cluster that keeps failing, try again later.

closed ──(``failure_threshold`` consecutive failures)──▶ open ──(``cooldown`` seconds)──▶
half-open: one trial call is let through; success closes the breaker, failure opens it again
for another cooldown. While open, calls are refused at once (``EngineUnavailable``), so a
resident's search waits for no timeout when the cluster is known to be down.

Each process (each app server worker) has its own breaker: no shared state to fail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"

FAILURE_THRESHOLD = 3
COOLDOWN_SECONDS = 30.0


class EngineUnavailable(Exception):
    """The breaker is open: the call was not attempted."""


@dataclass(frozen=True)
class BreakerState:
    state: str
    failures: int
    retry_in: float | None  # seconds until the next trial while open
    last_error: str


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int = FAILURE_THRESHOLD,
        cooldown: float = COOLDOWN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self.clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False
        self._last_error = ""

    # ------------------------------------------------------------------ state
    def _state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if self.clock() - self._opened_at >= self.cooldown:
            return HALF_OPEN
        return OPEN

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def snapshot(self) -> BreakerState:
        with self._lock:
            state = self._state()
            retry_in = None
            if state == OPEN and self._opened_at is not None:
                retry_in = max(0.0, self.cooldown - (self.clock() - self._opened_at))
            return BreakerState(state, self._failures, retry_in, self._last_error)

    # ------------------------------------------------------------------ calls
    def allow(self) -> bool:
        """May a call go to the cluster now? In half-open state only one trial at a time."""
        with self._lock:
            state = self._state()
            if state == CLOSED:
                return True
            if state == HALF_OPEN and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self, error: BaseException | str | None = None) -> None:
        with self._lock:
            self._failures += 1
            if error is not None:
                self._last_error = _describe(error)
            if self._trial_running or self._failures >= self.failure_threshold:
                self._opened_at = self.clock()
            self._trial_running = False

    def reset(self) -> None:
        self.record_success()
        with self._lock:
            self._last_error = ""


def _describe(error: BaseException | str) -> str:
    if isinstance(error, str):
        return error[:300]
    return f"{type(error).__name__}: {error}"[:300]
