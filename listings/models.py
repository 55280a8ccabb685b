"""Areas and listings: the content residents look for.

Areas are data (a four-tier tree, DESIGN.md §3); listings are Wagtail pages so staff get drafts,
revisions, preview, scheduling and moderation for free.
"""

from __future__ import annotations

import datetime
import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import schedules
from .admin_forms import ListingCopyForm
from .fields import ChoiceListField
from .panels import MapPointPanel
from .vocabulary import (
    TIER_ORDER,
    WEEKDAY_NAMES,
    Age,
    Booking,
    ContactMethod,
    HolidayPolicy,
    Kind,
    Tier,
)

area_code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+$", _("コードは半角英数字・ハイフン・アンダースコアで入力してください。")
)
latitude_validators = [MinValueValidator(-90.0), MaxValueValidator(90.0)]
longitude_validators = [MinValueValidator(-180.0), MaxValueValidator(180.0)]


class Area(models.Model):
    """One node of the area tree: the city, a 圏域, a ふれまち地区 or a neighbourhood."""

    code = models.CharField(
        _("コード"),
        max_length=32,
        unique=True,
        validators=[area_code_validator],
        help_text=_("地区コード。CSVの「地区コード」「親コード」で使います。"),
    )
    name = models.CharField(_("名称"), max_length=100)
    name_kana = models.CharField(_("名称（カナ）"), max_length=200, blank=True)
    tier = models.CharField(_("階層"), max_length=20, choices=Tier.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("親の地域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("ひとつ上の階層の地域。市全域のときは空にします。"),
    )
    latitude = models.FloatField(_("緯度"), null=True, blank=True, validators=latitude_validators)
    longitude = models.FloatField(_("経度"), null=True, blank=True, validators=longitude_validators)
    description = models.TextField(
        _("紹介"), blank=True, help_text=_("地域ページの冒頭に表示します。")
    )
    coordinator = models.CharField(
        _("担当の地域福祉コーディネーター"),
        max_length=200,
        blank=True,
        help_text=_("例：北部圏域 ほっとネットステーション"),
    )
    # Materialised path of codes ("/city/north/"): descendants are one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("tier")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_kana")]),
        FieldPanel("parent"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        MapPointPanel(address=""),
        FieldPanel("description"),
        FieldPanel("coordinator"),
    ]

    class Meta:
        ordering = ["path"]
        verbose_name = _("地域")
        verbose_name_plural = _("地域")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_tier_display()}）"

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = self.build_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # The subtree moved or was renamed: keep descendants' paths derived from ours.
            for child in self.children.all():
                child.save()

    def clean(self):
        super().clean()
        if self.tier == Tier.CITY:
            if self.parent_id:
                raise ValidationError({"parent": _("市全域の地域には親を設定できません。")})
            return
        if not self.parent_id:
            raise ValidationError({"parent": _("市全域以外の地域には親の地域が必要です。")})
        expected = TIER_ORDER[TIER_ORDER.index(self.tier) - 1]
        if self.parent.tier != expected:
            raise ValidationError(
                {
                    "parent": _("親の地域は「%(tier)s」の階層にしてください。")
                    % {"tier": Tier(expected).label}
                }
            )

    def build_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"

    @property
    def depth(self) -> int:
        return TIER_ORDER.index(self.tier)

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to this area, itself included."""
        return [code for code in self.path.split("/") if code]

    def ancestors(self, include_self: bool = True) -> list[Area]:
        codes = self.ancestor_codes if include_self else self.ancestor_codes[:-1]
        by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def ancestor_at(self, tier: str) -> Area:
        """The area at ``tier`` above this one, or this area when ``tier`` is not above it."""
        if tier not in TIER_ORDER or TIER_ORDER.index(tier) >= self.depth:
            return self
        wanted = self.ancestor_codes[TIER_ORDER.index(tier)]
        return Area.objects.get(code=wanted)

    def descendants(self, include_self: bool = False):
        qs = Area.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class AgeGroup(models.Model):
    """The fixed age-group vocabulary (rows created by migration, codes are a contract)."""

    code = models.CharField(max_length=20, primary_key=True, choices=Age.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("対象年齢")
        verbose_name_plural = _("対象年齢")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        return Age(self.code).label


class ListingTopic(TaggedItemBase):
    content_object = ParentalKey(
        "listings.ListingPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ListingIndexPage(Page):
    """The parent of every listing: a browsable list, filterable by kind."""

    intro = RichTextField(_("紹介文"), blank=True, features=["bold", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = Page.search_fields
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["listings.ListingPage"]
    template = "pages/listing_index_page.html"
    copy_form_class = ListingCopyForm
    page_size = 20

    class Meta:
        verbose_name = _("居場所・窓口の一覧")

    def get_context(self, request, *args, **kwargs):
        from .selectors import listing_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(listing_index_context(self, request.GET))
        return context


class ListingPage(RoutablePageMixin, Page):
    """A 居場所, 子ども食堂, ふれまち activity or 相談窓口 (``kind`` says which).

    Extra views (the printable flyer) are routes below the page's own URL, so they follow the
    page through renames and moves and are served only when the page itself is (live, and past
    any privacy restriction).
    """

    kind = models.CharField(_("区分"), max_length=20, choices=Kind.choices, db_index=True)
    name_kana = models.CharField(
        _("名称（カナ）"),
        max_length=255,
        blank=True,
        help_text=_("名称の読みをカタカナで。例：ミドリコドモショクドウ"),
    )
    description = RichTextField(
        _("説明"),
        blank=True,
        features=["bold", "link", "ol", "ul"],
        help_text=_("どんな場所か、何をしているかを短く、わかりやすく。"),
    )
    description_yasashii = models.TextField(
        _("説明（やさしい日本語）"),
        blank=True,
        max_length=1000,
        help_text=_(
            "説明を、短い文とやさしいことばで書き直したもの。書いたときだけページに"
            "「やさしい日本語」の切り替えが出ます。"
        ),
    )
    age_groups = ParentalManyToManyField(
        AgeGroup,
        verbose_name=_("対象者"),
        blank=True,
        related_name="listings",
        help_text=_("「どなたでも」はすべての年齢の絞り込みに表示されます。"),
    )
    topics = ClusterTaggableManager(
        verbose_name=_("テーマ"),
        through=ListingTopic,
        blank=True,
        help_text=_("例：食事、学習支援、介護予防、子育て。カンマで区切ります。"),
    )

    location_area = models.ForeignKey(
        Area,
        verbose_name=_("所在地区"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="located_listings",
        help_text=_("この場所がある、いちばん細かい地域。"),
    )
    service_tier = models.CharField(
        _("対象範囲"),
        max_length=20,
        choices=Tier.choices,
        default=Tier.NEIGHBOURHOOD,
        help_text=_(
            "どの範囲の人が利用できるか。例：自治会のサロンは「身近な地域」、"
            "市内のだれでも使える窓口は「市全域」。"
        ),
    )
    # Derived from location_area and service_tier on save (DESIGN.md §3).
    service_area = models.ForeignKey(
        Area,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="served_listings",
    )
    address = models.CharField(_("所在地"), max_length=255, blank=True)
    latitude = models.FloatField(_("緯度"), null=True, blank=True, validators=latitude_validators)
    longitude = models.FloatField(_("経度"), null=True, blank=True, validators=longitude_validators)

    organiser = models.CharField(_("運営団体"), max_length=255, blank=True)
    phone = models.CharField(_("電話番号"), max_length=40, blank=True)
    fax = models.CharField(_("FAX番号"), max_length=40, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    # Not "url": that would hide Wagtail's Page.url (the page's own address).
    website = models.URLField(_("ホームページ"), blank=True, max_length=500)

    holiday_policy = models.CharField(
        _("祝日"), max_length=10, choices=HolidayPolicy.choices, blank=True, default=""
    )
    schedule_note = models.TextField(
        _("日時の特記事項"),
        blank=True,
        help_text=_("例：8月はお休み。雨天中止。日程は毎月のお知らせで確認してください。"),
    )
    fee = models.CharField(
        _("料金"), max_length=255, blank=True, help_text=_("例：子ども無料、大人300円")
    )
    booking = models.CharField(
        _("予約"), max_length=20, choices=Booking.choices, blank=True, default=""
    )
    how_to_join = models.TextField(
        _("参加・利用の方法"), blank=True, help_text=_("予約の方法、持ち物など。")
    )
    accessibility = models.TextField(
        _("バリアフリー情報"),
        blank=True,
        help_text=_("例：段差なし、車いす用トイレあり、駐車場なし。"),
    )
    last_verified = models.DateField(
        _("最終確認日"), null=True, blank=True, help_text=_("内容を最後に確かめた日。")
    )

    schedule_text = models.TextField(
        _("開催日時（元の表記）"),
        blank=True,
        help_text=_("取り込んだデータの表記のまま。住民にもそのまま表示します。"),
    )
    capacity = models.CharField(_("定員"), max_length=100, blank=True)
    school_district = models.CharField(
        _("学区"), max_length=255, blank=True, help_text=_("例：みどり小;ひかり小")
    )
    source_municipality = models.CharField(_("出典の自治体"), max_length=100, blank=True)
    source_dataset = models.CharField(_("出典のデータセット"), max_length=255, blank=True)
    source_license = models.CharField(_("出典のライセンス"), max_length=255, blank=True)
    source_url = models.URLField(_("出典のURL"), max_length=500, blank=True)
    source_date = models.DateField(
        _("データの時点"),
        null=True,
        blank=True,
        help_text=_(
            "出典のデータの日付（公開日、なければ取得した日）。ページに「データの時点」と表示します。"
        ),
    )

    consultation_keywords = models.TextField(
        _("相談内容"),
        blank=True,
        help_text=_(
            "相談窓口のみ。住民が使う言葉で、読点（、）で区切ります。例：お金、家賃、介護、認知症"
        ),
    )
    contact_methods = ChoiceListField(
        _("相談の方法"), choices_enum=ContactMethod, help_text=_("相談窓口のみ。")
    )

    external_id = models.CharField(
        _("外部ID"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("CSVの「ID」。取り込みで同じ行を見分けるのに使います。"),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name_kana")]),
        FieldPanel("description"),
        FieldPanel("description_yasashii"),
        FieldPanel("age_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics"),
        InlinePanel("photos", label=_("写真"), max_num=10),
    ]
    place_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("location_area"), FieldPanel("service_tier")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                MapPointPanel(),
                FieldPanel("school_district"),
            ],
            heading=_("場所"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organiser"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("fax")]),
                FieldRowPanel([FieldPanel("email"), FieldPanel("website")]),
            ],
            heading=_("連絡先"),
        ),
        FieldPanel("accessibility"),
    ]
    schedule_panels = [
        HelpPanel(
            content=_(
                "<p>開催日（相談窓口は受付日）を1行ずつ登録します。"
                "「毎週 月・水」は2行、「第2・第4土曜」も2行です。</p>"
            )
        ),
        InlinePanel("schedule_rules", label=_("開催日・受付日")),
        FieldPanel("holiday_policy"),
        FieldPanel("schedule_note"),
        FieldPanel("schedule_text"),
        MultiFieldPanel(
            [
                FieldPanel("fee"),
                FieldPanel("booking"),
                FieldPanel("how_to_join"),
                FieldPanel("capacity"),
            ],
            heading=_("料金と参加方法"),
        ),
        FieldPanel("last_verified"),
    ]
    window_panels = [
        HelpPanel(content=_("<p>区分が「相談窓口」のときに入力します。</p>")),
        FieldPanel("consultation_keywords"),
        FieldPanel("contact_methods"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("内容")),
            ObjectList(place_panels, heading=_("場所と連絡先")),
            ObjectList(schedule_panels, heading=_("日時と参加")),
            ObjectList(window_panels, heading=_("相談窓口")),
            ObjectList([*Page.promote_panels, FieldPanel("external_id")], heading=_("公開設定")),
            ObjectList(Page.settings_panels, heading=_("設定")),
        ]
    )

    # Stock Wagtail search until the search app's engine replaces it (issue: Japanese search).
    search_fields = [
        *Page.search_fields,
        index.SearchField("name_kana"),
        index.SearchField("description"),
        index.SearchField("consultation_keywords"),
        index.SearchField("organiser"),
        index.SearchField("address"),
        index.SearchField("fee"),
        index.SearchField("how_to_join"),
        index.SearchField("schedule_text"),
        index.SearchField("schedule_note"),
        index.SearchField("school_district"),
        index.FilterField("kind"),
        index.FilterField("location_area"),
    ]

    parent_page_types = ["listings.ListingIndexPage"]
    subpage_types: list[str] = []
    template = "pages/listing_page.html"
    # A copy is a new listing: it must not share the original's import ID (nor be an alias).
    exclude_fields_in_copy = ["external_id"]
    copy_form_class = ListingCopyForm

    class Meta:
        verbose_name = _("居場所・窓口")
        verbose_name_plural = _("居場所・窓口")

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({field: _("緯度と経度は両方入力するか、両方空にしてください。")})

    def save(self, *args, **kwargs):
        self.service_area = (
            self.location_area.ancestor_at(self.service_tier) if self.location_area_id else None
        )
        if not self.external_id:
            # Every listing gets an ID so an export can be edited and imported back.
            self.external_id = f"portal-{uuid.uuid4().hex[:12]}"
        return super().save(*args, **kwargs)

    @property
    def service_tier_label(self) -> str:
        """The tier's words (「概ね小学校通学区域」) only when the service area really is of that
        tier: an open-data listing placed in a whole city serves the city as far as anyone
        knows, and 「西東京市（概ね小学校通学区域）」 would say more than the source."""
        if self.service_area is None or self.service_area.tier == self.service_tier:
            return str(self.get_service_tier_display())
        return ""

    def get_context(self, request, *args, **kwargs):
        from pages.reading import yasashii_requested

        context = super().get_context(request, *args, **kwargs)
        context["yasashii"] = bool(self.description_yasashii) and yasashii_requested(request)
        return context

    @path("flyer/", name="flyer")
    def flyer(self, request):
        """A printable one-page flyer (A4) with a QR code to the page. As a route, Wagtail has
        already found the live page and checked its privacy."""
        return self.render(
            request,
            template="pages/listing_flyer.html",
            context_overrides={
                "listing": self,
                "page_url": request.build_absolute_uri(self.get_url(request)),
                "next_dates": self.next_dates(3),
            },
        )

    def get_route_paths(self) -> list[str]:
        # Wagtail redirects these below the old URL when the page is renamed or moved.
        return ["/", "/flyer/"]

    @property
    def is_window(self) -> bool:
        return self.kind == Kind.WINDOW

    @property
    def consultation_keyword_list(self) -> list[str]:
        return split_keywords(self.consultation_keywords)

    @property
    def contact_method_labels(self) -> list[str]:
        return [str(ContactMethod(c).label) for c in self.contact_methods or []]

    @cached_property
    def age_group_codes(self) -> list[str]:
        return [a.code for a in self.age_groups.all()]

    def next_dates(self, count: int = 5, start: datetime.date | None = None):
        rules = [schedules.Rule.from_model(rule) for rule in self.schedule_rules.all()]
        return schedules.next_occurrences(rules, self.holiday_policy, start=start, count=count)


def split_keywords(text: str) -> list[str]:
    return [k for k in (part.strip() for part in re.split(r"[、,，;；\n]", text or "")) if k]


class ScheduleRule(Orderable):
    """One recurring day (or one date) with an optional time range."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("毎週")
        MONTHLY = "monthly", _("毎月 第n")
        MONTHDAY = "monthday", _("毎月 n日")
        DATE = "date", _("日付指定")
        TENTATIVE = "tentative", _("日程は要確認（曜日だけ・時間だけ）")

    WEEK_CHOICES = [(1, "第1"), (2, "第2"), (3, "第3"), (4, "第4"), (5, "第5"), (-1, "最終")]

    listing = ParentalKey(ListingPage, on_delete=models.CASCADE, related_name="schedule_rules")
    frequency = models.CharField(_("くり返し"), max_length=10, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(
        _("曜日"),
        null=True,
        blank=True,
        choices=list(enumerate(WEEKDAY_NAMES)),
    )
    week_of_month = models.SmallIntegerField(
        _("第何週"),
        null=True,
        blank=True,
        choices=WEEK_CHOICES,
        help_text=_("「毎月 第n」のときだけ。"),
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("日"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("「毎月 n日」のときだけ。例：12"),
    )
    date = models.DateField(
        _("日付"), null=True, blank=True, help_text=_("「日付指定」のときだけ。")
    )
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)

    panels = [
        FieldRowPanel(
            [FieldPanel("frequency"), FieldPanel("week_of_month"), FieldPanel("weekday")]
        ),
        FieldRowPanel([FieldPanel("day_of_month"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("開催日")
        verbose_name_plural = _("開催日")

    def __str__(self) -> str:
        return schedules.describe_rule(schedules.Rule.from_model(self))

    def clean(self):
        super().clean()
        errors = {}
        repeating = self.frequency in (self.Frequency.WEEKLY, self.Frequency.MONTHLY)
        if repeating and self.weekday is None:
            errors["weekday"] = _("曜日を選んでください。")
        if self.frequency == self.Frequency.MONTHLY and self.week_of_month is None:
            errors["week_of_month"] = _("第何週かを選んでください。")
        if self.frequency == self.Frequency.MONTHDAY and self.day_of_month is None:
            errors["day_of_month"] = _("日を入力してください。")
        if self.frequency == self.Frequency.DATE and self.date is None:
            errors["date"] = _("日付を入力してください。")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("終了時刻は開始時刻より後にしてください。")
        if errors:
            raise ValidationError(errors)


class ListingPhoto(Orderable):
    listing = ParentalKey(ListingPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("画像"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("説明"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
