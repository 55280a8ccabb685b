"""Staff hear of submissions: the moderators group receives the notices in Japanese, and the
admin warns (dashboard panel, queue message) when nobody would."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from demo.services import ADMIN_USERNAME, ensure_admin
from submissions import selectors
from submissions.models import SubmissionEmail

from .helpers import URL, valid_post

pytestmark = pytest.mark.django_db

WARNING = "投稿の通知が誰にも届きません"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "", "pw")  # no address, no group


def test_the_dashboard_warns_when_no_moderator_has_an_address(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert WARNING in html
    assert "「Moderators」" in html
    queue = client.get("/admin/submissions/").content.decode()
    assert "投稿の通知メールの宛先がありません" in queue


def test_no_warning_once_a_moderator_has_an_address(client, superuser, moderator):
    client.force_login(superuser)
    assert WARNING not in client.get("/admin/").content.decode()
    assert "宛先がありません" not in client.get("/admin/submissions/").content.decode()


def test_an_extra_address_setting_also_counts(client, superuser, settings):
    settings.SUBMISSION_NOTIFY_EMAILS = ["soudan@example.jp"]
    client.force_login(superuser)
    assert WARNING not in client.get("/admin/").content.decode()


def test_new_submissions_reach_the_moderators_group_in_japanese(
    client, moderator, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_post(areas))
    notices = {m.subject: m.body for m in mail.outbox if m.to == ["moderator@example.jp"]}
    # The portal's own notice, and Wagtail's workflow notice in the portal's Japanese words.
    ours = next(body for subject, body in notices.items() if subject.startswith("【要確認】"))
    assert "地域から新しい投稿がありました" in ours
    wagtails = next(body for subject, body in notices.items() if subject.startswith("【確認依頼】"))
    assert "確認段階「Moderators approval」に送られました" in wagtails
    assert "/admin/pages/" in wagtails
    assert len(notices) == 2
    assert not any("submitted" in subject + body for subject, body in notices.items())
    stored = SubmissionEmail.objects.get(purpose="moderators_new")
    assert stored.status == SubmissionEmail.Status.SENT


def test_without_recipients_the_notice_is_stored_as_skipped(
    client, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_post(areas))
    stored = SubmissionEmail.objects.get(purpose="moderators_new")
    assert stored.status == SubmissionEmail.Status.SKIPPED


def test_the_demo_admin_is_a_moderator(settings):
    settings.DEMO_ADMIN_PASSWORD = "x"
    ensure_admin()
    ensure_admin()  # again: still one membership, no error
    user = Group.objects.get(name="Moderators").user_set.get()
    assert user.username == ADMIN_USERNAME
    assert selectors.moderator_addresses() == [user.email]
