"""The whole flow: a submission becomes a draft in the workflow (nothing live), staff approve
(published and indexed) or ask for changes / decline (the submitter is told, with the message),
and a suggested change leaves the live listing untouched until it is approved."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry, WorkflowState

from listings.models import ListingPage
from search.contract import SearchParams
from search.engines import get_engine
from submissions import services
from submissions.models import Submission, SubmissionMessage
from tests.factories import make_listing, weekly

from .helpers import SUBMITTER_EMAIL, URL, valid_post

pytestmark = pytest.mark.django_db

STATUS_LINK = re.compile(r"http://testserver(/submit/status/[A-Z0-9-]+/[A-Za-z0-9_-]+/)")


def submit(client, data, capture) -> tuple:
    with capture(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response, Submission.objects.latest("created_at")


def search_ids(q: str) -> list[int]:
    return [hit.listing_id for hit in get_engine().search(SearchParams(q=q)).hits]


def approve_in_admin(client, page: ListingPage, comment: str = "") -> None:
    state = page.current_workflow_state
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": comment})
    assert response.status_code == 302


def request_changes_in_admin(client, page: ListingPage, comment: str) -> None:
    task_state = page.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    response = client.post(url, {"comment": comment})
    assert response.status_code == 302


def to_submitter() -> list:
    """Mail to the submitter (Wagtail also mails the moderators about its workflow)."""
    return [m for m in mail.outbox if m.to == [SUBMITTER_EMAIL]]


def status_links(message) -> list[str]:
    return STATUS_LINK.findall(message.body)


def test_valid_submission_becomes_a_draft_in_the_workflow_and_nothing_is_live(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    response, submission = submit(client, valid_post(areas), django_capture_on_commit_callbacks)

    assert response["Location"].startswith(f"/submit/status/{submission.reference}/")
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.processing_error == ""
    page = ListingPage.objects.get(pk=submission.page_id)
    assert not page.live
    assert page.title == "ひまわり子ども食堂"
    draft = page.get_latest_revision_as_object()
    assert draft.name_kana == "ヒマワリコドモショクドウ"
    assert (
        draft.description == "<p>毎月第2土曜にみんなでごはんを食べます。<br/>子どもは無料です。</p>"
    )
    assert sorted(a.code for a in draft.age_groups.all()) == ["elementary", "infant"]
    assert sorted(t.name for t in draft.topics.all()) == ["子育て", "料理教室", "食事"]
    assert [str(rule) for rule in draft.schedule_rules.all()] == ["毎月 第2 土曜 11:00〜13:00"]
    assert draft.location_area == areas.north_a_1
    assert draft.service_tier == "elementary"

    state = page.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Moderators approval"
    assert state.requested_by.username == services.SYSTEM_USERNAME
    assert not state.requested_by.is_active
    assert submission.revision_id == page.latest_revision_id

    # Nothing public: the page, the index, the API, the search.
    assert client.get(page.url_path.removeprefix("/home")).status_code == 404
    assert "ひまわり子ども食堂" not in client.get("/listings/").content.decode()
    api = client.get("/api/v1/listings/", {"q": "ひまわり"}).json()
    assert api["count"] == 0
    assert search_ids("ひまわり") == []

    # Mail: a confirmation with a working status link, and a notice to the moderators.
    ours = [m for m in mail.outbox if submission.reference in m.subject or "投稿" in m.subject]
    confirmation, notice = ours
    assert confirmation.to == [SUBMITTER_EMAIL]
    assert submission.reference in confirmation.subject
    (link,) = status_links(confirmation)
    assert client.get(link).status_code == 200
    assert notice.to == [moderator.email]
    assert f"/admin/submissions/inspect/{submission.pk}/" in notice.body
    assert all(e.status == "sent" for e in submission.emails.all())


def test_approval_in_the_wagtail_admin_publishes_and_indexes(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    _, submission = submit(client, valid_post(areas), django_capture_on_commit_callbacks)
    page = ListingPage.objects.get(pk=submission.page_id)
    mail.outbox.clear()

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        approve_in_admin(client, page)

    page.refresh_from_db()
    assert page.live
    assert search_ids("ひまわり") == [page.pk]
    assert search_ids("ヒマワリコドモショクドウ") == [page.pk]
    api = client.get("/api/v1/listings/", {"q": "ひまわり"}).json()
    assert [r["id"] for r in api["results"]] == [page.pk]
    client.logout()
    assert client.get(page.url).status_code == 200

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.decided_by == moderator
    (approved,) = to_submitter()
    assert "掲載しました" in approved.subject
    assert page.url in approved.body

    # Audit: Wagtail's page history says who approved; the submission's own log too.
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.workflow.approve", user=moderator
    ).exists()
    actions = list(
        log_registry.get_logs_for_instance(submission).values_list("action", "user__username")
    )
    assert ("submissions.approve", "moderator") in actions
    assert ("submissions.receive", None) in actions
    assert ("submissions.draft", None) in actions


def test_approval_through_the_workflow_api_as_a_moderator(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    _, submission = submit(client, valid_post(areas), django_capture_on_commit_callbacks)
    page = ListingPage.objects.get(pk=submission.page_id)
    task_state = page.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, moderator, "approve")
    page.refresh_from_db()
    assert page.live
    assert search_ids("ひまわり") == [page.pk]
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.APPROVED


def test_request_changes_notifies_the_submitter_with_the_message_and_an_update_resumes(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    _, submission = submit(client, valid_post(areas), django_capture_on_commit_callbacks)
    page = ListingPage.objects.get(pk=submission.page_id)
    mail.outbox.clear()

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        request_changes_in_admin(client, page, "開催場所の住所を番地まで教えてください。")
    client.logout()

    submission.refresh_from_db()
    assert submission.status == Submission.Status.NEEDS_CHANGES
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    (notice,) = to_submitter()
    assert "開催場所の住所を番地まで教えてください。" in notice.body
    (link,) = status_links(notice)
    status_page = client.get(link).content.decode()
    assert "開催場所の住所を番地まで教えてください。" in status_page
    assert "修正をお願いしています" in status_page

    # The submitter sends an update: a new draft revision, the same workflow resumes.
    update_url = link + "update/"
    form = client.get(update_url)
    assert form.status_code == 200
    assert "ひまわり子ども食堂" in form.content.decode()
    data = valid_post(areas, address="サンプル市みどり町1-2-3 みどり会館2階")
    for name in ("submitter_name", "submitter_email", "submitter_phone", "consent"):
        data.pop(name)
    data["note_to_staff"] = "番地を書きました。"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(update_url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=update")

    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW
    page.refresh_from_db()
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.get_latest_revision_as_object().address.endswith("2階")
    assert not page.live
    assert SubmissionMessage.objects.filter(submission=submission, body="番地を書きました。")

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        approve_in_admin(client, page)
    page.refresh_from_db()
    assert page.live and page.address.endswith("2階")


def test_staff_decline_notifies_the_submitter_and_nothing_goes_live(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    _, submission = submit(client, valid_post(areas), django_capture_on_commit_callbacks)
    page = ListingPage.objects.get(pk=submission.page_id)
    mail.outbox.clear()

    client.force_login(moderator)
    url = reverse("community_submissions:decline", args=[submission.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "市外の活動のため、掲載できません。"})
    assert response.status_code == 302

    submission.refresh_from_db()
    assert submission.status == Submission.Status.REJECTED
    assert submission.decided_by == moderator
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state is None
    (notice,) = to_submitter()
    assert "市外の活動のため、掲載できません。" in notice.body
    assert search_ids("ひまわり") == []


@pytest.fixture
def live_listing(areas):
    return make_listing(
        "みどり子ども食堂",
        kind="kodomo_shokudo",
        area=areas.north_a,
        ages=("elementary",),
        topics=("食事",),
        rules=(weekly(5, "11:00", "13:00"),),
        name_kana="ミドリコドモショクドウ",
        description="<p>毎週<b>土曜</b>のお昼ごはん。</p>",
        fee="無料",
        phone="042-000-0000",
        address="みどり町2-2",
    )


def change_post(client, listing) -> dict:
    """The suggested-change form as prefilled for ``listing`` (what a browser would send)."""
    response = client.get(reverse("submissions:change", args=[listing.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name.startswith("photo_") and not name.endswith("_caption"):
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    schedule = form.schedule
    management = schedule.management_form
    data.update({management.add_prefix(k): str(v) for k, v in management.initial.items()})
    for row in schedule.forms:
        for name in row.fields:
            value = row[name].value()
            data[row.add_prefix(name)] = "" if value is None else str(value)
    return data


def test_suggested_change_leaves_the_live_page_untouched_until_approved(
    client, areas, moderator, live_listing, django_capture_on_commit_callbacks
):
    data = change_post(client, live_listing)
    assert data["title"] == "みどり子ども食堂"
    assert data["description"] == "毎週土曜のお昼ごはん。"
    assert data["schedule-0-frequency"] == "weekly"
    data.update(
        fee="子ども無料、大人300円",
        submitter_name="変更太郎",
        submitter_email="taro-private@example.org",
        consent="on",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("submissions:change", args=[live_listing.pk]), data)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.kind == Submission.Kind.CHANGE
    assert submission.target_id == live_listing.pk == submission.page_id

    live = ListingPage.objects.get(pk=live_listing.pk)
    assert live.live and live.fee == "無料"
    assert client.get(live.url).content.decode().count("子ども無料、大人300円") == 0
    draft = live.get_latest_revision_as_object()
    assert draft.fee == "子ども無料、大人300円"
    # Untouched fields keep their rich text and rules exactly.
    assert draft.description == "<p>毎週<b>土曜</b>のお昼ごはん。</p>"
    assert [str(r) for r in draft.schedule_rules.all()] == ["毎週 土曜 11:00〜13:00"]
    assert live.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    # Staff see exactly what changes against the live page.
    client.force_login(moderator)
    inspect = client.get(reverse("community_submissions:inspect", args=[submission.pk]))
    assert [(c.label, c.current, c.proposed) for c in inspect.context["changes"]] == [
        ("参加費", "無料", "子ども無料、大人300円")
    ]
    compare = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[live.pk, "live", "latest"])
    )
    assert compare.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        approve_in_admin(client, live)
    live.refresh_from_db()
    assert live.fee == "子ども無料、大人300円"
    assert live.description == "<p>毎週<b>土曜</b>のお昼ごはん。</p>"
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED


def test_declined_change_puts_the_listing_draft_back_to_the_live_content(
    client, areas, moderator, live_listing, django_capture_on_commit_callbacks
):
    data = change_post(client, live_listing)
    data.update(
        fee="1000円", submitter_name="変更太郎", submitter_email="t@example.org", consent="on"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("submissions:change", args=[live_listing.pk]), data)
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(submission, moderator, "根拠が確認できませんでした。")
    live = ListingPage.objects.get(pk=live_listing.pk)
    assert live.fee == "無料"
    assert not live.has_unpublished_changes
    assert live.get_latest_revision_as_object().fee == "無料"
    assert live.current_workflow_state is None


def test_a_second_change_waits_until_the_first_review_ends(
    client, areas, moderator, live_listing, django_capture_on_commit_callbacks
):
    first = change_post(client, live_listing)
    first.update(fee="100円", submitter_name="一", submitter_email="1@example.org", consent="on")
    second = change_post(client, live_listing)
    second.update(
        phone="042-111-1111", submitter_name="二", submitter_email="2@example.org", consent="on"
    )
    url = reverse("submissions:change", args=[live_listing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, second)
    one, two = Submission.objects.order_by("created_at", "pk")
    assert one.status == Submission.Status.IN_REVIEW
    assert two.status == Submission.Status.RECEIVED and two.revision_id is None

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        approve_in_admin(client, ListingPage.objects.get(pk=live_listing.pk))
    two.refresh_from_db()
    assert two.status == Submission.Status.IN_REVIEW
    live = ListingPage.objects.get(pk=live_listing.pk)
    assert live.fee == "100円" and live.phone == "042-000-0000"
    draft = live.get_latest_revision_as_object()
    # The second proposal was made against the first one's published result.
    assert draft.phone == "042-111-1111" and draft.fee == "100円"


def test_change_link_only_for_public_listings(client, areas):
    draft = make_listing("下書きの居場所", area=areas.north_a, publish=False)
    assert client.get(reverse("submissions:change", args=[draft.pk])).status_code == 404
    assert client.get(reverse("submissions:change", args=[999999])).status_code == 404
