"""axe-core (vendored in tests/vendor/) on every kind of public page: zero WCAG 2.x A/AA violations.

Pages: home, search results with filters, a listing of each kind, an area page, an information
page, the submission form (empty and with errors) and the 404 page, each at phone and desktop
width. Launch and data helpers come from tests/browser.py (skips here without chromium).
"""

from __future__ import annotations

import re

import pytest

from listings.vocabulary import Kind
from tests.browser import (  # also skips this module when chromium is missing
    axe_violations,
    browser,  # noqa: F401 - fixture
    format_violations,
    no_horizontal_overflow,
    sample,  # noqa: F401 - fixture
    shot,
    tab_to,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sample) -> dict:
    """The browser sample (one place of each kind and an information page), by kind."""
    from listings.models import ListingPage

    return {page.kind: page for page in ListingPage.objects.live()}


def public_pages(by_kind) -> list[tuple[str, str]]:
    pages = [
        ("home", "/"),
        ("search-filtered", "/search/?q=食事&kind=ibasho&kind=kodomo_shokudo&area=north-a&open=1"),
        ("search-empty", "/search/?q=サロン&area=north-b"),
        ("search-map", "/search/?q=食事&view=map"),
        ("listing-index", "/listings/?kind=ibasho"),
        ("area-index", "/areas/"),
        ("area", "/areas/north-a-1/"),
        ("information", "/plan/"),
        ("submit", "/submit/"),
        ("not-found", "/no-such-page/"),
    ]
    for kind in Kind.values:
        pages.append((f"listing-{kind}", by_kind[kind].url_path.removeprefix("/home")))
    pages.append(("flyer", f"/listings/{by_kind[Kind.KODOMO_SHOKUDO].slug}/flyer/"))
    return pages


@pytest.fixture(autouse=True)
def offline_tiles(settings):
    """No map tiles from the internet in tests: the pages must work without them anyway."""
    settings.MAP_TILE_URL = "/static/no-tiles/{z}/{x}/{y}.png"


@pytest.mark.parametrize("width", [360, 1280])
def test_no_wcag_violations_on_public_pages(live_server, browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    page = context.new_page()
    failures = []
    try:
        for name, path in public_pages(site):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None, path
            assert response.status == (404 if name == "not-found" else 200), path
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path}\n{format_violations(violations)}")
                shot(page, f"axe-{name}-{width}")
        # The form after a failed submission (error summary, inline errors).
        page.goto(f"{live_server.url}/submit/")
        page.get_by_role("button", name="送信する").click()
        page.wait_for_load_state()
        assert page.locator("#error-summary").is_visible()
        violations = axe_violations(page)
        if violations:
            failures.append(f"/submit/ (errors)\n{format_violations(violations)}")
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_submission_form_with_the_keyboard_only(live_server, browser, site):
    """Reach the form from the skip link, choose, type and send with keys; errors are reachable."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/submit/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"

        # Radio group: Tab enters it, the arrow keys choose.
        tab_to(page, 'input[name="kind"]')
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        assert page.locator('input[name="kind"]:checked').get_attribute("value") == (
            page.locator('input[name="kind"]').nth(1).get_attribute("value")
        )
        tab_to(page, "#id_title")
        page.keyboard.type("ひまわり子ども食堂")
        # A checkbox in the age groups, ticked with Space.
        tab_to(page, 'input[name="age_groups"]')
        page.keyboard.press("Space")
        assert page.locator('input[name="age_groups"]').first.is_checked()
        shot(page, "keyboard-submission-360")

        # Send with Enter on the button: the error summary lists what is missing.
        tab_to(page, '.submission-form button[type="submit"]', limit=300)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        summary = page.locator("#error-summary")
        assert summary.is_visible()
        assert page.locator("#id_title").input_value() == "ひまわり子ども食堂"
        # The summary's links are reachable and move the focus to the field.
        first_link = summary.locator("a").first
        target = first_link.get_attribute("href")
        first_link.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == target
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_reading_aids_without_javascript(live_server, browser, site, width):
    """Text size, furigana and English chosen with the header/footer forms (JavaScript off)."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="ja-JP", java_script_enabled=False
    )
    page = context.new_page()
    listing_path = site[Kind.KODOMO_SHOKUDO].url_path.removeprefix("/home")
    try:
        page.goto(f"{live_server.url}{listing_path}")
        page.locator(".reading-aids").get_by_role("button", name="特大").click()
        page.wait_for_url(f"**{listing_path}")
        assert page.locator("html").get_attribute("class") == "text-xlarge"
        page.locator(".reading-aids").get_by_role("button", name="表示する").click()
        page.wait_for_url(f"**{listing_path}")
        assert page.locator("h1 ruby rt").all_inner_texts() == ["こ", "しょくどう"]  # per word
        assert no_horizontal_overflow(page)
        shot(page, f"reading-aids-listing-{width}")
        for path in ("/", "/areas/north-a-1/", "/search/?q=食事"):
            page.goto(f"{live_server.url}{path}")
            assert no_horizontal_overflow(page), path
        shot(page, f"reading-aids-search-{width}")

        page.locator("#language-switch-select").select_option("en")
        page.locator(".language-switch button").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator(".skip-link").inner_text() == "Skip to main content"
        shot(page, f"reading-aids-english-{width}")
    finally:
        context.close()

    # axe needs JavaScript: the same states, checked with it on.
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    context.add_cookies(
        [
            {"name": "text_size", "value": "xlarge", "url": live_server.url},
            {"name": "ruby", "value": "on", "url": live_server.url},
        ]
    )
    page = context.new_page()
    failures = []
    try:
        for language in ("ja", "en"):
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            for path in (listing_path, "/areas/north-a-1/", "/search/?q=食事", "/"):
                page.goto(f"{live_server.url}{path}")
                violations = axe_violations(page)
                if violations:
                    failures.append(f"{language} {path}\n{format_violations(violations)}")
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_map_and_list_toggle_with_the_keyboard(live_server, browser, site):
    """The list/map toggle is a link; the map enhances the list; "near me" uses the location."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="ja-JP",
        permissions=["geolocation"],
        geolocation={"latitude": 35.726, "longitude": 139.551},
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/search/?q=食事")
        assert page.locator(".map__canvas").count() == 0
        tab_to(page, ".view-toggle a:nth-child(2)", limit=120)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "view=map" in page.url
        page.wait_for_selector(".leaflet-marker-icon")
        markers = page.locator(".leaflet-marker-icon").count()
        assert markers == page.locator(".map__places li").count() >= 2
        assert page.locator(".leaflet-control-attribution a", has_text="地理院タイル").count() == 1
        assert no_horizontal_overflow(page)
        shot(page, "search-map-360")

        # Filters keep the map view.
        page.locator('input[name="kind"][value="ibasho"]').check()
        page.locator(".search-filters__actions button").click()
        page.wait_for_load_state()
        assert "view=map" in page.url and "kind=ibasho" in page.url

        tab_to(page, "[data-near-me]", limit=120)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "near=35.7260%2C139.5510" in page.url and "sort=distance" in page.url
        assert page.locator(".search-result__distance").first.is_visible()
    finally:
        context.close()


def test_maps_are_an_enhancement_only(live_server, browser, site):
    """Without JavaScript: no empty map box, the places are listed with links."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="ja-JP", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/search/?q=食事&view=map")
        assert not page.locator(".map__canvas").first.is_visible()
        assert not page.locator("[data-near-me]").first.is_visible()
        assert page.locator(".map__places li a").count() >= 2
        shot(page, "search-map-nojs-1280")
        listing = site[Kind.IBASHO].url_path.removeprefix("/home")
        page.goto(f"{live_server.url}{listing}")
        assert not page.locator(".map__canvas").is_visible()
        assert not page.locator("[data-map-show]").is_visible()
        assert page.get_by_role("link", name="地図で見る（国土地理院地図）").is_visible()
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/search/?q=食事&view=map")
        page.wait_for_selector(".leaflet-marker-icon")
        shot(page, "search-map-1280")
    finally:
        context.close()


