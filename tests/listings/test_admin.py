"""Staff create, edit and publish every page type through the real Wagtail admin views."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from listings.models import Area, ListingIndexPage, ListingPage
from listings.vocabulary import Kind, Tier
from pages.models import HomePage, InformationPage
from tests.factories import listing_index, make_listing

pytestmark = pytest.mark.django_db


def add_url(model, parent: Page) -> str:
    meta = model._meta
    return reverse("wagtailadmin_pages:add", args=(meta.app_label, meta.model_name, parent.pk))


def listing_form(areas, **overrides) -> dict:
    data = {
        "title": "みどりこども食堂",
        "slug": "midori-kodomo",
        "kind": Kind.KODOMO_SHOKUDO,
        "name_kana": "ミドリコドモショクドウ",
        "description": rich_text("<p>毎月みんなでごはん。</p>"),
        "topics": "食事, 学習支援",
        "photos": inline_formset([]),
        "location_area": areas.north_a.pk,
        "service_tier": Tier.JUNIOR_HIGH,
        "address": "サンプル市みどり町1-2-3",
        "latitude": "35.72",
        "longitude": "139.55",
        "organiser": "みどりの会",
        "phone": "000-000-0001",
        "schedule_rules": inline_formset(
            [
                {
                    "frequency": "monthly",
                    "week_of_month": "2",
                    "weekday": "5",
                    "date": "",
                    "start_time": "11:00",
                    "end_time": "13:00",
                }
            ]
        ),
        "holiday_policy": "",
        "booking": "required",
        "fee": "子ども無料",
        "consultation_keywords": "",
        "last_verified": "2026-11-01",
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    form = nested_form_data(data)
    # Multi-valued fields post repeated keys; nested_form_data would flatten a list.
    form["age_groups"] = ["elementary", "everyone"]
    return form


def test_staff_can_create_and_publish_a_listing(admin_client, areas):
    response = admin_client.post(add_url(ListingPage, listing_index()), listing_form(areas))
    assert response.status_code == 302, response.context["form"].errors
    page = ListingPage.objects.get(slug="midori-kodomo")
    assert page.live
    assert page.service_area == areas.north
    assert sorted(page.age_group_codes) == ["elementary", "everyone"]
    assert sorted(t.name for t in page.topics.all()) == ["学習支援", "食事"]
    assert page.schedule_rules.get().week_of_month == 2
    assert page.revisions.count() == 1


@pytest.mark.parametrize("kind", [k for k, _ in Kind.choices])
def test_every_kind_can_be_created(admin_client, areas, kind):
    form = listing_form(areas, kind=kind, slug=f"kind-{kind}".replace("_", "-"))
    response = admin_client.post(add_url(ListingPage, listing_index()), form)
    assert response.status_code == 302
    assert ListingPage.objects.get(kind=kind).live


def test_latitude_out_of_range_is_a_form_error(admin_client, areas):
    response = admin_client.post(
        add_url(ListingPage, listing_index()), listing_form(areas, latitude="123")
    )
    assert response.status_code == 200
    assert "latitude" in response.context["form"].errors
    assert not ListingPage.objects.exists()


def test_end_time_before_start_is_a_form_error(admin_client, areas):
    rules = inline_formset(
        [
            {
                "frequency": "weekly",
                "weekday": "0",
                "week_of_month": "",
                "date": "",
                "start_time": "15:00",
                "end_time": "14:00",
            }
        ]
    )
    response = admin_client.post(
        add_url(ListingPage, listing_index()), listing_form(areas, schedule_rules=rules)
    )
    assert response.status_code == 200
    formset = response.context["form"].formsets["schedule_rules"]
    assert "end_time" in formset.forms[0].errors
    assert not ListingPage.objects.exists()


def test_edit_saves_a_new_revision_and_publishes(admin_client, areas):
    page = make_listing("旧名", area=areas.north_a_1)
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert admin_client.get(url).status_code == 200
    form = listing_form(areas, title="新しい名前", slug=page.slug)
    response = admin_client.post(url, form)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "新しい名前"
    assert page.revisions.count() == 2


def test_draft_save_does_not_change_the_live_page(admin_client, areas):
    page = make_listing("公開中の名前", area=areas.north_a_1)
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    form = listing_form(areas, title="下書きの名前", slug=page.slug)
    del form["action-publish"]
    assert admin_client.post(url, form).status_code == 302
    page.refresh_from_db()
    assert page.title == "公開中の名前"
    assert page.has_unpublished_changes


def test_information_page_with_every_block(admin_client, areas):
    home = HomePage.objects.get()
    target = make_listing("関連する窓口", area=areas.city, kind=Kind.WINDOW)
    form = nested_form_data(
        {
            "title": "地域福祉計画について",
            "slug": "plan",
            "summary": "計画のあらまし",
            "body": streamfield(
                [
                    ("heading", {"text": "基本理念", "level": "h2"}),
                    ("paragraph", rich_text("<p>ともに生きるまちづくり。</p>")),
                    (
                        "callout",
                        {
                            "style": "consult",
                            "title": "困ったら",
                            "body": rich_text("<p>まず相談を。</p>"),
                            "link_page": "",
                            "link_text": "",
                        },
                    ),
                    (
                        "related_listings",
                        {"heading": "関連", "listings": streamfield([("item", target.pk)])},
                    ),
                ]
            ),
            "yasashii_summary": "",
            "yasashii_body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(add_url(InformationPage, home), form)
    assert response.status_code == 302, response.context["form"].errors
    page = InformationPage.objects.get(slug="plan")
    assert page.live
    assert [b.block_type for b in page.body] == [
        "heading",
        "paragraph",
        "callout",
        "related_listings",
    ]


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (HomePage, {"intro": rich_text("<p>ようこそ</p>"), "body": streamfield([])}),
        (ListingIndexPage, {"intro": rich_text("<p>一覧です</p>")}),
    ],
)
def test_home_and_listing_index_edit_and_publish(admin_client, model, fields):
    page = model.objects.get()
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert admin_client.get(url).status_code == 200
    form = nested_form_data(
        {
            "title": f"{page.title}（改）",
            "slug": page.slug,
            **fields,
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(url, form)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title.endswith("（改）")
    assert page.live and not page.has_unpublished_changes


def test_listing_cannot_be_created_under_home(admin_client):
    home = HomePage.objects.get()
    assert not ListingPage.can_create_at(home)
    response = admin_client.get(add_url(ListingPage, home))
    assert response.status_code in (302, 403)  # Wagtail refuses: no editor is shown


class TestAreaSnippet:
    def test_list_and_create(self, admin_client, areas):
        assert admin_client.get(reverse("wagtailsnippets_listings_area:list")).status_code == 200
        response = admin_client.post(
            reverse("wagtailsnippets_listings_area:add"),
            {
                "code": "north-c",
                "tier": Tier.ELEMENTARY,
                "name": "そよかぜ小地区",
                "name_kana": "ソヨカゼショウチク",
                "parent": areas.north.pk,
                "latitude": "",
                "longitude": "",
                "description": "",
                "coordinator": "",
            },
        )
        assert response.status_code == 302
        assert Area.objects.get(code="north-c").path == "/city/north/north-c/"

    def test_wrong_parent_tier_is_a_form_error(self, admin_client, areas):
        response = admin_client.post(
            reverse("wagtailsnippets_listings_area:add"),
            {"code": "bad", "tier": Tier.ELEMENTARY, "name": "x", "parent": areas.city.pk},
        )
        assert response.status_code == 200
        assert "parent" in response.context["form"].errors
