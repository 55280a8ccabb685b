"""Every write of the submission flow (DESIGN.md §7).

1. ``create_submission`` / ``update_submission`` / ``add_reply`` store what the group typed
   (record, photos, message, outgoing mail) in ONE transaction, before anything else happens.
2. After the commit, ``sync_draft`` turns the proposal into a draft ListingPage (a new listing,
   never live) or a draft revision of the existing listing (the live page is untouched) and puts
   it in the Wagtail moderation workflow, started by the system user ``community-submission``
   (the submitter has no account). A failure there is recorded on the submission, not raised.
3. After the commit, ``deliver_pending`` sends the queued mail; a failure is recorded on the
   mail row (``retry_submission_mail`` and the admin resend it).
4. Staff decide in the Wagtail admin: approving publishes (→ the search index follows
   ``page_published``); 「変更をリクエスト」 (Wagtail's reject) asks the submitter for changes;
   ``decline`` (the submissions admin) stops it with a message. Signal handlers in
   ``signals`` call ``on_published`` / ``on_changes_requested`` / ``on_workflow_ended``.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import Collection, Revision, WorkflowState

from listings.editing import Then, apply, new_listing, save_listing
from listings.models import ListingIndexPage, ListingPage, ListingPhoto

from . import emails, proposal, selectors
from .images import CleanPhoto
from .models import Submission, SubmissionEmail, SubmissionLink, SubmissionMessage, SubmissionPhoto
from .tokens import hash_token, new_reference, new_token

logger = logging.getLogger(__name__)

SYSTEM_USERNAME = "community-submission"
PHOTO_COLLECTION = "地域からの投稿"


# --- settings and small helpers ----------------------------------------------------------------


def link_days() -> int:
    return int(getattr(settings, "SUBMISSION_LINK_DAYS", 60))


def public_base_url() -> str:
    base = getattr(settings, "SUBMISSION_PUBLIC_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/")


def status_path(reference: str, token: str) -> str:
    return reverse("submissions:status", args=[reference, token])


def status_url(reference: str, token: str) -> str:
    return public_base_url() + status_path(reference, token)


def admin_url(submission: Submission) -> str:
    path = reverse("community_submissions:inspect", args=[submission.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def system_user():
    """The account that starts workflows and saves revisions for submitters (who have none).

    Created by migration 0002; re-created here if a test or a reset emptied the table. It
    cannot log in (inactive, unusable password).
    """
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "地域からの投稿",
            "last_name": "（システム）",
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user


def issue_link(submission: Submission) -> str:
    """A new private status link; returns the raw token (stored only as a hash)."""
    token = new_token()
    SubmissionLink.objects.create(
        submission=submission,
        token_hash=hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(days=link_days()),
    )
    return token


def _unique_reference() -> str:
    for _attempt in range(20):
        reference = new_reference()
        if not Submission.objects.filter(reference=reference).exists():
            return reference
    raise IntegrityError("no free submission reference")  # pragma: no cover - 31^8 codes


def _after_commit(func, *args) -> None:
    # robust: a failure after the commit is logged, never turned into an error page (the
    # submission is already safe).
    transaction.on_commit(partial(func, *args), robust=True)


# --- 1. storing --------------------------------------------------------------------------------


@transaction.atomic
def create_submission(
    *,
    data: dict[str, Any],
    submitter: dict[str, str],
    photos: Iterable[tuple[CleanPhoto, str]] = (),
    note: str = "",
    target: ListingPage | None = None,
) -> tuple[Submission, str]:
    """Store a new submission with its photos and mail; returns it and its status-link token.

    Everything is in one transaction; the draft page and the mail come after the commit.
    """
    submission = Submission.objects.create(
        reference=_unique_reference(),
        kind=Submission.Kind.CHANGE if target else Submission.Kind.NEW,
        data=data,
        submitter_name=submitter["name"],
        submitter_email=submitter["email"],
        submitter_phone=submitter.get("phone", ""),
        consented_at=timezone.now(),
        target=target,
        baseline=proposal.from_listing(target) if target else {},
    )
    _store_photos(submission, photos)
    if note:
        SubmissionMessage.objects.create(
            submission=submission, author=SubmissionMessage.Author.SUBMITTER, body=note
        )
    token = issue_link(submission)
    context = {"submission": submission, "target": target, "note": note}
    queue_email(submission, "confirmation", [submission.submitter_email], context)
    queue_email(
        submission,
        "moderators_new",
        selectors.moderator_addresses(),
        {**context, "admin_url": admin_url(submission)},
    )
    log(instance=submission, action="submissions.receive", data={"kind": submission.kind})
    mark_draft_due(submission)  # the draft, after the commit; retried until made
    _after_commit(deliver_pending, submission.pk)
    return submission, token


@transaction.atomic
def update_submission(
    submission: Submission,
    *,
    data: dict[str, Any],
    photos: Iterable[tuple[CleanPhoto, str]] = (),
    note: str = "",
) -> Submission:
    """The submitter's update from the status page: stored first, drafted after the commit."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    changed = proposal.changed_fields(submission.data, data)
    submission.data = data
    submission.save(update_fields=["data", "updated_at"])
    stored_photos = _store_photos(submission, photos)
    body = note or gettext("（内容を修正して送りました）")
    SubmissionMessage.objects.create(
        submission=submission, author=SubmissionMessage.Author.SUBMITTER, body=body
    )
    queue_email(
        submission,
        "moderators_update",
        selectors.moderator_addresses(),
        {
            "submission": submission,
            "note": note,
            "changed": [str(proposal.LABELS[name]) for name in changed],
            "photo_count": len(stored_photos),
            "admin_url": admin_url(submission),
        },
    )
    log(instance=submission, action="submissions.update", data={"fields": changed})
    mark_draft_due(submission)  # the draft, after the commit; retried until made
    _after_commit(deliver_pending, submission.pk)
    return submission


