import datetime

import pytest
from django.core.exceptions import ValidationError

from listings.models import Area, ListingPage, ScheduleRule
from listings.vocabulary import Kind, Tier
from tests.factories import make_area, make_listing, weekly

pytestmark = pytest.mark.django_db


class TestAreaTree:
    def test_path_is_built_from_codes(self, areas):
        assert areas.north_a_1.path == "/city/north/north-a/north-a-1/"
        assert areas.north_a_1.ancestor_codes == ["city", "north", "north-a", "north-a-1"]

    def test_ancestor_at_each_tier(self, areas):
        leaf = areas.north_a_1
        assert leaf.ancestor_at(Tier.CITY) == areas.city
        assert leaf.ancestor_at(Tier.JUNIOR_HIGH) == areas.north
        assert leaf.ancestor_at(Tier.ELEMENTARY) == areas.north_a
        assert leaf.ancestor_at(Tier.NEIGHBOURHOOD) == leaf
        # A tier below the area itself falls back to the area.
        assert areas.north.ancestor_at(Tier.NEIGHBOURHOOD) == areas.north

    def test_descendants(self, areas):
        codes = set(areas.north.descendants().values_list("code", flat=True))
        assert codes == {"north-a", "north-b", "north-a-1"}

    def test_city_cannot_have_a_parent(self, areas):
        city2 = Area(code="city2", name="別の市", tier=Tier.CITY, parent=areas.city)
        with pytest.raises(ValidationError) as err:
            city2.full_clean()
        assert "parent" in err.value.message_dict

    def test_parent_must_be_one_tier_up(self, areas):
        skip = Area(code="skip", name="飛び級", tier=Tier.ELEMENTARY, parent=areas.city)
        with pytest.raises(ValidationError) as err:
            skip.full_clean()
        assert "概ね中学校区" in err.value.message_dict["parent"][0]

    def test_non_city_needs_a_parent(self, db):
        orphan = Area(code="orphan", name="孤立", tier=Tier.JUNIOR_HIGH)
        with pytest.raises(ValidationError):
            orphan.full_clean()

    def test_code_characters_validated(self, db):
        with pytest.raises(ValidationError) as err:
            Area(code="a/b", name="x", tier=Tier.CITY).full_clean()
        assert "code" in err.value.message_dict

    def test_moving_an_area_updates_descendant_paths(self, areas):
        areas.north_a.parent = areas.south
        areas.north_a.save()
        areas.north_a_1.refresh_from_db()
        assert areas.north_a_1.path == "/city/south/north-a/north-a-1/"

    def test_coordinates_range(self, db):
        with pytest.raises(ValidationError) as err:
            Area(code="c", name="x", tier=Tier.CITY, latitude=91, longitude=200).full_clean()
        assert {"latitude", "longitude"} <= set(err.value.message_dict)


class TestListing:
    def test_service_area_is_ancestor_at_service_tier(self, areas):
        listing = make_listing(area=areas.north_a_1, service_tier=Tier.JUNIOR_HIGH)
        assert listing.service_area == areas.north

    def test_service_area_is_location_when_tier_is_narrower(self, areas):
        listing = make_listing(area=areas.north, service_tier=Tier.NEIGHBOURHOOD)
        assert listing.service_area == areas.north

    def test_service_area_follows_edits(self, areas):
        listing = make_listing(area=areas.north_a_1, service_tier=Tier.ELEMENTARY)
        listing.service_tier = Tier.CITY
        listing.save_revision().publish()
        listing.refresh_from_db()
        assert listing.service_area == areas.city

    @pytest.mark.parametrize(
        ("field", "value"), [("latitude", 90.5), ("latitude", -91), ("longitude", 181)]
    )
    def test_coordinates_out_of_range_are_errors(self, areas, field, value):
        listing = ListingPage(title="x", kind=Kind.IBASHO, location_area=areas.city)
        setattr(listing, field, value)
        other = "longitude" if field == "latitude" else "latitude"
        setattr(listing, other, 0)
        with pytest.raises(ValidationError) as err:
            listing.full_clean()
        assert field in err.value.message_dict

    def test_latitude_without_longitude_is_an_error(self, areas):
        listing = ListingPage(
            title="x", slug="x", kind=Kind.IBASHO, location_area=areas.city, latitude=35.7
        )
        with pytest.raises(ValidationError) as err:
            listing.full_clean()
        assert "longitude" in err.value.message_dict

    def test_next_dates_use_saved_rules(self, areas):
        listing = make_listing(area=areas.city, rules=(weekly(5, "10:00", "12:00"),))
        got = listing.next_dates(2, start=datetime.date(2026, 12, 1))
        assert [o.date for o in got] == [datetime.date(2026, 12, 5), datetime.date(2026, 12, 12)]
        assert got[0].start_time == datetime.time(10)

    def test_keywords_split_on_japanese_and_ascii_separators(self, areas):
        listing = make_listing(
            area=areas.city, kind=Kind.WINDOW, consultation_keywords="お金、家賃;仕事\n借金"
        )
        assert listing.consultation_keyword_list == ["お金", "家賃", "仕事", "借金"]


class TestScheduleRuleValidation:
    def test_end_before_start_is_an_error(self):
        r = ScheduleRule(
            frequency="weekly",
            weekday=0,
            start_time=datetime.time(12),
            end_time=datetime.time(10),
        )
        with pytest.raises(ValidationError) as err:
            r.clean()
        assert "end_time" in err.value.message_dict

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"frequency": "weekly"}, "weekday"),
            ({"frequency": "monthly", "weekday": 5}, "week_of_month"),
            ({"frequency": "date"}, "date"),
        ],
    )
    def test_required_parts_per_frequency(self, kwargs, field):
        with pytest.raises(ValidationError) as err:
            ScheduleRule(**kwargs).clean()
        assert field in err.value.message_dict


def test_area_str_shows_tier(db):
    area = make_area("x", "テスト市", Tier.CITY)
    assert str(area) == "テスト市（市全域）"


def test_every_listing_gets_an_external_id_and_copies_get_their_own(areas):
    page = make_listing("IDなしの居場所", area=areas.city)
    assert page.external_id.startswith("portal-")
    copy = page.copy(update_attrs={"slug": "copied", "title": "コピー"})
    assert copy.external_id and copy.external_id != page.external_id
