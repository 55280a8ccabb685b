"""An import job: an uploaded listings file, its dry-run preview and then its real run.

The file is kept in the row (a listings CSV is small; no shared media storage is needed by the
process that runs it). The preview and the report are JSON made by ``services.jobs``. Writes go
through ``services.jobs``; reads through ``selectors``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("確認中（試行）")
        PREVIEWED = "previewed", _("確認待ち")
        QUEUED = "queued", _("取り込み待ち")
        RUNNING = "running", _("取り込み中")
        DONE = "done", _("完了")
        FAILED = "failed", _("失敗")
        CANCELLED = "cancelled", _("取り消し")

    file_name = models.CharField(_("ファイル名"), max_length=255)
    data = models.BinaryField(_("ファイル"))
    format = models.CharField(_("形式"), max_length=40, blank=True)  # "" = told by the header
    status = models.CharField(
        _("状況"), max_length=12, choices=Status.choices, default=Status.PREVIEWING
    )
    preview = models.JSONField(_("試行の結果"), default=dict, blank=True)
    report = models.JSONField(_("取り込みの結果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録した人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    # Set by whichever process runs the current phase (services.jobs.claim); cleared after it.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("取り込み")
        verbose_name_plural = _("取り込み")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("import_listings", _("居場所・窓口のCSVを取り込める")),
            ("export_listings", _("居場所・窓口のCSVを書き出せる")),
            ("chase_verification", _("掲載内容の確認（最終確認日）を管理できる")),
            ("review_searches", _("見つからなかった検索を扱える")),
            ("view_coverage", _("地域ごとの掲載数を見られる")),
        ]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PREVIEWING, self.Status.QUEUED, self.Status.RUNNING)


class VerificationRequest(models.Model):
    """One mail asking a listing's contact to confirm it is still correct (the verification
    loop, ``services.verification``). The link in the mail is signed (django.core.signing) with
    this row's id; nothing secret is stored."""

    class Status(models.TextChoices):
        SENT = "sent", _("送信済み（回答待ち）")
        FAILED = "failed", _("送信失敗")
        CONFIRMED = "confirmed", _("確認済み")
        CORRECTING = "correcting", _("修正の提案へ")

    listing = models.ForeignKey(
        "listings.ListingPage",
        verbose_name=_("掲載"),
        on_delete=models.CASCADE,
        related_name="verification_requests",
    )
    email = models.EmailField(_("宛先"))
    status = models.CharField(_("状況"), max_length=12, choices=Status.choices)
    error = models.CharField(_("エラー"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("送信日時"))
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("確認の依頼")
        verbose_name_plural = _("確認の依頼")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["listing", "-sent_at"])]

    def __str__(self) -> str:
        return f"{self.email}（{self.get_status_display()}）"


class HandledQuery(models.Model):
    """A normalised search that found little, marked handled by staff (with the synonym group
    they added, if any). It shows again when residents search it again: a search log row newer
    than ``last_log_id`` (the log keeps dates, not times)."""

    query = models.CharField(_("検索語（正規化）"), max_length=200, unique=True)
    handled_at = models.DateTimeField(_("対応日時"))
    last_log_id = models.BigIntegerField(default=0)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    synonym = models.ForeignKey(
        "search.Synonym", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("対応済みの検索")
        verbose_name_plural = _("対応済みの検索")

    def __str__(self) -> str:
        return self.query
