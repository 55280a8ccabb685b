"""Reading aids without JavaScript: text size and furigana (ruby) kept in cookies, the language
switch, and the ``lang`` attribute."""

from __future__ import annotations

import re

import pytest

from listings.models import Area
from listings.templatetags.listing_tags import hiragana
from tests.pages.test_public_pages import sample  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_hiragana_reading():
    assert hiragana("ミドリコドモショクドウ") == "みどりこどもしょくどう"
    assert hiragana("ヴァーチャル・カフェ") == "ゔぁーちゃる・かふぇ"
    assert hiragana("") == ""


def test_pages_are_japanese_with_the_reading_aids_form(client, areas):
    html = client.get("/areas/north-a-1/").content.decode()
    assert '<html lang="ja">' in html
    assert 'action="/reading/"' in html
    assert 'name="size" value="large" aria-pressed="false"' in html
    assert 'name="ruby" value="on"' in html
    assert 'action="/i18n/setlang/"' in html


def test_text_size_is_kept_in_a_cookie_and_goes_back(client, areas):
    response = client.post("/reading/", {"size": "xlarge", "next": "/areas/north-a-1/"})
    assert response.status_code == 302
    assert response["Location"] == "/areas/north-a-1/"
    assert response.cookies["text_size"].value == "xlarge"
    html = client.get("/areas/north-a-1/").content.decode()
    assert 'class="text-xlarge"' in html
    assert 'name="size" value="xlarge" aria-pressed="true"' in html


def test_unknown_values_and_foreign_redirects_are_refused(client, areas):
    response = client.post("/reading/", {"size": "huge", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "text_size" not in response.cookies
    assert client.get("/reading/").status_code == 405


def test_furigana_mode_puts_readings_over_names(client, areas, sample):  # noqa: F811
    Area.objects.filter(code="north-a-1").update(name_kana="ミドリチョウイッチョウメ")
    plain = client.get("/areas/north-a-1/").content.decode()
    assert "<ruby>" not in plain

    client.post("/reading/", {"ruby": "on", "next": "/"})
    area = client.get("/areas/north-a-1/").content.decode()
    # Per word, over the kanji only: not one reading stretched over the whole name.
    assert (
        '<h1>みどり<ruby><rb>町</rb><rp>（</rp><rt aria-hidden="true">ちょう</rt><rp>）</rp>'
        '</ruby>1<ruby><rb>丁目</rb><rp>（</rp><rt aria-hidden="true">ちょうめ</rt><rp>）</rp>'
        "</ruby></h1>" in area
    )
    assert "area-header__kana" not in area  # not said twice

    listing = client.get(sample.shokudo.url).content.decode()
    assert '<rb>子</rb><rp>（</rp><rt aria-hidden="true">こ</rt>' in listing
    assert '<rb>食堂</rb><rp>（</rp><rt aria-hidden="true">しょくどう</rt>' in listing
    # The description (rich text) too, the kana and digits bare.
    assert '<rb>毎月</rb><rp>（</rp><rt aria-hidden="true">まいつき</rt>' in listing
    assert '<rb>無料</rb><rp>（</rp><rt aria-hidden="true">むりょう</rt>' in listing
    assert "おとなは300<ruby><rb>円</rb>" in listing
    cards = client.get("/listings/").content.decode()
    assert '<rb>相談窓口</rb><rp>（</rp><rt aria-hidden="true">そうだんまどぐち</rt>' in cards

    client.post("/reading/", {"ruby": "off", "next": "/"})
    assert "<ruby>" not in client.get(sample.shokudo.url).content.decode()


def test_furigana_over_an_information_pages_text(client, areas, sample):  # noqa: F811
    page = sample.city.information_page(window=sample.window, related=[sample.shokudo])
    assert "<ruby>" not in client.get(page.url).content.decode()
    client.post("/reading/", {"ruby": "on", "next": "/"})
    html = client.get(page.url).content.decode()
    h1 = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert re.findall(r"<rb>(.*?)</rb>.*?<rt[^>]*>(.*?)</rt>", h1) == [
        ("地域", "ちいき"),
        ("福祉", "ふくし"),
        ("計画", "けいかく"),
    ]
    # Paragraph block: markup kept, the reading over 居場所 inside <b>.
    assert '<b><ruby><rb>居場所</rb><rp>（</rp><rt aria-hidden="true">いばしょ</rt>' in html
    # Callout body and the summary.
    assert '<rb>電話</rb><rp>（</rp><rt aria-hidden="true">でんわ</rt>' in html
    assert '<rb>計画</rb><rp>（</rp><rt aria-hidden="true">けいかく</rt>' in html


def test_language_switch_to_english_and_back(client, areas):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/areas/"})
    assert response.status_code == 302 and response["Location"] == "/areas/"
    html = client.get("/areas/").content.decode()
    assert '<html lang="en"' in html
    assert "Skip to main content" in html
    assert "Text size" in html
    assert '<option value="en" lang="en" selected>English</option>' in html
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    html = client.get("/areas/").content.decode()
    assert '<html lang="ja"' in html and "本文へ移動" in html


def test_the_english_catalogue_is_compiled_and_committed():
    from pathlib import Path

    from django.conf import settings

    catalogue = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
    # Committed compiled, so a laptop without gettext tools still gets English.
    assert (catalogue / "django.po").exists()
    assert (catalogue / "django.mo").exists()
