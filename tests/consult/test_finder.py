"""The 困りごと finder, the trouble windows above search results and the never-a-dead-end
fallback (issue 15, items 1, 2 and 4)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from consult.models import FallbackWindow, Trouble, TroubleWindow
from consult.seeds.troubles import TROUBLES
from consult.selectors import trouble_views, troubles_for
from consult.services import seed_troubles
from consult.troubles import match
from listings.vocabulary import Kind, Tier
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def windows(site_tree, areas):
    one_stop = make_listing(
        "福祉丸ごと相談窓口",
        kind=Kind.WINDOW,
        area=areas.north_a,
        service_tier=Tier.CITY,
        phone="000-000-0001",
    )
    north = make_listing(
        "北部地域包括支援センター",
        kind=Kind.WINDOW,
        area=areas.north_a,
        service_tier=Tier.JUNIOR_HIGH,
        phone="000-000-0002",
    )
    south = make_listing(
        "南部地域包括支援センター",
        kind=Kind.WINDOW,
        area=areas.south_a,
        service_tier=Tier.JUNIOR_HIGH,
        phone="000-000-0003",
    )
    hotnet_south = make_listing(
        "南部ほっとネット",
        kind=Kind.WINDOW,
        area=areas.south_a,
        service_tier=Tier.JUNIOR_HIGH,
        phone="000-000-0004",
    )
    FallbackWindow.objects.create(listing=one_stop, role=FallbackWindow.Role.ONE_STOP)
    FallbackWindow.objects.create(listing=hotnet_south, role=FallbackWindow.Role.LOCAL)
    dementia = Trouble.objects.create(
        slug="dementia",
        name="物忘れ・認知症",
        group=Trouble.Group.CARE,
        triggers="認知症\n物忘れ\n同じこと＋聞く／言う",
    )
    TroubleWindow.objects.create(trouble=dementia, listing=south, sort_order=0)
    TroubleWindow.objects.create(trouble=dementia, listing=north, sort_order=1)
    cache.clear()
    return {"one_stop": one_stop, "north": north, "south": south, "hotnet": hotnet_south}


def test_the_default_list_matches_residents_words():
    seed_troubles(TROUBLES)
    views = trouble_views()
    assert len(views) == len(TROUBLES)
    assert match("母の物忘れがひどい", views)[0].trouble.slug == "dementia"
    assert match("やちんがはらえない", views)[0].trouble.slug == "living-costs"
    assert match("朝起きられなくて学校に行けない", views)[0].trouble.slug == "school"
    assert match("きょうはいい天気", views) == []


def test_search_shows_the_windows_for_the_trouble_above_the_results(client, windows):
    html = client.get("/search/", {"q": "父が同じことを何度も聞いてくる"}).content.decode()
    assert 'id="consult-troubles"' in html
    section = html[html.index('id="consult-troubles"') : html.index('id="results-heading"')]
    assert section.index("南部地域包括支援センター") < section.index("北部地域包括支援センター")
    assert 'href="tel:0000000003"' in section


def test_the_residents_own_area_comes_first(client, windows):
    html = client.get("/search/", {"q": "認知症", "area": "north-a"}).content.decode()
    section = html[html.index('id="consult-troubles"') :]
    assert section.index("北部地域包括支援センター") < section.index("南部地域包括支援センター")


def test_no_result_offers_the_one_stop_and_local_window_with_a_phone(client, windows):
    html = client.get("/search/", {"q": "ぜんぜんないことば"}).content.decode()
    assert 'id="consult-fallback"' in html
    fallback = html[html.index('id="consult-fallback"') :]
    assert "福祉丸ごと相談窓口" in fallback and "南部ほっとネット" in fallback
    assert 'href="tel:0000000001"' in fallback


def test_the_local_fallback_serves_the_chosen_area(client, windows):
    other = make_listing(
        "北部ほっとネット",
        kind=Kind.WINDOW,
        area=windows["north"].location_area,
        service_tier=Tier.JUNIOR_HIGH,
    )
    FallbackWindow.objects.create(listing=other, role=FallbackWindow.Role.LOCAL)
    html = client.get("/search/", {"q": "ぜんぜんないことば", "area": "north-a"}).content.decode()
    fallback = html[html.index('id="consult-fallback"') :]
    assert "北部ほっとネット" in fallback and "南部ほっとネット" not in fallback


def test_finder_lists_troubles_by_group_and_offers_the_fallback(client, windows):
    response = client.get("/consult/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "介護・高齢" in html and "/consult/dementia/" in html
    assert 'id="consult-fallback"' in html


def test_trouble_page_lists_local_windows_first_and_leaves_out_other_areas(client, windows):
    html = client.get("/consult/dementia/", {"area": "north-a"}).content.decode()
    windows_html = html[html.index('id="windows-heading"') : html.index('id="consult-fallback"')]
    assert "北部地域包括支援センター" in windows_html
    assert "南部地域包括支援センター" not in windows_html
    everyone = client.get("/consult/dementia/").content.decode()
    assert "南部地域包括支援センター" in everyone and "北部地域包括支援センター" in everyone


def test_trouble_page_bad_input(client, windows):
    assert client.get("/consult/no-such-trouble/").status_code == 404
    assert client.get("/consult/dementia/", {"area": "x" * 500}).status_code == 200


def test_home_and_menu_start_from_the_finder(client, windows):
    html = client.get("/").content.decode()
    assert html.count('href="/consult/"') >= 2  # the menu and the home page's section


def test_staff_edits_to_troubles_show_at_once(windows):
    assert not troubles_for("ゆうびんがこない")
    trouble = Trouble.objects.get(slug="dementia")
    trouble.triggers += "\nゆうびん"
    trouble.save()
    assert [m.trouble.slug for m in troubles_for("ゆうびんがこない")] == ["dementia"]


def test_window_page_shows_access_and_related_windows(client, windows):
    from consult.models import WindowProfile

    profile = WindowProfile.objects.create(
        listing=windows["one_stop"], access=["sign_language", "writing"], languages="英語"
    )
    profile.related.set([windows["hotnet"]])
    profile.save()  # a ParentalManyToManyField is written on save
    html = client.get(windows["one_stop"].url).content.decode()
    assert "こちらにもつなぎます" in html and "南部ほっとネット" in html
    assert "手話" in html and "筆談" in html and "英語" in html


def test_trouble_page_filters_windows_by_access(client, windows):
    from consult.models import WindowProfile

    WindowProfile.objects.create(listing=windows["north"], access=["outreach"])
    html = client.get("/consult/dementia/", {"access": "outreach"}).content.decode()
    listed = html[html.index('id="windows-heading"') : html.index('id="consult-fallback"')]
    assert "北部地域包括支援センター" in listed and "南部地域包括支援センター" not in listed
    assert client.get("/consult/dementia/", {"access": "nonsense"}).status_code == 200


def test_crisis_block_names_the_local_window_with_its_phone(client, windows):
    from consult.services import seed_crisis_defaults

    seed_crisis_defaults()
    cache.clear()
    html = client.get("/search/", {"q": "死にたい"}).content.decode()
    block = html[html.index('id="crisis"') : html.index('id="results-heading"')]
    assert "福祉丸ごと相談窓口" in block and 'href="tel:0000000001"' in block


def test_information_pages_are_a_separate_section_of_results(client, windows, city):
    page = city.information_page(window=windows["one_stop"], related=[])
    html = client.get("/search/", {"q": "地域福祉計画"}).content.decode()
    assert 'id="search-info"' in html
    section = html[html.index('id="search-info"') :]
    assert page.title in section and f'href="{page.url}"' in section
    # Words in the body count too; words in no page leave the section out.
    assert 'id="search-info"' in client.get("/search/", {"q": "相談窓口"}).content.decode()
    assert 'id="search-info"' not in client.get("/search/", {"q": "ぜんぜん"}).content.decode()
