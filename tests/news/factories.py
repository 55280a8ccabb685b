"""News, events and notices for the tests (built like staff would, through the page tree)."""

from __future__ import annotations

import datetime

from listings.models import AgeGroup, Area
from news.models import (
    EventDate,
    EventIndexPage,
    EventPage,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
)
from pages.models import HomePage


def news_index() -> NewsIndexPage:
    found = NewsIndexPage.objects.first()
    if found:
        return found
    page = NewsIndexPage(title="お知らせ", slug="news")
    HomePage.objects.first().add_child(instance=page)
    return page


def event_index() -> EventIndexPage:
    found = EventIndexPage.objects.first()
    if found:
        return found
    page = EventIndexPage(title="イベント・講座", slug="events")
    HomePage.objects.first().add_child(instance=page)
    return page


def make_news(
    title: str, date: datetime.date, *, categories=(), area: Area | None = None, summary: str = ""
) -> NewsPage:
    page = NewsPage(
        title=title,
        date=date,
        area=area,
        summary=summary,
        body=[{"type": "paragraph", "value": f"<p>{title}の本文</p>"}],
    )
    page.categories = [NewsCategory.objects.get(slug=slug) for slug in categories]
    news_index().add_child(instance=page)
    page.save_revision().publish()
    return page


def make_event(
    title: str,
    days: list[datetime.date],
    *,
    start="14:00",
    end="15:30",
    area: Area | None = None,
    ages=(),
    event_type="lecture",
    place="地域センター",
) -> EventPage:
    page = EventPage(
        title=title,
        event_type=event_type,
        area=area,
        place=place,
        summary=f"{title}の概要",
        capacity="20人",
        how_to_apply="電話で申し込み",
    )
    page.dates = [
        EventDate(
            date=day,
            start_time=datetime.time.fromisoformat(start) if start else None,
            end_time=datetime.time.fromisoformat(end) if end else None,
        )
        for day in days
    ]
    page.audience = list(AgeGroup.objects.filter(code__in=ages))
    event_index().add_child(instance=page)
    page.save_revision().publish()
    return page
