"""Display records: serialising a stored record gives exactly what the API serialises from pages."""

import datetime
import json

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Site

from listings.models import Area, ListingPage
from listings.schedules import HORIZON_DAYS
from listings.vocabulary import HolidayPolicy, Kind, Tier
from search.api import serialize_item
from search.contract import Hit
from search.display import display_record, serialize_record
from search.indexing import indexable_listings
from search.selectors import hydrate
from tests.factories import make_listing, monthly, on_date, weekly

pytestmark = pytest.mark.django_db

# A Friday just before Golden Week: 5/3 (Sun), 5/4 (Mon), 5/5 (Tue) and 5/6 (Wed) are holidays.
TODAY = datetime.date(2026, 5, 1)
MONDAY, WEDNESDAY, FRIDAY, SUNDAY = 0, 2, 4, 6

RECORD_KEYS = {
    "id",
    "external_id",
    "title",
    "name_kana",
    "kind",
    "url",
    "area",
    "service_area",
    "ages",
    "topics",
    "address",
    "latitude",
    "longitude",
    "last_verified",
    "source",
    "holiday_policy",
    "rules",
}


def monthday(day: int, start: str | None = None, end: str | None = None) -> dict:
    def parse(t):
        return datetime.time.fromisoformat(t) if t else None

    return {
        "frequency": "monthday",
        "day_of_month": day,
        "start_time": parse(start),
        "end_time": parse(end),
    }


