"""StreamField blocks for the 情報発信 pages."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from listings.vocabulary import Age, Kind


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


# --- richer blocks (issue 16 item 4) ------------------------------------------------------------


class DocumentBlock(blocks.StructBlock):
    """A document (PDF, Word …) shown with its type and size, so residents know before opening."""

    document = DocumentChooserBlock(label=_("文書"))
    title = blocks.CharBlock(
        label=_("表示する名前"),
        required=False,
        max_length=200,
        help_text=_("空なら文書のタイトルを使います。"),
    )
    description = blocks.CharBlock(label=_("説明"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("文書（PDFなど）")
        template = "components/blocks/document_block.html"


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(
        label=_("表の見出し"),
        max_length=200,
        help_text=_("表の内容を一言で（読み上げで使われます）。"),
    )
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("文字"))),
            ("number", blocks.DecimalBlock(label=_("数"))),
            ("rich_text", blocks.RichTextBlock(label=_("書式つき文字"), features=["bold", "link"])),
        ],
        label=_("表"),
    )
    first_column_is_header = blocks.BooleanBlock(
        label=_("1列目を見出しにする"), required=False, default=False
    )

    class Meta:
        icon = "table"
        label = _("表")
        template = "components/blocks/table_block.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("質問"), max_length=200)
    answer = blocks.RichTextBlock(label=_("答え"), features=["bold", "link", "ol", "ul"])


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("見出し"), max_length=120, default=_("よくある質問"))
    items = blocks.ListBlock(FAQItemBlock(), label=_("質問と答え"), min_num=1)

    class Meta:
        icon = "help"
        label = _("よくある質問")
        template = "components/blocks/faq_block.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("手順"), max_length=120)
    body = blocks.RichTextBlock(label=_("説明"), required=False, features=["bold", "link"])


class StepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("見出し"), max_length=120, default=_("手続きの流れ"))
    steps = blocks.ListBlock(StepBlock(), label=_("手順"), min_num=2)

    class Meta:
        icon = "list-ol"
        label = _("手順")
        template = "components/blocks/steps_block.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("呼びかけ"), max_length=200)
    button_label = blocks.CharBlock(label=_("ボタンの文言"), max_length=40)
    page = blocks.PageChooserBlock(label=_("リンク先ページ"), required=False)
    url = blocks.URLBlock(label=_("リンク先URL"), required=False)

    class Meta:
        icon = "pick"
        label = _("行動への呼びかけ")
        template = "components/blocks/cta_block.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("リンク先ページかURLのどちらか一つを指定してください。")
                    )
                }
            )
        return value


class ContactCardBlock(blocks.StructBlock):
    card = SnippetChooserBlock("pages.ContactCard", label=_("問い合わせ先"))

    class Meta:
        icon = "user"
        label = _("問い合わせ先カード")
        template = "components/blocks/contact_card_block.html"


class ListingQueryBlock(blocks.StructBlock):
    """Listings matching what staff chose, looked up as the page is shown (この地区の子ども食堂)."""

    heading = blocks.CharBlock(label=_("見出し"), max_length=120)
    kind = blocks.ChoiceBlock(label=_("区分"), choices=Kind.choices, required=False)
    area = SnippetChooserBlock("listings.Area", label=_("地域"), required=False)
    age = blocks.ChoiceBlock(label=_("対象者"), choices=Age.choices, required=False)
    topic = blocks.CharBlock(label=_("テーマ"), required=False, max_length=60)
    limit = blocks.IntegerBlock(label=_("件数の上限"), default=10, min_value=1, max_value=50)

    class Meta:
        icon = "list-ul"
        label = _("条件に合う居場所・窓口")
        template = "components/blocks/listing_query_block.html"

    def get_context(self, value, parent_context=None):
        from listings.selectors import listings_matching

        context = super().get_context(value, parent_context=parent_context)
        context["listings"] = listings_matching(
            kind=value.get("kind") or "",
            area=value.get("area"),
            age=value.get("age") or "",
            topic=value.get("topic") or "",
            limit=value.get("limit") or 10,
        )
        return context


@dataclass(frozen=True)
class VideoSource:
    """Where a video plays: the provider's page and its privacy-friendly player address."""

    provider: str
    watch_url: str
    embed_url: str


# The hosts a video block may show (and CSP's frame-src allows): YouTube's no-cookie player and
# Vimeo's player with do-not-track, so a page view sets no tracking cookie before the resident
# presses play. Staff paste the ordinary address; oEmbed is not used (no fetch at render time).
VIDEO_FRAME_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def video_source(url: str) -> VideoSource | None:
    """The video a YouTube or Vimeo address points to, or None for anything else."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [segment for segment in parts.path.split("/") if segment]
    video_id = ""
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if path[:1] == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif len(path) >= 2 and path[0] in {"embed", "shorts", "live"}:
            video_id = path[1]
    elif host == "youtu.be" and path:
        video_id = path[0]
    if video_id:
        if not _YOUTUBE_ID.match(video_id):
            return None
        return VideoSource(
            "YouTube",
            f"https://www.youtube.com/watch?v={video_id}",
            f"https://www.youtube-nocookie.com/embed/{video_id}",
        )
    if host in {"vimeo.com", "player.vimeo.com"}:
        number = next((segment for segment in reversed(path) if segment.isdigit()), "")
        if number:
            return VideoSource(
                "Vimeo",
                f"https://vimeo.com/{number}",
                f"https://player.vimeo.com/video/{number}?dnt=1",
            )
    return None


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video with a title and, for those who cannot watch or hear it, a
    transcript (JIS X 8341-3: prerecorded media needs a text alternative)."""

    url = blocks.URLBlock(
        label=_("動画のURL"),
        help_text=_(
            "YouTube または Vimeo の動画のアドレス（例：https://www.youtube.com/watch?v=…）"
        ),
    )
    title = blocks.CharBlock(
        label=_("動画の題名"),
        max_length=120,
        help_text=_("読み上げソフトはこの題名で動画を伝えます。"),
    )
    transcript = blocks.RichTextBlock(
        label=_("文字起こし・内容の説明"),
        required=False,
        features=["bold", "link", "ul"],
        help_text=_("音声や映像の内容を文章で。字幕のない動画では必ず書いてください。"),
    )

    class Meta:
        icon = "media"
        label = _("動画")
        template = "components/blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        if video_source(value.get("url") or "") is None:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("YouTube か Vimeo の動画のアドレスを入れてください。"))
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["source"] = video_source(value.get("url") or "")
        return context


class InformationStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("本文"), features=["h3", "bold", "link", "ol", "ul", "hr"], icon="pilcrow"
    )
    image = ImageBlock(label=_("画像"))
    callout = CalloutBlock()
    related_listings = RelatedListingsBlock()
    document = DocumentBlock()
    table = TableBlock()
    faq = FAQBlock()
    steps = StepsBlock()
    call_to_action = CallToActionBlock()
    contact_card = ContactCardBlock()
    listing_query = ListingQueryBlock()
    video = VideoBlock()
