"""The site-wide notice: scheduled by staff, 緊急 above everything on every page, in the API."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from news.models import NoticeLevel, SiteNotice
from news.selectors import NOTICE_CACHE_SECONDS, active_notices, notice_version
from tests.news.factories import make_event, make_news

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def notice(level, title, **extra) -> SiteNotice:
    return SiteNotice.objects.create(level=level, title=title, message=f"{title}の本文", **extra)


def public_urls(city) -> list[str]:
    kitchen = city.kitchen()
    news = make_news("お知らせ一件", timezone.localdate())
    event = make_event("講座一件", [timezone.localdate()])
    return [
        "/",
        kitchen.url,
        "/areas/north/",
        "/search/?q=食堂",
        "/calendar/",
        news.url,
        event.url,
        "/submit/",
    ]


def test_emergency_is_on_every_page_above_everything(client, city):
    urls = public_urls(city)
    notice(NoticeLevel.EMERGENCY, "避難所を開設しました")
    notice(NoticeLevel.IMPORTANT, "窓口の時間が変わります")
    notice(NoticeLevel.INFO, "年末年始のお休み")
    for url in urls:
        html = client.get(url).content.decode()
        body = html.split("<body", 1)[1]
        assert "避難所を開設しました" in body, url
        alert = body.index('role="alert"')
        # Only the skip link comes before it; the header and the main content after.
        assert alert < body.index('class="site-header"') < body.index('id="main"'), url
        assert body.index("避難所を開設しました") < body.index("窓口の時間が変わります"), url
        assert body.count('role="alert"') == 1, url
        assert ("年末年始のお休み" in body) == (url == "/"), url
    # A missing page says it too.
    assert "避難所を開設しました" in client.get("/no-such-page/").content.decode()


def test_schedule_start_and_end(client, areas):
    notice(
        NoticeLevel.EMERGENCY,
        "終わった緊急",
        starts_at=NOW - datetime.timedelta(days=2),
        ends_at=NOW - datetime.timedelta(days=1),
    )
    later = notice(
        NoticeLevel.EMERGENCY, "これからの緊急", starts_at=NOW + datetime.timedelta(hours=1)
    )
    assert active_notices() == []
    assert "緊急" not in client.get("/").content.decode().split("<main", 1)[0]
    # An hour later (the cache lasts NOTICE_CACHE_SECONDS; a fresh lookup at that moment):
    assert active_notices(now=NOW + datetime.timedelta(hours=2)) == [later]


def test_a_saved_notice_shows_at_once_and_a_scheduled_one_within_a_minute(client, areas):
    assert "すぐ出る緊急" not in client.get("/").content.decode()  # the (empty) list is cached
    before = notice_version()
    notice(NoticeLevel.EMERGENCY, "すぐ出る緊急")
    assert "すぐ出る緊急" in client.get("/").content.decode()
    assert notice_version() != before
    # A notice whose start time arrives without a save shows when the cache expires.
    assert NOTICE_CACHE_SECONDS <= 60


def test_notices_in_the_api_emergency_first(client, areas):
    info = notice(NoticeLevel.INFO, "お知らせ")
    emergency = notice(NoticeLevel.EMERGENCY, "緊急のお知らせ", link_url="https://example.jp/x")
    notice(
        NoticeLevel.IMPORTANT,
        "終わった重要",
        starts_at=NOW - datetime.timedelta(days=2),
        ends_at=NOW - datetime.timedelta(days=1),
    )
    data = client.get("/api/v1/notices/").json()
    assert data["count"] == 2
    assert [n["id"] for n in data["results"]] == [emergency.pk, info.pk]
    first = data["results"][0]
    assert first["level"] == "emergency" and first["title"] == "緊急のお知らせ"
    assert first["url"] == "https://example.jp/x"
    assert client.post("/api/v1/notices/").status_code == 405
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/notices/" in schema["paths"]
    assert "NoticeList" in schema["components"]["schemas"]


def test_end_before_start_is_refused(areas):
    from django.core.exceptions import ValidationError

    bad = SiteNotice(
        level=NoticeLevel.INFO,
        title="x",
        message="y",
        starts_at=NOW,
        ends_at=NOW - datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "ends_at" in error.value.message_dict


def test_english_pages_mark_japanese_content(client, city):
    """Under English, staff's Japanese words (titles, places, notices) carry lang="ja"."""
    from tests.pages.test_language import english, unmarked_japanese

    urls = public_urls(city)
    notice(NoticeLevel.EMERGENCY, "避難所を開設しました", link_url="https://example.jp/")
    notice(NoticeLevel.INFO, "年末年始のお休み")
    english(client)
    found = []
    for url in [*urls, "/news/", "/events/", "/calendar/?view=list", "/calendar/?area=north"]:
        html = client.get(url).content.decode()
        assert '<html lang="en"' in html, url
        # As tests/pages/test_language.py: the search query typed comes back as typed, and help
        # may quote a Japanese example.
        found += [
            f"{url}: {text}"
            for text in unmarked_japanese(html)
            if not re.search("“食堂”|e\\.g\\. ", text)
        ]
    assert found == [], "\n".join(found)
