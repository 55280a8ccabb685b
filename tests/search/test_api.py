"""The public JSON API: contract shape, filters, and every bad parameter as a 400."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listings.models import ListingPage
from listings.vocabulary import Kind, Tier
from search.models import SearchQueryLog
from tests.factories import make_listing, weekly

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"


@pytest.fixture
def data(areas):
    kitchen = make_listing(
        "みどり子ども食堂",
        kind=Kind.KODOMO_SHOKUDO,
        area=areas.north_a,
        service_tier=Tier.JUNIOR_HIGH,
        ages=("elementary",),
        topics=("食事",),
        latitude=35.726,
        longitude=139.551,
        external_id="K-1",
        rules=(weekly(5, "11:00", "13:00"),),
    )
    window = make_listing(
        "なんでも相談窓口",
        kind=Kind.WINDOW,
        area=areas.south_a_1,
        service_tier=Tier.CITY,
        ages=("everyone",),
        consultation_keywords="お金、家賃",
        latitude=35.70,
        longitude=139.52,
    )
    return {"kitchen": kitchen, "window": window}


def test_contract_shape(client, data):
    body = client.get(URL, {"q": "こども食堂"}).json()
    assert body["count"] == 1
    item = body["results"][0]
    for key in ("id", "external_id", "title", "kind", "url", "area", "distance_m"):
        assert key in item
    assert item["external_id"] == "K-1"
    assert item["kind"] == "kodomo_shokudo"
    assert item["url"].startswith("http://testserver/")
    assert item["area"]["code"] == "north-a"
    assert item["next_dates"][0]["start"] == "11:00"
    assert set(body["facets"]) == {"kind", "age", "topic", "area"}


def test_repeated_and_comma_separated_values_are_or(client, data):
    repeated = client.get(URL + "?kind=window&kind=kodomo_shokudo").json()
    comma = client.get(URL, {"kind": "window,kodomo_shokudo"}).json()
    japanese = client.get(URL, {"kind": "相談窓口,子ども食堂"}).json()
    assert repeated["count"] == comma["count"] == japanese["count"] == 2


def test_facets_combine_with_and(client, data):
    assert client.get(URL, {"kind": "window", "age": "elementary"}).json()["count"] == 1
    assert client.get(URL, {"kind": "window", "topic": "食事"}).json()["count"] == 0


def test_area_filter_says_why(client, data):
    body = client.get(URL, {"area": "north-b"}).json()
    assert {r["title"]: r["area_match"] for r in body["results"]} == {
        "みどり子ども食堂": "serves",
        "なんでも相談窓口": "serves",
    }


def test_near_sorts_nearest_first_with_distance(client, data):
    body = client.get(URL, {"near": "35.7262,139.5512"}).json()
    assert [r["title"] for r in body["results"]] == ["みどり子ども食堂", "なんでも相談窓口"]
    assert body["results"][0]["distance_m"] < 50
    within = client.get(URL, {"near": "35.7262,139.5512", "radius": "500"}).json()
    assert within["count"] == 1


def test_open_on(client, data):
    assert client.get(URL, {"open_on": "2026-12-05"}).json()["count"] == 1  # a Saturday
    assert client.get(URL, {"open_on": "2026-12-07"}).json()["count"] == 0


def test_paging(client, data):
    body = client.get(URL, {"page_size": "1", "page": "2"}).json()
    assert body["count"] == 2 and len(body["results"]) == 1
    beyond = client.get(URL, {"page_size": "1", "page": "50"}).json()
    assert beyond["count"] == 2 and beyond["results"] == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"kind": "cafe"}, "kind"),
        ({"age": "baby"}, "age"),
        ({"area": "nowhere"}, "area"),
        ({"near": "abc"}, "near"),
        ({"near": "91,139"}, "near"),
        ({"near": "35.7"}, "near"),
        ({"near": "nan,inf"}, "near"),
        ({"near": "35.7,139.5", "radius": "-5"}, "radius"),
        ({"near": "35.7,139.5", "radius": "1e9"}, "radius"),
        ({"radius": "500"}, "radius"),
        ({"open_on": "2026-13-01"}, "open_on"),
        ({"open_on": "tomorrow"}, "open_on"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "999999999"}, "page"),
        ({"page_size": "100000"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
        ({"sort": "random"}, "sort"),
        ({"q": "あ" * 5000}, "q"),
    ],
)
def test_bad_parameters_are_named_400s(client, data, params, parameter):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["parameter"] == parameter
    assert body["message"]


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR(", "AND OR", '"子ども" OR', "'; DROP TABLE x; --", "%", "\\", "((("]
)
def test_search_syntax_is_plain_text(client, data, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert response.json()["count"] >= 0


def test_post_is_not_allowed(client):
    assert client.post(URL).status_code == 405


def test_queries_are_logged_without_personal_data(client, data):
    client.get(URL, {"q": "家賃", "near": "35.72612,139.55123"}, REMOTE_ADDR="203.0.113.9")
    log = SearchQueryLog.objects.get()
    assert log.query == "家賃"
    assert log.result_count == 1
    assert "near=35.73,139.55" in log.filters
    assert "203.0.113.9" not in str(log.__dict__)


def test_areas_endpoint(client, areas):
    body = client.get("/api/v1/areas/").json()
    assert body["count"] == 8
    north_a = next(a for a in body["results"] if a["code"] == "north-a")
    assert north_a["parent"] == "north" and north_a["tier"] == "elementary"


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    names = {p["name"] for p in doc["paths"]["/api/v1/listings/"]["get"]["parameters"]}
    assert names == {
        "q",
        "kind",
        "age",
        "topic",
        "area",
        "network",
        "access",
        "near",
        "radius",
        "open_on",
        "sort",
        "page",
        "page_size",
    }


def test_results_come_from_display_records_without_page_queries(client, data):
    url = "/api/v1/listings/?q=食堂&page_size=50"
    first = client.get(url).json()  # loads this process's copy of the index
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).json()
    assert again == first and first["results"]
    statements = [q["sql"] for q in queries.captured_queries]
    # The index version, the display records and the query log row; nothing reads pages.
    assert len(statements) <= 3, statements
    assert not any("wagtailcore_page" in sql for sql in statements), statements


def test_display_records_follow_a_new_slug_of_the_listing_index(client, data):
    listing = ListingPage.objects.live().first()
    index = listing.get_parent().specific
    index.slug = "places"
    index.save_revision().publish()
    found = client.get("/api/v1/listings/", {"q": listing.title}).json()["results"]
    assert any(r["id"] == listing.pk and "/places/" in r["url"] for r in found)
