"""The Elasticsearch engine (issue 4): selected with ``SEARCH_ENGINE=elasticsearch``.

- ``mapping``: index settings, built-in analysis, mapping, a listing's document;
- ``queries``: request bodies from ``SearchParams`` (pure functions) and answers back;
- ``lifecycle``: versioned index + alias swap, bulk writes through the alias;
- ``breaker``: the process-local circuit breaker;
- ``engine``: ``ElasticsearchEngine`` (the ``SearchEngine`` protocol).

``search.fallback.FallbackEngine`` wraps it so that the embedded engine answers while the
cluster is unreachable. See docs/deploy.md.
"""

from .breaker import CircuitBreaker, EngineUnavailable
from .engine import ElasticsearchEngine, make_client

__all__ = ["CircuitBreaker", "ElasticsearchEngine", "EngineUnavailable", "make_client"]
