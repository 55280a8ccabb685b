"""The search page in a real browser (Debian's chromium): keyboard only, phone and desktop.

Launch and screenshot helpers come from tests/browser.py (which skips this module without chromium).
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import pytest

from listings.models import Area
from listings.vocabulary import Age
from tests.browser import (  # also skips this module when chromium is missing
    chromium,  # noqa: F401 - fixture
    no_horizontal_overflow,
    shot,
    tab_to,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def listings(site_tree, city, areas):
    Area.objects.filter(pk=areas.north_a.pk).update(latitude=35.726, longitude=139.551)
    Area.objects.filter(pk=areas.north.pk).update(latitude=35.73, longitude=139.56)
    city.kitchen(ages=(Age.ELEMENTARY, Age.INFANT))
    city.community_cafe()
    city.fureai_meal()
    # 食事 among its keywords: the fourth place a search for 食事 finds.
    city.onestop_window(consultation_keywords="お金、家賃、介護、食事")


def result_titles(page) -> list[str]:
    return page.locator(".search-result .card__title").all_inner_texts()


def test_search_and_filter_with_the_keyboard_on_a_phone(live_server, chromium, listings):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/search/")
        assert no_horizontal_overflow(page)

        # Type a query and submit it with Enter.
        tab_to(page, "#search-q")
        page.keyboard.type("食事")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        before = result_titles(page)
        assert len(before) == 4, before
        assert page.locator("#search-q").input_value() == "食事"
        assert no_horizontal_overflow(page)
        shot(page, "search-page-360")

        # Jump to the filters, tick 子ども食堂 with Space, press 絞り込む with Enter.
        tab_to(page, ".search-results__jump a")
        page.keyboard.press("Enter")
        checkbox = 'input[name="kind"][value="kodomo_shokudo"]'
        tab_to(page, checkbox)
        focus = page.evaluate(
            "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
            "getComputedStyle(document.activeElement).outlineWidth"
        )
        assert focus.startswith("solid"), focus  # the focus is visible
        page.keyboard.press("Space")
        assert page.locator(checkbox).is_checked()
        shot(page, "search-page-360-facet-focus")
        tab_to(page, ".search-filters__actions button")
        page.keyboard.press("Enter")
        page.wait_for_url("**kind=kodomo_shokudo**")

        assert "q=%E9%A3%9F%E4%BA%8B" in page.url  # the words are kept
        after = result_titles(page)
        assert after == ["みどり子ども食堂"], after
        assert page.locator(checkbox).is_checked()
        assert page.locator(".result-count").first.inner_text() == "1件見つかりました"
        assert no_horizontal_overflow(page)
        shot(page, "search-page-360-filtered")

        # Nothing found: the help is readable on a phone too.
        page.goto(f"{live_server.url}/search/?q=サロン&area=north-a")
        assert page.get_by_text("どこに相談したらよいかわからないときは").is_visible()
        assert no_horizontal_overflow(page)
        shot(page, "search-page-360-no-results")

        # A bad parameter: 400 with the message, still no overflow at the narrowest width.
        page.set_viewport_size({"width": 320, "height": 640})
        response = page.goto(f"{live_server.url}/search/?open_on=2026-99-99&kind=xxx")
        assert response is not None and response.status == 400
        assert page.locator(".error-summary").is_visible()
        assert no_horizontal_overflow(page)
        shot(page, "search-page-320-error")
    finally:
        context.close()


def test_search_page_at_desktop_width_and_zoom(live_server, chromium, listings):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        response = page.goto(
            f"{live_server.url}/search/?q=食事&area=north-a-1&near=35.726,139.551&sort=distance"
        )
        assert response is not None and response.status == 200
        assert no_horizontal_overflow(page)
        # Results and filters side by side.
        results = page.locator(".search-results").bounding_box()
        panel = page.locator(".search-filters").bounding_box()
        assert panel["x"] > results["x"] + results["width"] - 1
        assert page.locator(".card__match").first.is_visible()
        assert page.locator(".search-result__distance").first.is_visible()
        shot(page, "search-page-1280")

        # 200% zoom of a 1280px window is a 640px layout: still no sideways scrolling.
        page.set_viewport_size({"width": 640, "height": 450})
        assert no_horizontal_overflow(page)
        shot(page, "search-page-640-zoom")
    finally:
        context.close()
