"""HSDS 3 export (listings.hsds, ``export_listings --format hsds``), validated against the
official schema files in ../shared/standards/hsds-3 with the ``jsonschema`` package (Draft
2020-12), their ``$ref``s resolved through ``referencing`` from the same folder: never a hand
copy of the rules.
"""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from listings.hsds import export_listings_hsds, hsds_id, service
from listings.importers.opendata.attribution import Attribution
from listings.importers.tokyo_kodomo_shokudo import import_file
from listings.models import ListingPage
from listings.vocabulary import Kind, Tier
from tests.factories import make_listing, monthly, on_date, tentative, weekly

SHARED_SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "standards" / "hsds-3" / "schema"
# The official files beside the project, else their unchanged copy (tests/vendor/README.md).
SCHEMAS = (
    SHARED_SCHEMAS
    if SHARED_SCHEMAS.exists()
    else Path(__file__).resolve().parents[1] / "vendor" / "hsds-3" / "schema"
)
FIXTURE = Path(__file__).parent / "importers" / "data" / "tokyo_kodomo_shokudo.csv"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SCHEMAS.exists(), reason=f"HSDS schema files not there: {SCHEMAS}"),
]


def registry() -> Registry:
    """Every schema file, under its own file name (the schemas refer to each other so)."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())


def errors_of(data: dict, name: str = "service.json") -> list[str]:
    found = validator(name).iter_errors(data)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


def test_the_schema_files_really_check(areas):
    """The validator is strict: a service without its required name fails, a wrong enum or a
    broken nested phone (through $ref) fails."""
    listing = make_listing("テスト", area=areas.city, phone="000-0000-0000")
    good = service(listing)
    assert errors_of(good) == []
    assert errors_of({k: v for k, v in good.items() if k != "name"})
    assert errors_of(good | {"status": "open"})
    assert errors_of(good | {"phones": [{"id": hsds_id("x")}]})  # phone.json needs number
    assert errors_of(good | {"id": "not-a-uuid"})


def test_a_full_listing_maps_every_field(areas):
    listing = make_listing(
        "みどりこども食堂",
        kind=Kind.KODOMO_SHOKUDO,
        area=areas.north_a_1,
        service_tier=Tier.JUNIOR_HIGH,
        ages=("elementary",),
        rules=(
            monthly(2, 5, "11:30", "14:00"),
            monthly(-1, 4),
            weekly(2, "17:00"),
            {"frequency": "monthday", "day_of_month": 12},
            on_date(datetime.date(2026, 12, 5), "10:00", "12:00"),
            tentative(6, "11:00"),
        ),
        external_id="K-001",
        name_kana="ミドリコドモショクドウ",
        description="<p>毎月みんなでごはん。</p>",
        address="サンプル市みどり町1-2-3",
        latitude=35.72,
        longitude=139.55,
        phone="000-000-0001",
        fax="000-000-0002",
        email="midori@example.jp",
        website="https://example.jp/midori",
        organiser="みどりの会",
        schedule_note="8月はお休み。",
        fee="無料",
        booking="required",
        how_to_join="電話で申し込み",
        accessibility="段差なし",
        last_verified=datetime.date(2026, 4, 1),
    )

    data = service(listing, "https://portal.example.jp")

    assert errors_of(data) == []
    assert data["id"] == hsds_id("service", "K-001") == service(listing)["id"]  # stable
    assert (data["name"], data["alternate_name"]) == ("みどりこども食堂", "ミドリコドモショクドウ")
    assert data["description"] == "毎月みんなでごはん。"
    assert data["url"] == "https://example.jp/midori" and data["email"] == "midori@example.jp"
    assert data["status"] == "active" and data["assured_date"] == "2026-04-01"
    assert data["application_process"] == "予約：予約が必要\n電話で申し込み"
    assert data["eligibility_description"] == "小学生"
    assert data["organization"]["name"] == "みどりの会"
    assert [(p["number"], p["type"]) for p in data["phones"]] == [
        ("000-000-0001", "voice"),
        ("000-000-0002", "fax"),
    ]
    rrules = [
        (s.get("freq"), s.get("byday"), s.get("bymonthday"), s.get("dtstart"), s.get("opens_at"))
        for s in data["schedules"]
    ]
    assert rrules == [
        ("MONTHLY", "2SA", None, None, "11:30+09:00"),
        ("MONTHLY", "-1FR", None, None, None),
        ("WEEKLY", "WE", None, None, "17:00+09:00"),
        ("MONTHLY", None, "12", None, None),
        (None, None, None, "2026-12-05", "10:00+09:00"),
        (None, None, None, None, "11:00+09:00"),  # dates to confirm: no rule
    ]
    assert data["schedules"][-1]["description"] == "日曜（日程は要確認） 11:00〜"
    assert all(s["timezone"] == 9 and s["notes"] == "8月はお休み。" for s in data["schedules"])
    assert data["service_areas"][0]["name"] == areas.north.name
    assert data["service_areas"][0]["description"] == "概ね中学校区"
    location = data["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (35.72, 139.55)
    assert location["description"] == "サンプル市みどり町1-2-3"
    assert location["accessibility"][0]["description"] == "段差なし"
    assert data["languages"] == [
        {"id": hsds_id("language", "K-001"), "name": "日本語", "code": "ja"}
    ]
    assert data["cost_options"][0] | {} == {
        "id": hsds_id("cost_option", "K-001"),
        "amount_description": "無料",
        "amount": 0,
        "currency": "JPY",
    }
    # Every nested object is valid against its own schema file too.
    assert errors_of(data["schedules"][0], "schedule.json") == []
    assert errors_of(location, "location.json") == []


def test_open_data_keeps_its_credit_and_validates(client):
    result = import_file(FIXTURE, attribution=Attribution(date=datetime.date(2025, 4, 1)))
    assert result.ok, result.errors
    buffer = io.StringIO()

    count = export_listings_hsds(buffer, base_url="https://portal.example.jp")

    page = json.loads(buffer.getvalue())
    assert count == page["total_items"] == ListingPage.objects.live().count() == 6
    assert (page["page_number"], page["total_pages"], page["last_page"]) == (1, 1, True)
    for item in page["contents"]:
        assert errors_of(item) == [], item["name"]
    midori = next(s for s in page["contents"] if s["name"].startswith("みどりこども食堂"))
    credit = midori["metadata"][0]
    assert credit["last_action_date"] == "2025-04-01"
    assert "西東京市「子ども食堂一覧」" in credit["updated_by"]
    # The city is the service area, and the tier's words are not claimed for it.
    assert midori["service_areas"][0] == {
        "id": hsds_id("service_area", "tokyo-ks:132292:1"),
        "name": "西東京市",
        "extent_type": "area_code",
        "extent": "132292",
    }


def test_command_writes_hsds(areas):
    make_listing("ひかりサロン", area=areas.city, rules=(weekly(0, "10:00", "12:00"),))
    out, err = io.StringIO(), io.StringIO()

    call_command("export_listings", "--format", "hsds", stdout=out, stderr=err)

    page = json.loads(out.getvalue())
    assert [s["name"] for s in page["contents"]] == ["ひかりサロン"]
    assert errors_of(page["contents"][0]) == []
    assert "1件を書き出しました" in err.getvalue()


def test_hsds_api_services_and_one_service(client, areas):
    for n in range(3):
        make_listing(f"サロン{n}", area=areas.city, rules=(weekly(n, "10:00"),))

    first = client.get("/api/hsds/services", {"per_page": 2})
    assert first.status_code == 200
    body = first.json()
    assert (body["total_items"], body["total_pages"], body["size"]) == (3, 2, 2)
    assert (body["first_page"], body["last_page"]) == (True, False)
    second = client.get("/api/hsds/services", {"per_page": 2, "page": 2}).json()
    assert second["size"] == 1 and second["last_page"] is True
    for item in body["contents"] + second["contents"]:
        assert errors_of(item) == []
        assert item["url"].startswith("http://testserver/")

    one = client.get(f"/api/hsds/services/{body['contents'][0]['id']}")
    assert one.status_code == 200 and one.json() == body["contents"][0]
    assert client.get(f"/api/hsds/services/{hsds_id('nothing')}").status_code == 404
    bad = client.get("/api/hsds/services", {"per_page": "1000"})
    assert bad.status_code == 400 and bad.json()["error"]["parameter"] == "per_page"
    assert client.get("/api/hsds/services", {"page": "x"}).json()["error"]["parameter"] == "page"
