"""The access filter (``access=``, consult's window profiles) in the API and its OpenAPI."""

import pytest

from consult.models import Access, WindowProfile
from listings.vocabulary import Kind, Tier
from search.engines import get_engine
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"


@pytest.fixture
def windows(areas):
    signing = make_listing("手話で話せる相談窓口", kind=Kind.WINDOW, area=areas.north_a)
    night = make_listing(
        "夜間の電話相談", kind=Kind.WINDOW, area=areas.south_a, service_tier=Tier.CITY
    )
    plain = make_listing("ふつうの相談窓口", kind=Kind.WINDOW, area=areas.north_a)
    no_profile = make_listing("プロフィールのない窓口", kind=Kind.WINDOW, area=areas.north_a)
    kitchen = make_listing("みどり子ども食堂", kind=Kind.KODOMO_SHOKUDO, area=areas.north_a)
    WindowProfile.objects.create(listing=signing, access=["sign_language", "writing"])
    WindowProfile.objects.create(listing=night, access=["night_holiday", "anonymous"])
    WindowProfile.objects.create(listing=plain, access=[])
    get_engine().rebuild()
    return {
        "signing": signing,
        "night": night,
        "plain": plain,
        "no_profile": no_profile,
        "kitchen": kitchen,
    }


def found(client, **query) -> set[int]:
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["results"]}


@pytest.mark.parametrize("value", ["sign_language", "手話", "Sign language", "ＳＩＧＮ_LANGUAGE"])
def test_access_by_code_or_name(client, windows, value):
    assert found(client, access=value) == {windows["signing"].pk}


def test_access_values_are_or_within_and_with_other_filters(client, windows):
    both = {windows["signing"].pk, windows["night"].pk}
    assert found(client, access=["writing", "匿名"]) == both
    assert found(client, access="writing,night_holiday") == both
    # AND with the words and the other filters.
    assert found(client, access=["writing", "anonymous"], q="夜間") == {windows["night"].pk}
    assert found(client, access="writing", area="south-a") == set()
    # Aliases residents use.
    assert found(client, access="夜間") == {windows["night"].pk}


def test_access_no_window_offers_is_an_empty_answer_not_an_error(client, windows):
    body = client.get(URL, {"access": "online"}).json()
    assert body["count"] == 0 and body["results"] == []


@pytest.mark.parametrize("value", ["teleport", "", "手話,teleport"])
def test_a_bad_access_value_is_a_400_naming_access(client, windows, value):
    response = client.get(URL, {"access": value})
    assert response.status_code == 400
    assert [e["parameter"] for e in response.json()["errors"]] == ["access"]


def test_openapi_lists_access_with_its_codes(client):
    doc = client.get("/api/v1/openapi.json").json()
    (param,) = [
        p for p in doc["paths"]["/api/v1/listings/"]["get"]["parameters"] if p["name"] == "access"
    ]
    assert param["schema"]["items"]["enum"] == list(Access.values)
    assert param["explode"] is True and param["schema"]["type"] == "array"
