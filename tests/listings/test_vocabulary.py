"""Filter and import values in any UI language: codes, Japanese names and English names.

``code_for`` reads the contract code out of what a resident, an API client or a CSV file gives:
the code, the Japanese name (the source text), the English name (the English catalogue's) or an
alias, ignoring case and full/half width, whatever language the interface is in. Its error is in
the active language and lists the accepted values in it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from listings.importers.contract import LISTING_COLUMNS
from listings.models import ListingPage
from listings.vocabulary import (
    AGE_ALIASES,
    KIND_ALIASES,
    TIER_ALIASES,
    Age,
    Booking,
    ContactMethod,
    Kind,
    Tier,
    code_for,
)
from tests.factories import make_listing

LANGUAGES = ("ja", "en")

ACCEPTED = [
    (Kind, KIND_ALIASES, "kodomo_shokudo", Kind.KODOMO_SHOKUDO),
    (Kind, KIND_ALIASES, "子ども食堂", Kind.KODOMO_SHOKUDO),
    (Kind, KIND_ALIASES, "Kodomo shokudo", Kind.KODOMO_SHOKUDO),
    (Kind, KIND_ALIASES, "KODOMO SHOKUDO", Kind.KODOMO_SHOKUDO),
    (Kind, KIND_ALIASES, "こども食堂", Kind.KODOMO_SHOKUDO),
    (Kind, KIND_ALIASES, "ＷＩＮＤＯＷ", Kind.WINDOW),
    (Kind, KIND_ALIASES, "Window", Kind.WINDOW),
    (Kind, KIND_ALIASES, "consultation  windows", Kind.WINDOW),
    (Kind, KIND_ALIASES, " 相談窓口 ", Kind.WINDOW),
    (Kind, KIND_ALIASES, "Drop-in places", Kind.IBASHO),
    (Age, AGE_ALIASES, "Elementary school children", Age.ELEMENTARY),
    (Age, AGE_ALIASES, "ｅｌｅｍｅｎｔａｒｙ", Age.ELEMENTARY),
    (Age, AGE_ALIASES, "小学生", Age.ELEMENTARY),
    (Age, AGE_ALIASES, "older people", Age.SENIOR),
    (Age, AGE_ALIASES, "シニア", Age.SENIOR),
    (Age, AGE_ALIASES, "ｼﾆｱ", Age.SENIOR),  # half-width katakana
    (Age, None, "Everyone", Age.EVERYONE),
    (Tier, TIER_ALIASES, "Whole city", Tier.CITY),
    (Tier, TIER_ALIASES, "圏域", Tier.JUNIOR_HIGH),
    (Booking, None, "Booking required", Booking.REQUIRED),
    (Booking, None, "", Booking.UNKNOWN),
    (ContactMethod, None, "fax", ContactMethod.FAX),
    (ContactMethod, None, "ＦＡＸ", ContactMethod.FAX),
    (ContactMethod, None, "Home visit", ContactMethod.HOME_VISIT),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("choices", "aliases", "value", "code"), ACCEPTED)
def test_codes_japanese_and_english_names_in_any_language(choices, aliases, value, code, language):
    with translation.override(language):
        assert code_for(choices, value, aliases) == code


def test_the_japanese_name_is_the_source_text_not_the_displayed_one():
    # Under English the displayed label is English; the Japanese name still works.
    with translation.override("en"):
        assert str(Kind.KODOMO_SHOKUDO.label) == "Kodomo shokudo"
        assert code_for(Kind, "子ども食堂") == Kind.KODOMO_SHOKUDO
        assert code_for(Age, "乳幼児と保護者") == Age.INFANT


def test_an_unknown_value_is_refused_in_the_active_language():
    with translation.override("ja"), pytest.raises(ValueError) as ja:
        code_for(Kind, "食堂")
    assert str(ja.value).startswith("「食堂」は使えません。")
    assert "kodomo_shokudo（子ども食堂）" in str(ja.value)

    with translation.override("en"), pytest.raises(ValueError) as en:
        code_for(Kind, "食堂")
    message = str(en.value)
    assert message.startswith("“食堂” cannot be used.")
    assert "kodomo_shokudo (Kodomo shokudo), fureai" in message
    assert "子ども食堂" not in message


# -- through the API, the search page and the CSV import --------------------------------------


@pytest.fixture
def kitchen_and_window(areas):
    kitchen = make_listing(
        "みどり子ども食堂", kind=Kind.KODOMO_SHOKUDO, area=areas.north_a, ages=(Age.ELEMENTARY,)
    )
    window = make_listing("なんでも相談窓口", kind=Kind.WINDOW, area=areas.city, ages=(Age.ADULT,))
    return kitchen, window


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ({"kind": "子ども食堂"}, "みどり子ども食堂"),
        ({"kind": "Kodomo shokudo"}, "みどり子ども食堂"),
        ({"kind": "相談窓口"}, "なんでも相談窓口"),
        ({"age": "Elementary school children"}, "みどり子ども食堂"),
        ({"age": "小学生"}, "みどり子ども食堂"),
        ({"age": "adults"}, "なんでも相談窓口"),
    ],
)
def test_api_filters_by_names_in_any_language(client, kitchen_and_window, language, query, title):
    response = client.get("/api/v1/listings/", query, headers={"accept-language": language})
    assert response.status_code == 200, response.content
    assert [item["title"] for item in response.json()["results"]] == [title]


@pytest.mark.django_db
def test_api_error_for_a_bad_value_is_in_the_active_language(client, kitchen_and_window):
    ja = client.get("/api/v1/listings/", {"kind": "食堂"}, headers={"accept-language": "ja"})
    en = client.get("/api/v1/listings/", {"kind": "食堂"}, headers={"accept-language": "en"})
    assert ja.status_code == en.status_code == 400
    assert ja.json()["parameter"] == en.json()["parameter"] == "kind"
    assert "使える値" in ja.json()["message"]
    assert "cannot be used" in en.json()["message"]
    assert "Kodomo shokudo" in en.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_search_page_filters_by_names_in_any_language(client, kitchen_and_window, language):
    response = client.get(
        "/search/",
        {"kind": "子ども食堂", "age": "Elementary school children"},
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "みどり子ども食堂" in html
    assert "なんでも相談窓口" not in html


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    out.write(",".join(LISTING_COLUMNS) + "\n")
    for row in rows:
        out.write(",".join(row.get(column, "") for column in LISTING_COLUMNS) + "\n")
    return out.getvalue().encode("utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_csv_import_takes_english_names_whatever_the_language(areas, tmp_path: Path, language):
    path = tmp_path / "listings.csv"
    path.write_bytes(
        _csv(
            [
                {
                    "ID": "EN-1",
                    "区分": "Kodomo shokudo",
                    "名称": "えいご食堂",
                    "対象者": "Elementary school children;Everyone",
                    "地区コード": "north-a",
                    "対象範囲": "Whole city",
                    "予約": "Booking required",
                }
            ]
        )
    )
    with translation.override(language):
        call_command("import_listings", str(path), stdout=io.StringIO())
    listing = ListingPage.objects.get(external_id="EN-1")
    assert listing.kind == Kind.KODOMO_SHOKUDO
    assert sorted(listing.age_group_codes) == ["elementary", "everyone"]
    assert listing.service_tier == Tier.CITY
    assert listing.booking == Booking.REQUIRED


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", ["kodomo_shokudo", "子ども食堂", "Kodomo shokudo", "こども食堂"])
def test_listing_index_filters_by_names_in_any_language(
    client, kitchen_and_window, language, value
):
    response = client.get("/listings/", {"kind": value}, headers={"accept-language": language})
    assert response.status_code == 200
    assert response.context["selected_kind"] == Kind.KODOMO_SHOKUDO
    assert [p.title for p in response.context["listings"]] == ["みどり子ども食堂"]


@pytest.mark.django_db
def test_listing_index_shows_everything_for_an_unknown_kind(client, kitchen_and_window):
    response = client.get("/listings/", {"kind": "食堂"})
    assert response.status_code == 200
    assert response.context["selected_kind"] == ""
    assert len(response.context["listings"]) == 2