@transaction.atomic
def add_reply(submission: Submission, body: str) -> SubmissionMessage:
    """The submitter answers staff: stored, then the moderators are told."""
    message = SubmissionMessage.objects.create(
        submission=submission, author=SubmissionMessage.Author.SUBMITTER, body=body
    )
    queue_email(
        submission,
        "moderators_reply",
        selectors.moderator_addresses(),
        {"submission": submission, "body": body, "admin_url": admin_url(submission)},
    )
    log(instance=submission, action="submissions.reply")
    _after_commit(deliver_pending, submission.pk)
    return message


def _store_photos(
    submission: Submission, photos: Iterable[tuple[CleanPhoto, str]]
) -> list[SubmissionPhoto]:
    stored = []
    for photo, caption in photos:
        item = SubmissionPhoto(
            submission=submission, caption=caption, width=photo.width, height=photo.height
        )
        item.file.save(f"photo.{photo.extension}", ContentFile(photo.content), save=False)
        item.save()
        stored.append(item)
    return stored


# --- 2. the draft in the moderation workflow ---------------------------------------------------


def mark_draft_due(submission: Submission) -> None:
    """In the storing transaction: the draft is due; it is made after the commit."""
    submission.draft_due_at = timezone.now()
    Submission.objects.filter(pk=submission.pk).update(draft_due_at=submission.draft_due_at)
    transaction.on_commit(partial(make_draft, submission.pk), robust=True)


def make_draft(submission_id: int) -> bool:
    """Make (or bring up to date) the draft; clear the mark only if that worked (True).

    ``sync_draft`` records a failure on the submission, and raises only when even that
    could not be written; either way the mark stays and the draft is retried.
    """
    started = timezone.now()
    sync_draft(submission_id)
    made = Submission.objects.filter(pk=submission_id, processing_error="")
    # Only a mark set before this attempt goes: an update stored meanwhile keeps its own.
    made.filter(draft_due_at__lte=started).update(draft_due_at=None)
    return made.exists()


def sync_draft(submission_id: int) -> None:
    """Bring the draft in line with the stored proposal; record (not raise) any failure."""
    try:
        with transaction.atomic():
            submission = Submission.objects.select_for_update().get(pk=submission_id)
            if submission.status in (Submission.Status.APPROVED, Submission.Status.REJECTED):
                return
            if submission.revision_id is None:
                _first_draft(submission)
            else:
                _next_draft(submission)
    except Exception as exc:
        logger.exception("submission %s: making the draft failed", submission_id)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        Submission.objects.filter(pk=submission_id).update(processing_error=error)
        submission = Submission.objects.filter(pk=submission_id).first()
        if submission is not None:
            log(instance=submission, action="submissions.process_failed", data={"error": error})


