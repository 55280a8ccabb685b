"""Staff side: the queue, the review page, Wagtail's own dashboard and workflow report, and the
audit history (who approved or declined what, and when)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from listings.models import ListingPage
from submissions import services
from submissions.models import Submission

from .helpers import SUBMITTER_EMAIL, SUBMITTER_NAME, URL, valid_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(client, areas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_post(areas))
    return Submission.objects.get()


def test_the_queue_lists_submissions_with_their_status(client, moderator, submission):
    client.force_login(moderator)
    response = client.get("/admin/submissions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert submission.reference in html
    assert "ひまわり子ども食堂" in html
    assert "確認中です" in html
    assert f"/admin/submissions/inspect/{submission.pk}/" in html
    filtered = client.get("/admin/submissions/", {"status": "approved"}).content.decode()
    assert submission.reference not in filtered
    # Submissions only come from the public form.
    assert client.get("/admin/submissions/new/").status_code == 302
    edit = client.get(f"/admin/submissions/edit/{submission.pk}/")
    assert edit["Location"].endswith(f"/admin/submissions/inspect/{submission.pk}/")


def test_the_review_page_shows_everything_staff_need(client, moderator, submission):
    client.force_login(moderator)
    response = client.get(f"/admin/submissions/inspect/{submission.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert SUBMITTER_NAME in html and SUBMITTER_EMAIL in html  # staff only
    assert "毎月 第2 土曜 11:00〜13:00" in html
    assert reverse("wagtailadmin_pages:edit", args=[submission.page_id]) in html
    assert reverse("wagtailadmin_pages:workflow_history", args=[submission.page_id]) in html
    assert "よろしくお願いします。" in html  # the note to staff, in the thread
    assert "掲載を見送る" in html


def test_wagtail_dashboard_and_workflow_report_show_the_draft(client, moderator, submission):
    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    assert "ひまわり子ども食堂" in dashboard
    report = client.get(reverse("wagtailadmin_reports:workflow")).content.decode()
    assert "ひまわり子ども食堂" in report


def test_people_without_the_permission_cannot_see_the_queue(client, django_user_model, submission):
    editor = django_user_model.objects.create_user(username="editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/submissions/").status_code in (302, 403)
    inspect = client.get(f"/admin/submissions/inspect/{submission.pk}/")
    assert inspect.status_code in (302, 403)
    response = client.post(f"/admin/submissions/decline/{submission.pk}/", {"body": "x"})
    assert response.status_code in (302, 403)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW
    client.logout()
    assert client.get(f"/admin/submissions/inspect/{submission.pk}/").status_code == 302


def test_moderators_group_has_the_permissions_from_the_migration():
    codenames = set(
        Permission.objects.filter(
            group__name="Moderators", content_type__app_label="submissions"
        ).values_list("codename", flat=True)
    )
    assert codenames == {"view_submission", "change_submission", "delete_submission"}


def test_history_shows_who_approved_and_who_declined(
    client, areas, moderator, submission, django_capture_on_commit_callbacks
):
    page = ListingPage.objects.get(pk=submission.page_id)
    client.force_login(moderator)
    task_state = page.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comment": "確認しました"})
    history = client.get(f"/admin/submissions/history/{submission.pk}/")
    assert history.status_code == 200
    html = history.content.decode()
    assert "承認され、公開されました" in html
    assert "確認係" in html  # the moderator's name
    page_history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert "確認係" in page_history.content.decode()

    # A second submission, declined with a message: the message is in the history.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_post(areas, title="ふたつめ"))
    second = Submission.objects.get(data__title="ふたつめ")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/submissions/decline/{second.pk}/", {"body": "重複のため"})
    html = client.get(f"/admin/submissions/history/{second.pk}/").content.decode()
    assert "掲載を見送り" in html and "重複のため" in html and "確認係" in html


def test_a_failed_draft_is_recorded_and_can_be_redone(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    from listings.models import ListingIndexPage

    index = ListingIndexPage.objects.get()
    ListingIndexPage.objects.filter(pk=index.pk).update(slug="listings")  # keep it
    original = services._new_listing_draft

    def broken(*args, **kwargs):
        raise ValueError("掲載先の「居場所・窓口の一覧」ページがありません。")

    services._new_listing_draft = broken
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, valid_post(areas))
    finally:
        services._new_listing_draft = original
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.RECEIVED
    assert "ページがありません" in submission.processing_error
    client.force_login(moderator)
    html = client.get(f"/admin/submissions/inspect/{submission.pk}/").content.decode()
    assert "下書きを作れませんでした" in html
    client.post(f"/admin/submissions/redo/{submission.pk}/")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.processing_error == ""


def test_staff_can_delete_a_submission_with_its_private_data(client, moderator, submission):
    client.force_login(moderator)
    url = f"/admin/submissions/delete/{submission.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Submission.objects.filter(pk=submission.pk).exists()
