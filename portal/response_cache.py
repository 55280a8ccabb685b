"""Whole-response caching for anonymous GETs (the search page and the search API), invalidated
by a content generation counter (docs/deploy.md "Response cache").

- **Key**: the path, the query string normalised (parameters sorted), host and scheme, the
  active language and the reading-aids cookies (text size, furigana) — everything the pages
  vary on for an anonymous visitor. The entry names the *content generation* it was made in
  and is used only while that is the current one (one round trip reads both). Each process
  also keeps the generation for ``LOCAL_SECONDS`` (1 s) with its last ``LOCAL_ENTRIES``
  entries, so a popular page costs no round trip; a write in another process reaches it
  within that second.
- **Content generation**: one counter in Django's cache (Redis in production: shared by every
  process), bumped by ``bump_generation`` on any write that can change what a page shows:
  publish, unpublish, move and delete of pages, saves and deletes of every model of the content
  apps (listings, pages, search's index and synonyms, Wagtail's pages, sites, images…), of every
  snippet and site setting (``portal.apps`` connects the signals), and the index rebuild. A new
  generation makes every stored response unreachable at once; ``RESPONSE_CACHE_SECONDS``
  (default 60, 0 turns the cache off) bounds any staleness the hook could miss, and the old
  entries expire by themselves.
- **Never cached**: anything but GET; a request with a session or messages cookie (so never a
  logged-in user); a response that is not a plain 200 or that sets a cookie.
- **Per-visitor parts are never stored**: the CSRF tokens of the page's forms and the CSP nonce
  are replaced by placeholders when a response is stored and filled in for each visitor when it
  is served (the visitor's own token, a fresh nonce that the CSP header then names). A body that
  would still hold the storing visitor's CSRF secret is not stored.
- **Fails soft**: with the cache unreachable (``portal.cache``) or the generation unknown, the
  view simply runs.

``cache_anonymous_get(on_hit=...)``: ``on_hit(request, meta)`` runs for every response served
from the cache with the ``meta`` the view attached when it rendered (``response.cache_meta``),
so that side effects such as the search query log still happen on hits.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
KEY_PREFIX = "response"
# Cookies that change an anonymous page (pages/reading.py); the language is keyed separately.
VARY_COOKIES = ("text_size", "ruby")
CSRF_PLACEHOLDER = "__response_cache_csrf_token__"
NONCE_PLACEHOLDER = "__response_cache_csp_nonce__"
# What the view itself set; the middleware adds Vary, Content-Language, CSP … on every response.
SKIPPED_HEADERS = {"set-cookie", "vary", "content-length"}
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{64})(")')
_TOKEN_LIKE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def timeout() -> int:
    return int(getattr(settings, "RESPONSE_CACHE_SECONDS", 60) or 0)


# --- content generation -----------------------------------------------------------------------


# Each process keeps the generation it last read for LOCAL_SECONDS, with the last
# LOCAL_ENTRIES entries it served: a repeated request then costs no round trip to Redis. A
# write in another process reaches this one within LOCAL_SECONDS; its own writes at once.
LOCAL_SECONDS = 1.0
LOCAL_ENTRIES = 128


class _Local:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.generation: int | None = None
        self.checked = 0.0
        self.entries: OrderedDict[str, object] = OrderedDict()

    def get(self, key: str | None) -> tuple[int | None, object]:
        with self.lock:
            if self.generation is None or time.monotonic() - self.checked >= LOCAL_SECONDS:
                return None, None
            found = self.entries.get(key) if key else None
            if found is not None:
                self.entries.move_to_end(key)
            return self.generation, found

    def saw(self, generation: int | None) -> None:
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
            self.generation = generation
            self.checked = time.monotonic()

    def keep(self, key: str, value: object) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > LOCAL_ENTRIES:
                self.entries.popitem(last=False)


_local = _Local()


def reset_local() -> None:
    """Forget this process's copy (tests that clear or swap the cache)."""
    with _local.lock:
        _local.reset()


def content_generation() -> int | None:
    """The current generation, or None when the cache cannot say (then nothing is cached)."""
    return _generation_and(None)[0]


def _generation_and(key: str | None) -> tuple[int | None, object]:
    """The generation and the value under ``key``: from this process's copy when it is fresh
    and holds the key, else in one round trip to the cache."""
    generation, found = _local.get(key)
    if generation is not None and (key is None or found is not None):
        return generation, found
    try:
        values = cache.get_many([GENERATION_KEY, key] if key else [GENERATION_KEY])
        generation = values.get(GENERATION_KEY)
        if generation is None:
            # First use, or the cache lost it: start from the clock, so that a generation is
            # never reused for different content.
            cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=None)
            generation = cache.get(GENERATION_KEY)
            values = {}
    except Exception as error:
        logger.warning("response cache: generation unavailable (%s)", error)
        return None, None
    if not isinstance(generation, int):
        return None, None
    _local.saw(generation)
    found = values.get(key) if key else None
    if found is not None:
        _local.keep(key, found)
    return generation, found