def _first_draft(submission: Submission) -> None:
    user = system_user()
    parent = None
    if submission.kind == Submission.Kind.NEW:
        parent = _listing_parent()
        page = _new_listing_draft(submission, user)
    else:
        target = ListingPage.objects.filter(pk=submission.target_id).first()
        if target is None:
            raise ValueError("修正する掲載ページが見つかりません（削除された可能性があります）。")
        if target.current_workflow_state is not None:
            # Wagtail allows one workflow per page: wait until the current review ends
            # (on_workflow_ended picks this up), so two proposals never mix in one draft.
            if not submission.processing_error:
                log(instance=submission, action="submissions.wait", data={"page": target.pk})
            submission.processing_error = ""
            submission.save(update_fields=["processing_error", "updated_at"])
            return
        page = target.get_latest_revision_as_object()
        _apply(page, submission.data, proposal.changed_fields(submission.baseline, submission.data))
    _attach_new_photos(submission, page)
    saved = save_listing(page, then=Then.REVIEW, user=user, parent=parent)
    submission.page_id = page.pk
    submission.revision = saved.revision
    submission.status = Submission.Status.IN_REVIEW
    submission.processing_error = ""
    submission.applied_data = _applied_copy(submission.data)
    submission.save()
    log(
        instance=submission,
        action="submissions.draft",
        data={
            "page": page.pk,
            "revision": saved.revision.pk,
            "workflow": saved.workflow_state is not None,
        },
    )


def _next_draft(submission: Submission) -> None:
    """After an update: a new revision with the fields the submitter changed since last time."""
    fields = proposal.changed_fields(submission.applied_data or {}, submission.data)
    new_photos = submission.photos.filter(image__isnull=True).exists()
    if not fields and not new_photos:
        return
    if submission.page_id is None:
        raise ValueError("下書きのページが見つかりません（削除された可能性があります）。")
    user = system_user()
    page = ListingPage.objects.get(pk=submission.page_id).get_latest_revision_as_object()
    _apply(page, submission.data, fields)
    _attach_new_photos(submission, page)
    saved = save_listing(page, then=Then.REVIEW, user=user)
    submission.revision = saved.revision
    submission.status = Submission.Status.IN_REVIEW
    submission.processing_error = ""
    submission.applied_data = _applied_copy(submission.data)
    submission.save()
    log(
        instance=submission,
        action="submissions.draft",
        data={"page": page.pk, "revision": saved.revision.pk, "fields": fields},
    )


def _applied_copy(data: dict[str, Any]) -> dict[str, Any]:
    # What the draft now holds, so the next update applies only what the submitter changed
    # (and keeps staff's edits to the other fields).
    return {name: data.get(name) for name in proposal.FIELDS if name in data}


def _listing_parent() -> ListingIndexPage:
    parent = ListingIndexPage.objects.order_by("path").first()
    if parent is None:
        raise ValueError("掲載先の「居場所・窓口の一覧」ページがありません。")
    return parent


def _new_listing_draft(submission: Submission, user) -> ListingPage:
    """The new listing, not saved yet (``save_listing`` adds it as a draft in review)."""
    external_id = f"portal-{uuid.uuid4().hex[:12]}"
    values = proposal.to_values(submission.data)
    values = dataclasses.replace(values, title=values.title or submission.reference)
    return new_listing(values, slug=external_id, external_id=external_id, owner=user)


def _apply(page: ListingPage, data: dict[str, Any], fields: Iterable[str]) -> None:
    """Set the proposal's ``fields`` (those it has) on a page object."""
    given = [name for name in fields if name in data]
    apply(page, proposal.to_values(data), proposal.value_fields(given))


def _attach_new_photos(submission: Submission, page: ListingPage) -> None:
    """Photos not yet on the draft become Wagtail images, added after the page's own photos."""
    new = list(submission.photos.filter(image__isnull=True))
    if not new:
        return
    existing = list(page.photos.all())
    added = []
    for order, photo in enumerate(new, start=len(existing)):
        photo.image = _wagtail_image(photo, page.title)
        photo.save(update_fields=["image"])
        added.append(ListingPhoto(image=photo.image, caption=photo.caption, sort_order=order))
    page.photos = [*existing, *added]


