"""A proposal (Submission.data) and listing values: the stored JSON shape, both ways, and what
counts as a change. Proposals stored before the write side moved to listings.editing must
still load and make the same draft."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import timezone

from listings.editing import ListingValues, Then, diff, new_listing, save_listing, values_of
from listings.editing.text import text_to_html
from listings.models import ListingPage
from listings.schedules import Rule
from submissions import proposal, services
from submissions.forms import SubmissionForm
from submissions.models import Submission
from tests.factories import listing_index

from .helpers import valid_post

pytestmark = pytest.mark.django_db

# Submission.data as the form has stored it since submissions began (tests/submissions/
# helpers.valid_post): plain-text description, codes, schedule rows with HH:MM times.
STORED = {
    "kind": "kodomo_shokudo",
    "title": "ひまわり子ども食堂",
    "name_kana": "ヒマワリコドモショクドウ",
    "description": "毎月第2土曜にみんなでごはんを食べます。\n子どもは無料です。",
    "age_groups": ["infant", "elementary"],
    "topics": ["食事", "子育て", "料理教室"],
    "address": "サンプル市みどり町1-2-3 みどり会館",
    "location_area": "north-a-1",
    "service_tier": "elementary",
    "latitude": None,
    "longitude": None,
    "schedule": [
        {
            "frequency": "monthly",
            "weekday": 5,
            "week_of_month": 2,
            "day_of_month": None,
            "date": None,
            "start_time": "11:00",
            "end_time": "13:00",
        }
    ],
    "schedule_note": "8月はお休みです。",
    "fee": "子ども無料、大人300円",
    "booking": "not_required",
    "how_to_join": "直接会場へお越しください。",
    "organiser": "ひまわりの会",
    "phone": "042-555-0101",
    "email": "himawari@example.jp",
    "website": "https://himawari.example.jp/",
    "accessibility": "段差なし",
}
VALUES = ListingValues(
    kind="kodomo_shokudo",
    title="ひまわり子ども食堂",
    name_kana="ヒマワリコドモショクドウ",
    description="<p>毎月第2土曜にみんなでごはんを食べます。<br/>子どもは無料です。</p>",
    age_groups=("infant", "elementary"),
    topics=("食事", "子育て", "料理教室"),
    address="サンプル市みどり町1-2-3 みどり会館",
    location_area="north-a-1",
    service_tier="elementary",
    schedule_rules=(
        Rule("monthly", 5, 2, start_time=datetime.time(11), end_time=datetime.time(13)),
    ),
    schedule_note="8月はお休みです。",
    fee="子ども無料、大人300円",
    booking="not_required",
    how_to_join="直接会場へお越しください。",
    organiser="ひまわりの会",
    phone="042-555-0101",
    email="himawari@example.jp",
    website="https://himawari.example.jp/",
    accessibility="段差なし",
)


def test_the_form_still_stores_the_same_shape(areas):
    form = SubmissionForm(data=valid_post(areas))
    assert form.is_valid(), form.errors
    assert form.proposal() == STORED


def test_a_stored_proposal_reads_as_listing_values_and_back():
    assert proposal.to_values(STORED) == VALUES
    assert proposal.from_values(VALUES) == STORED
    # Coordinates as the form once sent them (empty text) read as none.
    assert proposal.to_values({**STORED, "latitude": "", "longitude": ""}) == VALUES


def test_a_partial_proposal_keeps_the_base_values():
    base = dataclasses.replace(VALUES, fax="000-000-0002")
    values = proposal.to_values({"fee": "無料", "schedule": []}, base)
    assert diff(base, values) == ("schedule_rules", "fee")
    assert values.fax == "000-000-0002"


def test_a_proposal_stored_before_still_makes_its_draft(areas):
    submission = Submission.objects.create(
        reference="OLD-0001",
        data=STORED,
        submitter_name="投稿者",
        submitter_email="old@example.org",
        consented_at=timezone.now(),
    )

    services.sync_draft(submission.pk)

    submission.refresh_from_db()
    assert submission.processing_error == ""
    assert submission.status == Submission.Status.IN_REVIEW
    draft = ListingPage.objects.get(pk=submission.page_id).get_latest_revision_as_object()
    assert diff(values_of(draft), VALUES) == ()
    assert submission.applied_data == STORED


def test_from_listing_is_the_listings_values_in_proposal_form(areas):
    page = new_listing(VALUES, slug="p", external_id="p")
    save_listing(page, then=Then.PUBLISH, parent=listing_index())

    current = proposal.from_listing(ListingPage.objects.get(pk=page.pk))
    assert {**current, "topics": sorted(current["topics"])} == {
        **STORED,
        "topics": sorted(STORED["topics"]),
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "ひまわり食堂"),
        ("description", "毎月みんなでごはん。"),
        ("age_groups", ["infant"]),
        ("topics", ["食事"]),
        ("location_area", "south-a-1"),
        ("latitude", 35.7),
        ("schedule", []),
        ("booking", ""),
    ],
)
def test_changed_fields_names_each_change(field, value):
    assert proposal.changed_fields(STORED, {**STORED, field: value}) == [field]


def test_changed_fields_ignores_what_reads_the_same():
    same = {
        **STORED,
        "description": "毎月第2土曜にみんなでごはんを食べます。  \n子どもは無料です。\n\n",
        "age_groups": ["elementary", "infant"],
        "topics": ["料理教室", "子育て", "食事"],
    }
    assert proposal.changed_fields(STORED, same) == []
    # Only the fields the newer proposal has are compared.
    assert proposal.changed_fields(STORED, {"fee": STORED["fee"], "phone": "0"}) == ["phone"]
    assert text_to_html(STORED["description"]) == VALUES.description
