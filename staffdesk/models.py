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
        ]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PREVIEWING, self.Status.QUEUED, self.Status.RUNNING)
