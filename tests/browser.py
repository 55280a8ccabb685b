"""Shared helpers for the browser tests (Debian's chromium driven by Playwright).

Test modules import what they need from here, fixtures included (``from tests.browser import
browser, sample``); importing this module skips the importing test module when /usr/bin/chromium
or the playwright package is missing, unless REQUIRE_BROWSER is set (then it fails).
Never downloads a browser. Screenshots go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# (building data) would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import contextlib
import datetime
import json
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

from listings.models import AgeGroup, ListingIndexPage  # noqa: E402
from listings.vocabulary import Age, Kind, Tier  # noqa: E402
from tests.factories import make_listing, weekly  # noqa: E402

PHONE = "03-1234-5678"
TEL_HREF = "tel:0312345678"


def ensure_site_tree() -> None:
    """Re-create what migrations made if an earlier transactional test flushed it.

    (With ``transactional_db`` every table is emptied after each test, so the HomePage,
    ListingIndexPage, Site and age groups made by migrations may be gone.)
    """
    from wagtail.models import Locale, Page, Site

    from pages.models import HomePage

    for order, code in enumerate(Age.values):
        AgeGroup.objects.update_or_create(code=code, defaults={"sort_order": order})
    if ListingIndexPage.objects.filter(slug="listings").exists():
        return
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="ja")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="居場所ポータル", slug="home", locale=locale))
    home.add_child(instance=ListingIndexPage(title="居場所・窓口をさがす", slug="listings"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "居場所ポータル",
        },
    )


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
def sample(transactional_db, areas):
    ensure_site_tree()
    every_day = tuple(weekly(day, "10:00", "12:00") for day in range(7))
    listing = make_listing(
        "みどりの森のコミュニティカフェ・ほっとひといき",
        kind=Kind.IBASHO,
        area=areas.north_a_1,
        ages=(Age.EVERYONE, Age.SENIOR),
        topics=("食事", "介護予防"),
        rules=every_day,
        name_kana="ミドリノモリノコミュニティカフェホットヒトイキ",
        description="<p>だれでも立ち寄れるカフェです。お茶を飲みながら、ゆっくりお話しできます。</p>",
        address="サンプル市みどり町1丁目2番3号 みどり会館1階",
        latitude=35.68,
        longitude=139.76,
        phone=PHONE,
        email="hottohitoiki-community-cafe-contact@example.jp",
        website="https://example.jp/a/very/long/path/that/should/wrap/on/small/screens/index.html",
        organiser="みどり町1丁目自治会",
        fee="100円（お茶代）",
        booking="not_required",
        schedule_note="8月と年末年始はお休みです。",
        last_verified=datetime.date(2025, 4, 1),
    )
    window = make_listing(
        "福祉まるごと相談窓口",
        kind=Kind.WINDOW,
        area=areas.south_a_1,
        service_tier=Tier.CITY,
        ages=(Age.EVERYONE,),
        rules=tuple(weekly(day, "08:30", "17:15") for day in range(5)),
        name_kana="フクシマルゴトソウダンマドグチ",
        phone="042-555-0000",
        consultation_keywords="お金、家賃、介護、認知症、DV",
        contact_methods=["visit", "phone"],
    )
    make_listing(
        "みどり子ども食堂",
        kind=Kind.KODOMO_SHOKUDO,
        area=areas.north_a,
        service_tier=Tier.ELEMENTARY,
        ages=(Age.ELEMENTARY, Age.INFANT),
        name_kana="ミドリコドモショクドウ",
    )
    add_information_page(listing, window)
    return listing


def add_information_page(listing, window) -> None:
    from pages.models import HomePage, InformationPage

    body = [
        {"type": "heading", "value": {"text": "だれもが居場所を持てるまちへ", "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<p>市の地域福祉計画は、居場所・相談窓口・地域の情報を"
            "<b>ひとつにまとめて</b>届けることを目標にしています。</p>",
        },
        {
            "type": "callout",
            "value": {
                "style": "consult",
                "title": "どこに相談すればよいかわからないとき",
                "body": "<p>まずは福祉まるごと相談窓口へお電話ください。</p>",
                "link_page": window.pk,
                "link_text": "相談窓口を見る",
            },
        },
        {"type": "heading", "value": {"text": "近くの居場所", "level": "h3"}},
        {
            "type": "related_listings",
            "value": {"heading": "関連する居場所・窓口", "listings": [listing.pk, window.pk]},
        },
    ]
    page = InformationPage(
        title="地域福祉計画について", slug="plan", summary="計画のあらまし。", body=json.dumps(body)
    )
    HomePage.objects.first().add_child(instance=page)
    page.save_revision().publish()


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
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
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
