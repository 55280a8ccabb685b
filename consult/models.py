"""What brings a resident in danger to a person who can help: crisis lines and the words that
call for them (staff-edited snippets, seeded with a reviewed default set).

Matching a query against the trigger words is ``consult.crisis``; this module only stores.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from listings.fields import ChoiceListField


class CrisisLine(models.Model):
    """A telephone (or chat) line for someone in danger, as its operator publishes it."""

    name = models.CharField(_("名前"), max_length=100, unique=True)
    number = models.CharField(
        _("番号（表示）"), max_length=40, help_text=_("例：0570-783-556、#8008、189")
    )
    dial = models.CharField(
        _("発信する番号"),
        max_length=20,
        blank=True,
        help_text=_("tel: リンクに使う数字と # だけ。空なら表示用の番号から作ります。"),
    )
    hours = models.CharField(_("受付時間"), max_length=200, blank=True)
    description = models.CharField(_("どんなときに"), max_length=300, blank=True)
    url = models.URLField(_("案内ページ"), blank=True)
    source = models.CharField(
        _("確認した出典"),
        max_length=300,
        help_text=_("番号と時間を確かめた公式の出典（機関名とページ）"),
    )
    checked_on = models.DateField(_("確認日"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(
        _("表示順"), default=100, help_text=_("小さいほど上。110・119 は先頭に。")
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("dial")]),
        FieldPanel("hours"),
        FieldPanel("description"),
        FieldPanel("url"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("checked_on")], heading=_("出典")),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("緊急の相談電話")
        verbose_name_plural = _("緊急の相談電話")

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link (digits, + and #; # escaped as %23)."""
        raw = self.dial or self.number
        kept = "".join(ch for ch in raw if ch.isdigit() or ch in "#+")
        return kept.replace("#", "%23")


