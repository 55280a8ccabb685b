"""The search engine interface: what every engine takes and returns, and how one is chosen.

The embedded engine (``search.embedded``) answers from the project's own database. The
Elasticsearch engine (``search.es``) answers from a cluster, wrapped by
``search.fallback.FallbackEngine`` so that the embedded engine answers while the cluster is
unreachable. ``settings.SEARCH_ENGINE`` chooses (``embedded`` or ``elasticsearch``; see the
block at the end of portal/settings/base.py and docs/deploy.md); ``settings.SEARCH_ENGINE_CLASS``
(a dotted path to a class taking no arguments) overrides it, for tests and experiments.
"""

from __future__ import annotations

import datetime
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

SORT_RELEVANCE = "relevance"
SORT_DISTANCE = "distance"
SORT_NEXT_DATE = "next_date"
SORTS = (SORT_RELEVANCE, SORT_DISTANCE, SORT_NEXT_DATE)

MATCH_LOCATED = "located"
MATCH_SERVES = "serves"


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    kinds: tuple[str, ...] = ()
    ages: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # area codes; OR within, semantics of DESIGN.md §3
    near: tuple[float, float] | None = None  # (lat, lng)
    radius: float | None = None  # metres, with near
    open_on: datetime.date | None = None
    sort: str = SORT_RELEVANCE
    page: int = 1
    page_size: int = 20

    @property
    def has_filters(self) -> bool:
        return bool(
            self.kinds or self.ages or self.topics or self.areas or self.near or self.open_on
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def effective_sort(self) -> str:
        # Nearest first when a point is given and nothing is typed (DESIGN.md §5).
        if self.sort == SORT_RELEVANCE and self.near and not self.q.strip():
            return SORT_DISTANCE
        if self.sort == SORT_DISTANCE and not self.near:
            return SORT_RELEVANCE
        return self.sort


@dataclass
class Hit:
    listing_id: int
    score: float = 0.0
    distance_m: float | None = None
    area_match: str | None = None
    next_date: datetime.date | None = None


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    engine: str = ""
    # True when no listing had every word, and these results have all but one of them.
    relaxed: bool = False


class SearchEngine(Protocol):
    name: str

    def search(self, params: SearchParams) -> SearchResult: ...

    def index_listings(self, listing_ids: Iterable[int]) -> int: ...

    def remove_listings(self, listing_ids: Iterable[int]) -> None: ...

    def rebuild(self, progress: Callable[[int, int], None] | None = None): ...


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
        return import_string("search.embedded.EmbeddedEngine")()
    config = elasticsearch_settings()
    with _engines_lock:
        engine = _engines.get(config)
        if engine is None:
            from .embedded import EmbeddedEngine
            from .es.engine import ElasticsearchEngine
            from .fallback import FallbackEngine

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


EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
