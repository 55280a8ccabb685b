"""A resident's path through the public pages in a real browser (Debian's chromium).

Runs against pytest-django's ``live_server``; launch, test data and screenshot helpers live in
tests/browser.py (which skips this module when chromium is missing, unless REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import pytest

from listings.templatetags.listing_tags import jp_date
from tests.browser import (  # also skips this module when chromium is missing
    PHONE,
    TEL_HREF,
    browser,  # noqa: F401 - fixture
    no_horizontal_overflow,
    sample,  # noqa: F401 - fixture
    shot,
)

pytestmark = pytest.mark.browser


def test_resident_finds_a_place_on_a_phone(live_server, browser, sample):
    listing = sample
    next_date = jp_date(listing.next_dates(1)[0].date)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        assert page.locator("h1").first.is_visible()
        assert no_horizontal_overflow(page)

        shot(page, "home-360")

        # The skip link is the first thing the keyboard reaches, and it becomes visible.
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.getAttribute('href'), document.activeElement.className]"
        )
        assert focused == ["#main", "skip-link"]
        assert page.locator(".skip-link").is_visible()
        shot(page, "home-360-skip-link")
        page.locator(".kind-links").get_by_role("link", name="居場所").click()
        page.wait_for_url("**/listings/?kind=ibasho")
        assert page.locator('a[aria-current="page"]', has_text="居場所").first.is_visible()
        assert no_horizontal_overflow(page)
        shot(page, "listing-index-360")

        page.get_by_role("link", name=listing.title).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == listing.title
        tel = page.locator(f'a[href="{TEL_HREF}"]')
        assert tel.is_visible() and tel.inner_text() == PHONE
        assert page.locator(".next-dates").get_by_text(next_date).first.is_visible()
        assert no_horizontal_overflow(page)
        shot(page, "listing-360")

        # Narrowest supported width: nothing may overflow sideways.
        page.set_viewport_size({"width": 320, "height": 640})
        assert no_horizontal_overflow(page)
        for path in ("/", "/listings/", "/areas/", "/areas/north-a-1/", "/search/?q=相談"):
            page.goto(f"{live_server.url}{path}")
            assert no_horizontal_overflow(page), path
        shot(page, "search-320")
    finally:
        context.close()


def test_pages_at_desktop_width(live_server, browser, sample):
    listing = sample
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        for name, path in (
            ("home", "/"),
            ("listing-index", "/listings/"),
            ("listing", listing.url_path.removeprefix("/home")),
            ("area-index", "/areas/"),
            ("area-neighbourhood", "/areas/north-a-1/"),
            ("information", "/plan/"),
            ("search", "/search/?q=相談"),
            ("not-found", "/no-such-page/"),
        ):
            response = page.goto(f"{live_server.url}{path}")
            expected = 404 if name == "not-found" else 200
            assert response is not None and response.status == expected, path
            assert no_horizontal_overflow(page), path
            # The stylesheet loaded (the header is coloured, not the browser default).
            assert (
                page.evaluate(
                    "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
                )
                != "rgba(0, 0, 0, 0)"
            )
            shot(page, f"{name}-1280")
        page.set_viewport_size({"width": 360, "height": 740})
        for name, path in (
            ("area-neighbourhood", "/areas/north-a-1/"),
            ("information", "/plan/"),
            ("window", "/listings/?kind=window"),
        ):
            page.goto(f"{live_server.url}{path}")
            assert no_horizontal_overflow(page), path
            if name == "window":
                page.get_by_role("link", name="福祉まるごと相談窓口").click()
                page.wait_for_load_state()
                assert page.get_by_text("相談内容").is_visible()
            shot(page, f"{name}-360")
    finally:
        context.close()
