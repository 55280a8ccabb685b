"""The write side of a listing (listings.editing): values_of, diff, apply, save_listing.

Every editable field makes the round trip values → page → database (and revision) → values;
``diff`` sees a change in every field and nothing else; and a listing made by staff in the
admin, by a CSV import and by a community submission reads back as the same values.
"""

from __future__ import annotations

import dataclasses
import datetime
import random

import pytest
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from listings.editing import (
    FIELD_NAMES,
    ListingValues,
    References,
    Then,
    apply,
    diff,
    new_listing,
    save_listing,
    values_of,
)
from listings.editing.text import html_to_text, normalize_text, text_to_html
from listings.importers.contract import LISTING_COLUMNS, import_listings
from listings.models import ListingPage
from listings.schedules import Rule
from submissions.forms import SubmissionForm
from submissions.models import Submission
from submissions.services import create_submission
from tests.factories import listing_index
from tests.submissions.helpers import valid_post

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time

# Every field set to something other than a new page's value.
FULL = ListingValues(
    title="みどりこども食堂",
    name_kana="ミドリコドモショクドウ",
    kind="kodomo_shokudo",
    description=text_to_html("毎月みんなでごはん。\nだれでも来てね。\n\n<b>タグ</b>も文字です。"),
    description_yasashii="毎月、みんなで ごはんを 食べます。\nだれでも 来てください。",
    age_groups=("elementary", "teen", "everyone"),
    topics=("学習支援", "食事"),
    location_area="north-a-1",
    service_tier="junior_high",
    address="サンプル市みどり町1-2-3",
    latitude=35.72,
    longitude=139.55,
    school_district="みどり小;ひかり小",
    organiser="みどりの会",
    phone="000-000-0001",
    fax="000-000-0002",
    email="midori@example.jp",
    website="https://example.jp/midori",
    accessibility="段差なし\n車いす用トイレあり",
    schedule_rules=(
        Rule("monthly", 5, 2, start_time=T(11, 30), end_time=T(14)),
        Rule("monthly", 4, -1),
        Rule("weekly", 2, start_time=T(9, 0, 30)),
        Rule("monthday", day_of_month=12),
        Rule("date", date=D(2026, 12, 5), start_time=T(10), end_time=T(12)),
    ),
    holiday_policy="closed",
    schedule_note="8月はお休み",
    schedule_text="開催頻度：月1回\n開催日：第２土曜日",
    fee="子ども無料、大人300円",
    booking="required",
    how_to_join="電話で予約してください。",
    capacity="30人",
    last_verified=D(2026, 4, 1),
    consultation_keywords=("お金", "家賃"),
    contact_methods=("visit", "phone"),
    source_municipality="西東京市",
    source_dataset="子ども食堂一覧",
    source_license="クリエイティブ・コモンズ 表示 4.0 国際",
    source_url="https://example.jp/opendata/kodomo.csv",
    source_date=D(2025, 4, 1),
)
# For each field, a value that reads differently from FULL's.
OTHER = {
    "title": "ひかり食堂",
    "name_kana": "ヒカリショクドウ",
    "kind": "ibasho",
    "description": "<p>だれでも来てね。</p>",
    "description_yasashii": "だれでも 来てください。",
    "age_groups": ("elementary", "teen"),
    "topics": ("食事",),
    "location_area": "south-a-1",
    "service_tier": "city",
    "address": "サンプル市あおば町2-1",
    "latitude": 35.73,
    "longitude": 139.56,
    "school_district": "みどり小",
    "organiser": "ひかりの会",
    "phone": "000-000-0009",
    "fax": "",
    "email": "hikari@example.jp",
    "website": "https://example.jp/hikari",
    "accessibility": "段差なし",
    "schedule_rules": (Rule("monthly", 5, 4, start_time=T(11, 30), end_time=T(14)),),
    "holiday_policy": "open",
    "schedule_note": "雨天中止",
    "schedule_text": "開催頻度：月2回",
    "fee": "無料",
    "booking": "not_required",
    "how_to_join": "直接お越しください。",
    "capacity": "20人",
    "last_verified": D(2026, 5, 1),
    "consultation_keywords": ("お金",),
    "contact_methods": ("visit",),
    "source_municipality": "小金井市",
    "source_dataset": "こども食堂",
    "source_license": "CC BY 4.0",
    "source_url": "https://example.jp/other.csv",
    "source_date": D(2025, 6, 1),
}


def create(values: ListingValues, slug: str = "full") -> ListingPage:
    page = new_listing(values, slug=slug, external_id=slug)
    save_listing(page, then=Then.PUBLISH, parent=listing_index())
    return ListingPage.objects.get(pk=page.pk)


def without_topic_order(values: ListingValues) -> ListingValues:
    # The database returns tags in no set order; topics are a set (diff compares them so).
    return dataclasses.replace(values, topics=tuple(sorted(values.topics)))


# --- the fields ----------------------------------------------------------------------------------


