"""axe-core on the news, event and calendar pages and the notices, at phone and desktop width;
the calendar's filters work without JavaScript."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from listings.vocabulary import Age
from news.models import NewsCategory, NoticeLevel, SiteNotice
from tests.browser import (  # also skips this module when chromium is missing
    axe_violations,
    browser,  # noqa: F401 - fixture
    format_violations,
    no_horizontal_overflow,
    shot,
)
from tests.news.factories import make_event, make_news
from tests.pages.blocks_sample import blocks_page

pytestmark = pytest.mark.browser


@pytest.fixture
def news_site(site_tree, city, settings, tmp_path) -> dict[str, str]:
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    city.kitchen()
    city.community_cafe()
    NewsCategory.objects.get_or_create(slug="senior", defaults={"name": "高齢の方へ"})
    news = make_news(
        "高齢の方向けサロンの一覧を更新しました",
        today,
        categories=["senior"],
        area=city.areas.north,
        summary="北部圏域のサロンの開催日を更新しました。",
    )
    event = make_event(
        "認知症サポーター養成講座（長い題名の講座が電話の幅で折り返すか）",
        [today + datetime.timedelta(days=2), today + datetime.timedelta(days=9)],
        area=city.areas.north_a,
        ages=[Age.SENIOR, Age.ADULT],
    )
    SiteNotice.objects.create(
        level=NoticeLevel.EMERGENCY,
        title="大雨のため臨時休館",
        message="本日の子ども食堂はすべて休みです。",
        link_url="https://example.jp/",
    )
    SiteNotice.objects.create(
        level=NoticeLevel.IMPORTANT, title="窓口の時間が変わります", message="来月から9時開始です。"
    )
    SiteNotice.objects.create(level=NoticeLevel.INFO, title="年末年始のお休み", message="休みます")
    return {
        "home": "/",
        "news-index": "/news/",
        "news": news.url,
        "event-index": "/events/",
        "event": event.url,
        "calendar-month": "/calendar/",
        "calendar-list": "/calendar/?view=list",
        "area": "/areas/north-a/",
        "blocks": blocks_page(area=city.areas.north).url,
    }


@pytest.mark.parametrize("width", [360, 1280])
def test_no_wcag_violations_on_news_pages(live_server, browser, news_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
    page = context.new_page()
    failures = []
    try:
        for name, path in news_site.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            assert page.get_by_role("alert").first.inner_text().find("大雨のため臨時休館") >= 0
            if not no_horizontal_overflow(page):
                failures.append(f"{path}: scrolls sideways at {width}px")
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path}\n{format_violations(violations)}")
                shot(page, f"axe-{name}-{width}")
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_calendar_filters_without_javascript(live_server, browser, news_site):
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="ja-JP", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/calendar/?view=list")
        assert page.get_by_text("みどり子ども食堂").count() > 0
        page.get_by_label("対象").select_option("senior")
        page.get_by_role("button", name="しぼりこむ").click()
        page.wait_for_load_state()
        assert "age=senior" in page.url
        assert page.get_by_text("認知症サポーター養成講座").count() > 0
        assert page.get_by_text("みどり子ども食堂").count() == 0
        page.get_by_role("link", name="月で見る").click()
        assert page.locator("table.calendar-month").is_visible()
        shot(page, "calendar-month-360")
    finally:
        context.close()
