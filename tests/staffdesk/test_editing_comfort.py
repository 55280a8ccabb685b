"""Editing comfort: the area chooser searches by name, kana or code; a new listing that looks
like an existing one (same normalised name in the same area) gets a warning."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/snippets/choose/listings/area/"


@pytest.fixture
def chief(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "", "pw")
    client.force_login(user)
    return user


def test_the_area_chooser_searches(client, chief, areas):
    modal = client.get(CHOOSER)
    html = json.loads(modal.content)["html"]
    assert 'name="q"' in html
    results = client.get(CHOOSER + "results/", {"q": "みどり"}).content.decode()
    assert areas.north_a.name in results and areas.north_a_1.name in results
    assert areas.south_a.name not in results
    by_code = client.get(CHOOSER + "results/", {"q": areas.south_a_1.code}).content.decode()
    assert areas.south_a_1.name in by_code and areas.north_a.name not in by_code


def test_a_new_listing_like_an_existing_one_gets_a_warning(client, chief, areas):
    from listings.models import ListingPage
    from listings.vocabulary import Kind
    from tests.factories import listing_index, make_listing
    from tests.staff import add, listing_fields

    existing = make_listing("ひかり 子ども食堂", area=areas.north_a_1, kind=Kind.KODOMO_SHOKUDO)
    make_listing("ひかり子ども食堂", area=areas.south_a_1)  # same name, another area: fine
    index = listing_index()
    add(
        client,
        ListingPage,
        index,
        listing_fields("ひかり子ども食堂", Kind.KODOMO_SHOKUDO, areas.north_a_1),
    )
    shown = client.get(f"/admin/pages/{index.pk}/").content.decode()  # where the admin goes next
    assert "同じ地域に同じ名前の掲載があります" in shown
    assert f'<a href="/admin/pages/{existing.pk}/edit/">ひかり 子ども食堂</a>' in shown

    add(
        client,
        ListingPage,
        index,
        listing_fields("べつの食堂", Kind.KODOMO_SHOKUDO, areas.north_a_1),
    )
    assert "同じ名前の掲載" not in client.get(f"/admin/pages/{index.pk}/").content.decode()
