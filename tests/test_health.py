"""/healthz, /readyz and the Redis cache: against the real database, the real Redis on
127.0.0.1:6379, and each of them cut (a closed port, a database that cannot be opened)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from search import readiness
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not redis_reachable(), reason=f"no Redis on {REDIS_HOST}:{REDIS_PORT} (CI has one)"
)


def redis_caches(url: str) -> dict:
    """The production cache settings (base.py) for ``url``, with a key prefix of this test's
    own so nothing touches other users of the same Redis."""
    return {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
        "failed": [],
    }
    assert "no-cache" in response["Cache-Control"]


def test_ping_is_trivial(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/ping")
    assert response.status_code == 200
    assert response.content == b"ok"


@needs_redis
def test_the_site_works_on_the_real_redis(client, settings, areas):
    settings.CACHES = redis_caches(f"redis://{REDIS_HOST}:{REDIS_PORT}/0")
    cache.set("probe", {"日本語": 1})
    assert cache.get("probe") == {"日本語": 1}
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "ResilientRedisCache"
    make_listing("みどり子ども食堂", area=areas.north_a)
    assert client.get("/healthz").json()["checks"]["cache"] == "ok"
    assert client.get("/").status_code == 200
    assert client.get("/search/", {"q": "子ども食堂"}).status_code == 200
    assert client.get("/api/v1/listings/", {"q": "子ども食堂"}).json()["count"] == 1


def test_with_redis_down_pages_answer_and_healthz_says_cache(client, settings, areas, caplog):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{closed_port()}/0")
    make_listing("みどり子ども食堂", area=areas.north_a)
    for url in ("/", "/search/?q=子ども食堂", "/areas/", "/api/v1/listings/?q=食堂"):
        assert client.get(url).status_code == 200, url
    assert cache.get("anything", "missing") == "missing"
    assert cache.incr("counter") == 1  # rate limits count from zero: they let requests in
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    warnings = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1  # one warning per outage, not one per call


def run_django(code: str, **env: str) -> dict:
    """Run ``code`` in a fresh process with these environment variables; return the JSON it
    prints last."""
    full_env = {"DJANGO_SETTINGS_MODULE": "portal.settings.test", **os.environ, **env}
    if "REDIS_URL" not in env:
        full_env.pop("REDIS_URL", None)
    run = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup()\n" + code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@needs_redis
def test_production_settings_with_redis_url_use_redis():
    """REDIS_URL with the production settings: the redis package is there and works."""
    answer = run_django(
        "from django.core.cache import cache, caches\n"
        "key = 'portal-test-' + __import__('uuid').uuid4().hex\n"
        "cache.set(key, 'ja: 日本語', 30)\n"
        "print(json.dumps({'backend': type(caches['default']).__name__,"
        " 'value': cache.get(key), 'raw': caches['default']._cache.get_client().exists("
        "caches['default'].make_and_validate_key(key))}))",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="test-only-" + uuid.uuid4().hex,
        REDIS_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
    )
    assert answer == {"backend": "ResilientRedisCache", "value": "ja: 日本語", "raw": 1}


def test_healthz_names_the_database_when_it_is_cut():
    """A whole process whose database cannot be reached (a closed port for PostgreSQL, a file
    in a missing folder for SQLite): /healthz is a 503 naming it, and still answers."""
    if connection.vendor == "postgresql":
        url = f"postgres://postgres@127.0.0.1:{closed_port()}/nowhere"
    else:
        url = "sqlite:////nonexistent-folder/portal/db.sqlite3"
    answer = run_django(
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))\n",
        DATABASE_URL=url,
    )
    assert answer["status"] == 503
    assert answer["body"]["failed"] == ["database"]
    assert answer["body"]["checks"] == {"database": "fail", "cache": "ok"}


def test_readyz_says_when_the_process_is_warm(client, areas, monkeypatch):
    make_listing("みどり子ども食堂", area=areas.north_a)
    monkeypatch.setattr("search.memory._current", {})
    monkeypatch.setattr(readiness, "_analyser_warm", False)
    cold = client.get("/readyz")
    assert cold.status_code == 503
    assert cold.json()["failed"] == ["analyser", "index"]
    assert readiness.warm_up() is True
    warm = client.get("/readyz")
    assert warm.status_code == 200
    assert warm.json()["checks"] == {"analyser": "ok", "index": "ok"}
