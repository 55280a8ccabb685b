"""Under the English interface, Japanese text is either translated or marked lang="ja".

Names, descriptions, addresses, area names and topics come from the database and stay Japanese;
screen readers pronounce them right only when they are marked. Interface strings, schedule
descriptions and dates come from the English catalogue. This walks the rendered HTML and lists
every piece of Japanese text whose nearest ``lang`` is English.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.pages.test_public_pages import information_page, sample  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

# Kana and kanji (not Japanese punctuation such as 、「」（）, which English text may borrow).
JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
CHECKED_ATTRIBUTES = ("alt", "aria-label", "placeholder", "title", "content")


class LanguageWalker(HTMLParser):
    """Collects Japanese text (and labelling attributes) whose nearest lang is not Japanese."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, lang in effect)
        self.unmarked: list[str] = []
        self.skip = 0

    @property
    def lang(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang", self.lang) or self.lang
        if tag in {"script", "style", "title", "head"} or (
            tag == "meta" and attributes.get("name") != "description"
        ):
            if tag not in VOID:
                self.skip += 1
                self.stack.append((tag, lang))
            return
        if not self.skip and not lang.startswith("ja"):
            for name in CHECKED_ATTRIBUTES:
                value = attributes.get(name) or ""
                if JAPANESE.search(value):
                    self.unmarked.append(f"<{tag} {name}> {value}")
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                if tag in {"script", "style", "title", "head"}:
                    self.skip -= 1
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.skip or self.lang.startswith("ja"):
            return
        text = " ".join(data.split())
        if JAPANESE.search(text):
            self.unmarked.append(text)


def unmarked_japanese(html: str) -> list[str]:
    walker = LanguageWalker()
    walker.feed(html)
    return walker.unmarked


def english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_the_walker_finds_unmarked_japanese():
    html = (
        '<html lang="en"><head><title>みどり</title></head><body>'
        '<p>Open <span lang="ja">毎週 水曜</span></p><p>未翻訳</p>'
        '<img alt="写真" src="x.png"><div lang="ja"><img alt="写真"><br><p>説明</p></div>'
        "<p>after</p><p>最後</p></body></html>"
    )
    assert unmarked_japanese(html) == ["未翻訳", "<img alt> 写真", "最後"]


def test_nothing_is_marked_under_the_japanese_interface(client, sample):  # noqa: F811
    html = client.get(sample.ibasho.url).content.decode()
    assert '<html lang="ja"' in html
    assert html.count('lang="ja"') == 2  # <html> and the language menu's 日本語


def test_listing_content_is_marked_japanese_under_english(client, sample):  # noqa: F811
    english(client)
    html = client.get(sample.ibasho.url).content.decode()
    assert '<html lang="en"' in html
    assert '<h1 class="listing-detail__title" lang="ja">みどりカフェ</h1>' in html
    assert '<span lang="ja">サンプル市みどり町1-2-3</span>' in html
    assert '<dd lang="ja">NPO法人みどり</dd>' in html
    # Schedules and dates are interface text now (listings/schedules.py, the English catalogue).
    assert '<ul class="schedule-rules">' in html
    assert "<li>Every Wednesday and Friday 15:00–18:00</li>" in html
    assert '<time datetime="2025-04-01">1 April 2025</time>' in html
    assert '<div class="schedule-note" lang="ja">' in html


def test_schedule_lines_under_english(client, sample):  # noqa: F811
    english(client)
    html = client.get(sample.shokudo.url).content.decode()
    assert "<li>2nd and 4th Saturday of each month 11:00–13:00</li>" in html
    html = client.get(sample.window.url).content.decode()
    assert "<li>Every Monday to Friday 08:30–17:15</li>" in html
    assert re.search(
        r'<time datetime="[\d-]+">(Mon|Tue|Wed|Thu|Fri) \d{1,2} [A-Z][a-z]{2}</time>', html
    )
    assert '<span class="next-dates__time">08:30–17:15</span>' in html


def test_chosen_filters_mark_only_the_japanese_value_under_english(client, sample):  # noqa: F811
    english(client)
    html = client.get("/search/?topic=学習支援&area=north-a&kind=ibasho").content.decode()
    assert 'Topics: <span lang="ja">学習支援</span>' in html
    assert 'Area: <span lang="ja">みどり小地区</span>' in html
    empty = client.get("/search/?q=ぜったいにない&area=north-a").content.decode()
    assert 'Search without “Area: <span lang="ja">みどり小地区</span>”' in empty
    assert '<span lang="ja">北部圏域</span> (' in empty


def test_chosen_filters_are_plain_text_under_japanese(client, sample):  # noqa: F811
    html = client.get("/search/?topic=学習支援&area=north-a").content.decode()
    assert ">テーマ：学習支援<" in html and ">地域：みどり小地区<" in html
    assert html.count('lang="ja"') == 2


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/listings/",
        "ibasho",
        "shokudo",
        "fureai",
        "window",
        "/areas/",
        "/areas/north-a-1/",
        "/areas/north/",
        "information",
        "/search/?q=カフェ",
        "/search/?q=カフェ&kind=ibasho&area=north-a&topic=学習支援&age=teen",
        "/search/?q=ぜったいにない&area=north-b",
        "/search/?q=カフェ&view=map",
        "/submit/",
        "/no-such-page/",
        "flyer",
    ],
)
def test_no_unmarked_japanese_under_english(client, sample, path):  # noqa: F811
    info = information_page(sample)
    english(client)
    if not path.startswith("/"):
        if path == "flyer":
            path = f"/listings/{sample.ibasho.slug}/flyer/"
        else:
            path = info.url if path == "information" else getattr(sample, path).url
    response = client.get(path)
    assert response.status_code in {200, 404}
    html = response.content.decode()
    assert '<html lang="en"' in html
    # The resident's own words come back as typed (here Japanese): that is not ours to mark; and
    # translated help may quote a Japanese example ("In katakana or hiragana, e.g. ミドリ…").
    found = [
        text
        for text in unmarked_japanese(html)
        if not re.search("“(カフェ|ぜったいにない)”|e\\.g\\. ", text)
    ]
    assert found == [], "\n".join(found)
