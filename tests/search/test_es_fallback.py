"""Faults: the cluster is configured but down, or hangs. Residents still get answers.

``ELASTICSEARCH_URL`` points at a closed local port (bound, its port read, closed again) or at
a socket that accepts connections and never answers. Nothing pretends to be Elasticsearch:
these are the two ways a real cluster fails. The API must answer exactly as the embedded
engine does, within the timeout; the warning is logged once per outage; ``search_health``
says so; the circuit breaker opens after N failures and half-opens after its cooldown.
"""

import io
import logging
import socket
import time

import pytest
from django.core.management import CommandError, call_command
from elastic_transport import ConnectionError

from search.contract import SearchParams, SearchResult
from search.embedded import EmbeddedEngine
from search.engines import get_engine, reset_engines
from search.es.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from search.fallback import FallbackEngine, forget_pending, outage_record, pending_ids
from search.models import SearchDocument, SearchIndexState, SearchTerm
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"
TIMEOUT = 0.5
QUERIES = [
    {"q": "子ども食堂"},
    {"q": "こどもしょくどう", "area": "north"},
    {"kind": "window,fureai"},
    {"near": "35.7250,139.5500", "radius": "5000"},
    {"open_on": "2026-12-23"},
    {"q": "ぽけっと 宇宙船"},
]


