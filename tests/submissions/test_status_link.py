"""The private status link: works, expires (410), cannot be guessed (404), cannot open another
submission, is stored only as a hash; the submitter can reply through it."""

from __future__ import annotations

import datetime
import secrets
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from submissions.models import Submission, SubmissionLink, SubmissionMessage
from submissions.tokens import hash_token

from .helpers import URL, valid_post

pytestmark = pytest.mark.django_db


def submit(client, areas, capture, **overrides) -> tuple[Submission, str]:
    with capture(execute=True):
        response = client.post(URL, valid_post(areas, **overrides))
    assert response.status_code == 302
    path = urlsplit(response["Location"]).path
    reference, token = path.strip("/").split("/")[2:4]
    return Submission.objects.get(reference=reference), token


def status_url(reference: str, token: str) -> str:
    return f"/submit/status/{reference}/{token}/"


def test_the_link_shows_the_status_and_what_was_sent(
    client, areas, django_capture_on_commit_callbacks
):
    submission, token = submit(client, areas, django_capture_on_commit_callbacks)
    response = client.get(status_url(submission.reference, token) + "?sent=new")
    assert response.status_code == 200
    html = response.content.decode()
    assert "送信しました" in html
    assert submission.reference in html
    assert "確認中です" in html
    assert "ひまわり子ども食堂" in html
    assert "毎月 第2 土曜 11:00〜13:00" in html
    assert f"http://testserver{status_url(submission.reference, token)}" in html
    # The URL is the key: not sent on as a Referer, not cached, not indexed.
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_only_a_hash_of_the_token_is_stored(client, areas, django_capture_on_commit_callbacks):
    _submission, token = submit(client, areas, django_capture_on_commit_callbacks)
    assert len(token) >= 43
    assert SubmissionLink.objects.filter(token_hash=hash_token(token)).exists()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith("submissions_"):
                cursor.execute(f'SELECT * FROM "{table}"')
                assert token not in repr(cursor.fetchall()), table


def test_an_expired_link_gets_a_friendly_410(client, areas, django_capture_on_commit_callbacks):
    submission, token = submit(client, areas, django_capture_on_commit_callbacks)
    SubmissionLink.objects.filter(token_hash=hash_token(token)).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    for path in ("", "update/"):
        response = client.get(status_url(submission.reference, token) + path)
        assert response.status_code == 410
        assert "有効期限が切れています" in response.content.decode()
    response = client.post(status_url(submission.reference, token) + "reply/", {"body": "x"})
    assert response.status_code == 410
    assert not SubmissionMessage.objects.filter(body="x").exists()


def test_the_link_lasts_submission_link_days(
    client, areas, settings, django_capture_on_commit_callbacks
):
    settings.SUBMISSION_LINK_DAYS = 7
    _submission, token = submit(client, areas, django_capture_on_commit_callbacks)
    link = SubmissionLink.objects.get(token_hash=hash_token(token))
    expected = timezone.now() + datetime.timedelta(days=7)
    assert abs((link.expires_at - expected).total_seconds()) < 60


@pytest.mark.parametrize(
    "token",
    [secrets.token_urlsafe(32), "x", "a" * 500, "%00", "..", "%E3%81%82"],
)
def test_a_guessed_token_gets_a_friendly_404(
    client, areas, token, django_capture_on_commit_callbacks
):
    submission, _real = submit(client, areas, django_capture_on_commit_callbacks)
    response = client.get(status_url(submission.reference, token))
    assert response.status_code == 404
    assert "このリンクは使えません" in response.content.decode()


def test_a_token_cannot_open_another_submission(client, areas, django_capture_on_commit_callbacks):
    first, first_token = submit(client, areas, django_capture_on_commit_callbacks)
    second, second_token = submit(
        client, areas, django_capture_on_commit_callbacks, title="ふたつめの食堂"
    )
    assert client.get(status_url(second.reference, first_token)).status_code == 404
    assert client.get(status_url(first.reference, second_token)).status_code == 404
    response = client.post(status_url(second.reference, first_token) + "reply/", {"body": "横"})
    assert response.status_code == 404
    response = client.post(status_url(second.reference, first_token) + "update/", {})
    assert response.status_code == 404
    assert not SubmissionMessage.objects.filter(body="横").exists()
    assert client.get(status_url(second.reference, second_token)).status_code == 200


def test_the_submitter_replies_and_the_moderators_are_told(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    submission, token = submit(client, areas, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            status_url(submission.reference, token) + "reply/",
            {"body": "<script>alert(1)</script>会場は2階です。"},
        )
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=reply")
    message = SubmissionMessage.objects.get(
        submission=submission, author="submitter", body__contains="2階"
    )
    assert message.body.startswith("<script>")
    (notice,) = [m for m in mail.outbox if m.to == [moderator.email]]
    assert "会場は2階です。" in notice.body
    html = client.get(response["Location"]).content.decode()
    assert "返信を事務局に送りました" in html
    # Escaped on output.
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;会場は2階です。" in html


def test_an_empty_reply_shows_an_error_next_to_the_box(
    client, areas, django_capture_on_commit_callbacks
):
    submission, token = submit(client, areas, django_capture_on_commit_callbacks)
    response = client.post(status_url(submission.reference, token) + "reply/", {"body": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_body_error"' in html
    assert 'aria-describedby="id_body_error"' in html


def test_a_staff_message_arrives_by_mail_with_a_fresh_working_link(
    client, areas, moderator_client, django_capture_on_commit_callbacks
):
    submission, token = submit(client, areas, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            f"/admin/submissions/message/{submission.pk}/", {"body": "写真をもう1枚ください。"}
        )
    (message,) = [m for m in mail.outbox if m.to == [submission.submitter_email]]
    assert "写真をもう1枚ください。" in message.body
    path = next(line for line in message.body.splitlines() if "/submit/status/" in line)
    fresh = urlsplit(path.strip()).path
    assert fresh != status_url(submission.reference, token)
    client.logout()
    html = client.get(fresh).content.decode()
    assert "写真をもう1枚ください。" in html
    # The first link still works too.
    assert client.get(status_url(submission.reference, token)).status_code == 200
