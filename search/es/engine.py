"""The Elasticsearch engine: the ``SearchEngine`` interface over a cluster.

Same results contract as the embedded engine (``search.embedded``): same analysis (Python),
same scores, filters, facet rules and sorts; see ``search.es.queries`` for the translation and
``search.es.lifecycle`` for the index. Every cluster call goes through a circuit breaker and
a short client timeout; errors propagate (``search.fallback`` turns them into embedded answers).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch

from listings import schedules
from listings.models import Area, ScheduleRule

from ..analysis import AnalyzedQuery, analyze_query
from ..contract import SORT_NEXT_DATE, SORT_RELEVANCE, SearchParams, SearchResult
from ..embedded import MAX_GROUPS, understood_lines
from ..indexing import indexable_listings
from ..places import resolve as resolve_places
from ..relaxation import FEW_RESULTS, relax
from ..synonyms import synonym_table
from . import lifecycle, queries
from . import understanding as understanding_module
from .breaker import CircuitBreaker, EngineUnavailable
from .mapping import MAX_RESULT_WINDOW

T = TypeVar("T")

MAX_RETRIES = 1


def make_client(urls: Sequence[str], timeout: float) -> Elasticsearch:
    """A client with a short timeout and at most one retry (on another node if there is one)."""
    return Elasticsearch(
        list(urls),
        request_timeout=timeout,
        max_retries=MAX_RETRIES,
        retry_on_timeout=False,
    )


def is_outage(error: BaseException) -> bool:
    """Errors that say the cluster is unwell (they count towards opening the breaker), as
    opposed to a request it answered and refused (4xx)."""
    if isinstance(error, TransportError):  # connection refused, timeout, TLS, bad payload
        return True
    if isinstance(error, ApiError):
        return error.status_code >= 500 or error.status_code == 429
    return False


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(
        self,
        client: Elasticsearch,
        *,
        index_prefix: str = "ibasho",
        breaker: CircuitBreaker | None = None,
        refresh: bool | str = True,
        urls: Sequence[str] = (),
        timeout: float | None = None,
    ):
        self.client = client
        self.index_prefix = index_prefix
        self.breaker = breaker or CircuitBreaker()
        # Single-listing writes are visible to the next search (staff publish rarely).
        self.refresh = refresh
        self.urls = tuple(urls)
        self.timeout = timeout

    @classmethod
    def from_settings(cls, urls: Sequence[str], index_prefix: str, timeout: float):
        return cls(
            make_client(urls, timeout), index_prefix=index_prefix, urls=urls, timeout=timeout
        )

    @property
    def alias(self) -> str:
        return lifecycle.alias_name(self.index_prefix)

    def _call(self, operation: Callable[[], T]) -> T:
        """Run one cluster operation under the breaker."""
        if not self.breaker.allow():
            raise EngineUnavailable(
                f"Elasticsearch circuit open ({self.breaker.snapshot().last_error})"
            )
        try:
            result = operation()
        except Exception as error:
            if is_outage(error):
                self.breaker.record_failure(error)
            else:
                self.breaker.record_success()  # it answered: the cluster is up
            raise
        self.breaker.record_success()
        return result

    # ------------------------------------------------------------------ index lifecycle
    def index_listings(self, listing_ids: Iterable[int]) -> int:
        ids = sorted({int(pk) for pk in listing_ids})
        if not ids:
            return 0

        def operation() -> int:
            live = list(indexable_listings().filter(pk__in=ids))
            gone = set(ids) - {listing.pk for listing in live}
            return lifecycle.write(
                self.client,
                self.alias,
                lifecycle.listing_sources(live),
                gone,
                refresh=self.refresh,
            )

        return self._call(operation)

    def remove_listings(self, listing_ids: Iterable[int]) -> None:
        ids = sorted({int(pk) for pk in listing_ids})
        if ids:
            self._call(
                lambda: lifecycle.write(self.client, self.alias, [], ids, refresh=self.refresh)
            )

    def rebuild(self, progress: Callable[[int, int], None] | None = None):
        return lifecycle.rebuild(self.client, self.index_prefix, progress)

    def ensure_index(self) -> str:
        return lifecycle.ensure_index(self.client, self.index_prefix)

    # ------------------------------------------------------------------ search
    def search(self, params: SearchParams) -> SearchResult:
        """As ``EmbeddedEngine.search``: place words resolved, words weighed by rarity, fact
        bonuses, and, when few listings have every word, the relaxed answer after them. The
        numbers the embedded engine reads from its postings come from size-0 requests first
        (``search.es.understanding``): at most three before the search."""
        synonyms = synonym_table()
        analyzed = analyze_query(params.q, synonyms)
        if params.q.strip() and analyzed.is_empty:
            return SearchResult(0, [], {}, self.name)
        area_paths = self._area_paths(params.areas)
        if params.areas and not area_paths:
            return SearchResult(0, [], {}, self.name)

        known = queries.Understanding()
        understood: tuple[str, ...] = ()
        if not analyzed.is_empty:
            analyzed, places = self._resolve_places(analyzed)
            understood = understood_lines(analyzed, places)
            known = self._understand(analyzed, synonyms)

        result = self._run(params, analyzed, area_paths, understanding=known)
        result.understood = understood
        result, used = relax(
            result,
            analyzed,
            params,
            lambda slack: self._run(params, analyzed, area_paths, slack=slack, understanding=known),
            known.size,
        )
        if result.relaxed and not result.set_aside:
            result.set_aside = self._best_partial_words(params, analyzed, area_paths, used, known)
        return result

    def _resolve_places(self, analyzed: AnalyzedQuery) -> tuple[AnalyzedQuery, list]:
        """``search.places.resolve`` with ``known`` answered by one request for every
        candidate term of every word."""
        terms = understanding_module.place_candidates(analyzed)
        if not terms:
            return analyzed, []
        body = understanding_module.known_body(terms)
        response = self._call(lambda: self.client.search(index=self.alias, body=body))
        _size, counts = understanding_module.presence_counts(response)
        return resolve_places(analyzed, understanding_module.KnownTerms(terms, counts))

    def _understand(self, analyzed: AnalyzedQuery, synonyms) -> queries.Understanding:
        """Station centres (one request, only for a station typed as one), then every group's
        and fact's document count with the index size (one request)."""
        u = understanding_module
        stations: dict[int, queries.Station] = {}
        by_station = u.station_groups(analyzed)
        if by_station:
            body = u.station_body(by_station)
            response = self._call(lambda: self.client.search(index=self.alias, body=body))
            stations = u.stations_from_response(response, by_station)
        facts = u.fact_candidates(analyzed, synonyms)
        body = u.counts_body(analyzed, facts, stations)
        response = self._call(lambda: self.client.search(index=self.alias, body=body))
        size, counts = u.presence_counts(response)
        return u.understanding_from_counts(size, counts, analyzed, facts, stations)

    def _run(
        self,
        params: SearchParams,
        analyzed: AnalyzedQuery,
        area_paths,
        slack: int = 0,
        understanding: queries.Understanding | None = None,
    ) -> SearchResult:
        sort = params.effective_sort
        if sort == SORT_NEXT_DATE:
            offset, size = 0, MAX_RESULT_WINDOW
        else:
            offset, size = queries.page_window(params.offset, params.page_size, MAX_RESULT_WINDOW)
        body = queries.search_body(
            params,
            analyzed,
            area_paths,
            sort,
            size=size,
            offset=offset,
            slack=slack,
            understanding=understanding,
        )
        response = self._call(lambda: self.client.search(index=self.alias, body=body))

        count = queries.total_from_response(response)
        raw_hits = response["hits"]["hits"]
        hits = queries.hits_from_response(response, params, area_paths)
        missed: dict[int, float] = {}
        if slack:
            # Relaxed: each required word a listing has added matched_word_bonus(its idf), so
            # that what a listing misses, weighed by rarity, orders it (queries.missed_key); the
            # same amounts are taken off the hit's score again here.
            u = understanding or queries.Understanding()
            words = _word_positions(analyzed)
            for hit, raw in zip(hits, raw_hits, strict=True):
                lacks = understanding_module.missed_groups(raw, analyzed)
                missed[hit.listing_id] = queries.missed_key(lacks, u)
                has = [i for i in words if i not in set(lacks)]
                hit.score = max(0.0, hit.score - queries.relaxed_bonus(has, u))
        if sort == SORT_NEXT_DATE:
            closed = {
                int(raw["_source"]["listing_id"])
                for raw in raw_hits
                if raw["_source"].get("closed_on_holidays")
            }
            hits = self._sort_by_next_date(hits, closed, missed)
            hits = hits[params.offset : params.offset + params.page_size]
        facets = queries.facets_from_aggregations(response.get("aggregations", {}), _LazyAreas())
        result = SearchResult(count, hits, facets, self.name)
        if slack and count and offset == 0:
            result.set_aside = _set_aside_from(raw_hits, analyzed, understanding)
        return result

    def _best_partial_words(
        self, params, analyzed, area_paths, slack, understanding
    ) -> tuple[str, ...]:
        """``set_aside`` when the page did not start at the top of the relaxed order: the
        first FEW_RESULTS hits by relevance hold the best partial match (fewer than
        FEW_RESULTS listings have every word, or the search would not be relaxed)."""
        body = queries.search_body(
            params,
            analyzed,
            area_paths,
            SORT_RELEVANCE,
            size=FEW_RESULTS,
            offset=0,
            slack=slack,
            understanding=understanding,
            facets=False,
        )
        response = self._call(lambda: self.client.search(index=self.alias, body=body))
        return _set_aside_from(response["hits"]["hits"], analyzed, understanding)

    def _area_paths(self, codes: tuple[str, ...]) -> list[queries.AreaPath]:
        if not codes:
            return []
        areas = Area.objects.filter(code__in=codes).only("code", "path")
        return [queries.AreaPath(a.code, a.path, tuple(a.ancestor_codes)) for a in areas]

    def _sort_by_next_date(self, hits, closed: set[int], missed: dict[int, float] | None = None):
        """As the embedded engine: next opening date first, then score (Python, from rules);
        relaxed, the least missed (idf-weighted, ``queries.missed_key``) before that."""
        missed = missed or {}
        today = timezone.localdate()
        rules: dict[int, list[schedules.Rule]] = {}
        for rule in ScheduleRule.objects.filter(listing_id__in=[h.listing_id for h in hits]):
            rules.setdefault(rule.listing_id, []).append(schedules.Rule.from_model(rule))
        far = datetime.date.max

        def key(hit):
            policy = "closed" if hit.listing_id in closed else ""
            found = schedules.next_occurrences(rules.get(hit.listing_id, []), policy, today, 1)
            when = found[0].date if found else far
            return (missed.get(hit.listing_id, 0), when, -hit.score, hit.listing_id)

        return sorted(hits, key=key)

    # ------------------------------------------------------------------ health
    def health(self) -> dict[str, Any]:
        """Cluster reachability, alias and document count (not through the breaker: this is
        the probe an operator runs)."""
        report: dict[str, Any] = {
            "engine": self.name,
            "urls": [_redact(u) for u in self.urls],
            "alias": self.alias,
            "breaker": self.breaker.snapshot(),
            "reachable": False,
        }
        try:
            info = self.client.info()
            report["reachable"] = True
            report["version"] = info["version"]["number"]
            report["cluster_name"] = info.get("cluster_name", "")
            report["status"] = self.client.cluster.health()["status"]
            report["indices"] = lifecycle.aliased_indices(self.client, self.alias)
            if report["indices"]:
                report["documents"] = int(self.client.count(index=self.alias)["count"])
        except Exception as error:
            report["error"] = f"{type(error).__name__}: {error}"[:300]
        return report


