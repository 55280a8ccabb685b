"""Volunteering and 参加支援 (issue 17): opportunities staff publish, inquiries residents send
without an account (reaching the named coordinator by mail and the admin)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class VolunteerOpportunity(models.Model):
    title = models.CharField(_("名称"), max_length=120, help_text=_("例：ほっとネット推進員"))
    role = models.CharField(_("役割"), max_length=200, help_text=_("どんなことをするか"))
    when = models.CharField(_("いつ"), max_length=200, help_text=_("例：月1回、平日の午後"))
    area = models.ForeignKey(
        "listings.Area",
        verbose_name=_("地域"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("この地域とその中の地域で探すと見つかります。"),
    )
    place = models.CharField(_("場所"), max_length=200, blank=True)
    who_can = models.CharField(_("だれができるか"), max_length=300)
    support = models.CharField(
        _("受けられる支援"), max_length=300, blank=True, help_text=_("例：研修、保険、交通費")
    )
    description = models.TextField(_("説明"), blank=True)
    network = models.ForeignKey(
        "community.Network",
        verbose_name=_("ネットワーク"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    coordinator = models.ForeignKey(
        "community.Coordinator",
        verbose_name=_("問い合わせを受けるコーディネーター"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        help_text=_("問い合わせのメールがこの人の通知先に届きます。"),
    )
    is_open = models.BooleanField(_("募集中"), default=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("role"),
        FieldRowPanel([FieldPanel("when"), FieldPanel("area")]),
        FieldPanel("place"),
        FieldPanel("who_can"),
        FieldPanel("support"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("network"), FieldPanel("coordinator"), FieldPanel("is_open")],
            heading=_("つながり"),
        ),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("ボランティア・参加の機会")
        verbose_name_plural = _("ボランティア・参加の機会")

    def __str__(self) -> str:
        return self.title


class VolunteerInquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("新規")
        CONTACTED = "contacted", _("連絡した")
        MATCHED = "matched", _("参加につながった")
        CLOSED = "closed", _("終了")

    reference = models.CharField(_("受付番号"), max_length=9, unique=True, editable=False)
    opportunity = models.ForeignKey(
        VolunteerOpportunity,
        verbose_name=_("ボランティア・参加の機会"),
        on_delete=models.CASCADE,
        related_name="inquiries",
    )
    name = models.CharField(_("お名前"), max_length=100)
    contact = models.CharField(_("連絡先"), max_length=200)
    message = models.TextField(_("聞きたいこと・伝えたいこと"), blank=True)
    status = models.CharField(_("状況"), max_length=20, choices=Status.choices, default=Status.NEW)
    staff_note = models.TextField(_("対応メモ（内部用）"), blank=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    notified_at = models.DateTimeField(_("担当への通知"), null=True, blank=True, editable=False)
    notify_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("参加の問い合わせ")
        verbose_name_plural = _("参加の問い合わせ")
        default_permissions = ("view", "change", "delete")

    def __str__(self) -> str:
        return f"{self.reference} {self.opportunity}"
