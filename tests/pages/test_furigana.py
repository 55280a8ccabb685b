"""Furigana per word for body text (issue 16 item 5), with the real Sudachi analyser.

Expected readings are written from the dictionary, not copied from the output: 食べる is read
たべる with た over 食 only, and so on.
"""

from __future__ import annotations

import re

from pages.furigana import furigana_html, furigana_text, word_readings


def rubies(html: str) -> list[tuple[str, str]]:
    """(base, reading) of each <ruby> in ``html``."""
    return re.findall(r"<ruby><rb>(.*?)</rb><rp>（</rp><rt[^>]*>(.*?)</rt><rp>）</rp></ruby>", html)


def plain(html: str) -> str:
    """The text a reader sees without the readings (ruby markup and readings removed)."""
    html = re.sub(r"<rp>.*?</rp>|<rt[^>]*>.*?</rt>", "", html)
    return re.sub(r"<[^>]+>", "", html)


def test_okurigana_stays_outside_the_reading():
    html = furigana_text("子ども食堂で晩ごはんを食べる")
    assert rubies(html) == [("子", "こ"), ("食堂", "しょくどう"), ("晩", "ばん"), ("食", "た")]
    assert html.endswith("</ruby>べる")
    assert plain(html) == "子ども食堂で晩ごはんを食べる"


def test_kana_inside_a_word_splits_the_reading_between_its_kanji():
    assert rubies(furigana_text("申し込み")) == [("申", "もう"), ("込", "こ")]
    assert rubies(furigana_text("お年寄りの取り扱い")) == [
        ("年寄", "としよ"),
        ("取", "と"),
        ("扱", "あつか"),
    ]


def test_nothing_over_katakana_hiragana_digits_or_latin():
    html = furigana_text("ボランティア募集。毎週3回、NPO法人ひだまりで。")
    assert rubies(html) == [
        ("募集", "ぼしゅう"),
        ("毎週", "まいしゅう"),
        ("回", "かい"),
        ("法人", "ほうじん"),
    ]
    for bare in ("ボランティア", "3", "NPO", "ひだまり"):
        assert f"<rb>{bare}" not in html
    assert furigana_text("いつでもどうぞ") == "いつでもどうぞ"


def test_one_reading_per_word_not_one_over_the_sentence():
    html = furigana_text("地域の居場所で相談できます")
    assert rubies(html) == [("地域", "ちいき"), ("居場所", "いばしょ"), ("相談", "そうだん")]
    assert html.count("<rt") == 3


def test_readings_are_hidden_from_screen_readers():
    # Assistive technology reads the kanji; the reading in <rt> would say the word twice.
    html = furigana_text("相談")
    assert html == (
        '<ruby><rb>相談</rb><rp>（</rp><rt aria-hidden="true">そうだん</rt><rp>）</rp></ruby>'
    )


def test_a_stored_name_reading_is_preferred_where_it_lines_up():
    # Sudachi reads 緑町 as みどりちょう; the city calls it みどりまち.
    html = furigana_text("緑町子ども食堂", "ミドリマチコドモショクドウ")
    assert rubies(html) == [("緑町子", "みどりまちこ"), ("食堂", "しょくどう")]
    # When it agrees, the word-by-word readings stay.
    assert rubies(furigana_text("みどり子ども食堂", "ミドリコドモショクドウ")) == [
        ("子", "こ"),
        ("食堂", "しょくどう"),
    ]
    # A stored reading that does not fit the text's kana is not used.
    assert rubies(furigana_text("子ども食堂", "ワカバ")) == [("子", "こ"), ("食堂", "しょくどう")]


def test_rich_text_keeps_its_markup_links_and_escapes():
    html = furigana_html(
        '<p>申込は<a href="/apply/?a=1&amp;b=2">窓口</a>へ &lt;必ず&gt;</p><code>漢字</code>'
    )
    assert '<a href="/apply/?a=1&amp;b=2"><ruby><rb>窓口</rb>' in html
    assert "&lt;<ruby><rb>必</rb>" in html and "</ruby>ず&gt;" in html
    assert html.endswith("<code>漢字</code>")
    assert plain(html) == plain(
        '<p>申込は<a href="/apply/?a=1&amp;b=2">窓口</a>へ &lt;必ず&gt;</p><code>漢字</code>'
    )


def test_text_is_given_back_whole():
    text = "放課後の居場所「ふらっと」へ、ようこそ！\n第２・第４水曜日 15:00〜18:00"
    assert "".join(piece for piece, _ in word_readings(text)) == text


def test_long_compounds_and_addresses_are_read_word_by_word():
    assert rubies(furigana_text("社会福祉協議会")) == [
        ("社会", "しゃかい"),
        ("福祉", "ふくし"),
        ("協議", "きょうぎ"),
        ("会", "かい"),
    ]
    html = furigana_text("東京都渋谷区千駄ヶ谷1-2")
    assert rubies(html) == [
        ("東京", "とうきょう"),
        ("都", "と"),
        ("渋谷", "しぶや"),
        ("区", "く"),
        ("千駄ヶ谷", "せんだがや"),
    ]
    assert html.endswith("</ruby>1-2")
