"""A submission is never lost (issue 12): when the database cannot store it, the form comes back
with everything typed (503); when the draft cannot be made after the commit, the submission
stays marked and is retried (the submitter's next visit, ``retry_submission_drafts``), and
staff see it in the queue.

The database's refusals are real errors raised at the driver boundary
(``connection.execute_wrapper``), the way a locked or lost database raises them; the view, the
form, the services and the transactions around them are the real ones. A real SQLite lock
held by another process is in test_concurrency.py.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction

from submissions.models import Submission

from .helpers import URL, valid_post

pytestmark = pytest.mark.django_db

STATUS_PATH = re.compile(r"(/submit/status/[A-Z0-9-]+/[A-Za-z0-9_-]+/)")


@contextlib.contextmanager
def database_refuses(*prefixes: str):
    """Every statement starting with one of ``prefixes`` fails as on a locked database."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(prefixes):
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


WRITES = ("INSERT", "UPDATE", "DELETE")


def run_while_writes_fail(callbacks) -> None:
    """Run after-commit callbacks while every write fails. In production they run in
    autocommit, where a refused statement leaves nothing behind; here the test's transaction
    is told so (the refused statements never reached the database)."""
    with database_refuses(*WRITES):
        for callback in callbacks:
            with contextlib.suppress(Exception):  # on_commit(robust=True) logs and goes on
                callback()
    transaction.set_rollback(False)


def test_a_submission_the_database_cannot_store_comes_back_with_everything_typed(client, areas):
    with database_refuses('INSERT INTO "SUBMISSIONS_SUBMISSION"'):
        response = client.post(URL, valid_post(areas, title="まだ保存されない食堂"))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "保存できませんでした" in html
    assert 'value="まだ保存されない食堂"' in html
    assert "毎月第2土曜にみんなでごはんを食べます。" in html
    assert not Submission.objects.exists()
    # Sent again once the database is back: stored.
    assert client.post(URL, valid_post(areas, title="まだ保存されない食堂")).status_code == 302
    assert Submission.objects.get().title == "まだ保存されない食堂"


def test_a_store_failure_does_not_use_up_the_rate_limit(client, areas, settings):
    settings.SUBMISSION_RATE_LIMIT = "1/h"
    with database_refuses('INSERT INTO "SUBMISSIONS_SUBMISSION"'):
        assert client.post(URL, valid_post(areas)).status_code == 503
    assert client.post(URL, valid_post(areas)).status_code == 302


def submit_while_writes_fail_after_the_commit(client, areas, capture) -> tuple[Submission, str]:
    """Stored, then every write fails while the draft is made (and while the failure would be
    recorded): what a busy or lost database does to the after-commit step."""
    with capture(execute=False) as callbacks:
        response = client.post(URL, valid_post(areas))
    assert response.status_code == 302
    run_while_writes_fail(callbacks)
    submission = Submission.objects.get()
    assert submission.revision_id is None and submission.processing_error == ""
    return submission, STATUS_PATH.search(response["Location"]).group(1)


def test_a_draft_that_could_not_be_made_is_retried_by_the_command(
    client, areas, django_capture_on_commit_callbacks
):
    submission, _ = submit_while_writes_fail_after_the_commit(
        client, areas, django_capture_on_commit_callbacks
    )
    assert submission.draft_due_at is not None
    out = _command("retry_submission_drafts", "--stuck-after", "0")
    submission.refresh_from_db()
    assert submission.revision_id is not None
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.draft_due_at is None
    assert "下書き 1件を作りました" in out
    # Nothing left: a second run does nothing.
    assert "下書き 0件" in _command("retry_submission_drafts", "--stuck-after", "0")


def test_the_command_waits_before_retrying_a_fresh_one(
    client, areas, django_capture_on_commit_callbacks
):
    submission, _ = submit_while_writes_fail_after_the_commit(
        client, areas, django_capture_on_commit_callbacks
    )
    _command("retry_submission_drafts")  # default: only those due for 10 minutes
    submission.refresh_from_db()
    assert submission.revision_id is None and submission.draft_due_at is not None


def test_the_submitters_next_visit_retries_the_draft(
    client, areas, django_capture_on_commit_callbacks
):
    submission, status_path = submit_while_writes_fail_after_the_commit(
        client, areas, django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(status_path)
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.revision_id is not None and submission.draft_due_at is None
    assert "確認中です" in response.content.decode()


def test_staff_see_a_draft_waiting_for_its_retry(
    client, areas, moderator, django_capture_on_commit_callbacks
):
    submission, _ = submit_while_writes_fail_after_the_commit(
        client, areas, django_capture_on_commit_callbacks
    )
    client.force_login(moderator)
    queue = client.get("/admin/submissions/").content.decode()
    assert "再試行待ち" in queue
    review = client.get(f"/admin/submissions/inspect/{submission.pk}/").content.decode()
    assert "下書きをまだ作れていません" in review
    client.post(f"/admin/submissions/redo/{submission.pk}/")
    submission.refresh_from_db()
    assert submission.draft_due_at is None
    assert "再試行待ち" not in client.get("/admin/submissions/").content.decode()


def test_an_update_whose_draft_failed_is_retried_too(
    client, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_post(areas))
    status_path = STATUS_PATH.search(response["Location"]).group(1)
    submission = Submission.objects.get()
    first_revision = submission.revision_id
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        updated = client.post(status_path + "update/", valid_post(areas, title="改名した食堂"))
    assert updated.status_code == 302
    run_while_writes_fail(callbacks)
    submission.refresh_from_db()
    assert submission.revision_id == first_revision and submission.draft_due_at is not None
    _command("retry_submission_drafts", "--stuck-after", "0")
    submission.refresh_from_db()
    assert submission.revision_id != first_revision and submission.draft_due_at is None
    assert submission.revision.as_object().title == "改名した食堂"


def _command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_a_reply_the_database_cannot_store_comes_back_in_the_box(
    client, areas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_post(areas))
    status_path = STATUS_PATH.search(response["Location"]).group(1)
    with database_refuses('INSERT INTO "SUBMISSIONS_SUBMISSIONMESSAGE"'):
        refused = client.post(status_path + "reply/", {"body": "日曜も開けられます。"})
    assert refused.status_code == 503
    assert "返信を保存できませんでした" in refused.content.decode()
    assert "日曜も開けられます。" in refused.content.decode()
    assert not Submission.objects.get().messages.filter(body="日曜も開けられます。").exists()
