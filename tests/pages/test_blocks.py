"""The richer blocks of information pages (issue 16 item 4), rendered and validated."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError

from listings.vocabulary import Kind
from pages.blocks import CallToActionBlock, InformationStreamBlock
from pages.models import ContactCard
from tests.factories import make_image
from tests.pages.blocks_sample import blocks_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_every_block_renders_accessibly(client, city):
    kitchen = city.kitchen()  # a 子ども食堂 in north-a
    page = blocks_page(area=city.areas.north)
    html = client.get(page.url).content.decode()

    # Document: its name, type and size.
    assert re.search(r"地域福祉計画（概要版）</a>\s*<span[^>]*>（PDF・2\.0[^）]*KB）", html), html
    # Table: a caption, column headers, the first column as row headers.
    assert "<caption>圏域ごとの居場所の数</caption>" in html
    assert '<th scope="col">圏域</th>' in html and '<th scope="row">北部圏域</th>' in html
    # FAQ: a native disclosure.
    assert html.count("<details") == 2 and "<summary" in html
    # Steps: an ordered list.
    assert re.search(r'<ol class="steps__list">.*相談する.*場所を決める.*登録する', html, re.S)
    # Call to action and the contact card.
    assert "活動を登録しませんか" in html and 'href="tel:0312345678"' in html
    # Listing query: looked up live.
    assert kitchen.title in html
    later = city.aoba_salon(
        kind=Kind.KODOMO_SHOKUDO, area=city.areas.north_a, title="後から来た食堂"
    )
    assert later.title in client.get(page.url).content.decode()
    outside = city.aoba_salon(kind=Kind.KODOMO_SHOKUDO, title="南の食堂")
    assert outside.title not in client.get(page.url).content.decode()


def test_a_changed_contact_card_shows_on_every_page(client, areas):
    first, second = blocks_page(slug="a"), blocks_page(slug="b")
    ContactCard.objects.update(phone="03-9999-0000")
    for page in (first, second):
        assert "03-9999-0000" in client.get(page.url).content.decode()


def test_call_to_action_needs_exactly_one_target():
    block = CallToActionBlock()
    for value in ({"page": None, "url": ""}, {"page": None, "url": "https://example.jp/"}):
        data = {"text": "呼びかけ", "button_label": "押す", **value}
        if value["url"]:
            assert block.clean(block.to_python(data))["url"] == "https://example.jp/"
        else:
            with pytest.raises(StructBlockValidationError):
                block.clean(block.to_python(data))


def test_image_needs_alt_text_unless_decorative():
    image = make_image()
    stream = InformationStreamBlock()
    missing = stream.to_python(
        [{"type": "image", "value": {"image": image.pk, "decorative": False, "alt_text": ""}}]
    )
    with pytest.raises(ValidationError):
        stream.clean(missing)
    decorative = stream.to_python(
        [{"type": "image", "value": {"image": image.pk, "decorative": True, "alt_text": ""}}]
    )
    assert stream.clean(decorative)


@pytest.mark.parametrize(
    ("url", "provider", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10s",
            "YouTube",
            "youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "YouTube", "youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "YouTube",
            "youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "Vimeo", "player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://player.vimeo.com/video/76979871",
            "Vimeo",
            "player.vimeo.com/video/76979871?dnt=1",
        ),
    ],
)
def test_video_addresses_staff_paste_become_privacy_friendly_players(url, provider, embed):
    from pages.blocks import VIDEO_FRAME_ORIGINS, video_source

    source = video_source(url)
    assert source is not None and source.provider == provider
    assert source.embed_url == f"https://{'www.' if provider == 'YouTube' else ''}{embed}"
    assert source.embed_url.startswith(VIDEO_FRAME_ORIGINS)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.jp/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
        "https://vimeo.com/channels/staffpicks",
        "javascript:alert(1)",
    ],
)
def test_other_addresses_are_refused_with_the_field_named(url):
    from pages.blocks import VideoBlock, video_source

    assert video_source(url) is None
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({"url": url, "title": "説明会", "transcript": ""}))
    assert "url" in refused.value.block_errors


def test_a_video_renders_with_its_title_transcript_and_the_policy_allows_only_its_player(
    client, areas
):
    from django.conf import settings

    from pages.blocks import VIDEO_FRAME_ORIGINS

    page = blocks_page(slug="video")
    page.body.append(
        (
            "video",
            {
                "url": "https://youtu.be/dQw4w9WgXcQ",
                "title": "ふれまちの活動紹介",
                "transcript": "<p>公民館で月に一度集まっています。</p>",
            },
        )
    )
    page.save_revision().publish()
    response = client.get(page.url)
    html = response.content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'title="ふれまちの活動紹介"' in html
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert "<summary>文字起こし・内容の説明</summary>" in html
    assert "公民館で月に一度集まっています。" in html
    frame_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]
    assert sorted(frame_src) == sorted(VIDEO_FRAME_ORIGINS)
    assert "frame-src https://www.youtube-nocookie.com" in response["Content-Security-Policy"]
