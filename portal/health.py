"""Health endpoints for load balancers and orchestrators (docs/deploy.md).

- ``/healthz``: can this process serve? A real query on the database and a set/get round trip
  on the cache. 200 ``{"status": "ok", ...}``, else 503 naming what failed.
- ``/readyz``: is this process warm? The search index snapshot is loaded here and the
  analyser's dictionary is loaded (``search.readiness``). 200, else 503.
- ``/healthz/ping``: nothing at all (the load test's baseline through the same middleware).

None of them needs a session or a CSRF token, and none is cached.
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from search.readiness import readiness

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:
        logger.warning("healthz: database check failed: %s", error)
        return False


def _cache_ok() -> bool:
    key = f"healthz:{secrets.token_hex(8)}"
    token = secrets.token_hex(8)
    try:
        cache.set(key, token, timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as error:
        logger.warning("healthz: cache check failed: %s", error)
        return False
    if found != token:
        logger.warning("healthz: cache check failed: a value set was not read back")
    return found == token


def _report(checks: dict[str, bool]) -> JsonResponse:
    failed = [name for name, ok in checks.items() if not ok]
    return JsonResponse(
        {
            "status": "fail" if failed else "ok",
            "checks": {name: "ok" if ok else "fail" for name, ok in checks.items()},
            "failed": failed,
        },
        status=503 if failed else 200,
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return _report({"database": _database_ok(), "cache": _cache_ok()})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    return _report(readiness())


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")