def _wagtail_image(photo: SubmissionPhoto, title: str):
    collection = _photo_collection()
    with photo.file.open("rb") as handle:
        content = handle.read()
    extension = photo.file.name.rsplit(".", 1)[-1]
    image = get_image_model()(title=f"{title}（投稿写真）"[:255], collection=collection)
    # A random name: the image file is reachable under /media/ once the page is published.
    image.file.save(f"submission-{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    # Saving a plain ContentFile leaves the dimension fields empty; we know them already.
    image.width, image.height = photo.width, photo.height
    image._set_image_file_metadata()
    image.save()
    return image


def _photo_collection() -> Collection:
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    existing = root.get_children().filter(name=PHOTO_COLLECTION).first()
    return existing or root.add_child(name=PHOTO_COLLECTION)


# --- 3. mail -----------------------------------------------------------------------------------


def queue_email(
    submission: Submission, purpose: str, recipients: list[str], context: dict[str, Any]
) -> SubmissionEmail:
    """Render a mail and store it as pending (sent after the commit by ``deliver_pending``)."""
    subject, body = emails.render(purpose, {"submission": submission, **context})
    return SubmissionEmail.objects.create(
        submission=submission,
        purpose=purpose,
        recipients=list(recipients),
        subject=subject,
        body=body,
        with_status_link=emails.TO_SUBMITTER.get(purpose, False),
    )


def deliver_pending(submission_id: int) -> None:
    for email_id in SubmissionEmail.objects.filter(
        submission_id=submission_id, status=SubmissionEmail.Status.PENDING
    ).values_list("pk", flat=True):
        deliver(email_id)


def deliver(email_id: int) -> bool:
    """Send one stored mail now. Never raises: a failure is recorded on the row (and logged)."""
    email = SubmissionEmail.objects.select_related("submission").get(pk=email_id)
    if email.status == SubmissionEmail.Status.SENT:
        return True
    if not email.recipients:
        email.status = SubmissionEmail.Status.SKIPPED
        email.save(update_fields=["status"])
        return True
    body = email.body
    if email.with_status_link:
        # A fresh link for this attempt: the raw token exists only in the message itself.
        token = issue_link(email.submission)
        body = body.replace(emails.STATUS_LINK, status_url(email.submission.reference, token))
    email.attempts += 1
    try:
        emails.send(email.subject, body, list(email.recipients))
    except Exception as exc:
        logger.warning("submission mail %s failed: %s", email.pk, exc)
        email.status = SubmissionEmail.Status.FAILED
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        email.save(update_fields=["status", "last_error", "attempts"])
        log(
            instance=email.submission,
            action="submissions.mail_failed",
            data={"subject": email.subject, "error": email.last_error},
        )
        return False
    email.status = SubmissionEmail.Status.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "last_error", "attempts"])
    return True


def retry_failed_mail(emails_to_retry: Iterable[SubmissionEmail] | None = None) -> tuple[int, int]:
    """Send failed (and stuck pending) mail again; returns (sent, still failing)."""
    rows = list(emails_to_retry if emails_to_retry is not None else selectors.retryable_emails())
    sent = failed = 0
    for email in rows:
        if deliver(email.pk):
            sent += 1
        else:
            failed += 1
    return sent, failed


# --- 4. staff decisions ------------------------------------------------------------------------


@transaction.atomic
def send_staff_message(submission: Submission, user, body: str) -> SubmissionMessage:
    """A question from staff: on the status page, and by mail with a fresh link."""
    message = SubmissionMessage.objects.create(
        submission=submission, author=SubmissionMessage.Author.STAFF, user=user, body=body
    )
    queue_email(
        submission,
        "staff_message",
        [submission.submitter_email],
        {"submission": submission, "body": body},
    )
    log(instance=submission, action="submissions.message", user=user, data={"message": body})
    _after_commit(deliver_pending, submission.pk)
    return message


