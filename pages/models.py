"""The home page and the staff-written 情報発信 pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import InformationStreamBlock


class HomePage(Page):
    """Leads residents to search, the four kinds and the areas."""

    intro = RichTextField(_("紹介文"), blank=True, features=["bold", "link"])
    body = StreamField(InformationStreamBlock(), blank=True, verbose_name=_("お知らせ欄"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "listings.ListingIndexPage",
        "pages.InformationPage",
        "news.NewsIndexPage",
        "news.EventIndexPage",
    ]
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("トップページ")

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self))
        return context


class InformationPage(Page):
    """Goals of the plan, news and explanations, written by staff."""

    summary = models.TextField(
        _("概要"), blank=True, max_length=300, help_text=_("一覧や検索結果に出る短い説明。")
    )
    body = StreamField(InformationStreamBlock(), verbose_name=_("本文"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["pages.HomePage", "pages.InformationPage"]
    subpage_types = ["pages.InformationPage"]
    template = "pages/information_page.html"

    class Meta:
        verbose_name = _("情報ページ")
        verbose_name_plural = _("情報ページ")