# Page settings of every Wagtail page, not the listing's content.
PAGE_SETTINGS = {
    "slug",
    "seo_title",
    "search_description",
    "show_in_menus",
    "go_live_at",
    "expire_at",
    "comment_notifications",
    "wagtail_admin_comments",
}
SOURCE_FIELDS = {
    "source_municipality",
    "source_dataset",
    "source_license",
    "source_url",
    "source_date",
}


def test_listing_values_hold_every_field_staff_edit_and_imports_write():
    options = ListingPage.get_edit_handler().get_form_options()
    edited = (set(options["fields"]) | set(options["formsets"])) - PAGE_SETTINGS
    # The ID is the page's identity (imports match on it); photos are Wagtail images.
    assert edited - set(FIELD_NAMES) == {"external_id", "photos"}
    # Open-data attribution has no panel: imports write it, staff should not remove it.
    assert set(FIELD_NAMES) - edited == SOURCE_FIELDS
    stored = {
        f.name
        for f in ListingPage._meta.get_fields()
        if f.model is ListingPage and f.concrete and not f.auto_created
    }
    assert stored - set(FIELD_NAMES) == {"external_id", "service_area"}  # service_area: derived
    assert set(OTHER) == set(FIELD_NAMES)


def test_a_new_page_reads_as_the_default_values():
    assert values_of(ListingPage()) == ListingValues()


def test_every_field_makes_the_round_trip_through_the_database_and_a_revision(areas):
    page = create(FULL)

    assert without_topic_order(values_of(page)) == without_topic_order(FULL)
    assert diff(values_of(page), FULL) == ()
    revision = page.get_latest_revision_as_object()
    assert without_topic_order(values_of(revision)) == without_topic_order(FULL)
    assert page.live and page.service_area == areas.north


def test_apply_onto_an_existing_page_writes_only_the_given_fields(areas):
    page = create(FULL)
    changed = ListingValues(**{**dataclasses.asdict(FULL), **OTHER})

    draft = page.get_latest_revision_as_object()
    apply(draft, changed, ["fee", "schedule_rules", "location_area"])
    save_listing(draft, then=Then.PUBLISH)

    after = values_of(ListingPage.objects.get(pk=page.pk))
    assert diff(FULL, after) == ("location_area", "schedule_rules", "fee")
    assert (after.fee, after.schedule_rules, after.location_area) == (
        OTHER["fee"],
        OTHER["schedule_rules"],
        OTHER["location_area"],
    )


def test_apply_refuses_unknown_field_names():
    with pytest.raises(ValueError, match="slug"):
        apply(ListingPage(), FULL, ["title", "slug"])


# --- diff --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_diff_sees_a_change_in_every_field(name):
    changed = dataclasses.replace(FULL, **{name: OTHER[name]})
    assert diff(FULL, changed) == (name,)
    assert diff(FULL, changed, fields=[f for f in FIELD_NAMES if f != name]) == ()


def test_diff_ignores_what_does_not_read_differently():
    same = dataclasses.replace(
        FULL,
        # Staff's markup in the description (the admin writes block keys and bold text).
        description=(
            '<p data-block-key="a1">毎月みんなでごはん。<br/>だれでも<b>来てね</b>。</p>'
            '<p data-block-key="b2">&lt;b&gt;タグ&lt;/b&gt;も文字です。</p>'
        ),
        age_groups=("everyone", "teen", "elementary"),
        topics=("食事", "学習支援"),
        accessibility="段差なし  \n車いす用トイレあり\n\n\n",
    )
    assert diff(FULL, same) == ()


def test_text_and_html_round_trip():
    # Any text reads back as its normalised self through rich text (seeded, so repeatable).
    pieces = ["a", "あ", " ", "\u3000", "\n", "\r\n", "\t", "<", ">", "&", "&amp;", '"', "<p>"]
    rnd = random.Random(20261)
    for _ in range(5000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(12)))
        assert html_to_text(text_to_html(text)) == normalize_text(text), repr(text)
    assert text_to_html("a <b>\n\nb & c") == "<p>a &lt;b&gt;</p><p>b &amp; c</p>"


# --- saving ------------------------------------------------------------------------------------


def test_publishing_a_live_page_or_keeping_an_offline_one_a_draft(areas):
    page = create(FULL)
    live = ListingPage.objects.get(pk=page.pk)
    apply(live, dataclasses.replace(FULL, fee="無料"), ["fee"])
    saved = save_listing(live, then=Then.PUBLISH)
    assert ListingPage.objects.get(pk=page.pk).fee == "無料"
    assert saved.workflow_state is None

    live.unpublish()
    offline = ListingPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    apply(offline, dataclasses.replace(FULL, fee="100円"), ["fee"])
    save_listing(offline, then=Then.PUBLISH)
    stored = ListingPage.objects.get(pk=page.pk)
    assert not stored.live and stored.fee == "無料"
    assert stored.get_latest_revision_as_object().fee == "100円"


