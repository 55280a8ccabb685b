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
