"""Area pages staff write on: notices, coordinator cards, tier meanings, "find my area"."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from community import selectors
from community.importing import import_area_lookup
from community.models import AreaLookup, AreaNotice, Coordinator, LookupKind
from community.normalize import query_key
from listings.vocabulary import Kind
from tests.factories import make_listing

pytestmark = pytest.mark.django_db


def notice(area, title, *, days_ago=0, until=None, include_subareas=True):
    return AreaNotice.objects.create(
        area=area,
        title=title,
        body="<p>本文</p>",
        shown_from=timezone.localdate() - datetime.timedelta(days=days_ago),
        shown_until=until,
        include_subareas=include_subareas,
    )


def test_notices_show_on_the_area_and_below_only_while_current(areas):
    today = timezone.localdate()
    notice(areas.north, "圏域のお知らせ", days_ago=2)
    notice(areas.north, "圏域だけのお知らせ", include_subareas=False)
    notice(areas.north_a, "地区のお知らせ", days_ago=1)
    notice(areas.north_a, "終わったお知らせ", days_ago=9, until=today - datetime.timedelta(days=1))
    notice(areas.north_a, "これからのお知らせ", days_ago=-3)
    notice(areas.south, "南のお知らせ")

    titles = [n.title for n in selectors.notices_for(areas.north_a)]
    assert titles == ["地区のお知らせ", "圏域のお知らせ"]
    assert [n.title for n in selectors.notices_for(areas.north)] == [
        "圏域だけのお知らせ",
        "圏域のお知らせ",
    ]


def test_area_page_shows_notices_coordinator_card_and_tier_link(client, areas):
    window = make_listing("北部ほっとネットステーション", kind=Kind.WINDOW, area=areas.north_a)
    Coordinator.objects.create(
        name="北部圏域 地域福祉コーディネーター",
        area=areas.north,
        window=window,
        phone="03-0000-1111",
        notify_email="private@example.jp",
    )
    notice(areas.north, "北部のお知らせ")

    response = client.get(reverse("listings:area_detail", args=["north-a-1"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "北部のお知らせ" in html
    assert "北部圏域 地域福祉コーディネーター" in html
    assert f'href="{window.url}"' in html
    assert 'href="tel:0300001111"' in html or "03-0000-1111" in html
    assert "private@example.jp" not in html
    assert reverse("community:network_index") + "#tiers" in html


def test_nearest_coordinators_win(areas):
    Coordinator.objects.create(name="市の担当", area=areas.city)
    Coordinator.objects.create(name="北部の担当", area=areas.north)
    assert [c.name for c in selectors.coordinators_for(areas.north_a_1)] == ["北部の担当"]
    assert [c.name for c in selectors.coordinators_for(areas.south_a)] == ["市の担当"]


def test_an_offline_window_is_not_linked(client, areas):
    window = make_listing("休止中の窓口", kind=Kind.WINDOW, area=areas.north_a)
    window.unpublish()
    Coordinator.objects.create(name="北部の担当", area=areas.north, window=window)
    html = client.get(reverse("listings:area_detail", args=["north"])).content.decode()
    assert "北部の担当" in html
    assert "休止中の窓口" not in html


def test_plain_coordinator_text_is_the_fallback(client, areas):
    areas.south.coordinator = "南部ほっとネット"
    areas.south.save()
    html = client.get(reverse("listings:area_detail", args=["south"])).content.decode()
    assert "南部ほっとネット" in html


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("みどり町１丁目", "みどり町1"),
        ("みどり町一丁目", "みどり町1"),
        ("みどり町1-2-3", "みどり町1"),
        ("みどり町1丁目2番3号", "みどり町1"),
        ("みどり町　1丁目", "みどり町1"),
        ("センター", "センター"),
    ],
)
def test_query_keys(text, key):
    assert query_key(text) == key


def test_find_area_by_town_address_school_and_kana(areas):
    AreaLookup.objects.create(kind=LookupKind.SCHOOL, name="ひかり小学校", area=areas.north_b)
    AreaLookup.objects.create(
        kind=LookupKind.TOWN, name="みどり町3丁目", name_kana="ミドリチョウ", area=areas.north_a
    )

    def found(text):
        return [m.area.code for m in selectors.find_areas(text)]

    assert found("みどり町1-5-3") == ["north-a-1"]  # the area's own name
    assert found("みどり町３丁目４番") == ["north-a"]  # a lookup entry
    assert found("みどり町12") == []  # not 1丁目
    assert found("ひかり小学校") == ["north-b"]
    assert found("ひかり小") == ["north-b"]
    assert "north-a-1" in found("みどり")
    assert found("") == []
    assert found("ミドリチョウ") == ["north-a"]  # by kana


def test_find_area_view(client, areas):
    AreaLookup.objects.create(kind=LookupKind.SCHOOL, name="あおば小学校", area=areas.south_a)
    response = client.get(reverse("community:find_area"), {"q": "あおば小学校"})
    assert response.status_code == 200
    assert reverse("listings:area_detail", args=["south-a"]) in response.content.decode()

    too_long = client.get(reverse("community:find_area"), {"q": "あ" * 101})
    assert too_long.status_code == 400
    assert "町名・住所・学校名" in too_long.content.decode()


LOOKUP_CSV = (
    "種類,名称,名称_カナ,地区コード\n"
    "小学校,ひかり小学校,ヒカリショウガッコウ,north-b\n"
    "町丁目,みどり町3丁目,,north-a\n"
)


def test_lookup_csv_import_is_idempotent(areas):
    first = import_area_lookup(LOOKUP_CSV.encode())
    assert (first.ok, first.created) == (True, 2)
    again = import_area_lookup(LOOKUP_CSV.encode())
    assert (again.created, again.unchanged) == (0, 2)
    moved = import_area_lookup(LOOKUP_CSV.replace("north-b", "north-a").encode())
    assert moved.updated == 1
    assert AreaLookup.objects.get(name="ひかり小学校").area == areas.north_a


def test_lookup_csv_names_line_and_column_and_writes_nothing(areas):
    bad = (
        "種類,名称,名称_カナ,地区コード\n"
        "小学校,ひかり小学校,,north-b\n"
        "学校区分,あおば小学校,,south-a\n"
        "小学校,ひかり小学校,,nowhere\n"
    )
    result = import_area_lookup(bad.encode())
    assert not result.ok
    where = {(e.line, e.column) for e in result.errors}
    assert (3, "種類") in where
    assert (4, "地区コード") in where
    assert (4, "名称") in where  # duplicate of line 2
    assert AreaLookup.objects.count() == 0


def test_area_editors_group_is_least_privilege(client, areas):
    group = Group.objects.get(name="地域ページ担当")
    codes = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("community", "change_areanotice") in codes
    assert ("wagtailadmin", "access_admin") in codes
    assert not {c for c in codes if c[0] in ("listings", "submissions", "wagtailcore")}

    editor = User.objects.create_user("chiiki", password="x-long-password-1")
    editor.groups.add(group)
    client.force_login(editor)
    assert client.get(reverse("wagtailsnippets_community_areanotice:add")).status_code == 200
    area_edit = reverse("wagtailsnippets_listings_area:edit", args=[areas.north.pk])
    assert client.get(area_edit).status_code in (302, 403)
    assert not editor.has_perm("listings.change_area")