@pytest.fixture
def closed_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def black_hole():
    """A port that accepts TCP connections (kernel backlog) and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def fresh_state():
    reset_engines()
    forget_pending()
    yield
    reset_engines()
    forget_pending()


def use_cluster(settings, port):
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    settings.ELASTICSEARCH_INDEX_PREFIX = "fault"
    settings.ELASTICSEARCH_TIMEOUT = TIMEOUT


def answers(client, settings, engine_name):
    settings.SEARCH_ENGINE = engine_name
    out = []
    for params in QUERIES:
        started = time.monotonic()
        response = client.get(URL, params)
        out.append((response.status_code, response.json(), time.monotonic() - started))
    return out


def test_api_answers_from_the_embedded_engine_when_the_cluster_is_down(
    client, settings, city, closed_port, fresh_state
):
    city.engine_set()
    expected = answers(client, settings, "embedded")
    use_cluster(settings, closed_port)
    assert isinstance(get_engine(), FallbackEngine)
    got = answers(client, settings, "elasticsearch")
    for (status, body, seconds), (_, want, _) in zip(got, expected, strict=True):
        assert status == 200
        assert body == want  # same results, facets, counts; "engine": "embedded"
        assert body["engine"] == "embedded"
        assert seconds < TIMEOUT * 2 + 1.0
    assert get_engine().in_outage


def test_a_hanging_cluster_costs_at_most_the_timeout(
    client, settings, city, black_hole, fresh_state
):
    city.engine_set()
    expected = client.get(URL, {"q": "子ども食堂"}).json()
    use_cluster(settings, black_hole)
    started = time.monotonic()
    response = client.get(URL, {"q": "子ども食堂"})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json() == expected
    assert TIMEOUT * 0.8 < elapsed < TIMEOUT + 1.5  # waited for the timeout, and no longer


def test_warning_logged_once_per_outage(client, settings, city, closed_port, fresh_state, caplog):
    city.engine_set()
    use_cluster(settings, closed_port)
    with caplog.at_level(logging.INFO, logger="search.fallback"):
        for _ in range(5):
            assert client.get(URL, {"q": "子ども食堂"}).status_code == 200
    warnings = [r for r in caplog.records if r.name == "search.fallback"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "unavailable" in warnings[0].getMessage()
    assert outage_record()["error"].startswith("ConnectionError")


def test_search_health_reports_the_outage(client, settings, city, closed_port, fresh_state):
    city.engine_set()
    use_cluster(settings, closed_port)
    client.get(URL, {"q": "子ども食堂"})
    out = io.StringIO()
    call_command("search_health", stdout=out)
    report = out.getvalue()
    assert "engine: elasticsearch (fallback: embedded)" in report
    assert f"http://127.0.0.1:{closed_port} UNREACHABLE" in report
    assert "breaker: closed (consecutive failures 1)" in report
    assert "outage: since" in report
    assert "documents: database 5 live, embedded index 5" in report
    assert "status: DEGRADED" in report
    with pytest.raises(CommandError, match="cluster unreachable"):
        call_command("search_health", "--check", stdout=io.StringIO())


def test_search_health_embedded(city, fresh_state):
    city.engine_set()
    out = io.StringIO()
    call_command("search_health", "--check", stdout=out)
    lines = out.getvalue().splitlines()
    version = SearchIndexState.objects.get().version
    terms = SearchTerm.objects.count()
    assert lines[:2] == ["engine: embedded", "documents: database 5 live, embedded index 5"]
    assert lines[2].startswith(f"embedded index: {terms} terms, version {version}, written ")
    assert lines[3:] == ["status: OK"] and terms


def test_breaker_opens_after_n_failures_and_half_opens_after_cooldown(
    settings, city, closed_port, fresh_state
):
    city.engine_set()
    use_cluster(settings, closed_port)
    engine = get_engine()
    now = [1000.0]
    engine.primary.breaker = CircuitBreaker(failure_threshold=3, cooldown=30, clock=lambda: now[0])
    calls = []
    real_search = engine.primary.client.search

    def counting_search(**kwargs):
        calls.append(kwargs["index"])
        return real_search(**kwargs)

    engine.primary.client.search = counting_search
    params = SearchParams(q="子ども食堂")
    expected = [h.listing_id for h in EmbeddedEngine().search(params).hits]

    for n in range(1, 4):
        assert [h.listing_id for h in engine.search(params).hits] == expected
        assert len(calls) == n
    assert engine.primary.breaker.state == OPEN

    # Open: answered at once from the embedded engine, the cluster is not asked.
    assert [h.listing_id for h in engine.search(params).hits] == expected
    assert len(calls) == 3

    now[0] += 30
    assert engine.primary.breaker.state == HALF_OPEN
    assert [h.listing_id for h in engine.search(params).hits] == expected
    assert len(calls) == 4  # one trial call…
    assert engine.primary.breaker.state == OPEN  # …failed: open for another cooldown
    engine.search(params)
    assert len(calls) == 4


def test_writes_during_an_outage_keep_the_embedded_index_and_remember_the_listing(
    settings, areas, closed_port, fresh_state, django_capture_on_commit_callbacks
):
    use_cluster(settings, closed_port)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_listing("ゆうやけ食堂", area=areas.city)
    assert SearchDocument.objects.filter(pk=page.pk).exists()
    assert page.pk in pending_ids()
    out = io.StringIO()
    call_command("search_health", stdout=out)
    assert "pending: 1 listings waiting to be re-sent" in out.getvalue()


# ------------------------------------------------------------------------------ breaker
class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class TestBreaker:
    def test_opens_after_consecutive_failures(self):
        breaker = CircuitBreaker(failure_threshold=3, cooldown=30, clock=Clock())
        for _ in range(2):
            assert breaker.allow()
            breaker.record_failure("down")
        assert breaker.state == CLOSED
        breaker.record_failure("down")
        assert breaker.state == OPEN
        assert not breaker.allow()
        assert breaker.snapshot().retry_in == 30

    def test_a_success_resets_the_count(self):
        breaker = CircuitBreaker(failure_threshold=2, cooldown=30, clock=Clock())
        breaker.record_failure("down")
        breaker.record_success()
        breaker.record_failure("down")
        assert breaker.state == CLOSED

    def test_half_open_lets_one_trial_through(self):
        clock = Clock()
        breaker = CircuitBreaker(failure_threshold=1, cooldown=10, clock=clock)
        breaker.record_failure(ConnectionError("refused"))
        clock.now = 9.9
        assert not breaker.allow()
        clock.now = 10
        assert breaker.state == HALF_OPEN
        assert breaker.allow()
        assert not breaker.allow()  # only one trial at a time
        breaker.record_success()
        assert breaker.state == CLOSED
        assert breaker.allow()

    def test_a_failed_trial_opens_again(self):
        clock = Clock()
        breaker = CircuitBreaker(failure_threshold=3, cooldown=10, clock=clock)
        for _ in range(3):
            breaker.record_failure("down")
        clock.now = 10
        assert breaker.allow()
        breaker.record_failure("still down")
        assert breaker.state == OPEN
        assert breaker.snapshot().last_error == "still down"


# ------------------------------------------------------------------------------ recovery
class FlakyPrimary:
    """An engine (not a server) that fails until told otherwise."""

    name = "elasticsearch"

    def __init__(self):
        self.down = True
        self.indexed = []

    def search(self, params):
        if self.down:
            raise ConnectionError("refused")
        return SearchResult(0, [], {}, self.name)

    def index_listings(self, ids):
        if self.down:
            raise ConnectionError("refused")
        self.indexed.append(sorted(ids))
        return len(ids)

    def remove_listings(self, ids):
        self.index_listings(ids)


def test_recovery_is_logged_and_missed_listings_are_resent(areas, fresh_state, caplog):
    primary = FlakyPrimary()
    engine = FallbackEngine(primary, EmbeddedEngine(), defer_writes=False)
    page = make_listing("ゆうやけ食堂", area=areas.city)
    with caplog.at_level(logging.INFO, logger="search.fallback"):
        assert engine.search(SearchParams(q="ゆうやけ")).engine == "embedded"
        engine.index_listings([page.pk])
        engine.search(SearchParams(q="ゆうやけ"))
        assert pending_ids() == [page.pk]
        primary.down = False
        assert engine.search(SearchParams(q="ゆうやけ")).engine == "elasticsearch"
        primary.down = True
        engine.search(SearchParams(q="ゆうやけ"))
    levels = [r.levelname for r in caplog.records if r.name == "search.fallback"]
    assert levels == ["WARNING", "INFO", "WARNING"]  # one per outage, one per recovery
    assert primary.indexed == [[page.pk]]
    assert pending_ids() == []


def test_strict_mode_raises(areas, fresh_state):
    engine = FallbackEngine(FlakyPrimary(), EmbeddedEngine(), fallback_on_error=False)
    with pytest.raises(ConnectionError):
        engine.search(SearchParams(q="食堂"))


def test_rebuild_with_the_cluster_down_rebuilds_the_embedded_index_and_says_so(
    settings, city, closed_port, fresh_state
):
    city.engine_set()
    SearchDocument.objects.all().delete()
    use_cluster(settings, closed_port)
    with pytest.raises(CommandError, match="切り替えていません"):
        call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert SearchDocument.objects.count() == 5
