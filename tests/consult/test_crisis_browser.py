"""The crisis block in a real browser at 360 px: first thing after the search box, tappable
tel: links, no horizontal scrolling, no axe violations; in Japanese and English."""

from __future__ import annotations

import pytest

from consult.services import seed_crisis_defaults
from tests.browser import (  # also skips this module when chromium is missing
    axe_violations,
    chromium,  # noqa: F401 - fixture
    format_violations,
    no_horizontal_overflow,
    shot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def crisis_site(site_tree, city, areas):
    seed_crisis_defaults()
    city.onestop_window()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_crisis_block_on_a_phone(live_server, chromium, crisis_site, language):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    try:
        prefix = ""
        page.goto(f"{live_server.url}{prefix}/search/?q=しにたい")
        assert page.locator("html").get_attribute("lang") == language
        block = page.locator("#crisis")
        assert block.is_visible()
        calls = block.locator("a.crisis__call")
        hrefs = [calls.nth(i).get_attribute("href") for i in range(calls.count())]
        assert "tel:0570783556" in hrefs
        assert all(h.startswith("tel:") for h in hrefs)
        # Above every result and the result heading.
        box = block.bounding_box()
        heading = page.locator("#results-heading").bounding_box()
        assert box["y"] < heading["y"]
        # Tap targets of the calls are at least 44 px tall.
        assert all(calls.nth(i).bounding_box()["height"] >= 44 for i in range(calls.count()))
        assert no_horizontal_overflow(page)
        shot(page, f"crisis-block-360-{language}")
        violations = axe_violations(page)
        assert not violations, format_violations(violations)
        page.goto(f"{live_server.url}{prefix}/search/?q=死亡届")
        assert page.locator("#crisis").count() == 0
    finally:
        context.close()
