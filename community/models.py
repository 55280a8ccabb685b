"""What residents see about their area and the networks working in it (issue 17).

Areas stay data (``listings.Area``); this app attaches staff-written content to them as
snippets rather than turning areas into pages: notices (``AreaNotice``) and coordinators
(``Coordinator``) are separate snippets so a coordinator's group can write them without the
permission to change the area tree itself, and several notices per area come and go by date.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from listings.vocabulary import Tier

from .normalize import lookup_key

RICH_FEATURES = ["bold", "link", "ol", "ul"]


class AreaNotice(models.Model):
    """A notice staff write for one 圏域 or 地区, shown on its page (and, if chosen, below)."""

    area = models.ForeignKey(
        "listings.Area",
        verbose_name=_("地域"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    title = models.CharField(_("見出し"), max_length=120)
    body = RichTextField(_("本文"), features=RICH_FEATURES, blank=True)
    shown_from = models.DateField(_("掲載開始日"))
    shown_until = models.DateField(
        _("掲載終了日"), null=True, blank=True, help_text=_("空のときは掲載を続けます。")
    )
    include_subareas = models.BooleanField(
        _("この中の地域のページにも表示する"),
        default=True,
        help_text=_("圏域のお知らせを、その中のふれまち地区や町丁目のページにも出します。"),
    )

    panels = [
        FieldPanel("area"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("shown_from"), FieldPanel("shown_until")]),
        FieldPanel("include_subareas"),
    ]

    class Meta:
        ordering = ["-shown_from", "title"]
        verbose_name = _("地域のお知らせ")
        verbose_name_plural = _("地域のお知らせ")

    def __str__(self) -> str:
        return self.title


class Coordinator(models.Model):
    """A coordinator residents can reach, shown as a contact card on the area's pages."""

    name = models.CharField(
        _("名称"), max_length=120, help_text=_("例：北東部圏域 地域福祉コーディネーター")
    )
    role = models.CharField(
        _("役割"), max_length=80, default=_("地域福祉コーディネーター"), blank=True
    )
    area = models.ForeignKey(
        "listings.Area",
        verbose_name=_("担当の地域"),
        on_delete=models.CASCADE,
        related_name="coordinators",
        help_text=_("この地域とその中の地域のページに表示します（ふつうは圏域）。"),
    )
    window = models.ForeignKey(
        "listings.ListingPage",
        verbose_name=_("いる窓口（ほっとネットステーションなど）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("電話番号"), max_length=40, blank=True)
    hours = models.CharField(_("受付時間"), max_length=120, blank=True)
    note = models.TextField(_("ひとこと"), blank=True)
    notify_email = models.EmailField(
        _("通知先メールアドレス（非公開）"),
        blank=True,
        help_text=_("「気になる人」の連絡が届くアドレス。サイトには表示しません。"),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldPanel("area"),
        FieldPanel("window"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("hours")]),
        FieldPanel("note"),
        FieldPanel("notify_email"),
    ]

    class Meta:
        ordering = ["area__path", "name"]
        verbose_name = _("コーディネーター")
        verbose_name_plural = _("コーディネーター")

    def __str__(self) -> str:
        return self.name


class LookupKind(models.TextChoices):
    TOWN = "town", _("町丁目・住所")
    SCHOOL = "school", _("小学校")
    LANDMARK = "landmark", _("施設・通称")


class AreaLookup(models.Model):
    """A name a resident may type (a 町丁目, a school, a landmark) and the area it is in."""

    kind = models.CharField(_("種類"), max_length=20, choices=LookupKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    name_kana = models.CharField(_("名称（カナ）"), max_length=200, blank=True)
    area = models.ForeignKey(
        "listings.Area",
        verbose_name=_("地域"),
        on_delete=models.CASCADE,
        related_name="lookups",
    )
    key = models.CharField(max_length=200, editable=False, db_index=True)
    kana_key = models.CharField(max_length=200, editable=False, blank=True, db_index=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("area")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_kana")]),
    ]

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="community_lookup_kind_name")
        ]
        verbose_name = _("地域の検索語")
        verbose_name_plural = _("地域の検索語")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def save(self, *args, **kwargs):
        self.key = lookup_key(self.name)
        self.kana_key = lookup_key(self.name_kana)
        super().save(*args, **kwargs)


class Pillar(models.TextChoices):
    """The three pillars of 重層的支援体制整備事業."""

    CONSULT = "consult", _("相談")
    PARTICIPATE = "participate", _("参加支援")
    COMMUNITY = "community", _("地域づくり")


class Network(ClusterableModel):
    """A network of the plan (ほっとネット, ささえあいネットワーク, …), explained on its page."""

    code = models.SlugField(
        _("コード"),
        max_length=40,
        unique=True,
        help_text=_("ページのアドレスに使います（半角英数字）。"),
    )
    name = models.CharField(_("名称"), max_length=100)
    name_kana = models.CharField(_("名称（カナ）"), max_length=200, blank=True)
    summary = models.CharField(_("ひとことで"), max_length=200)
    who_for = models.TextField(_("だれのためのしくみか"), blank=True)
    what_it_does = RichTextField(_("していること"), features=RICH_FEATURES, blank=True)
    how_to_reach = RichTextField(_("つながり方"), features=RICH_FEATURES, blank=True)
    pillar = models.CharField(_("重層的支援の柱"), max_length=20, choices=Pillar.choices)
    tier = models.CharField(_("主に活動する階層"), max_length=20, choices=Tier.choices, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_kana")]),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("pillar"), FieldPanel("tier")]),
        FieldPanel("who_for"),
        FieldPanel("what_it_does"),
        FieldPanel("how_to_reach"),
        MultiFieldPanel(
            [InlinePanel("members", label=_("参加している窓口・活動"))],
            heading=_("窓口・活動"),
        ),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("ネットワーク")
        verbose_name_plural = _("ネットワーク")

    def __str__(self) -> str:
        return self.name


class NetworkMember(Orderable):
    """A listing (window, activity, place) taking part in a network, with its role there."""

    network = ParentalKey(Network, on_delete=models.CASCADE, related_name="members")
    listing = models.ForeignKey(
        "listings.ListingPage",
        verbose_name=_("窓口・活動"),
        on_delete=models.CASCADE,
        related_name="network_memberships",
    )
    role = models.CharField(_("役割"), max_length=80, blank=True, help_text=_("例：窓口、協力団体"))

    panels = [FieldPanel("listing"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("参加している窓口・活動")
        constraints = [
            models.UniqueConstraint(fields=["network", "listing"], name="community_member_once")
        ]