def test_review_starts_the_workflow_and_never_publishes(areas, django_user_model):
    user = django_user_model.objects.create_user("reviewer-test")
    page = new_listing(FULL, slug="draft", external_id="draft", owner=user)

    saved = save_listing(page, then=Then.REVIEW, user=user, parent=listing_index())

    stored = ListingPage.objects.get(pk=page.pk)
    assert not stored.live
    assert saved.workflow_state is not None and saved.workflow_state.status == "in_progress"
    assert saved.revision.user == user
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1
    assert diff(values_of(stored.get_latest_revision_as_object()), FULL) == ()


def test_references_fetch_each_area_once(areas, django_assert_num_queries):
    references = References()
    with django_assert_num_queries(2):
        assert references.area("north").name == "北部圏域"
        assert references.area("north") is references.area("north")
        assert [g.code for g in references.age_groups(["teen", "nobody", "infant"])] == [
            "teen",
            "infant",
        ]


# --- one listing, three ways in ------------------------------------------------------------------

# What a group types in the public form (tests/submissions/helpers.valid_post), also entered by
# staff in the admin and given as a CSV row: every way in must store the same listing.
DESCRIPTION = "毎月第2土曜にみんなでごはんを食べます。\n子どもは無料です。"


def by_submission(areas, django_capture_on_commit_callbacks) -> ListingPage:
    form = SubmissionForm(data=valid_post(areas, how_to_join=""))
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        submission, _token = create_submission(data=form.proposal(), submitter=form.submitter())
    submission = Submission.objects.get(pk=submission.pk)
    assert not submission.processing_error
    return ListingPage.objects.get(pk=submission.page_id).get_latest_revision_as_object()


def by_import(areas) -> ListingPage:
    cells = {
        "ID": "T-1",
        "区分": "子ども食堂",
        "名称": "ひまわり子ども食堂",
        "名称_カナ": "ヒマワリコドモショクドウ",
        "説明": DESCRIPTION,
        "対象者": "小学生;乳幼児と保護者",
        "テーマ": "食事;子育て;料理教室",
        "地区コード": areas.north_a_1.code,
        "対象範囲": "elementary",
        "所在地_連結表記": "サンプル市みどり町1-2-3 みどり会館",
        "電話番号": "042-555-0101",
        "メールアドレス": "himawari@example.jp",
        "URL": "https://himawari.example.jp/",
        "団体名": "ひまわりの会",
        "利用可能曜日": "第2土",
        "開始時間": "11:00",
        "終了時間": "13:00",
        "利用可能日時特記事項": "8月はお休みです。",
        "料金": "子ども無料、大人300円",
        "予約": "不要",
        "バリアフリー情報": "段差なし",
    }
    header = ",".join(LISTING_COLUMNS)
    row = ",".join(f'"{cells.get(column, "")}"' for column in LISTING_COLUMNS)
    result = import_listings(f"{header}\n{row}\n".encode())
    assert result.ok, result.errors
    return ListingPage.objects.get(external_id="T-1")


def by_admin(admin_client, areas) -> ListingPage:
    data = nested_form_data(
        {
            "title": "ひまわり子ども食堂",
            "slug": "himawari",
            "kind": "kodomo_shokudo",
            "name_kana": "ヒマワリコドモショクドウ",
            "description": rich_text(
                "<p>毎月第2土曜にみんなでごはんを食べます。<br/>子どもは無料です。</p>"
            ),
            "topics": "食事, 子育て, 料理教室",
            "photos": inline_formset([]),
            "location_area": areas.north_a_1.pk,
            "service_tier": "elementary",
            "address": "サンプル市みどり町1-2-3 みどり会館",
            "organiser": "ひまわりの会",
            "phone": "042-555-0101",
            "email": "himawari@example.jp",
            "website": "https://himawari.example.jp/",
            "schedule_rules": inline_formset(
                [
                    {
                        "frequency": "monthly",
                        "week_of_month": "2",
                        "weekday": "5",
                        "start_time": "11:00",
                        "end_time": "13:00",
                    }
                ]
            ),
            "schedule_note": "8月はお休みです。",
            "fee": "子ども無料、大人300円",
            "booking": "not_required",
            "accessibility": "段差なし",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    data["age_groups"] = ["infant", "elementary"]
    url = reverse("wagtailadmin_pages:add", args=("listings", "listingpage", listing_index().pk))
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return ListingPage.objects.get(slug="himawari")


def test_admin_import_and_submission_store_the_same_values(
    admin_client, areas, django_capture_on_commit_callbacks
):
    submitted = values_of(by_submission(areas, django_capture_on_commit_callbacks))
    imported = values_of(by_import(areas))
    entered = values_of(by_admin(admin_client, areas))

    assert diff(entered, imported) == ()
    assert diff(entered, submitted) == ()
    # Not only equal as compared: the same plain values, markup aside.
    for values in (imported, submitted):
        assert without_topic_order(values) == without_topic_order(
            dataclasses.replace(entered, description=values.description)
        )
    assert html_to_text(entered.description) == DESCRIPTION
    assert imported.description == submitted.description == text_to_html(DESCRIPTION)