class CrisisCategory(models.Model):
    """A kind of danger (suicide, abuse, violence, emergency…), the words that signal it and
    the lines to show for it."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名前"), max_length=100)
    message = models.CharField(
        _("ひとこと"),
        max_length=300,
        help_text=_("ブロックの見出しの下に出す、落ち着いた短い言葉"),
    )
    triggers = models.TextField(
        _("きっかけの言葉"),
        help_text=_(
            "1行に1つ。「＋」でつないだ言葉は全部そろったときだけ反応します"
            "（例：夫＋殴る）。「／」でつないだ言葉はどれか1つで反応します（例：夫／彼氏）。"
            "活用・ひらがな・カタカナ・全角半角の違いは自動で吸収します。"
        ),
    )
    lines = models.ManyToManyField(CrisisLine, verbose_name=_("案内する電話"), blank=True)
    local_window_note = models.CharField(
        _("身近な窓口の案内"),
        max_length=200,
        blank=True,
        help_text=_("例：お住まいの地域包括支援センターにも相談できます"),
    )
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("message"),
        FieldPanel("triggers"),
        FieldPanel("lines"),
        FieldPanel("local_window_note"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("緊急の相談の種類")
        verbose_name_plural = _("緊急の相談の種類")

    def __str__(self) -> str:
        return self.name

    @property
    def trigger_list(self) -> list[str]:
        return _lines(self.triggers)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class FallbackWindow(models.Model):
    """A window offered wherever a search, filter or finder finds little or nothing: the
    one-stop window (福祉丸ごと相談窓口) first, then the resident's local ほっとネット."""

    class Role(models.TextChoices):
        ONE_STOP = "one_stop", _("まず相談できる窓口（全市）")
        LOCAL = "local", _("地域の窓口（圏域ごと）")

    listing = models.ForeignKey(
        "listings.ListingPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("窓口"),
        limit_choices_to={"kind": "window"},
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    panels = [FieldPanel("listing"), FieldPanel("role"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("行き止まりにしない窓口")
        verbose_name_plural = _("行き止まりにしない窓口")

    def __str__(self) -> str:
        return f"{self.listing.title}（{self.get_role_display()}）"


class Trouble(ClusterableModel):
    """A trouble in residents' words (家賃が払えない, 親の物忘れ) and the windows for it, in
    order. The 困りごと finder lists them by group; a search whose words match a trouble's
    trigger words shows its windows first (same matching as the crisis lines)."""

    class Group(models.TextChoices):
        MONEY = "money", _("お金・くらし")
        WORK = "work", _("仕事")
        HOUSING = "housing", _("住まい")
        CARE = "care", _("介護・高齢")
        CHILDCARE = "childcare", _("妊娠・子育て")
        SCHOOL = "school", _("学校・子ども")
        DISABILITY = "disability", _("障害・発達")
        MIND = "mind", _("こころ・健康")
        FAMILY = "family", _("家族・暴力")
        ISOLATION = "isolation", _("孤立・ひきこもり")
        CONSUMER = "consumer", _("契約・詐欺")
        RIGHTS = "rights", _("権利・お金の管理")
        FOREIGN = "foreign", _("外国から来た方")
        SAFETY = "safety", _("事件・事故・立ち直り")
        OTHER = "other", _("どこに相談すればいいかわからない")

    name = models.CharField(_("困りごと"), max_length=100, help_text=_("住民のことばで"))
    slug = models.SlugField(_("スラッグ"), max_length=60, unique=True)
    group = models.CharField(_("分野"), max_length=20, choices=Group.choices)
    summary = models.CharField(_("説明"), max_length=300, blank=True)
    triggers = models.TextField(
        _("検索で反応する言葉"),
        blank=True,
        help_text=_("1行に1つ。書き方は「緊急の相談の種類」と同じ（＋ はすべて、／ はどれか）。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("group"), FieldPanel("sort_order")]),
        FieldPanel("summary"),
        FieldPanel("triggers"),
        InlinePanel("windows", label=_("つなぐ窓口（上から順に）")),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("困りごと")
        verbose_name_plural = _("困りごと")

    def __str__(self) -> str:
        return self.name

    @property
    def trigger_list(self) -> list[str]:
        return _lines(self.triggers)


class TroubleWindow(Orderable):
    trouble = ParentalKey(Trouble, on_delete=models.CASCADE, related_name="windows")
    listing = models.ForeignKey(
        "listings.ListingPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("窓口"),
        limit_choices_to={"kind": "window"},
    )

    panels = [FieldPanel("listing")]

    class Meta(Orderable.Meta):
        verbose_name = _("つなぐ窓口")


class Access(models.TextChoices):
    """How a window can be reached, beyond visiting in office hours."""

    LANGUAGES = "languages", _("外国語")
    SIGN_LANGUAGE = "sign_language", _("手話")
    WRITING = "writing", _("筆談")
    OUTREACH = "outreach", _("訪問（アウトリーチ）")
    NIGHT_HOLIDAY = "night_holiday", _("夜間・休日")
    ANONYMOUS = "anonymous", _("匿名")
    ONLINE = "online", _("オンライン")


# Other words residents and clients use for the same ways of access (search's ``access=``).
ACCESS_ALIASES = {
    "訪問": Access.OUTREACH,
    "アウトリーチ": Access.OUTREACH,
    "outreach": Access.OUTREACH,
    "多言語": Access.LANGUAGES,
    "夜間": Access.NIGHT_HOLIDAY,
    "休日": Access.NIGHT_HOLIDAY,
}


class WindowProfile(ClusterableModel):
    """A window's ways of access and the windows it connects to (「こちらにもつなぎます」)."""

    listing = models.OneToOneField(
        "listings.ListingPage",
        on_delete=models.CASCADE,
        related_name="consult_profile",
        verbose_name=_("窓口"),
        limit_choices_to={"kind": "window"},
    )
    access = ChoiceListField(_("相談しやすさ"), choices_enum=Access)
    languages = models.CharField(
        _("対応できる言語"),
        max_length=200,
        blank=True,
        help_text=_("例：英語、中国語、やさしい日本語"),
    )
    related = ParentalManyToManyField(
        "listings.ListingPage",
        related_name="+",
        blank=True,
        verbose_name=_("こちらにもつなぎます"),
        limit_choices_to={"kind": "window"},
    )

    panels = [
        FieldPanel("listing"),
        FieldPanel("access"),
        FieldPanel("languages"),
        FieldPanel("related"),
    ]

    class Meta:
        verbose_name = _("窓口の相談しやすさ・つなぎ先")
        verbose_name_plural = _("窓口の相談しやすさ・つなぎ先")

    def __str__(self) -> str:
        return self.listing.title

    @property
    def access_labels(self) -> list[str]:
        return [str(Access(code).label) for code in self.access or [] if code in Access.values]
