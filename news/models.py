"""News, events (イベント・講座・出前講座) and the site-wide notice, written by staff."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pages.blocks import InformationStreamBlock


class NewsCategory(models.Model):
    """Who or what a news item or event is for: 高齢の方へ, 子育て中の方へ … (a snippet)."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    slug = models.SlugField(
        _("URLでの名前"),
        max_length=60,
        unique=True,
        allow_unicode=True,
        help_text=_("絞り込みのURLに使う名前（例：senior）。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("並び順"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("対象・目的の分類")
        verbose_name_plural = _("対象・目的の分類")

    def __str__(self) -> str:
        return self.name


class NewsIndexPage(Page):
    """お知らせ一覧: the news below it, newest first."""

    intro = models.TextField(_("紹介文"), blank=True, max_length=500)
    page_size = 20

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["news.NewsPage"]
    template = "news/news_index_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("お知らせ一覧")

    def get_context(self, request, *args, **kwargs):
        from .selectors import news_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(news_index_context(self, request.GET))
        return context


class NewsPage(Page):
    """One dated news item (お知らせ)."""

    date = models.DateField(_("日付"), default=datetime.date.today, db_index=True)
    summary = models.TextField(
        _("概要"), blank=True, max_length=300, help_text=_("一覧やフィードに出る短い説明。")
    )
    categories = ParentalManyToManyField(
        NewsCategory, blank=True, related_name="news", verbose_name=_("対象・目的")
    )
    area = models.ForeignKey(
        "listings.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("地域"),
        help_text=_("ある地域だけのお知らせなら選ぶと、その地域のページにも出ます。"),
    )
    body = StreamField(InformationStreamBlock(), verbose_name=_("本文"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("area"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "news/news_page.html"

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")

    def json_ld(self, request) -> dict:
        from .structured import news_article

        return news_article(self, request)


class EventIndexPage(Page):
    """イベント・講座一覧: upcoming events below it, soonest first; links to the calendar."""

    intro = models.TextField(_("紹介文"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["news.EventPage"]
    template = "news/event_index_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("イベント・講座一覧")

    def get_context(self, request, *args, **kwargs):
        from .selectors import event_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_index_context(self))
        return context


class EventType(models.TextChoices):
    EVENT = "event", _("イベント")
    LECTURE = "lecture", _("講座")
    OUTREACH = "outreach", _("出前講座")


class EventPage(Page):
    """An event, a lecture or a 出前講座, on one or more dates."""

    event_type = models.CharField(
        _("種類"), max_length=20, choices=EventType.choices, default=EventType.EVENT
    )
    summary = models.TextField(
        _("概要"),
        blank=True,
        max_length=300,
        help_text=_("一覧・カレンダー・フィードに出る短い説明。"),
    )
    place = models.CharField(_("会場"), max_length=200, blank=True)
    address = models.CharField(_("会場の所在地"), max_length=255, blank=True)
    area = models.ForeignKey(
        "listings.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("地域"),
        help_text=_("会場のある地域。地域のページとカレンダーの絞り込みに使います。"),
    )
    audience = ParentalManyToManyField(
        "listings.AgeGroup", blank=True, related_name="+", verbose_name=_("対象")
    )
    audience_note = models.CharField(_("対象（補足）"), max_length=200, blank=True)
    categories = ParentalManyToManyField(
        NewsCategory, blank=True, related_name="events", verbose_name=_("対象・目的")
    )
    capacity = models.CharField(_("定員"), max_length=100, blank=True)
    fee = models.CharField(_("参加費"), max_length=100, blank=True)
    how_to_apply = models.TextField(_("申込方法"), blank=True)
    apply_deadline = models.DateField(_("申込締切"), null=True, blank=True)
    contact = models.CharField(_("問い合わせ先"), max_length=255, blank=True)
    body = StreamField(InformationStreamBlock(), blank=True, verbose_name=_("本文"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("event_type"),
        FieldPanel("summary"),
        InlinePanel("dates", label=_("日時"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("address"), FieldPanel("area")], heading=_("会場")
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience_note"),
                FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("対象"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("fee")]),
                FieldPanel("how_to_apply"),
                FieldPanel("apply_deadline"),
                FieldPanel("contact"),
            ],
            heading=_("申込み"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place"),
        index.SearchField("body"),
    ]
    parent_page_types = ["news.EventIndexPage"]
    subpage_types: list[str] = []
    template = "news/event_page.html"

    class Meta:
        verbose_name = _("イベント・講座")
        verbose_name_plural = _("イベント・講座")

    def json_ld(self, request) -> dict:
        from .structured import event

        return event(self, request)

    def sorted_dates(self) -> list[EventDate]:
        return sorted(self.dates.all(), key=lambda d: (d.date, d.start_time or datetime.time.min))

    def upcoming_dates(self, today: datetime.date | None = None) -> list[EventDate]:
        today = today or timezone.localdate()
        return [d for d in self.sorted_dates() if d.date >= today]


class EventDate(Orderable):
    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("日付"))
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")])]

    class Meta(Orderable.Meta):
        verbose_name = _("日時")

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("終了時刻は開始時刻より後にしてください。")})


class NoticeLevel(models.TextChoices):
    INFO = "info", _("お知らせ")
    IMPORTANT = "important", _("重要")
    EMERGENCY = "emergency", _("緊急")


class SiteNotice(models.Model):
    """A site-wide notice staff schedule (a snippet): 緊急 on every page above everything,
    重要 on every page under the header, お知らせ on the home page."""

    level = models.CharField(
        _("レベル"), max_length=20, choices=NoticeLevel.choices, default=NoticeLevel.INFO
    )
    title = models.CharField(_("見出し"), max_length=120)
    message = models.TextField(_("本文"), max_length=1000)
    link_url = models.URLField(_("詳しい情報のURL"), blank=True, max_length=500)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("詳しい情報のページ"),
    )
    starts_at = models.DateTimeField(_("表示開始"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("表示終了"), null=True, blank=True, help_text=_("空なら、取り下げるまで表示します。")
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("level"),
        FieldPanel("title"),
        FieldPanel("message"),
        FieldPanel("link_page"),
        FieldPanel("link_url"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
    ]

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("サイト全体のお知らせ")
        verbose_name_plural = _("サイト全体のお知らせ")

    def __str__(self) -> str:
        return f"[{self.get_level_display()}] {self.title}"

    def clean(self) -> None:
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("表示終了は表示開始より後にしてください。")})

    @property
    def link(self) -> str:
        if self.link_page_id and self.link_page and self.link_page.live:
            return self.link_page.url or ""
        return self.link_url
