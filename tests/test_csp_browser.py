"""The Content-Security-Policy breaks nothing: every public page kind, the map (search results
and a listing's), "near me", the reading aids, and the Wagtail admin (log in, edit a page,
choose an image) run in chromium with no CSP violation reported."""

from __future__ import annotations

import io

import pytest

from tests.browser import (  # also skips this module when chromium is missing
    browser,  # noqa: F401 - fixture
    sample,  # noqa: F401 - fixture
    shot,
)
from tests.test_accessibility import (
    offline_tiles,  # noqa: F401 - fixture
    public_pages,
    site,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.browser

# Every violation the page sees, as the browser reports it (securitypolicyviolation events).
RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Violations:
    def __init__(self, context):
        self.found: list[str] = []
        context.add_init_script(RECORDER)

    def watch(self, page) -> None:
        page.on(
            "console",
            lambda message: (
                self.found.append(f"console: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def collect(self, page, where: str) -> None:
        for violation in page.evaluate("window.__cspViolations || []"):
            self.found.append(f"{where}: {violation}")


def test_no_csp_violations_on_public_pages(live_server, browser, site):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="ja-JP",
        permissions=["geolocation"],
        geolocation={"latitude": 35.726, "longitude": 139.551},
    )
    violations = Violations(context)
    page = context.new_page()
    violations.watch(page)
    try:
        for name, path in public_pages(site):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            violations.collect(page, name)

        # The search results' map, then "near me" (geolocation, allowed for this site).
        page.goto(f"{live_server.url}/search/?q=食事&view=map")
        page.wait_for_selector(".leaflet-marker-icon")
        violations.collect(page, "search-map")
        with page.expect_navigation():
            page.locator("[data-near-me]").click()
        assert "near=" in page.url
        violations.collect(page, "near-me")

        # A listing's map, loaded when asked.
        from listings.vocabulary import Kind

        listing = site[Kind.IBASHO].url_path.removeprefix("/home")
        page.goto(f"{live_server.url}{listing}")
        page.locator("[data-map-show]").click()
        page.wait_for_selector(".leaflet-marker-icon")
        violations.collect(page, "listing-map")

        # Reading aids: text size and furigana (forms that come back to the page).
        page.locator(".reading-aids").get_by_role("button", name="特大").click()
        page.wait_for_url(f"**{listing}")
        page.locator(".reading-aids").get_by_role("button", name="表示する").click()
        page.wait_for_url(f"**{listing}")
        assert page.locator("h1 ruby rt").count() >= 1
        violations.collect(page, "reading-aids")
    finally:
        context.close()
    assert not violations.found, "\n".join(violations.found)


def small_png() -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (40, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_admin_works_under_its_policy(live_server, browser, site):
    from django.contrib.auth import get_user_model
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image
    from wagtail.models import Collection

    from listings.vocabulary import Kind

    get_user_model().objects.create_superuser("editor", "e@example.jp", "editor-pass-123")
    if Collection.get_first_root_node() is None:  # flushed by an earlier transactional test
        Collection.add_root(name="Root")
    Image.objects.create(
        title="みどりカフェの写真", file=ImageFile(io.BytesIO(small_png()), name="cafe.png")
    )
    listing = site[Kind.IBASHO]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    violations = Violations(context)
    page = context.new_page()
    violations.watch(page)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "editor-pass-123")
        with page.expect_navigation():
            page.locator("form button[type=submit]").first.click()
        assert page.url.rstrip("/").endswith("/admin")
        violations.collect(page, "admin-dashboard")

        page.goto(f"{live_server.url}/admin/pages/{listing.pk}/edit/")
        page.wait_for_selector("#id_title")
        assert page.locator("#id_title").input_value() == listing.title
        page.get_by_role("button", name="写真を追加").first.click()
        page.get_by_role("button", name="画像を選択").first.click()
        page.wait_for_selector(".modal-dialog", state="visible")
        page.get_by_role("link", name="みどりカフェの写真").first.click()
        page.wait_for_selector(".modal-dialog", state="hidden")
        chosen = page.locator("[data-chooser-title]").first.inner_text()
        assert "みどりカフェの写真" in chosen
        shot(page, "admin-image-chosen")
        violations.collect(page, "admin-edit")
    finally:
        context.close()
    assert not violations.found, "\n".join(violations.found)


def test_pages_served_from_the_response_cache_keep_working(live_server, browser, site, settings):
    """The response cache on (portal/response_cache.py): every public page, the search map and
    the reading aids served a second time from the cache, with no CSP violation, and the
    reading-aids form (a CSRF token filled in per visitor) still posts."""
    from django.core.cache import cache

    from listings.vocabulary import Kind
    from portal import response_cache

    settings.RESPONSE_CACHE_SECONDS = 60
    cache.clear()
    response_cache.reset_local()
    first = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    first.new_page().goto(f"{live_server.url}/search/?q=食事&view=map")  # stored by a stranger
    first.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    violations = Violations(context)
    page = context.new_page()
    violations.watch(page)
    try:
        for name, path in public_pages(site):
            page.goto(f"{live_server.url}{path}")
            cached = page.goto(f"{live_server.url}{path}")
            # Wagtail's pages and the search page; not the area views, the form or a 404.
            if not path.startswith(("/areas/", "/submit/", "/no-such-page/")):
                assert cached.headers.get("x-response-cache") == "hit", path
            page.wait_for_load_state("networkidle")
            violations.collect(page, f"{name} (cached)")
        answer = page.goto(f"{live_server.url}/search/?q=食事&view=map")
        assert answer.headers.get("x-response-cache") == "hit"
        page.wait_for_selector(".leaflet-marker-icon")
        violations.collect(page, "search-map (cached)")
        listing = site[Kind.IBASHO].url_path.removeprefix("/home")
        page.goto(f"{live_server.url}{listing}")
        page.locator(".reading-aids").get_by_role("button", name="大", exact=True).click()
        page.wait_for_url(f"**{listing}")
        assert "text-large" in (page.locator("html").get_attribute("class") or "")
        violations.collect(page, "reading-aids (cached)")
    finally:
        context.close()
        cache.clear()
        response_cache.reset_local()
    assert not violations.found, "\n".join(violations.found)
