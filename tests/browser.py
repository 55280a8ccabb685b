"""Shared helpers for the browser tests (Debian's chromium driven by Playwright).

Test modules import what they need from here, fixtures included (``from tests.browser import
browser, sample``; the places come from ``SampleCity`` in tests/factories.py); importing this
module skips the importing test module when /usr/bin/chromium or the playwright package is
missing, unless REQUIRE_BROWSER is set (then it fails).
Never downloads a browser. Screenshots go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# (building data) would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import contextlib
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER", "").strip().lower() not in {
    "",
    "0",
    "false",
    "no",
}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

if not CHROMIUM.exists() and not REQUIRE_BROWSER:
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install chromium); "
        "set REQUIRE_BROWSER=1 to make this a failure",
        allow_module_level=True,
    )

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    if REQUIRE_BROWSER:
        raise
    pytest.skip("the playwright package is not installed", allow_module_level=True)

from listings.models import ListingPage  # noqa: E402
from listings.vocabulary import Age  # noqa: E402
from tests.factories import CAFE_PHONE  # noqa: E402

PHONE = CAFE_PHONE
TEL_HREF = "tel:0312345678"


@contextlib.contextmanager
def launch():
    """Debian's chromium, headless, through Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser():
    with launch() as chromium:
        yield chromium


@pytest.fixture
def chromium():
    """The same browser under the name the search and submission tests use."""
    with launch() as browser:
        yield browser


@pytest.fixture
def sample(site_tree, city) -> ListingPage:
    """One place of each kind and the information page; returns the community café, the
    place the resident tests follow."""
    cafe = city.community_cafe()
    window = city.onestop_window()
    city.kitchen(ages=(Age.ELEMENTARY, Age.INFANT))
    city.fureai_meal()
    city.information_page(window=window, related=[cafe, window])
    return cafe


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run the vendored axe-core on the loaded page; return the WCAG 2.x A/AA violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern (an
        # injected <script> would be refused: the site allows no inline scripts without a nonce).
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        assert page.evaluate("typeof window.axe !== 'undefined'"), "axe-core did not load"
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        WCAG_A_AA,
    )
    return result


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['summary']}")
    return "\n".join(lines)
