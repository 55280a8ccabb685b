"""Community submissions (DESIGN.md §7): what a group sent, kept apart from the listing pages.

Nothing here is public. The submitter's own name and contact live only on ``Submission``; the
proposed listing fields are plain JSON (``data``) and reach a ListingPage only as a draft
revision in the moderation workflow (see ``services``). Writes go through ``services``, reads
through ``selectors``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import SubmissionFileStorage


class Submission(models.Model):
    """One group's proposal: a new listing, or a change to an existing one."""

    class Kind(models.TextChoices):
        NEW = "new", _("新しい掲載")
        CHANGE = "change", _("掲載内容の修正")

    class Status(models.TextChoices):
        RECEIVED = "received", _("受け付けました")
        IN_REVIEW = "in_review", _("確認中です")
        NEEDS_CHANGES = "needs_changes", _("修正をお願いしています")
        APPROVED = "approved", _("掲載しました")
        REJECTED = "rejected", _("掲載を見送りました")

    reference = models.CharField(_("受付番号"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    # The proposed listing fields as JSON-ready values (see forms.SubmissionForm.proposal).
    data = models.JSONField(_("提案された内容"), default=dict)
    # For a suggested change: what the listing said when the group saw it. Only the fields they
    # changed from this are applied, so a change made meanwhile by someone else is not undone.
    baseline = models.JSONField(default=dict, blank=True, editable=False)
    # The proposal as last put on the draft: an update applies only what changed since, so
    # staff's own edits to the other fields of the draft are kept.
    applied_data = models.JSONField(default=dict, blank=True, editable=False)

    # Private: shown to staff only, never copied onto a page.
    submitter_name = models.CharField(_("投稿者の名前"), max_length=100)
    submitter_email = models.EmailField(_("投稿者のメールアドレス"))
    submitter_phone = models.CharField(_("投稿者の電話番号"), max_length=40, blank=True)
    consented_at = models.DateTimeField(_("個人情報の取り扱いへの同意"))

    target = models.ForeignKey(
        "listings.ListingPage",
        verbose_name=_("修正する掲載"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_submissions",
    )
    page = models.ForeignKey(
        "listings.ListingPage",
        verbose_name=_("下書きのページ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("下書きの版"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    processing_error = models.TextField(_("処理のエラー"), blank=True)
    # Set in the transaction that stores what the group sent, cleared once the draft is made:
    # while set, the draft is retried (submissions.recovery).
    draft_due_at = models.DateTimeField(
        _("下書きの作成待ち"), null=True, blank=True, editable=False
    )

    created_at = models.DateTimeField(_("受付日時"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("決定した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    ACTIVE_STATUSES = (Status.RECEIVED, Status.IN_REVIEW, Status.NEEDS_CHANGES)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("地域からの投稿")
        verbose_name_plural = _("地域からの投稿")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class SubmissionLink(models.Model):
    """A private status link. Only a hash of its token is stored; each link has its own expiry.

    A submission can have several (the one shown after sending, one in each e-mail), so a mail
    can always carry a working link without the raw token ever being stored.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("状況確認リンク")
        verbose_name_plural = _("状況確認リンク")

    def __str__(self) -> str:
        return f"{self.submission.reference}（{self.expires_at:%Y-%m-%d}まで）"


def photo_upload_to(instance: SubmissionPhoto, filename: str) -> str:
    # A random name: the submitter's file name may say who or where they are.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class SubmissionPhoto(models.Model):
    """A photo as stored: decoded, re-encoded (no EXIF), in the private submission storage."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("写真"), storage=SubmissionFileStorage(), upload_to=photo_upload_to)
    caption = models.CharField(_("写真の説明"), max_length=255, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # The Wagtail image made from it for the draft page (once a draft exists).
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("投稿の写真")
        verbose_name_plural = _("投稿の写真")

    def __str__(self) -> str:
        return self.caption or self.file.name


class SubmissionMessage(models.Model):
    """The thread between staff and the submitter (questions, replies, notes on updates)."""

    class Author(models.TextChoices):
        STAFF = "staff", _("事務局")
        SUBMITTER = "submitter", _("投稿者")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("送った人"), max_length=10, choices=Author.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("メッセージ"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("投稿へのメッセージ")
        verbose_name_plural = _("投稿へのメッセージ")

    def __str__(self) -> str:
        return f"{self.get_author_display()}: {self.body[:30]}"


class SubmissionEmail(models.Model):
    """One e-mail about a submission, stored before it is sent (an outbox).

    A mail server that is down loses nothing: the row stays ``failed`` with the error, the
    admin shows it and ``retry_submission_mail`` sends it again. A body that needs the status
    link holds a placeholder; a fresh link is made at each sending attempt.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")
        SKIPPED = "skipped", _("宛先なし")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="emails")
    purpose = models.CharField(_("用途"), max_length=30)
    recipients = models.JSONField(_("宛先"), default=list)
    subject = models.CharField(_("件名"), max_length=255)
    body = models.TextField(_("本文"))
    with_status_link = models.BooleanField(default=False)
    status = models.CharField(
        _("送信状況"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("送信回数"), default=0)
    last_error = models.TextField(_("エラー"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("投稿のメール")
        verbose_name_plural = _("投稿のメール")

    def __str__(self) -> str:
        return f"{self.subject}（{self.get_status_display()}）"
