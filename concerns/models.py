"""A private concern (「気になる人がいる」) a resident raises without an account (issue 17).

Never published: no public page shows its text. It keeps the least needed: what the sender
noticed, a rough place, the area (for routing), and a way to call back only if the sender
chose to give one. No IP address, no name field. Deleted by ``purge_concerns``
(``CONCERN_KEEP_CLOSED_DAYS`` after closing, ``CONCERN_KEEP_MAX_DAYS`` after receipt at most).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Concern(models.Model):
    class Category(models.TextChoices):
        WATCH = "watch", _("様子が気になる人がいる")
        TROUBLE = "trouble", _("困っている人・世帯がある")
        COMMUNITY = "community", _("地域の困りごと・課題")

    class Status(models.TextChoices):
        NEW = "new", _("受け付けました")
        IN_PROGRESS = "in_progress", _("対応しています")
        CLOSED = "closed", _("対応を終えました")

    reference = models.CharField(_("受付番号"), max_length=9, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    area = models.ForeignKey(
        "listings.Area",
        verbose_name=_("地域"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    coordinator = models.ForeignKey(
        "community.Coordinator",
        verbose_name=_("担当"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    category = models.CharField(_("種類"), max_length=20, choices=Category.choices)
    what = models.TextField(_("気になっていること"))
    where_hint = models.CharField(_("場所の目安"), max_length=200, blank=True)
    callback = models.CharField(
        _("折り返しの連絡先"),
        max_length=200,
        blank=True,
        help_text=_("送った人が折り返しを希望したときだけ入っています。"),
    )
    status = models.CharField(_("状況"), max_length=20, choices=Status.choices, default=Status.NEW)
    staff_note = models.TextField(
        _("対応メモ（内部用）"), blank=True, help_text=_("送った人には見えません。")
    )
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(_("担当への通知"), null=True, blank=True, editable=False)
    notify_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("気になる人・困りごとの連絡")
        verbose_name_plural = _("気になる人・困りごとの連絡")
        default_permissions = ("view", "change", "delete")

    def __str__(self) -> str:
        return f"{self.reference}（{self.get_category_display()}）"

    def save(self, *args, **kwargs):
        # Derived: when it was closed (the retention period counts from then).
        if self.status == self.Status.CLOSED and self.closed_at is None:
            self.closed_at = timezone.now()
        elif self.status != self.Status.CLOSED:
            self.closed_at = None
        super().save(*args, **kwargs)