@pytest.fixture
def today(monkeypatch):
    """Pin "today" (Asia/Tokyo) for ListingPage.next_dates and serialize_record alike."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def listings(areas):
    closed_on_holidays = make_listing(
        "ひだまりの居場所",
        kind=Kind.IBASHO,
        area=areas.north_a_1,
        service_tier=Tier.ELEMENTARY,
        name_kana="ヒダマリノイバショ",
        ages=("elementary", "teen"),
        topics=("学習支援", "食事"),
        address="サンプル市みどり町1-2-3",
        latitude=35.726,
        longitude=139.551,
        last_verified=datetime.date(2026, 3, 31),
        holiday_policy=HolidayPolicy.CLOSED,
        rules=(weekly(MONDAY, "10:00", "12:00"), weekly(WEDNESDAY, "13:30")),
    )
    open_on_holidays = make_listing(
        "みどり子ども食堂",
        kind=Kind.KODOMO_SHOKUDO,
        area=areas.north_a,
        service_tier=Tier.JUNIOR_HIGH,
        external_id="K-1",
        ages=("infant", "elementary"),
        topics=("食事",),
        holiday_policy=HolidayPolicy.OPEN,
        rules=(monthly(1, SUNDAY, "11:00", "13:00"), monthly(-1, FRIDAY, end="20:00")),
    )
    open_data = make_listing(
        "あおばふれまちサロン",
        kind=Kind.FUREAI,
        area=areas.south_a_1,
        ages=("senior",),
        topics=("介護予防",),
        source_municipality="サンプル市",
        source_dataset="地域の通いの場一覧",
        source_license="CC BY 4.0",
        source_url="https://example.jp/opendata/kayoi.csv",
        rules=(
            monthday(5, "14:00", "15:30"),
            monthday(20),
            on_date(datetime.date(2026, 5, 2), "09:00", "10:00"),
            on_date(datetime.date(2025, 1, 1)),
        ),
    )
    # Stored out of time order, on the same day: the API lists them by start time.
    window = make_listing(
        "なんでも相談窓口",
        kind=Kind.WINDOW,
        area=areas.city,
        service_tier=Tier.CITY,
        ages=("everyone",),
        consultation_keywords="お金、家賃",
        source_municipality="サンプル市",
        rules=(weekly(FRIDAY, "18:00", "20:00"), weekly(FRIDAY, "09:00:30", "12:00")),
    )
    # Editors can't leave the area empty, but imports and old rows can.
    # Date rules on the first and last day next_dates looks at, and one day beyond.
    horizon = [TODAY + datetime.timedelta(days) for days in (0, HORIZON_DAYS - 1, HORIZON_DAYS)]
    no_area = make_listing(
        "場所未定の居場所", area=areas.city, rules=tuple(on_date(d, "10:00") for d in horizon)
    )
    ListingPage.objects.filter(pk=no_area.pk).update(location_area=None, service_area=None)
    past_only = make_listing(
        "終わったイベント",
        kind=Kind.FUREAI,
        area=areas.south_a,
        rules=(on_date(datetime.date(2026, 4, 29), "10:00"),),
    )
    return [closed_on_holidays, open_on_holidays, open_data, window, no_area, past_only]


def hits_for(listings) -> list[Hit]:
    """A mix of hits: scored, with and without distance and area match."""
    hits = []
    for n, listing in enumerate(listings):
        if n % 2:
            hits.append(Hit(listing.pk))
        else:
            hits.append(
                Hit(
                    listing.pk,
                    score=12.345678 / (n + 1),
                    distance_m=321.5 * n,
                    area_match="located" if n % 4 else "serves",
                )
            )
    return hits


def records_by_id() -> dict[int, dict]:
    areas_by_code = {a.code: a for a in Area.objects.all()}
    listings = indexable_listings().prefetch_related("schedule_rules")
    return {listing.pk: display_record(listing, areas_by_code) for listing in listings}


def api_items(hits, request) -> list[dict]:
    return [serialize_item(item, request) for item in hydrate(hits)]


@pytest.fixture
def request_():
    return RequestFactory().get("/api/v1/listings/", {"q": "居場所"})


def test_record_keys_and_shape(listings, today):
    records = records_by_id()
    assert len(records) == len(listings)
    for record in records.values():
        assert set(record) == RECORD_KEYS
    fureai = records[listings[2].pk]
    assert fureai["url"].startswith("/")
    assert fureai["source"] == {
        "municipality": "サンプル市",
        "dataset": "地域の通いの場一覧",
        "license": "CC BY 4.0",
        "url": "https://example.jp/opendata/kayoi.csv",
        "date": None,
    }
    assert fureai["rules"][0] == {
        "frequency": "monthday",
        "weekday": None,
        "week_of_month": None,
        "day_of_month": 5,
        "date": None,
        "start_time": "14:00",
        "end_time": "15:30",
    }
    assert records[listings[3].pk]["rules"][1]["start_time"] == "09:00:30"
    assert records[listings[4].pk]["area"] is None


@pytest.mark.parametrize("language", ["ja", "en"])
def test_serialize_record_matches_serialize_item(listings, today, request_, language):
    hits = hits_for(listings)
    records = records_by_id()
    with translation.override(language):
        expected = api_items(hits, request_)
        actual = [serialize_record(records[h.listing_id], h, request_) for h in hits]
        pinned = [serialize_record(records[h.listing_id], h, request_, today) for h in hits]
    assert len(expected) == len(listings)
    for want, got, got_pinned in zip(expected, actual, pinned, strict=True):
        assert list(got) == list(want)  # same keys in the same order
        assert got == want
        assert got_pinned == want
    # The cases are really exercised.
    by_title = {item["title"]: item for item in expected}
    assert [d["date"] for d in by_title["ひだまりの居場所"]["next_dates"]] == [
        "2026-05-11",  # 5/4 (Mon) and 5/6 (Wed) are holidays, and it closes on holidays
        "2026-05-13",
        "2026-05-18",
    ]
    assert [d["date"] for d in by_title["みどり子ども食堂"]["next_dates"]] == [
        "2026-05-03",  # first Sunday, a holiday, open on holidays
        "2026-05-29",
        "2026-06-07",
    ]
    assert [d["date"] for d in by_title["あおばふれまちサロン"]["next_dates"]] == [
        "2026-05-02",
        "2026-05-05",
        "2026-05-20",
    ]
    assert [d["start"] for d in by_title["なんでも相談窓口"]["next_dates"]] == [
        "09:00",
        "18:00",
        "09:00",
    ]
    assert by_title["場所未定の居場所"]["area"] is None
    assert [d["date"] for d in by_title["場所未定の居場所"]["next_dates"]] == [
        "2026-05-01",
        "2027-06-04",
    ]
    assert by_title["終わったイベント"]["next_dates"] == []
    if language == "en":
        assert by_title["なんでも相談窓口"]["kind_label"] != "相談窓口"


def test_record_survives_json(listings, today, request_):
    hits = hits_for(listings)
    records = records_by_id()
    expected = api_items(hits, request_)
    for hit, want in zip(hits, expected, strict=True):
        stored = json.loads(json.dumps(records[hit.listing_id], ensure_ascii=False))
        assert stored == records[hit.listing_id]
        assert serialize_record(stored, hit, request_) == want


def test_other_days_match_too(listings, request_, monkeypatch):
    hits = hits_for(listings)
    records = records_by_id()
    for day in (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), datetime.date(2027, 3, 1)):
        monkeypatch.setattr(timezone, "localdate", lambda *args, day=day, **kwargs: day)
        expected = api_items(hits, request_)
        assert [serialize_record(records[h.listing_id], h, request_) for h in hits] == expected


def test_serialize_record_runs_no_queries(listings, request_, django_assert_num_queries):
    hits = hits_for(listings)
    records = records_by_id()
    with django_assert_num_queries(0):
        for hit in hits:
            serialize_record(records[hit.listing_id], hit, request_)


def test_display_records_take_constant_queries(listings):
    areas_by_code = {a.code: a for a in Area.objects.all()}
    queryset = indexable_listings().prefetch_related("schedule_rules")
    Site.get_site_root_paths()  # page.url reads these from the cache

    def count(qs) -> int:
        with CaptureQueriesContext(connection) as queries:
            records = [display_record(listing, areas_by_code) for listing in qs]
        assert records
        return len(queries)

    # The listings, then age groups, tagged items, tags and schedule rules.
    assert count(queryset[:1]) == count(queryset) == 5


def test_several_sites_store_a_full_url(listings, today, request_):
    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="other.example", port=8080, root_page=default.root_page)
    hits = hits_for(listings)
    records = records_by_id()
    assert all(r["url"].startswith("http://") for r in records.values())
    expected = api_items(hits, request_)
    assert [serialize_record(records[h.listing_id], h, request_) for h in hits] == expected
