"""The 困りごと finder and the never-a-dead-end fallback in a real browser at 360 px, in
Japanese and English: reach a window in two taps, phone links, no overflow, no axe violations."""

from __future__ import annotations

import pytest

from consult.models import FallbackWindow, Trouble, TroubleWindow
from listings.vocabulary import Kind, Tier
from tests.browser import (  # also skips this module when chromium is missing
    axe_violations,
    chromium,  # noqa: F401 - fixture
    format_violations,
    no_horizontal_overflow,
    shot,
)
from tests.factories import make_listing

pytestmark = pytest.mark.browser


@pytest.fixture
def consult_site(site_tree, city, areas):
    one_stop = make_listing(
        "福祉丸ごと相談窓口",
        kind=Kind.WINDOW,
        area=areas.north_a,
        service_tier=Tier.CITY,
        phone="000-000-0001",
    )
    houkatsu = make_listing(
        "北部地域包括支援センター",
        kind=Kind.WINDOW,
        area=areas.north_a,
        service_tier=Tier.JUNIOR_HIGH,
        phone="000-000-0002",
    )
    FallbackWindow.objects.create(listing=one_stop, role=FallbackWindow.Role.ONE_STOP)
    trouble = Trouble.objects.create(
        slug="dementia",
        name="物忘れ・認知症",
        group=Trouble.Group.CARE,
        triggers="物忘れ",
        summary="物忘れ、認知症の心配",
    )
    TroubleWindow.objects.create(trouble=trouble, listing=houkatsu)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_finder_to_a_window_on_a_phone(live_server, chromium, consult_site, language):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.locator('main a[href="/consult/"]').first.click()
        page.wait_for_url("**/consult/")
        assert no_horizontal_overflow(page)
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        shot(page, f"consult-finder-360-{language}")
        page.locator('a[href="/consult/dementia/"]').click()
        page.wait_for_url("**/consult/dementia/")
        assert page.locator(".trouble-windows").inner_text().count("北部地域包括支援センター") == 1
        assert page.locator('.trouble-windows a[href="tel:0000000002"]').count() == 1
        assert no_horizontal_overflow(page)
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        shot(page, f"consult-trouble-360-{language}")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_dead_end_fallback_on_a_phone(live_server, chromium, consult_site, language):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/search/?q=ぜんぜんないことば")
        fallback = page.locator("#consult-fallback")
        assert fallback.is_visible()
        assert fallback.locator('a[href="tel:0000000001"]').count() == 1
        assert no_horizontal_overflow(page)
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        shot(page, f"consult-fallback-360-{language}")
    finally:
        context.close()