def test_listing_map_loads_only_when_asked(live_server, browser, site):
    """A listing page fetches no Leaflet and no tiles until "地図を表示する" is pressed (keys)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        listing = site[Kind.IBASHO].url_path.removeprefix("/home")
        page.goto(f"{live_server.url}{listing}")
        page.wait_for_load_state("networkidle")
        # Scrolled into view, still nothing: the map waits for the button.
        page.locator(".map").scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        assert not [url for url in requested if "leaflet" in url or "no-tiles" in url]
        assert page.evaluate("typeof window.L") == "undefined"
        button = page.get_by_role("button", name="地図を表示する")
        assert button.get_attribute("aria-expanded") == "false"
        assert not page.locator(".map__canvas").is_visible()

        tab_to(page, "[data-map-show]", limit=120)
        page.keyboard.press("Enter")
        page.wait_for_selector(".leaflet-marker-icon")
        assert page.locator(".map__canvas").is_visible()
        assert [url for url in requested if url.endswith("leaflet.js")]
        closing = page.get_by_role("button", name="地図を閉じる")
        assert closing.get_attribute("aria-expanded") == "true"
        assert page.evaluate("document.activeElement.matches('[data-map-show]')")
        # The marker image comes from the configured static URL (hashed names in production).
        icon = page.locator(".leaflet-marker-icon").first.get_attribute("src")
        assert icon.startswith("/static/vendor/leaflet/images/marker-icon")
        assert page.locator(".leaflet-control-attribution a", has_text="地理院タイル").count() == 1
        assert no_horizontal_overflow(page)
        shot(page, "listing-map-360")

        page.keyboard.press("Enter")
        assert not page.locator(".map__canvas").is_visible()
        assert button.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        assert page.locator(".map__canvas").is_visible()
        assert page.locator(".leaflet-marker-icon").count() == 1
    finally:
        context.close()


def test_listing_and_flyer_print_on_a4(live_server, browser, site):
    """Print media: no header menus, share links or map; the flyer fits one A4 page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    try:
        listing = site[Kind.IBASHO].url_path.removeprefix("/home")
        page.goto(f"{live_server.url}{listing}")
        page.emulate_media(media="print")
        assert not page.locator(".share").is_visible()
        assert not page.locator(".site-nav").is_visible()
        shot(page, "listing-print-1280")
        page.goto(f"{live_server.url}/listings/{site[Kind.KODOMO_SHOKUDO].slug}/flyer/")
        page.emulate_media(media="print")
        assert page.locator(".flyer__qr svg").is_visible()
        assert not page.locator(".site-header").is_visible()
        shot(page, "flyer-print-1280")
        pdf = page.pdf(format="A4")
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one sheet of A4
    finally:
        context.close()