@transaction.atomic
def decline(submission: Submission, user, body: str) -> Submission:
    """Stop a submission for good, with the reason sent to the submitter.

    The workflow is cancelled. A new listing stays an unpublished draft (staff may delete it);
    for a suggested change, the listing's draft goes back to what is live, so the next editor
    does not start from the declined proposal.
    """
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_active:
        return submission
    page = ListingPage.objects.filter(pk=submission.page_id).first()
    if page is not None:
        state = page.current_workflow_state
        if state is not None:
            state.cancel(user=user)
        if submission.kind == Submission.Kind.CHANGE and page.live:
            _restore_live_draft(page, user)
    submission.status = Submission.Status.REJECTED
    submission.decided_at = timezone.now()
    submission.decided_by = user
    submission.save()
    SubmissionMessage.objects.create(
        submission=submission, author=SubmissionMessage.Author.STAFF, user=user, body=body
    )
    context = {"submission": submission, "body": body}
    queue_email(submission, "rejected", [submission.submitter_email], context)
    log(instance=submission, action="submissions.reject", user=user, data={"message": body})
    _after_commit(deliver_pending, submission.pk)
    if submission.target_id:
        _after_commit(process_waiting, submission.target_id)
    return submission


def _restore_live_draft(page: ListingPage, user) -> None:
    live = ListingPage.objects.get(pk=page.pk)
    live.save_revision(user=user, changed=False, clean=False)
    ListingPage.objects.filter(pk=page.pk).update(has_unpublished_changes=False)


def on_published(page: ListingPage, revision: Revision | None) -> None:
    """A listing was published: the submissions drafted on it (up to this revision) are done."""
    if not selectors.has_open_submissions(page.pk):
        return  # the usual case (staff edits, imports): one query and nothing to do
    # Admin views run inside Wagtail's LogContext, so this is who pressed publish / approve.
    user = get_active_log_context().user
    for submission in selectors.active_submissions_for_page(page.pk):
        if revision is not None and submission.revision_id and submission.revision_id > revision.pk:
            continue
        submission.status = Submission.Status.APPROVED
        submission.decided_at = timezone.now()
        submission.decided_by = user
        submission.save()
        queue_email(
            submission,
            "approved",
            [submission.submitter_email],
            {"submission": submission, "public_url": _public_url(page)},
        )
        # Logged after the commit: an approval made through the workflow API names its user
        # only in workflow_approved, which comes after page_published.
        _after_commit(_log_approval, submission.pk, revision.pk if revision else None)
        _after_commit(deliver_pending, submission.pk)
    _after_commit(process_waiting, page.pk)


def on_workflow_approved(page_id: int, user) -> None:
    if user is not None:
        Submission.objects.filter(
            page_id=page_id, status=Submission.Status.APPROVED, decided_by__isnull=True
        ).update(decided_by=user)


def _log_approval(submission_id: int, revision_id: int | None) -> None:
    submission = Submission.objects.select_related("decided_by").get(pk=submission_id)
    log(
        instance=submission,
        action="submissions.approve",
        user=submission.decided_by,
        data={"page": submission.page_id, "revision": revision_id},
    )


def on_changes_requested(page_id: int, workflow_state: WorkflowState, user) -> None:
    """Wagtail's 「変更をリクエスト」 on a submission's draft: ask the submitter (the comment)."""
    task_state = workflow_state.current_task_state
    comment = (task_state.comment if task_state else "") or ""
    for submission in selectors.active_submissions_for_page(page_id).filter(
        status=Submission.Status.IN_REVIEW
    ):
        submission.status = Submission.Status.NEEDS_CHANGES
        submission.save(update_fields=["status", "updated_at"])
        body = comment or gettext(
            "内容について確認したいことがあります。事務局からの連絡をお待ちください。"
        )
        SubmissionMessage.objects.create(
            submission=submission, author=SubmissionMessage.Author.STAFF, user=user, body=body
        )
        queue_email(
            submission,
            "needs_changes",
            [submission.submitter_email],
            {"submission": submission, "body": body},
        )
        log(
            instance=submission,
            action="submissions.request_changes",
            user=user,
            data={"message": comment},
        )
        _after_commit(deliver_pending, submission.pk)


def on_workflow_ended(page_id: int) -> None:
    _after_commit(process_waiting, page_id)


def process_waiting(page_id: int) -> None:
    """Draft the oldest suggested change that waited for this listing's review to end."""
    waiting = selectors.waiting_submissions_for(page_id).first()
    if waiting is not None:
        sync_draft(waiting.pk)


def _public_url(page: ListingPage) -> str:
    path = page.get_url() or ""
    return path if path.startswith("http") else public_base_url() + path


def delete_photo_file(photo: SubmissionPhoto) -> None:
    """A deleted submission photo takes its private file with it."""
    if photo.file:
        photo.file.delete(save=False)
