"""Choosing the search engine: ``get_engine()`` returns the one settings ask for.

The embedded engine (``search.embedded``) answers from the project's own database. The
Elasticsearch engine (``search.es``) answers from a cluster, wrapped by
``search.fallback.FallbackEngine`` so that the embedded engine answers while the cluster is
unreachable. ``settings.SEARCH_ENGINE`` chooses (``embedded`` or ``elasticsearch``; see the
block at the end of portal/settings/base.py and docs/deploy.md); ``settings.SEARCH_ENGINE_CLASS``
(a dotted path to a class taking no arguments) overrides it, for tests and experiments.
What an engine takes and returns is in ``search.contract``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .contract import SearchEngine
from .embedded import EmbeddedEngine
from .es.engine import ElasticsearchEngine
from .fallback import FallbackEngine

ENGINE_EMBEDDED = "embedded"
ENGINE_ELASTICSEARCH = "elasticsearch"
ENGINES = (ENGINE_EMBEDDED, ENGINE_ELASTICSEARCH)


@dataclass(frozen=True)
class ElasticsearchSettings:
    urls: tuple[str, ...]
    index_prefix: str
    timeout: float


def engine_name() -> str:
    name = (getattr(settings, "SEARCH_ENGINE", "") or ENGINE_EMBEDDED).strip().lower()
    if name not in ENGINES:
        raise ImproperlyConfigured(f"SEARCH_ENGINE must be one of {', '.join(ENGINES)}: {name!r}")
    return name


def elasticsearch_settings() -> ElasticsearchSettings:
    """ELASTICSEARCH_URL (several nodes comma-separated), _INDEX_PREFIX and _TIMEOUT (seconds)."""
    raw = getattr(settings, "ELASTICSEARCH_URL", "") or ""
    urls = raw if isinstance(raw, list | tuple) else raw.split(",")
    urls = tuple(u.strip() for u in urls if u and u.strip())
    if not urls:
        raise ImproperlyConfigured("SEARCH_ENGINE=elasticsearch needs ELASTICSEARCH_URL.")
    return ElasticsearchSettings(
        urls=urls,
        index_prefix=getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or "ibasho",
        timeout=float(getattr(settings, "ELASTICSEARCH_TIMEOUT", 1.5) or 1.5),
    )


# One Elasticsearch engine per configuration and process: its client keeps connections open
# and its circuit breaker remembers failures between requests.
_engines: dict[ElasticsearchSettings, SearchEngine] = {}
_engines_lock = threading.Lock()


def get_engine() -> SearchEngine:
    """The engine chosen by settings (see the module docstring)."""
    path = getattr(settings, "SEARCH_ENGINE_CLASS", "")
    if path:
        return import_string(path)()
    if engine_name() == ENGINE_EMBEDDED:
        return EmbeddedEngine()
    config = elasticsearch_settings()
    with _engines_lock:
        engine = _engines.get(config)
        if engine is None:
            primary = ElasticsearchEngine.from_settings(
                config.urls, config.index_prefix, config.timeout
            )
            engine = _engines[config] = FallbackEngine(primary, EmbeddedEngine())
        return engine


def reset_engines() -> None:
    """Forget the cached engines (and their breakers): tests, or after a settings change."""
    with _engines_lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        client = getattr(getattr(engine, "primary", None), "client", None)
        if client is not None:
            client.close()
