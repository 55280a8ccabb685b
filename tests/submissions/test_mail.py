"""A failing mail server loses nothing and blocks nothing: the failure is recorded on the
submission, shown in the admin, and ``retry_submission_mail`` (or the admin button) resends."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone
from wagtail.log_actions import registry as log_registry

from listings.models import ListingPage
from submissions.models import Submission, SubmissionEmail

from .helpers import SUBMITTER_EMAIL, URL, valid_post

pytestmark = pytest.mark.django_db

BROKEN = "tests.submissions.test_mail.BrokenBackend"


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server is down")


@pytest.fixture
def broken_mail(settings):
    settings.EMAIL_BACKEND = BROKEN
    return settings


def submit(client, areas, capture):
    with capture(execute=True):
        response = client.post(URL, valid_post(areas))
    return response


def test_a_failing_mail_server_loses_nothing_and_is_recorded(
    client, areas, moderator, broken_mail, django_capture_on_commit_callbacks
):
    response = submit(client, areas, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    submission = Submission.objects.get()
    # Stored, drafted, in the workflow: the mail failure did not get in the way.
    assert submission.status == Submission.Status.IN_REVIEW
    assert not ListingPage.objects.get(pk=submission.page_id).live
    emails = list(submission.emails.order_by("pk"))
    assert [e.purpose for e in emails] == ["confirmation", "moderators_new"]
    for email in emails:
        assert email.status == SubmissionEmail.Status.FAILED
        assert email.attempts == 1
        assert email.last_error == "ConnectionRefusedError: SMTP server is down"
    actions = log_registry.get_logs_for_instance(submission).values_list("action", flat=True)
    assert "submissions.mail_failed" in actions
    # The status page still works (the link was shown on screen).
    assert client.get(response["Location"]).status_code == 200

    # Staff see the failure in the queue and on the submission.
    client.force_login(moderator)
    queue = client.get("/admin/submissions/").content.decode()
    assert "送信失敗 2通" in queue
    inspect = client.get(f"/admin/submissions/inspect/{submission.pk}/").content.decode()
    assert "SMTP server is down" in inspect
    assert "送れなかったメールを再送する" in inspect


def test_retry_command_resends_failed_mail(
    client, areas, moderator, broken_mail, settings, django_capture_on_commit_callbacks
):
    submit(client, areas, django_capture_on_commit_callbacks)
    out, err = io.StringIO(), io.StringIO()
    call_command("retry_submission_mail", stdout=out, stderr=err)
    assert "送信 0通、失敗 2通" in out.getvalue()
    assert SubmissionEmail.objects.get(purpose="confirmation").attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call_command("retry_submission_mail", stdout=out)
    assert "送信 2通、失敗 0通" in out.getvalue()
    assert set(SubmissionEmail.objects.values_list("status", flat=True)) == {"sent"}
    confirmation = next(m for m in mail.outbox if m.to == [SUBMITTER_EMAIL])
    link = re.search(r"http://testserver(/submit/status/\S+/)", confirmation.body).group(1)
    assert client.get(link).status_code == 200
    # Nothing left to send.
    call_command("retry_submission_mail", stdout=out)
    assert out.getvalue().endswith("送信 0通、失敗 0通。\n")


def test_the_admin_button_resends(
    client, areas, moderator, broken_mail, settings, django_capture_on_commit_callbacks
):
    submit(client, areas, django_capture_on_commit_callbacks)
    submission = Submission.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(moderator)
    response = client.post(f"/admin/submissions/resend/{submission.pk}/")
    assert response.status_code == 302
    assert set(submission.emails.values_list("status", flat=True)) == {"sent"}


def test_mail_left_pending_by_a_crash_is_sent_by_the_command(areas, client, settings):
    # Stored in the transaction, but the process died before the after-commit sending.
    client.post(URL, valid_post(areas))  # on_commit callbacks are not run here
    assert set(SubmissionEmail.objects.values_list("status", flat=True)) == {"pending"}
    call_command("retry_submission_mail", stdout=io.StringIO())
    assert set(SubmissionEmail.objects.values_list("status", flat=True)) == {"pending"}
    SubmissionEmail.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    call_command("retry_submission_mail", stdout=io.StringIO())
    statuses = dict(SubmissionEmail.objects.values_list("purpose", "status"))
    # (No moderator has an address in this test, so their notice has nobody to go to.)
    assert statuses == {"confirmation": "sent", "moderators_new": "skipped"}


def test_without_any_moderator_address_the_notice_is_skipped(
    client, areas, django_capture_on_commit_callbacks
):
    submit(client, areas, django_capture_on_commit_callbacks)
    notice = SubmissionEmail.objects.get(purpose="moderators_new")
    assert notice.status == SubmissionEmail.Status.SKIPPED
    assert SubmissionEmail.objects.get(purpose="confirmation").status == "sent"


def test_extra_moderator_addresses_from_settings(
    client, areas, settings, django_capture_on_commit_callbacks
):
    settings.SUBMISSION_NOTIFY_EMAILS = ["desk@example.jp"]
    submit(client, areas, django_capture_on_commit_callbacks)
    notice = next(m for m in mail.outbox if m.to == ["desk@example.jp"])
    assert "ひまわり子ども食堂" in notice.subject
