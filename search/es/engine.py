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

from ..analysis import analyze_query
from ..contract import SORT_NEXT_DATE, SearchParams, SearchResult
from ..indexing import indexable_listings
from ..synonyms import synonym_table
from . import lifecycle, queries
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
        analyzed = analyze_query(params.q, synonym_table())
        if params.q.strip() and analyzed.is_empty:
            return SearchResult(0, [], {}, self.name)
        area_paths = self._area_paths(params.areas)
        if params.areas and not area_paths:
            return SearchResult(0, [], {}, self.name)

        result = self._run(params, analyzed, area_paths)
        if result.count == 0 and len(analyzed.required_groups) >= 2 and not _has_filters(params):
            # As the embedded engine: nothing has every word, so show what has all but one.
            relaxed = self._run(params, analyzed, area_paths, slack=1)
            if relaxed.count:
                relaxed.relaxed = True
                return relaxed
        return result

    def _run(self, params: SearchParams, analyzed, area_paths, slack: int = 0) -> SearchResult:
        sort = params.effective_sort
        if sort == SORT_NEXT_DATE:
            offset, size = 0, MAX_RESULT_WINDOW
        else:
            offset, size = queries.page_window(params.offset, params.page_size, MAX_RESULT_WINDOW)
        body = queries.search_body(
            params, analyzed, area_paths, sort, size=size, offset=offset, slack=slack
        )
        response = self._call(lambda: self.client.search(index=self.alias, body=body))

        count = queries.total_from_response(response)
        hits = queries.hits_from_response(response, params, area_paths)
        if sort == SORT_NEXT_DATE:
            closed = {
                int(raw["_source"]["listing_id"])
                for raw in response["hits"]["hits"]
                if raw["_source"].get("closed_on_holidays")
            }
            hits = self._sort_by_next_date(hits, closed)
            hits = hits[params.offset : params.offset + params.page_size]
        facets = queries.facets_from_aggregations(response.get("aggregations", {}), _LazyAreas())
        return SearchResult(count, hits, facets, self.name)

    def _area_paths(self, codes: tuple[str, ...]) -> list[queries.AreaPath]:
        if not codes:
            return []
        areas = Area.objects.filter(code__in=codes).only("code", "path")
        return [queries.AreaPath(a.code, a.path, tuple(a.ancestor_codes)) for a in areas]

    def _sort_by_next_date(self, hits, closed: set[int]):
        """As the embedded engine: next opening date first, then score (Python, from rules)."""
        today = timezone.localdate()
        rules: dict[int, list[schedules.Rule]] = {}
        for rule in ScheduleRule.objects.filter(listing_id__in=[h.listing_id for h in hits]):
            rules.setdefault(rule.listing_id, []).append(schedules.Rule.from_model(rule))
        far = datetime.date.max

        def key(hit):
            policy = "closed" if hit.listing_id in closed else ""
            found = schedules.next_occurrences(rules.get(hit.listing_id, []), policy, today, 1)
            return (found[0].date if found else far, -hit.score, hit.listing_id)

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


def _has_filters(params: SearchParams) -> bool:
    return bool(
        params.kinds
        or params.ages
        or params.topics
        or params.areas
        or params.networks
        or params.access
        or params.near
        or params.open_on
    )


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