def bump_generation(*args, **kwargs) -> None:
    """Make every stored response stale (any signal's receiver: arguments are ignored)."""
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet: any new value is a new generation
        generation = int(time.time() * 1000)
        cache.set(GENERATION_KEY, generation, timeout=None)
    except Exception as error:
        logger.warning("response cache: could not bump the generation (%s)", error)
        reset_local()
        return
    _local.saw(generation)


def cached_for_generation(name: str, parts: tuple, compute: Callable[[], object]):
    """``compute()``, kept in the cache until the content changes (a fragment: menus, links).

    ``parts`` name what else the value depends on (a host, a language). Without a generation
    (the cache unreachable) it is computed every time."""
    if timeout() <= 0:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"fragment:{name}:{digest}"
    generation, found = _generation_and(key)
    if generation is None:
        return compute()
    if isinstance(found, tuple) and len(found) == 2 and found[0] == generation:
        return found[1]
    value = compute()
    _set(key, (generation, value), seconds=None)
    return value


# --- the decorator ----------------------------------------------------------------------------


def request_is_cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or timeout() <= 0:
        return False
    # A session may hold a login or messages; a messages cookie shows on the next page.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def cache_key(request: HttpRequest) -> str:
    """The request's key; the entry itself names the generation it was made in."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    parts = [
        request.scheme or "",
        request.get_host(),
        request.path,
        query,
        translation.get_language() or "",
        *(request.COOKIES.get(name, "") for name in VARY_COOKIES),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def cache_anonymous_get(
    view: Callable[..., HttpResponse] | None = None,
    *,
    on_hit: Callable[[HttpRequest, dict | None], None] | None = None,
):
    """Serve an anonymous GET from the response cache (module docstring)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request_is_cacheable(request):
                return view(request, *args, **kwargs)
            key = cache_key(request)
            generation, stored = _generation_and(key)
            if generation is None:
                return view(request, *args, **kwargs)
            if (
                isinstance(stored, dict)
                and stored.get("generation") == generation
                and isinstance(stored.get("content"), bytes)
                # The TTL holds for this process's copy too (a day's dates, missed writes).
                and time.time() - stored.get("stored", 0) < timeout()
            ):
                response = _rebuild(request, stored)
                if on_hit is not None:
                    on_hit(request, stored.get("meta"))
                return response
            response = view(request, *args, **kwargs)
            entry = _entry(request, response)
            if entry is not None:
                _set(key, {**entry, "generation": generation, "stored": time.time()})
                response["X-Response-Cache"] = "miss"
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


def _set(key: str, entry, *, seconds: int | None = 0) -> None:
    """Store for ``seconds`` (0: the response TTL; None: until the generation changes, and at
    most a day, so that entries of old generations do not pile up in a cache without LRU)."""
    _local.keep(key, entry)
    try:
        cache.set(key, entry, timeout=timeout() if seconds == 0 else (seconds or 86_400))
    except Exception as error:
        logger.warning("response cache: write failed (%s)", error)


def _entry(request: HttpRequest, response: HttpResponse) -> dict | None:
    """What can be stored of this response, with the per-visitor parts taken out; None when
    it must not be stored."""
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()  # a TemplateResponse (Wagtail pages): its content is what we keep
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(response, "cache_private", False)
    ):
        return None
    body = response.content.decode(response.charset or "utf-8")
    body = _CSRF_INPUT.sub(lambda m: m.group(1) + CSRF_PLACEHOLDER + m.group(3), body)
    if _holds_csrf_secret(request, body):
        return None
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str) and nonce:
        body = body.replace(nonce, NONCE_PLACEHOLDER)
    headers = [(k, v) for k, v in response.items() if k.lower() not in SKIPPED_HEADERS]
    charset = response.charset or "utf-8"
    return {
        "status": response.status_code,
        # Bytes, so that serving it needs no decoding or encoding of the whole page.
        "content": body.encode(charset),
        "charset": charset,
        "headers": headers,
        "meta": getattr(response, "cache_meta", None),
    }


def _holds_csrf_secret(request: HttpRequest, body: str) -> bool:
    """Whether any CSRF token of this visitor is left in the body (outside the form inputs)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or not request.META.get("CSRF_COOKIE_USED"):
        return False
    from django.middleware.csrf import _unmask_cipher_token

    return any(_unmask_cipher_token(token) == secret for token in _TOKEN_LIKE.findall(body))


def _rebuild(request: HttpRequest, stored: dict) -> HttpResponse:
    content: bytes = stored["content"]
    charset = stored["charset"]
    csrf = CSRF_PLACEHOLDER.encode(charset)
    if csrf in content:
        content = content.replace(csrf, get_token(request).encode(charset))
    nonce = NONCE_PLACEHOLDER.encode(charset)
    if nonce in content:
        content = content.replace(nonce, str(request.csp_nonce).encode(charset))
    response = HttpResponse(content, status=stored["status"], charset=charset)
    for name, value in stored["headers"]:
        response[name] = value
    response["X-Response-Cache"] = "hit"
    return response
