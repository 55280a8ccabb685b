#!/usr/bin/env python3
"""Where a request's time goes, in-process (`make profile`; docs/deploy.md "Load test").

Runs each page of the load test (home, a listing, the search page, the API search, and the
trivial view) REPEAT times through Django's test client with the production settings against
DATABASE_URL (which must hold the demo: `make demo`), the cache cleared before each request
unless --warm-cache (then the search page and API come from the response cache), and prints
per page: mean ms, queries per request, and the share of time
spent in template rendering, SQL, the analyser (search.analysis), the query log write and the
context processors (cProfile cumulative times, so the buckets overlap: SQL issued from a
template counts in both). --top N prints the N most expensive functions of each page.

Nothing is written. Never imported by the apps.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCH_QUERY = "子ども食堂"

# (bucket, file fragment, function name): cumulative time of the outermost matching frame.
BUCKETS = {
    "templates": ("django/template/backends/django.py", "render"),
    "sql": ("django/db/backends/utils.py", "_execute"),
    "analyser": ("search/analysis.py", None),
    "query_log": ("search/querylog.py", "record_query"),
    "context_processors": ("pages/context_processors.py", None),
    "engine": ("search/engines.py", None),
}


def _bucket_times(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds per bucket, counting only frames not called from the same bucket."""
    found = dict.fromkeys(BUCKETS, 0.0)
    raw = stats.stats  # type: ignore[attr-defined]
    for (filename, _line, name), (_cc, _nc, _tt, ct, callers) in raw.items():
        for bucket, (fragment, function) in BUCKETS.items():
            if fragment not in filename or (function and name != function):
                continue
            inner = any(
                fragment in caller[0] and (not function or caller[2] == function)
                for caller in callers
            )
            if not inner:
                found[bucket] += ct
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--warm-cache", action="store_true", help="keep the cache between requests")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    os.environ.setdefault("SECRET_KEY", "profile-only-not-a-secret-" + "x" * 40)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from listings.models import ListingPage

    setup_test_environment()  # the client's responses carry their templates; nothing else
    client = Client()
    listing = ListingPage.objects.live().public().order_by("pk").first()
    query = urllib.parse.quote(SEARCH_QUERY)
    pages = {
        "trivial": "/healthz/ping",
        "home": "/",
        "listing": listing.url if listing else None,
        "search": f"/search/?q={query}",
        "api": f"/api/v1/listings/?q={query}",
    }
    wanted = [p for p in args.only.split(",") if p] or list(pages)
    print(f"{'page':<9} {'ms':>7} {'queries':>8} " + " ".join(f"{b:>18}" for b in BUCKETS))
    for name in wanted:
        path = pages[name]
        if path is None:
            continue
        for _ in range(3):  # warm: first-request costs (dictionary, index, URL caches)
            client.get(path)
        profile = cProfile.Profile()
        queries = 0
        started = time.perf_counter()
        for _ in range(args.repeat):
            if not args.warm_cache:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                profile.enable()
                response = client.get(path)
                profile.disable()
            assert response.status_code == 200, (path, response.status_code)
            queries += len(captured.captured_queries)
        elapsed = (time.perf_counter() - started) / args.repeat
        stats = pstats.Stats(profile)
        total = sum(v[3] for k, v in stats.stats.items() if k[2] == "get" and "client.py" in k[0])
        buckets = _bucket_times(stats)
        shares = " ".join(
            f"{buckets[b] / args.repeat * 1000:>9.1f}ms "
            f"{buckets[b] / total * 100 if total else 0:>5.0f}%"
            for b in BUCKETS
        )
        print(f"{name:<9} {elapsed * 1000:>7.1f} {queries / args.repeat:>8.1f} {shares}")
        if args.top:
            stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
