"""The content reading aids in a real browser at phone width: furigana over body text and the
やさしい日本語 switch work without JavaScript, do not scroll sideways, and pass axe-core (with
JavaScript, in Japanese and English)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from listings.editing import Then, apply, save_listing, values_of
from pages.models import HomePage, InformationPage
from tests.browser import (  # also skips this module when chromium is missing
    axe_violations,
    browser,  # noqa: F401 - fixture
    format_violations,
    no_horizontal_overflow,
    shot,
)

pytestmark = pytest.mark.browser

WIDTH = 360


@pytest.fixture
def pages(site_tree, city) -> dict[str, str]:
    listing = city.kitchen()
    easy = dataclasses.replace(
        values_of(listing),
        description_yasashii="ごはんを 食べる ところです。\n子どもは 無料です。",
    )
    apply(listing, easy, ["description_yasashii"])
    save_listing(listing, then=Then.PUBLISH)
    body = [
        {"type": "heading", "value": {"text": "申し込みの方法", "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<p>地域の居場所で、<b>子ども食堂</b>の取り組みを紹介します。"
            '申し込みは<a href="/listings/">一覧</a>から。</p>',
        },
    ]
    easy_body = [
        {"type": "paragraph", "value": "<p>市の 居場所の 話です。 だれでも 来て ください。</p>"}
    ]
    page = InformationPage(
        title="居場所づくりの取り組み",
        slug="torikumi",
        summary="地域の居場所づくりを紹介します。",
        body=json.dumps(body),
        yasashii_summary="居場所の 話です。",
        yasashii_body=json.dumps(easy_body),
    )
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return {"information": page.url, "listing": listing.url}


def test_switches_work_without_javascript(live_server, browser, pages):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 800}, locale="ja-JP", java_script_enabled=False
    )
    page = context.new_page()
    try:
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            page.locator(".yasashii-toggle").get_by_role(
                "link", name="やさしい日本語で読む"
            ).click()
            page.wait_for_url("**?yasashii=1")
            assert page.locator(".yasashii[lang=ja]").count() == 1, name
            assert page.locator(".yasashii-toggle__badge").inner_text() == "やさしい日本語"
            assert no_horizontal_overflow(page), name
            shot(page, f"yasashii-{name}-{WIDTH}")
            page.get_by_role("link", name="もとの文章を読む").click()
            page.wait_for_url(f"**{path}")
            assert page.locator(".yasashii").count() == 0, name

        # Furigana on (the header's form): readings over the body's words, not read aloud.
        page.goto(f"{live_server.url}{pages['information']}")
        page.locator(".reading-aids").get_by_role("button", name="表示する").click()
        page.wait_for_url(f"**{pages['information']}")
        paragraph = page.locator(".rich-text").first
        assert paragraph.locator("ruby rt").count() >= 5
        assert paragraph.locator("rt:not([aria-hidden=true])").count() == 0
        assert paragraph.locator("a ruby").count() == 1  # inside the link, the link kept
        # The text reads the same as without furigana, once the readings are left out.
        text = paragraph.evaluate(
            "el => { const c = el.cloneNode(true);"
            " c.querySelectorAll('rt, rp').forEach(n => n.remove()); return c.textContent; }"
        )
        assert "地域の居場所で、子ども食堂の取り組みを紹介します。" in text
        assert no_horizontal_overflow(page)
        shot(page, f"furigana-information-{WIDTH}")
    finally:
        context.close()


def test_no_wcag_violations_with_the_reading_aids(live_server, browser, pages):
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, locale="ja-JP")
    page = context.new_page()
    failures = []
    try:
        for language in ("ja", "en"):
            for ruby in ("off", "on"):
                context.add_cookies(
                    [
                        {"name": "django_language", "value": language, "url": live_server.url},
                        {"name": "ruby", "value": ruby, "url": live_server.url},
                    ]
                )
                for path in pages.values():
                    for query in ("", "?yasashii=1"):
                        page.goto(f"{live_server.url}{path}{query}")
                        violations = axe_violations(page)
                        if violations:
                            failures.append(
                                f"{language} ruby={ruby} {path}{query}\n"
                                f"{format_violations(violations)}"
                            )
                        if not no_horizontal_overflow(page):
                            failures.append(f"{path}{query}: scrolls sideways at {WIDTH}px")
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)
