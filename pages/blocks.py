"""StreamField blocks for the 情報発信 pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("見出し"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("レベル"),
        choices=[("h2", _("大見出し")), ("h3", _("中見出し"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("見出し")
        template = "components/blocks/heading_block.html"


class CalloutBlock(blocks.StructBlock):
    """A boxed message: a consultation hint, a notice, an important date."""

    style = blocks.ChoiceBlock(
        label=_("種類"),
        choices=[
            ("info", _("お知らせ")),
            ("consult", _("相談のご案内")),
            ("important", _("大切なこと")),
        ],
        default="info",
    )
    title = blocks.CharBlock(label=_("タイトル"), max_length=120)
    body = blocks.RichTextBlock(label=_("本文"), features=["bold", "link", "ul"])
    link_page = blocks.PageChooserBlock(label=_("リンク先ページ"), required=False)
    link_text = blocks.CharBlock(label=_("リンクの文言"), required=False, max_length=60)

    class Meta:
        icon = "help"
        label = _("囲み記事")
        template = "components/blocks/callout_block.html"


class RelatedListingsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("見出し"), max_length=120, default=_("関連する居場所・窓口"))
    listings = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="listings.ListingPage", label=_("居場所・窓口")),
        label=_("居場所・窓口"),
        min_num=1,
    )

    class Meta:
        icon = "list-ul"
        label = _("関連する居場所・窓口")
        template = "components/blocks/related_listings_block.html"


class InformationStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("本文"), features=["h3", "bold", "link", "ol", "ul", "hr"], icon="pilcrow"
    )
    image = ImageBlock(label=_("画像"))
    callout = CalloutBlock()
    related_listings = RelatedListingsBlock()