def _word_positions(analyzed: AnalyzedQuery) -> list[int]:
    """Positions of the required groups relaxation may set aside (not places), among the
    first MAX_GROUPS: the named groups, each carrying a relaxed-order bonus."""
    return [i for i, g in enumerate(analyzed.groups[:MAX_GROUPS]) if g.required and not g.place]


def _set_aside_from(
    raw_hits, analyzed: AnalyzedQuery, understanding: queries.Understanding | None = None
) -> tuple[str, ...]:
    """The words the best partial hit among these lacks: the least missed (idf-weighted, as
    the embedded engine), then the highest score (the bonus is the same for equal keys)."""
    u = understanding or queries.Understanding()
    partial = []
    for raw in raw_hits:
        missed = understanding_module.missed_groups(raw, analyzed)
        if missed:
            key = queries.missed_key(missed, u)
            partial.append((key, -float(raw.get("_score") or 0.0), missed))
    if not partial:
        return ()
    best = min(partial, key=lambda p: (p[0], p[1]))
    return understanding_module.set_aside_words(best[2], analyzed)


class _LazyAreas:
    """(code, ancestor codes) of every area, read from the database once, when first needed."""

    def __init__(self):
        self._rows: list[tuple[str, list[str]]] | None = None

    def __iter__(self):
        if self._rows is None:
            self._rows = [(a.code, a.ancestor_codes) for a in Area.objects.only("code", "path")]
        return iter(self._rows)


def _redact(url: str) -> str:
    """The URL without a password."""
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
