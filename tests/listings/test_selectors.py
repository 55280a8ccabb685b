"""Area filter semantics (DESIGN.md §3, contract)."""

import pytest

from listings.selectors import MATCH_LOCATED, MATCH_SERVES, area_tree, listings_for_area
from listings.vocabulary import Kind, Tier
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(areas):
    return {
        # A salon for one neighbourhood in north-a.
        "salon": make_listing("町内サロン", area=areas.north_a_1, service_tier=Tier.NEIGHBOURHOOD),
        # A kitchen in north-a serving the whole north 圏域.
        "kitchen": make_listing(
            "北部こども食堂",
            kind=Kind.KODOMO_SHOKUDO,
            area=areas.north_a,
            service_tier=Tier.JUNIOR_HIGH,
        ),
        # A city-wide window located in the south.
        "window": make_listing(
            "丸ごと相談窓口", kind=Kind.WINDOW, area=areas.south_a_1, service_tier=Tier.CITY
        ),
        # A place in the south serving its elementary district only.
        "south_cafe": make_listing(
            "あおばカフェ", area=areas.south_a, service_tier=Tier.ELEMENTARY
        ),
        # A draft is never listed.
        "draft": make_listing("下書き", area=areas.north_a, publish=False),
    }


def matches(area):
    return {listing.title: listing.area_match for listing in listings_for_area(area)}


def test_city_sees_everything_located_in_it(areas, listings):
    assert matches(areas.city) == {
        "町内サロン": MATCH_LOCATED,
        "北部こども食堂": MATCH_LOCATED,
        "丸ごと相談窓口": MATCH_LOCATED,
        "あおばカフェ": MATCH_LOCATED,
    }


def test_jukunai_area_gets_its_own_plus_city_wide(areas, listings):
    assert matches(areas.north) == {
        "町内サロン": MATCH_LOCATED,
        "北部こども食堂": MATCH_LOCATED,
        "丸ごと相談窓口": MATCH_SERVES,
    }


def test_district_inside_a_served_kenniki_sees_the_kitchen(areas, listings):
    # north-b has nothing located in it, but the kitchen serves all of north.
    assert matches(areas.north_b) == {
        "北部こども食堂": MATCH_SERVES,
        "丸ごと相談窓口": MATCH_SERVES,
    }


def test_neighbourhood(areas, listings):
    assert matches(areas.north_a_1) == {
        "町内サロン": MATCH_LOCATED,
        "北部こども食堂": MATCH_SERVES,
        "丸ごと相談窓口": MATCH_SERVES,
    }
    assert matches(areas.south_a_1) == {
        "丸ごと相談窓口": MATCH_LOCATED,
        "あおばカフェ": MATCH_SERVES,
    }


def test_narrow_service_does_not_leak_to_siblings(areas, listings):
    assert "あおばカフェ" not in matches(areas.north)
    assert "町内サロン" not in matches(areas.north_b)


def test_unpublished_listing_disappears(areas, listings):
    listings["salon"].unpublish()
    assert "町内サロン" not in matches(areas.north_a_1)


def test_area_tree_counts_located_listings(areas, listings):
    counts = {s.area.code: s.listing_count for s in area_tree()}
    assert counts["city"] == 4
    assert counts["north"] == 2
    assert counts["north-a"] == 2
    assert counts["north-b"] == 0
    assert counts["south-a-1"] == 1


def test_query_count_constant(areas, listings, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        for listing in listings_for_area(areas.city):
            list(listing.age_groups.all())
            listing.service_area.name  # noqa: B018
            listing.location_area.name  # noqa: B018
