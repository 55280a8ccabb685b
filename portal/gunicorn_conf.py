"""Gunicorn settings for production and `make serve`: ``gunicorn -c portal/gunicorn_conf.py``.

Every value can be overridden from the environment (docs/deploy.md):
HOST, PORT (bind, default 127.0.0.1:8000), WEB_CONCURRENCY (workers, default 2 per core),
GUNICORN_THREADS (threads per worker, default 4), GUNICORN_PRELOAD (default on),
GUNICORN_TIMEOUT (seconds, default 30), GUNICORN_MAX_REQUESTS (default 5000; 0: never
restart a worker), GUNICORN_ACCESS_LOG (a path, or - for stderr; default off).

The search analyser and index are warmed at boot (search.readiness.warm_up): with preload in
the master before the workers fork, so they start warm and share those pages; without it in
each worker before it accepts requests.
"""

import os

# This file is the production server's: production settings unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


wsgi_app = "portal.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Requests wait on the database as well as on Python: two processes per core keep the cores
# busy; threads add concurrency for slow clients and database waits at little memory.
workers = _int("WEB_CONCURRENCY", max(2, 2 * _cores()))
threads = _int("GUNICORN_THREADS", 4)
# gthread even with one thread: it keeps connections alive, the sync worker closes each one.
worker_class = "gthread"
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in {"0", "false", "no"}
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# One control socket per user would be shared by every server on the machine; not needed.
control_socket_disable = True
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()


def _warm_up() -> None:
    from search.readiness import warm_up

    warm_up()


def when_ready(server) -> None:
    """In the master once the app is loaded; before any worker exists."""
    if server.cfg.preload_app:
        _warm_up()
        # The workers must not share the master's database connection.
        from django.db import connections

        connections.close_all()


def post_worker_init(worker) -> None:
    if not worker.cfg.preload_app:
        _warm_up()


def worker_exit(server, worker) -> None:
    """Write the search log rows this worker still holds (searches served from the cache)."""
    try:
        from search.querylog import flush_pending

        flush_pending()
    except Exception as error:
        server.log.warning("search log not flushed at exit: %s", error)
