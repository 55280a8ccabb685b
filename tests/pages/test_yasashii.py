"""やさしい日本語 versions written by staff (issue 16 item 5): shown by a link (?yasashii=1) that
works without JavaScript, labelled and marked lang="ja", and only where staff wrote one."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from listings.editing import Then, apply, save_listing, values_of
from pages.models import HomePage, InformationPage

pytestmark = pytest.mark.django_db

EASY = "市の 計画の 話です。 だれでも 来て ください。"


def info_page(*, easy: bool, slug: str = "keikaku") -> InformationPage:
    page = InformationPage(
        title="地域福祉計画のあらまし",
        slug=slug,
        summary="計画の概要を説明します。",
        body=json.dumps(
            [{"type": "paragraph", "value": "<p>地域福祉の推進に関する計画です。</p>"}]
        ),
        yasashii_summary="計画の 話です。" if easy else "",
        yasashii_body=json.dumps(
            [{"type": "paragraph", "value": f"<p>{EASY}</p>"}] if easy else []
        ),
    )
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return page


def toggle(html: str) -> str:
    found = re.search(r'<div class="yasashii-toggle">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


def test_no_toggle_without_a_version_written(client, areas):
    page = info_page(easy=False)
    html = client.get(page.url).content.decode()
    assert "yasashii" not in html
    # Asking for it anyway shows the page as it is.
    html = client.get(page.url + "?yasashii=1").content.decode()
    assert "地域福祉の推進に関する計画です。" in html and "yasashii-toggle" not in html


def test_the_link_shows_the_plain_japanese_version_labelled(client, areas):
    page = info_page(easy=True)
    html = client.get(page.url).content.decode()
    assert f'href="{page.url}?yasashii=1"' in toggle(html)
    assert "やさしい日本語で読む" in toggle(html)
    assert "地域福祉の推進に関する計画です。" in html and EASY not in html

    html = client.get(page.url + "?yasashii=1").content.decode()
    assert EASY in html and "地域福祉の推進に関する計画です。" not in html
    assert '<p class="lead">計画の 話です。</p>' in html
    assert '<p class="lead"' not in html.replace('<p class="lead">計画の 話です。', "")
    assert re.search(r'<div class="yasashii" lang="ja">', html)
    label = toggle(html)
    assert '<span class="yasashii-toggle__badge" lang="ja">やさしい日本語</span>' in label
    assert f'href="{page.url}">もとの文章を読む</a>' in label


def test_under_the_english_interface_the_switch_is_english_the_text_japanese(client, areas):
    page = info_page(easy=True)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Read in easy Japanese" in toggle(client.get(page.url).content.decode())
    html = client.get(page.url + "?yasashii=1").content.decode()
    assert '<html lang="en"' in html
    assert '<div class="yasashii" lang="ja">' in html
    assert '<h1 lang="ja">' in html
    assert "Read the original text" in toggle(html)


def test_furigana_applies_to_the_plain_japanese_version_too(client, areas):
    page = info_page(easy=True)
    client.post("/reading/", {"ruby": "on", "next": "/"})
    html = client.get(page.url + "?yasashii=1").content.decode()
    assert '<rb>市</rb><rp>（</rp><rt aria-hidden="true">し</rt>' in html
    assert '<rb>来</rb><rp>（</rp><rt aria-hidden="true">き</rt><rp>）</rp></ruby>て' in html


def test_a_listings_description_in_plain_japanese(client, city):
    listing = city.kitchen()
    assert "yasashii" not in client.get(listing.url).content.decode()

    easy = dataclasses.replace(
        values_of(listing), description_yasashii="ごはんを 食べる ところです。\n子どもは 無料です。"
    )
    apply(listing, easy, ["description_yasashii"])
    save_listing(listing, then=Then.PUBLISH)

    html = client.get(listing.url).content.decode()
    assert f'href="{listing.url}?yasashii=1"' in toggle(html)
    assert "ごはんを 食べる" not in html
    html = client.get(listing.url + "?yasashii=1").content.decode()
    assert re.search(
        r'<div class="rich-text yasashii" lang="ja">'
        r"<p>ごはんを 食べる ところです。<br>子どもは 無料です。</p>",
        html,
    )
    main = html[html.index("<main") :]  # the meta description keeps the original
    assert "毎月第2・第4土曜のお昼ごはん" not in main


@pytest.mark.parametrize("ruby", ["off", "on"])
def test_no_unmarked_japanese_under_english(client, city, ruby):
    from tests.pages.test_language import unmarked_japanese

    page = info_page(easy=True)
    listing = city.kitchen()
    easy = dataclasses.replace(values_of(listing), description_yasashii="ごはんを 食べます。")
    apply(listing, easy, ["description_yasashii"])
    save_listing(listing, then=Then.PUBLISH)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/reading/", {"ruby": ruby, "next": "/"})
    for path in (page.url, listing.url):
        for query in ("", "?yasashii=1"):
            html = client.get(path + query).content.decode()
            assert '<html lang="en"' in html
            assert unmarked_japanese(html) == [], path + query
            # An English label is not marked Japanese (the content inside it is).
            assert '<section class="detail-section" aria-label="Description" lang="ja">' not in html
