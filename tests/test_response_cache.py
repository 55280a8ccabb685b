"""The response cache (portal/response_cache.py) on the search page and the search API: hits and
misses, invalidation by the content generation (publish, unpublish, snippet and area saves),
never for logged-in users, POST or errors, per-language and per-reading-aid entries, CSRF tokens
and CSP nonces never shared between visitors, the query log still written on hits, and the
site still answering when the cache fails."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test import Client
from django.urls import path

from listings.vocabulary import Kind
from portal import response_cache
from portal.content_signals import is_content_model
from search import querylog
from search.models import SearchDocument, SearchQueryLog, Synonym
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

SEARCH = "/search/"
API = "/api/v1/listings/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def response_cache_on(settings):
    settings.RESPONSE_CACHE_SECONDS = 60
    cache.clear()
    response_cache.reset_local()
    querylog._pending.clear()  # rows another test left in this process
    yield
    cache.clear()
    response_cache.reset_local()
    querylog._pending.clear()


@pytest.fixture
def kitchen(areas):
    return make_listing("みどり子ども食堂", kind=Kind.KODOMO_SHOKUDO, area=areas.north_a)


def state(response) -> str | None:
    return response.headers.get("X-Response-Cache")


def logged_rows() -> int:
    querylog.flush_pending()
    return SearchQueryLog.objects.count()


# Hits and misses ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [SEARCH, API])
def test_second_identical_get_is_a_hit_with_the_same_content(client, kitchen, url):
    first = client.get(url, {"q": "子ども食堂"})
    second = client.get(url, {"q": "子ども食堂"})
    assert first.status_code == second.status_code == 200
    assert (state(first), state(second)) == ("miss", "hit")
    strip = lambda r: CSRF_INPUT.sub("", r.content.decode())  # noqa: E731
    assert strip(first) == strip(second)
    assert "みどり子ども食堂" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]


def test_parameter_order_does_not_matter_but_values_do(client, kitchen):
    assert state(client.get(f"{SEARCH}?q=食堂&kind=kodomo_shokudo")) == "miss"
    assert state(client.get(f"{SEARCH}?kind=kodomo_shokudo&q=食堂")) == "hit"
    assert state(client.get(f"{SEARCH}?kind=kodomo_shokudo&q=食")) == "miss"
    assert state(client.get(f"{SEARCH}?kind=kodomo_shokudo&q=食堂&page=2")) != "hit"


def test_searches_served_from_the_cache_are_still_logged(client, kitchen):
    client.get(SEARCH, {"q": "子ども食堂"})  # a miss: written at once
    assert SearchQueryLog.objects.count() == 1
    client.get(SEARCH, {"q": "子ども食堂"})  # a hit: waits for the batch
    assert SearchQueryLog.objects.count() == 1
    client.get(API, {"q": "子ども食堂"})  # a miss: writes itself and what waits
    assert SearchQueryLog.objects.count() == 3
    client.get(API, {"q": "子ども食堂"})
    assert logged_rows() == 4  # the last hit, written at a worker's exit (flush_pending)
    assert set(SearchQueryLog.objects.values_list("source", "result_count")) == {
        ("page", 1),
        ("api", 1),
    }


def test_hits_are_written_once_the_batch_is_full(client, kitchen, monkeypatch):
    monkeypatch.setattr(querylog, "DEFER_BATCH", 3)
    for _ in range(4):
        client.get(API, {"q": "子ども食堂"})
    assert SearchQueryLog.objects.count() == 4  # 1 miss + a batch of 3 hits


# Invalidation ---------------------------------------------------------------------------------


def test_a_publish_shows_in_the_next_request(client, areas, kitchen):
    assert "ひまわり食堂" not in client.get(SEARCH, {"q": "食堂"}).content.decode()
    assert state(client.get(SEARCH, {"q": "食堂"})) == "hit"
    new = make_listing("ひまわり食堂", kind=Kind.KODOMO_SHOKUDO, area=areas.north_a)  # publish()
    after = client.get(SEARCH, {"q": "食堂"})
    assert state(after) == "miss"
    assert "ひまわり食堂" in after.content.decode()
    results = client.get(API, {"q": "食堂"}).json()["results"]
    assert any(r["title"] == "ひまわり食堂" for r in results)

    new.unpublish()
    gone = client.get(SEARCH, {"q": "食堂"})
    assert state(gone) == "miss"
    assert "ひまわり食堂" not in gone.content.decode()


def test_a_staff_publish_through_the_admin_shows_at_once(client, admin_client, kitchen):
    assert state(client.get(SEARCH, {"q": "子ども食堂"})) == "miss"
    assert state(client.get(SEARCH, {"q": "子ども食堂"})) == "hit"
    edit = admin_client.get(f"/admin/pages/{kitchen.pk}/edit/")
    assert edit.status_code == 200
    kitchen.title = "みどり子ども食堂（新館）"
    kitchen.save_revision(user=edit.wsgi_request.user).publish()
    after = client.get(SEARCH, {"q": "子ども食堂"})
    assert state(after) == "miss"
    assert "みどり子ども食堂（新館）" in after.content.decode()


def test_snippet_and_area_saves_invalidate(client, areas, kitchen):
    client.get(SEARCH, {"q": "食堂"})
    assert state(client.get(SEARCH, {"q": "食堂"})) == "hit"
    Synonym.objects.create(words="食堂 ごはん")
    assert state(client.get(SEARCH, {"q": "食堂"})) == "miss"
    areas.north_a.name = "みどり北地区"
    areas.north_a.save()
    assert state(client.get(SEARCH, {"q": "食堂"})) == "miss"


def test_which_writes_count_as_content():
    assert is_content_model(Synonym) and is_content_model(SearchDocument)
    assert not is_content_model(SearchQueryLog)  # else every search would empty the cache
    from django.contrib.sessions.models import Session

    assert not is_content_model(Session)


def test_a_search_does_not_invalidate(client, kitchen):
    before = response_cache.content_generation()
    client.get(SEARCH, {"q": "子ども食堂"})
    client.get(API, {"q": "食堂"})
    querylog.flush_pending()
    assert response_cache.content_generation() == before


# Never cached ---------------------------------------------------------------------------------


def test_never_for_logged_in_users(admin_client, client, kitchen):
    client.get(SEARCH, {"q": "子ども食堂"})  # an anonymous entry exists
    for _ in range(2):
        response = admin_client.get(SEARCH, {"q": "子ども食堂"})
        assert response.status_code == 200
        assert state(response) is None
    assert state(admin_client.get(API, {"q": "子ども食堂"})) is None


def test_never_for_errors_or_post(client, kitchen):
    for _ in range(2):
        bad = client.get(SEARCH, {"open_on": "9999-99-99"})
        assert bad.status_code == 400 and state(bad) is None
        assert state(client.get(API, {"radius": "500"})) is None
    assert state(client.post(SEARCH, {"q": "子ども食堂"})) is None


# What a response varies on --------------------------------------------------------------------


def test_each_language_has_its_own_entry(kitchen):
    ja, en = Client(), Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "さがしたいことば" in ja.get(SEARCH, {"q": "食堂"}).content.decode()
    english = en.get(SEARCH, {"q": "食堂"})
    assert state(english) == "miss"
    assert "Words to search for" in english.content.decode()
    again = en.get(SEARCH, {"q": "食堂"})
    assert state(again) == "hit" and "Words to search for" in again.content.decode()
    assert "さがしたいことば" in ja.get(SEARCH, {"q": "食堂"}).content.decode()


def test_reading_aids_have_their_own_entry(client, kitchen):
    client.get(SEARCH, {"q": "食堂"})
    client.cookies["text_size"] = "large"
    large = client.get(SEARCH, {"q": "食堂"})
    assert state(large) == "miss" and 'class="text-large' in large.content.decode()
    del client.cookies["text_size"]
    assert 'class="text-large' not in client.get(SEARCH, {"q": "食堂"}).content.decode()


def test_csrf_tokens_are_each_visitors_own(kitchen):
    first, second = Client(), Client()
    first.get(SEARCH, {"q": "食堂"})
    served = second.get(SEARCH, {"q": "食堂"})
    assert state(served) == "hit"
    tokens = CSRF_INPUT.findall(served.content.decode())
    assert tokens, "the page's forms carry a CSRF token"
    secret = second.cookies["csrftoken"].value
    assert all(_unmask_cipher_token(t) == secret for t in tokens)
    assert first.cookies["csrftoken"].value != secret
    assert response_cache.CSRF_PLACEHOLDER not in served.content.decode()


# CSP nonces: a page with an inline script, served twice ------------------------------------


INLINE = engines["django"].from_string(
    "<!doctype html><title>n</title>"
    '<script nonce="{{ request.csp_nonce }}">document.title = "ok";</script>'
)


@response_cache.cache_anonymous_get
def inline_script_view(request):
    return HttpResponse(INLINE.render({}, request))


urlpatterns = [path("inline/", inline_script_view)]


def nonce_of(response) -> tuple[str, str]:
    body = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return body, header


def test_a_cached_page_gets_a_fresh_nonce_that_its_header_names(client, settings):
    settings.ROOT_URLCONF = __name__
    first, second = client.get("/inline/"), client.get("/inline/")
    assert (state(first), state(second)) == ("miss", "hit")
    body1, header1 = nonce_of(first)
    body2, header2 = nonce_of(second)
    assert body1 == header1 and body2 == header2
    assert body2 != body1
    assert response_cache.NONCE_PLACEHOLDER not in second.content.decode()


def test_another_process_write_reaches_this_one_within_local_seconds(client, kitchen, monkeypatch):
    client.get(SEARCH, {"q": "食堂"})
    assert state(client.get(SEARCH, {"q": "食堂"})) == "hit"  # from this process's copy
    cache.incr(response_cache.GENERATION_KEY)  # as another worker's publish does, via Redis
    assert state(client.get(SEARCH, {"q": "食堂"})) == "hit"  # within LOCAL_SECONDS
    monkeypatch.setattr(response_cache, "LOCAL_SECONDS", 0.0)  # the second has passed
    assert state(client.get(SEARCH, {"q": "食堂"})) == "miss"


def test_entries_expire_after_the_ttl_even_in_this_process(client, kitchen, settings):
    client.get(SEARCH, {"q": "食堂"})
    assert state(client.get(SEARCH, {"q": "食堂"})) == "hit"
    settings.RESPONSE_CACHE_SECONDS = 1
    time.sleep(1.1)
    assert state(client.get(SEARCH, {"q": "食堂"})) == "miss"


# Failing soft ---------------------------------------------------------------------------------


def test_an_unreachable_cache_serves_uncached(client, kitchen, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/7",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response_cache.reset_local()
    for _ in range(2):
        response = client.get(SEARCH, {"q": "子ども食堂"})
        assert response.status_code == 200 and state(response) is None
        assert "みどり子ども食堂" in response.content.decode()


# Wagtail pages and the header's links -----------------------------------------------------


def test_home_and_listing_pages_are_cached_and_refreshed_on_publish(client, kitchen):
    url = kitchen.url
    assert (state(client.get("/")), state(client.get("/"))) == ("miss", "hit")
    assert (state(client.get(url)), state(client.get(url))) == ("miss", "hit")
    kitchen.title = "みどり子ども食堂（改）"
    kitchen.save_revision().publish()
    after = client.get(url)
    assert state(after) == "miss" and "みどり子ども食堂（改）" in after.content.decode()


def test_a_password_protected_page_is_never_shown_from_the_cache(client, kitchen):
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=kitchen, restriction_type=PageViewRestriction.PASSWORD, password="himitsu"
    )
    form = client.get(kitchen.url)
    assert form.status_code == 200 and "みどり子ども食堂</h1>" not in form.content.decode()
    assert state(client.get(kitchen.url)) == "hit"  # the form, the same for every stranger
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{kitchen.pk}/",
        {"password": "himitsu", "return_url": kitchen.url},
    )
    page = client.get(kitchen.url)  # now with a session: never from the cache
    assert state(page) is None and "みどり子ども食堂" in page.content.decode()
    assert state(Client().get(kitchen.url)) in {"hit", "miss"}  # strangers still get the form
    assert "himitsu" not in Client().get(kitchen.url).content.decode()


def test_the_header_link_to_the_listing_index_follows_a_slug_change(client, kitchen):
    from tests.factories import listing_index

    assert 'href="/listings/"' in client.get(SEARCH).content.decode()
    index = listing_index()
    index.slug = "sagasu"
    index.save_revision().publish()
    body = client.get(SEARCH).content.decode()
    assert 'href="/sagasu/"' in body and 'href="/listings/"' not in body
