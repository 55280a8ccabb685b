"""The home page, the staff-written 情報発信 pages and the site's identity (site settings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
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
    areas = ParentalManyToManyField(
        "listings.Area",
        blank=True,
        related_name="information_pages",
        verbose_name=_("関係する地域"),
        help_text=_("選んだ地域と、その中の地域のページにも、この情報ページが出ます。"),
    )
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
        FieldPanel("areas"),
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


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who runs this portal and what it says about itself (admin: 設定 → サイトの情報).

    A city running the portal on its real data sets these once; the demo turns the sample-data
    notice on (``demo.services.load_demo``). Empty fields fall back to plain defaults.
    """

    site_name = models.CharField(
        _("サイト名"),
        max_length=100,
        blank=True,
        help_text=_(
            "ヘッダー・フッター・トップページに出ます。空のときは環境変数 SITE_NAME の値。"
        ),
    )
    operator = models.CharField(
        _("運営者"), max_length=200, blank=True, help_text=_("例：西東京市 子育て支援課")
    )
    footer_notice = models.TextField(
        _("フッターのお知らせ"),
        blank=True,
        help_text=_(
            "すべてのページの下に出る短い文。例：掲載内容は各団体の情報をもとにしています。"
        ),
    )
    show_sample_notice = models.BooleanField(
        _("「サンプルデータ」の注意書きを出す"),
        default=False,
        help_text=_("見本のデータで動かしているときだけオンにします（デモはオン）。"),
    )
    corrections_contact = models.CharField(
        _("掲載内容の修正の連絡先"),
        max_length=255,
        blank=True,
        help_text=_("メールアドレス、URL、または電話番号。フッターに出ます。"),
    )
    offer_ibasho = models.BooleanField(_("トップページで「居場所」を案内する"), default=True)
    offer_kodomo_shokudo = models.BooleanField(
        _("トップページで「子ども食堂」を案内する"), default=True
    )
    offer_fureai = models.BooleanField(_("トップページで「ふれまち」を案内する"), default=True)
    offer_window = models.BooleanField(_("トップページで「相談窓口」を案内する"), default=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("operator"), FieldPanel("corrections_contact")],
            heading=_("サイトと運営者"),
        ),
        MultiFieldPanel(
            [FieldPanel("footer_notice"), FieldPanel("show_sample_notice")],
            heading=_("フッター"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("offer_ibasho"),
                FieldPanel("offer_kodomo_shokudo"),
                FieldPanel("offer_fureai"),
                FieldPanel("offer_window"),
            ],
            heading=_("トップページの「種類からさがす」"),
            help_text=_("掲載がない種類は、ここでオンにしていても出しません。"),
        ),
    ]

    class Meta:
        verbose_name = _("サイトの情報")

    def offered_kinds(self) -> list[str]:
        """Kind codes the home page may offer (before leaving out kinds with no listings)."""
        flags = {
            "ibasho": self.offer_ibasho,
            "kodomo_shokudo": self.offer_kodomo_shokudo,
            "fureai": self.offer_fureai,
            "window": self.offer_window,
        }
        return [code for code, on in flags.items() if on]

    @property
    def corrections_href(self) -> str:
        """mailto:, the URL itself, or "" (a phone number or other text stays plain)."""
        contact = self.corrections_contact.strip()
        if contact.startswith(("http://", "https://")):
            return contact
        if "@" in contact and " " not in contact:
            return f"mailto:{contact}"
        return ""
