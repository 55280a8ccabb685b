"""The home page and the staff-written 情報発信 pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
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
    # やさしい日本語: a version staff write themselves (docs/news.md), shown by ?yasashii=1.
    yasashii_summary = models.TextField(_("概要（やさしい日本語）"), blank=True, max_length=300)
    yasashii_body = StreamField(
        InformationStreamBlock(),
        blank=True,
        verbose_name=_("本文（やさしい日本語）"),
        help_text=_(
            "短い文で、むずかしいことばを使わずに書きます。書いたときだけ「やさしい日本語」の"
            "切り替えが出ます。"
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("yasashii_summary"), FieldPanel("yasashii_body")],
            heading=_("やさしい日本語"),
            classname="collapsed",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["pages.HomePage", "pages.InformationPage"]
    subpage_types = ["pages.InformationPage"]
    template = "pages/information_page.html"

    @property
    def has_yasashii(self) -> bool:
        return bool(self.yasashii_body)

    def get_context(self, request, *args, **kwargs):
        from pages.reading import yasashii_requested

        context = super().get_context(request, *args, **kwargs)
        context["yasashii"] = self.has_yasashii and yasashii_requested(request)
        return context

    class Meta:
        verbose_name = _("情報ページ")
        verbose_name_plural = _("情報ページ")


class ContactCard(models.Model):
    """A 問い合わせ先 reused across pages (a snippet): edit it once, every page shows the change."""

    name = models.CharField(_("名称"), max_length=120, help_text=_("例：地域福祉課 地域支援係"))
    address = models.CharField(_("所在地"), max_length=255, blank=True)
    phone = models.CharField(_("電話番号"), max_length=40, blank=True)
    fax = models.CharField(_("FAX番号"), max_length=40, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    hours = models.CharField(_("受付時間"), max_length=200, blank=True)
    url = models.URLField(_("ホームページ"), blank=True, max_length=500)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("fax"),
        FieldPanel("email"),
        FieldPanel("hours"),
        FieldPanel("url"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("問い合わせ先")
        verbose_name_plural = _("問い合わせ先")

    def __str__(self) -> str:
        return self.name
